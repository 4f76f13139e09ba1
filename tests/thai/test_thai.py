import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from thai import dates, digits, slugs


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
    assert dates.fiscal_year(day) == year


def test_fiscal_year_bounds_match_design_card():
    assert dates.fiscal_year_bounds(2562) == (datetime.date(2018, 10, 1), datetime.date(2019, 9, 30))


def test_buddhist_era_dates_in_thai():
    with translation.override("th"):
        assert dates.format_date(datetime.date(2025, 1, 5)) == "5 มกราคม 2568"
        assert dates.format_date(datetime.date(2025, 1, 5), short=True) == "5 ม.ค. 2568"
        assert dates.format_date(datetime.date(2024, 2, 29)) == "29 กุมภาพันธ์ 2567"
        assert dates.format_date(datetime.date(2024, 9, 30)) == "30 กันยายน 2567"
        assert dates.format_date(datetime.date(2024, 10, 1), short=True) == "1 ต.ค. 2567"


def test_buddhist_era_dates_in_english():
    with translation.override("en"):
        assert dates.format_date(datetime.date(2025, 1, 5)) == "5 January B.E. 2568"


def test_datetime_is_shown_in_bangkok_time():
    # 20:00 UTC on 30 Sep is already 1 Oct in Bangkok
    moment = datetime.datetime(2024, 9, 30, 20, 0, tzinfo=datetime.UTC)
    with translation.override("th"):
        assert dates.format_date(moment) == "1 ตุลาคม 2567"


def test_thai_digits_are_the_same_numbers():
    assert digits.to_arabic_digits("ปีงบประมาณ ๒๕๖๘") == "ปีงบประมาณ 2568"
    assert digits.to_thai_digits(2568) == "๒๕๖๘"
    assert digits.parse_int("๒๕๖๘") == digits.parse_int("2568") == 2568
    assert digits.parse_int(" ๑๒ ") == 12
    assert digits.parse_int("12a") is None
    assert digits.parse_int("9" * 40) is None
    assert digits.parse_int(None) is None


def test_one_digit_style_in_the_text_of_html_only():
    html = (
        '<a href="/2568/?page=2" data-n="3">ปี 2568 หน้า ๒</a> &#39;1&#39; &amp; 4'
        "<script>var n = 10;</script><textarea>12</textarea><!-- 7 --><p>โทร 02-123</p>"
    )
    assert digits.in_text_of_html(html, digits.THAI) == (
        '<a href="/2568/?page=2" data-n="3">ปี ๒๕๖๘ หน้า ๒</a> &#39;๑&#39; &amp; ๔'
        "<script>var n = 10;</script><textarea>12</textarea><!-- 7 --><p>โทร ๐๒-๑๒๓</p>"
    )
    assert digits.in_text_of_html(html, digits.ARABIC) == html.replace("หน้า ๒", "หน้า 2")


def test_slug_keeps_thai_vowels_and_tone_marks():
    assert slugs.slugify("ความรู้ฝังลึก (Tacit Knowledge)") == "ความรู้ฝังลึก-tacit-knowledge"
    assert slugs.slugify("การเบิกจ่าย  ผ่านระบบ e-LAAS!") == "การเบิกจ่าย-ผ่านระบบ-e-laas"


def test_long_slug_is_cut_without_splitting_a_syllable():
    title = "ก" * 79 + "ู้" + "ข" * 30
    slug = slugs.slugify(title)
    assert slug.endswith("กู้")
    assert len(slug) <= slugs.SLUG_MAX_LENGTH + 2


def test_slug_validator():
    slugs.validate_slug("ความรู้ฝังลึก-2")
    for bad in ["มี ช่องว่าง", "a/b", "", "-ขึ้นต้นด้วยขีด"]:
        with pytest.raises(ValidationError):
            slugs.validate_slug(bad)


def test_add_months_clamps_to_month_end():
    assert dates.add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert dates.add_months(datetime.date(2024, 11, 15), 12) == datetime.date(2025, 11, 15)
