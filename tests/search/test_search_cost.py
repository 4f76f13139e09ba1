"""What a search costs once it has been answered (issues 15 and 16, "fast under load").

A repeated search is served from the answer kept per query, audience and content version
(search.service.found) and the search page's results and facets from a fragment kept with
it: no query planning, ranking, page loading or snippets. Ranked ids are checked against
the reader's visible pages kept per content version (search.visible). None of it may show
one audience what another may see, or outlive a publish or a synonym edit.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from search import service
from search.models import SearchSynonym
from search.visible import visible_ids
from tests.search.helpers import CLOSED_PORT_URL, api, engine_settings, publish_article, refresh, titles

pytestmark = pytest.mark.django_db


def search_page(client, **params):
    response = client.get(reverse("search"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_repeated_search_page_neither_plans_ranks_nor_loads_its_pages(client, backend):
    first = search_page(client, q="ภาษี")
    with CaptureQueriesContext(connection) as captured:
        again = search_page(client, q="ภาษี")
    assert again == first
    statements = " ".join(q["sql"] for q in captured)
    assert "indexentry" not in statements  # no spelling vocabulary check, no ranking
    assert "search_searchsynonym" not in statements  # no query planning
    assert "knowledge_knowledgearticle" not in statements  # no pages loaded for the results or facets


def test_the_cached_results_follow_publishing(client, backend, library):
    marker = "zqxwvfragment"
    first = publish_article(library, f"{marker} หนึ่ง", marker)
    refresh(backend)
    assert first.title in search_page(client, q=marker)
    second = publish_article(library, f"{marker} สอง", marker)
    refresh(backend)
    page = search_page(client, q=marker)
    assert first.title in page and second.title in page
    second.unpublish()
    refresh(backend)
    assert second.title not in search_page(client, q=marker)


def test_after_a_publish_only_the_republished_hit_is_read_again(client, login, staff, backend, library, article):
    """Each hit's fragment is kept per structure version, query and its page as last published
    (search.service.KeptHit): a publish makes the search rank again, but hits it did not touch are
    shown without loading their pages or making their snippets; a republished one shows its new
    title; a hit marked "staff only" for staff is never shown so to anonymous readers."""
    marker = "zqxwvhitfragment"
    kept = publish_article(library, f"{marker} หนึ่ง", marker)
    changed = publish_article(library, f"{marker} สอง", marker)
    private = publish_article(library, f"{marker} ภายใน", marker)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    refresh(backend)
    reader = login(staff["author.klang"])
    for who in (reader, client):
        search_page(who, q=marker)
    article.save_revision().publish()  # not a hit: a new content version, so the answer is ranked again
    refresh(backend)
    for who in (reader, client):
        with CaptureQueriesContext(connection) as captured:
            page = search_page(who, q=marker)
        assert kept.title in page and changed.title in page
        assert not [q["sql"][:300] for q in captured if '."summary"' in q["sql"]]  # no hit's page was loaded
        assert (private.title in page) == ("เฉพาะเจ้าหน้าที่" in page) == (who is reader)
    changed.title = f"{marker} ชื่อใหม่"
    changed.save_revision().publish()
    refresh(backend)
    for who in (client, reader):
        assert f"{marker} ชื่อใหม่" in search_page(who, q=marker)


def test_staff_results_are_never_shown_to_anonymous_readers(client, login, staff, backend, library):
    marker = "zqxwvstafffragment"
    private = publish_article(library, f"{marker} ภายใน", marker)
    public = publish_article(library, f"{marker} สาธารณะ", marker)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    refresh(backend)
    reader = login(staff["author.klang"])
    for _ in range(2):  # the second time from the caches
        staff_page = search_page(reader, q=marker)
        anonymous_page = search_page(client, q=marker)
        assert private.title in staff_page and "เฉพาะเจ้าหน้าที่" in staff_page
        assert public.title in anonymous_page
        assert private.title not in anonymous_page and "เฉพาะเจ้าหน้าที่" not in anonymous_page


def test_a_synonym_edit_reaches_a_cached_answer(client, backend, library):
    article = publish_article(library, "คู่มือ zqxwvlong", "zqxwvlong")
    refresh(backend)
    assert api(client, q="zqxwvshort")["total"] == 0  # cached as nothing found
    SearchSynonym.objects.create(terms="zqxwvshort\nzqxwvlong")
    assert titles(api(client, q="zqxwvshort")) == [article.title]


def test_visible_ids_are_the_readers_pages_and_follow_the_content_version(library, staff):
    article = publish_article(library, "บทความ zqxwvvisible", "zqxwvvisible")
    anonymous = service.visible_pages()
    signed_in = service.visible_pages(staff["author.klang"])
    assert visible_ids(anonymous) == set(anonymous.values_list("pk", flat=True))
    assert article.pk in visible_ids(anonymous)
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    assert article.pk not in visible_ids(service.visible_pages())
    assert article.pk in visible_ids(signed_in)
    anonymous = service.visible_pages()  # Wagtail's public() reads the restrictions here
    with CaptureQueriesContext(connection) as captured:
        visible_ids(anonymous)
    assert len(captured) == 1  # the content version only, not the pages


def test_a_search_reads_the_content_version_and_the_index_state_once(client, backend):
    with CaptureQueriesContext(connection) as captured:
        search_page(client, q="ภาษีที่ดิน เบี้ยยังชีพ")  # not cached: planned, ranked, faceted
    statements = [q["sql"] for q in captured]
    assert sum("base_publiccontentversion" in sql for sql in statements) == 1
    assert sum('MAX("wagtailsearch_indexentry"."id")' in sql for sql in statements) <= 1


def test_a_publish_within_a_request_is_seen_by_the_rest_of_it():
    from base import request_memo
    from base.models import PublicContentVersion

    request_memo._start()  # what request_started does
    try:
        before = PublicContentVersion.current()
        with CaptureQueriesContext(connection) as captured:
            assert PublicContentVersion.current() == before
        assert len(captured) == 0  # remembered for the rest of the request
        PublicContentVersion.bump()
        assert PublicContentVersion.current() == before + 1
    finally:
        request_memo._finish()


def test_the_opensearch_client_keeps_a_connection_per_thread(settings):
    from wagtail.search.backends import get_search_backend

    # Making the client opens no connection, so no engine need run.
    settings.WAGTAILSEARCH_BACKENDS = engine_settings(CLOSED_PORT_URL, "test_pool_")
    settings.WAGTAILSEARCH_BACKENDS["default"]["ENGINE"] = "opensearch2"
    pool = get_search_backend("default").es.transport.connection_pool.connections[0].pool
    assert pool.pool.maxsize >= 4  # gunicorn's threads per process search at once


def test_which_pages_hold_each_unit_of_the_second_tier(backend, library):
    from modelsearch.query import Phrase, PlainText
    from wagtail.search.backends import get_search_backend

    from thai.words import segment

    kite = publish_article(library, "ว่าวจุฬาของหมู่บ้าน", "ลมแรงปลายหนาว")
    fish = publish_article(library, "ของฝากแม่กลอง", "ปลาทูนึ่งกับว่าวจุฬา")
    other = publish_article(library, "ตลาดน้ำ", "เรือพายขายผลไม้")
    refresh(backend)
    search = get_search_backend("default")
    units = [(PlainText("ว่าว"), False), (PlainText("ว่าว"), True), (Phrase(segment("ปลาทูนึ่ง")), False),
             (PlainText("ลม"), True)]
    held = search.holding_all(units, [kite.pk, fish.pk, other.pk], service.visible_pages())
    assert held == [{kite.pk, fish.pk}, {kite.pk}, {fish.pk}, set()]
    assert [search.holding(q, [kite.pk, fish.pk], service.visible_pages(), t) for q, t in units[:2]] == [
        {kite.pk, fish.pk}, {kite.pk}]


def test_the_any_word_tier_finds_every_page_and_postgresql_ranks_each_tier_in_one_statement(library):
    from search.query import plan_query

    pages = [publish_article(library, f"ว่าวจุฬา {n}", "ลมแรงปลายหนาว") for n in range(3)]
    pages.append(publish_article(library, "ของฝากแม่กลอง", "ปลาทูนึ่งกับว่าวจุฬา"))
    plan = plan_query("ว่าวจุฬา ปลาทู ลมหนาว")
    visible = service.visible_pages()
    service.ranked_ids(plan, visible)  # the visible ids are kept per content version
    with CaptureQueriesContext(connection) as captured:
        ids, with_every_word, _ = service.ranked_ids(plan, visible)
    assert with_every_word == 0 and {page.pk for page in pages} <= set(ids)
    if connection.vendor == "postgresql":  # SQLite answers each unit of coverage with its own statement
        assert len([q for q in captured if "indexentry" in q["sql"]]) == 3  # every word; any word; coverage


def test_snippets_read_a_pages_body_once_and_follow_its_publishing(client, backend, library, monkeypatch):
    article = publish_article(library, "ตลาดน้ำอัมพวา", "เรือพายขายผลไม้ยามเย็นริมคลอง")
    refresh(backend)
    read = []
    real_plain_text = service.plain_text
    monkeypatch.setattr(service, "plain_text", lambda page, **kw: read.append(page.pk) or real_plain_text(page, **kw))
    assert "<mark>เรือ</mark>" in api(client, q="เรือพาย")["results"][0]["highlight"]
    assert "<mark>ยาม</mark>" in api(client, q="ผลไม้ยามเย็น")["results"][0]["highlight"]
    assert read.count(article.pk) == 1  # another query, the same page: its text is kept

    article.body = [("paragraph", "<p>เรือพายขายขนมครกริมคลอง</p>")]
    article.save_revision().publish()
    refresh(backend)
    assert "ขนมครก" in api(client, q="เรือพาย")["results"][0]["highlight"]


def test_every_word_finds_the_pages_of_all_words_and_the_phrase_still_ranks_first(backend, library):
    from wagtail.search.backends import get_search_backend

    from search.query import plan_query

    apart = publish_article(library, "ป้ายจราจรในหมู่บ้าน", "เสียภาษีรถทุกปี")
    together = publish_article(library, "ภาษีป้ายของร้านค้า", "ยื่นแบบภาษีป้ายภายในมีนาคม")
    publish_article(library, "ภาษีที่ดิน", "ที่ดินรกร้าง")
    refresh(backend)
    plan, search = plan_query("ภาษีป้าย"), get_search_backend("default")
    visible = service.visible_pages()
    found = search.ranked_ids(plan.all_words(), visible, match=plan.every_word())
    assert found == search.ranked_ids(plan.all_words(), visible)
    assert set(found) >= {apart.pk, together.pk} and found.index(together.pk) < found.index(apart.pk)
