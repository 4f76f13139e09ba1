"""Buddhist-era years in the admin's dates; Gregorian years where machines read them."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from thai.era import buddhist_era_years

DAY = datetime.date(2025, 1, 5)


def render(source, **context):
    return Template(source).render(Context(context))


def test_years_are_buddhist_era_only_when_turned_on_and_thai():
    with translation.override("th"):
        assert render("{{ d|date:'j F Y' }}", d=DAY) == "5 มกราคม 2025"
        with buddhist_era_years():
            assert render("{{ d|date:'j F Y' }} {{ d|date:'y' }}", d=DAY) == "5 มกราคม 2568 68"
            assert render("{{ d|date:'c' }}", d=DAY).startswith("2025-01-05")
    with translation.override("en"), buddhist_era_years():
        assert render("{{ d|date:'Y' }}", d=DAY) == "2025"


@pytest.mark.django_db
def test_admin_history_shows_buddhist_era_and_public_pages_keep_iso_dates(article, staff, login, client):
    history = login(staff["editor"]).get(reverse("wagtailadmin_pages:history", args=[article.pk])).content.decode()
    year = datetime.date.today().year
    assert str(year + 543) in history
    assert f" {year}," not in history  # "j F Y, G:i" with the Gregorian year
    public = client.get(article.url).content.decode()
    assert f'datetime="{article.date:%Y-%m-%d}"' in public
