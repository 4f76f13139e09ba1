"""Buddhist-era dates and the Thai government's fiscal year."""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import get_language
from pythainlp.util import thai_strftime

from .digits import parse_int

BUDDHIST_ERA_OFFSET = 543

ENGLISH_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]


def buddhist_year(value):
    return value.year + BUDDHIST_ERA_OFFSET


def fiscal_year(value):
    """The Thai government fiscal year (B.E.) containing a date or an aware datetime.

    It runs 1 October to 30 September and is named by the year it ends in; a
    datetime counts in the site's time zone (Asia/Bangkok).
    """
    value = as_local_date(value)
    year = value.year + 1 if value.month >= 10 else value.year
    return year + BUDDHIST_ERA_OFFSET


def fiscal_year_bounds(year_be):
    """First and last day (Gregorian dates) of a B.E. fiscal year."""
    ending = year_be - BUDDHIST_ERA_OFFSET
    return datetime.date(ending - 1, 10, 1), datetime.date(ending, 9, 30)


def parse_fiscal_year(value):
    """A B.E. fiscal year typed by a person ("2569" or "๒๕๖๙"), or None if it is not one."""
    year = parse_int(value)
    return year if year is not None and 2400 < year < 2800 else None


def add_months(day, months):
    """The same day `months` later, or the month's last day if it is shorter."""
    return day + relativedelta(months=months)


def as_local_date(value):
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def format_date(value, short=False):
    """'5 มกราคม 2568' (or '5 ม.ค. 2568'); in English '5 January B.E. 2568'."""
    if not value:
        return ""
    value = as_local_date(value)
    if (get_language() or "th").startswith("th"):
        return thai_strftime(datetime.datetime(value.year, value.month, value.day), "%-d %b %Y" if short else "%-d %B %Y")
    month = ENGLISH_MONTHS[value.month - 1]
    return f"{value.day} {month[:3] if short else month} B.E. {buddhist_year(value)}"
