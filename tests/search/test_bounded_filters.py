"""Filters are bounded: a 3 000-character tag, department, category or year is refused,
never echoed back whole, on the page, in its links or in the API."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from search.service import read_filters

pytestmark = pytest.mark.django_db

LONG = {"tag": "ข" * 3000, "department": "k" * 3000, "category": "ค" * 3000, "year": "9" * 3000}


def echoes(text, value):
    """Whether 60 characters of the value appear, as text or percent-encoded in a link."""
    piece = value[:60]
    return piece in text or quote(piece) in text or quote(piece).lower() in text.lower()


def test_long_filters_are_refused():
    assert read_filters(LONG) == {"type": None, **dict.fromkeys(LONG)}
    assert read_filters({"tag": " ภาษี ", "department": "klang", "year": "๒๕๖๘"}) == {
        "type": None, "category": None, "department": "klang", "year": 2568, "tag": "ภาษี",
    }


@pytest.mark.parametrize("name", sorted(LONG))
def test_search_page_and_its_links_never_echo_a_long_filter(client, name):
    response = client.get(reverse("search"), {"q": "ความรู้", name: LONG[name], "junk": "ฆ" * 3000})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'rel="next"' in page  # the refused filter filters nothing: there are pages to link to
    assert not echoes(page, LONG[name]) and not echoes(page, "ฆ" * 3000)
    assert len(page) < 200_000


def test_pagination_links_keep_the_filters_that_were_used(client):
    page = client.get(reverse("search"), {"q": "ความรู้", "sort": "date", "tag": "ข" * 3000}).content.decode()
    next_link = page.split('rel="next"')[0].rsplit('href="', 1)[1]
    assert "sort=date" in next_link and "page=2" in next_link and "tag=" not in next_link


def test_a_long_query_is_echoed_cut(client):
    page = client.get(reverse("search"), {"q": "ภาษี" + "ง" * 3000}).content.decode()
    assert "200 ตัวอักษรแรก" in page
    assert "ง" * 200 not in page and quote("ง" * 200) not in page


@pytest.mark.parametrize("name", sorted(LONG))
def test_api_never_echoes_a_long_filter(client, name):
    response = client.get(reverse("api_search"), {"q": "ภาษี", name: LONG[name]})
    assert response.status_code == 200
    assert response.json()["total"] > 0
    assert not echoes(response.content.decode(), LONG[name])
