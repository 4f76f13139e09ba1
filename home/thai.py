"""Thai conventions used across the site: Buddhist-era dates, fiscal years,
Thai digits and URL slugs that keep Thai vowel and tone marks."""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext_lazy as _

BUDDHIST_ERA_OFFSET = 543

THAI_MONTHS = [
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
]
THAI_MONTHS_SHORT = [
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
]
ENGLISH_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)


def to_arabic_digits(text):
    return text.translate(_TO_ARABIC)


def to_thai_digits(text):
    return str(text).translate(_TO_THAI)


def parse_int(value):
    """An integer from user input in Thai or Arabic digits, or None."""
    if value is None:
        return None
    text = to_arabic_digits(str(value)).strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def buddhist_year(value):
    return value.year + BUDDHIST_ERA_OFFSET


def fiscal_year(value):
    """The Thai government fiscal year (B.E.) containing a date.

    It runs 1 October to 30 September and is named by the year it ends in.
    """
    year = value.year + 1 if value.month >= 10 else value.year
    return year + BUDDHIST_ERA_OFFSET


def fiscal_year_bounds(year_be):
    """First and last day (Gregorian dates) of a B.E. fiscal year."""
    ending = year_be - BUDDHIST_ERA_OFFSET
    return datetime.date(ending - 1, 10, 1), datetime.date(ending, 9, 30)


def _as_date(value):
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def format_date(value, short=False):
    """'5 มกราคม 2568' (or '5 ม.ค. 2568'); in English '5 January B.E. 2568'."""
    if not value:
        return ""
    value = _as_date(value)
    if (get_language() or "th").startswith("th"):
        months = THAI_MONTHS_SHORT if short else THAI_MONTHS
        return f"{value.day} {months[value.month - 1]} {buddhist_year(value)}"
    month = ENGLISH_MONTHS[value.month - 1]
    return f"{value.day} {month[:3] if short else month} B.E. {buddhist_year(value)}"


# Letters, digits and combining marks (Thai vowels and tone marks are marks, Mn).
def _keeps(char):
    return unicodedata.category(char)[0] in "LNM" or char in "-_"


SLUG_MAX_LENGTH = 80


def slugify(text, max_length=SLUG_MAX_LENGTH):
    """A URL slug that keeps Thai vowel and tone marks.

    Django's and Wagtail's slugify drop combining marks, so "ความรู้ฝังลึก"
    became "ความรฝงลก", a different and misleading word.
    """
    text = unicodedata.normalize("NFC", str(text)).lower()
    text = "".join(c if _keeps(c) else " " for c in text)
    slug = re.sub(r"[\s_-]+", "-", text).strip("-")
    if len(slug) > max_length:
        cut = slug.rfind("-", 0, max_length + 1)
        if cut < max_length // 2:
            cut = max_length
            # never separate a consonant from its vowel or tone marks
            while cut < len(slug) and unicodedata.category(slug[cut]) == "Mn":
                cut += 1
        slug = slug[:cut].strip("-")
    return slug


def validate_slug(value):
    if not value or not all(_keeps(c) for c in value) or value != value.strip("-"):
        raise ValidationError(
            _("ใช้ได้เฉพาะตัวอักษร ตัวเลข สระ วรรณยุกต์ และขีดกลาง (-)"), code="invalid"
        )
