"""What anonymous readers found is cached (search.service.found) and never outlives what it ranked."""


import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests.search.helpers import api, publish_article, refresh, titles

pytestmark = pytest.mark.django_db


def test_cached_ranking_follows_publishing_and_privacy(client, backend, library):
    marker = "zqxwvcached"  # a word no other page has
    first = publish_article(library, f"{marker} หนึ่ง", marker)
    refresh(backend)
    assert titles(api(client, q=marker)) == [first.title]

    second = publish_article(library, f"{marker} สอง", marker)
    refresh(backend)
    assert set(titles(api(client, q=marker))) == {first.title, second.title}

    PageViewRestriction.objects.create(page=first, restriction_type=PageViewRestriction.LOGIN)
    assert titles(api(client, q=marker)) == [second.title]

    second.unpublish()
    refresh(backend)
    assert api(client, q=marker)["total"] == 0


def test_the_second_anonymous_search_does_not_rank_again(client, backend):
    api(client, q="ภาษี")
    with CaptureQueriesContext(connection) as captured:
        api(client, q="ภาษี")
    # the spelling vocabulary's freshness check (a count and the last id) is not a ranking
    ranking = [q["sql"] for q in captured if "indexentry" in q["sql"] and 'MAX("wagtailsearch_indexentry"' not in q["sql"]]
    assert ranking == []


def test_each_audience_has_its_own_cached_answers(client, backend, library, login, staff):
    reader = login(staff["editor"])
    marker = "zqxwvstaffcache"
    private = publish_article(library, f"{marker} ภายใน", marker)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    refresh(backend)
    assert api(client, q=marker)["total"] == 0  # cached for anonymous readers
    assert titles(api(reader, q=marker)) == [private.title]  # not the anonymous answer
    with CaptureQueriesContext(connection) as captured:
        assert titles(api(reader, q=marker)) == [private.title]
    assert not [q for q in captured if "indexentry" in q["sql"] and 'MAX("wagtailsearch_indexentry"' not in q["sql"]]
    assert api(client, q=marker)["total"] == 0  # never the staff answer
    private.unpublish()
    refresh(backend)
    assert api(reader, q=marker)["total"] == 0  # the version moved on
