"""Buddhist-era years in Django's own date formatting, where a caller turns them on.

The admin (Wagtail's listings, history and side panels) formats dates with Django's
`date` filter and the Thai DATETIME_FORMAT ("j F Y, G:i"), whose `Y` is the
Gregorian year. While `buddhist_era_years()` is on and Thai is the active language,
`Y` and `y` give the B.E. year instead (2025 → 2568). khlang's middleware turns it
on for admin requests only: public templates keep `|date:'Y-m-d'` for machine-
readable dates and show B.E. dates through the thai_format filters.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import dateformat, translation

from .dates import BUDDHIST_ERA_OFFSET

_enabled = ContextVar("thai_buddhist_era_years", default=False)


def turn_on():
    """Returns the token that turn_off() takes."""
    return _enabled.set(True)


def turn_off(token):
    _enabled.reset(token)


@contextmanager
def buddhist_era_years():
    token = turn_on()
    try:
        yield
    finally:
        turn_off(token)


def _active():
    return _enabled.get() and (translation.get_language() or "").startswith("th")


def install():
    """Teach DateFormat's `Y` and `y` the B.E. year (once; called by ThaiConfig.ready)."""
    if getattr(dateformat.DateFormat, "thai_era_installed", False):
        return
    gregorian_Y, gregorian_y = dateformat.DateFormat.Y, dateformat.DateFormat.y

    def Y(self):
        return f"{self.data.year + BUDDHIST_ERA_OFFSET:04d}" if _active() else gregorian_Y(self)

    def y(self):
        return f"{(self.data.year + BUDDHIST_ERA_OFFSET) % 100:02d}" if _active() else gregorian_y(self)

    dateformat.DateFormat.Y, dateformat.DateFormat.y = Y, y
    dateformat.DateFormat.thai_era_installed = True
