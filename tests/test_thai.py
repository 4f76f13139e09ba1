import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from home import thai


@pytest.mark.parametrize(
    "day, year",
    [
        (datetime.date(2024, 9, 30), 2567),
        (datetime.date(2024, 10, 1), 2568),
        (datetime.date(2018, 10, 1), 2562),
        (datetime.date(2019, 9, 30), 2562),
        (datetime.date(2024, 2, 29), 2567),
        (datetime.date(2025, 1, 5), 2568),
    ],
)
def test_fiscal_year_runs_october_to_september(day, year):
    assert thai.fiscal_year(day) == year


def test_fiscal_year_bounds_match_design_card():
    assert thai.fiscal_year_bounds(2562) == (datetime.date(2018, 10, 1), datetime.date(2019, 9, 30))


def test_buddhist_era_dates_in_thai():
    with translation.override("th"):
        assert thai.format_date(datetime.date(2025, 1, 5)) == "5 มกราคม 2568"
        assert thai.format_date(datetime.date(2025, 1, 5), short=True) == "5 ม.ค. 2568"
        assert thai.format_date(datetime.date(2024, 2, 29)) == "29 กุมภาพันธ์ 2567"
        assert thai.format_date(datetime.date(2024, 9, 30)) == "30 กันยายน 2567"
        assert thai.format_date(datetime.date(2024, 10, 1), short=True) == "1 ต.ค. 2567"


def test_buddhist_era_dates_in_english():
    with translation.override("en"):
        assert thai.format_date(datetime.date(2025, 1, 5)) == "5 January B.E. 2568"


def test_datetime_is_shown_in_bangkok_time():
    # 20:00 UTC on 30 Sep is already 1 Oct in Bangkok
    moment = datetime.datetime(2024, 9, 30, 20, 0, tzinfo=datetime.timezone.utc)
    with translation.override("th"):
        assert thai.format_date(moment) == "1 ตุลาคม 2567"


def test_thai_digits_are_the_same_numbers():
    assert thai.to_arabic_digits("ปีงบประมาณ ๒๕๖๘") == "ปีงบประมาณ 2568"
    assert thai.to_thai_digits(2568) == "๒๕๖๘"
    assert thai.parse_int("๒๕๖๘") == thai.parse_int("2568") == 2568
    assert thai.parse_int(" ๑๒ ") == 12
    assert thai.parse_int("12a") is None
    assert thai.parse_int("9" * 40) is None
    assert thai.parse_int(None) is None


def test_slug_keeps_thai_vowels_and_tone_marks():
    assert thai.slugify("ความรู้ฝังลึก (Tacit Knowledge)") == "ความรู้ฝังลึก-tacit-knowledge"
    assert thai.slugify("การเบิกจ่าย  ผ่านระบบ e-LAAS!") == "การเบิกจ่าย-ผ่านระบบ-e-laas"


def test_long_slug_is_cut_without_splitting_a_syllable():
    title = "ก" * 79 + "ู้" + "ข" * 30
    slug = thai.slugify(title)
    assert slug.endswith("กู้")
    assert len(slug) <= thai.SLUG_MAX_LENGTH + 2


def test_slug_validator():
    thai.validate_slug("ความรู้ฝังลึก-2")
    for bad in ["มี ช่องว่าง", "a/b", "", "-ขึ้นต้นด้วยขีด"]:
        with pytest.raises(ValidationError):
            thai.validate_slug(bad)
