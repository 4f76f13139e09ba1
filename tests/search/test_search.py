"""Thai search on the database backend and on the real search engine.

The engine tests use the Elasticsearch the test script starts (its URL in
KHLANG_TEST_SEARCH_URL); under CI=true they fail rather than skip without it.
"""

import os
import time
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from knowledge.models import Department, KnowledgeArticle
from search import query
from search.highlight import highlight
from tests.search.helpers import (
    CLOSED_PORT_URL,
    ENGINE_URL,
    all_titles,
    api,
    engine_settings,
    publish_article,
    refresh,
    require_engine,
    titles,
)
from thai import words

pytestmark = pytest.mark.django_db

# Thai text handling --------------------------------------------------------------------


def test_segmentation_splits_thai_and_folds_digits():
    assert words.segment("การจัดการความรู้ในองค์กร ๒๕๖๘") == "การ จัดการ ความ รู้ ใน องค์กร 2568"
    assert words.tokens("ข้าวและข่าว") == ["ข้าว", "และ", "ข่าว"]


def test_query_requires_meaningful_words_and_ranks_phrases():
    plan = query.plan_query("ขอเบี้ยยังชีพผู้สูงอายุอย่างไร")
    required = [alternatives[0] for alternatives in plan.concepts]
    # ผู้สูงอายุ kept whole (a starter synonym group); ขอ, อย่างไร dropped
    assert required == [("เบี้ย",), ("ยังชีพ",), ("ผู้", "สูง", "อายุ")]
    assert plan.phrases[0][:3] == ("ขอ", "เบี้ย", "ยังชีพ")
    assert query.content_words("คุณกิจ") == ["คุณ", "กิจ"]
    assert words.tokens("LTAX3000") == words.tokens("ฐาน LTAX3000")[-2:]


def test_pages_with_every_spaced_part_come_first(client):
    data = api(client, q="เด็กเล็ก ร้องไห้")
    assert data["total"] >= 1
    has_every_part = []
    for result in data["results"]:
        page = KnowledgeArticle.objects.filter(title=result["title"]).first() or None
        if page:
            has_every_part.append("ร้องไห้" in " ".join([page.title, page.summary, *[str(b.value) for b in page.body]]))
    assert has_every_part[0] and has_every_part == sorted(has_every_part, reverse=True)


def test_hostile_query_is_cleaned():
    assert query.clean_query("a\x00b" + "ก" * 500) == "a b" + "ก" * 197
    assert query.query_groups('title:(x) OR *"; DROP') == [["title"], ["x"], ["or"], ["drop"]]
    assert query.query_groups("!!! ??? ...") == []


def test_highlight_marks_words_inside_thai_text():
    snippet = highlight("ระบบจัดเก็บภาษีที่ดินปี ๒๕๖๘ <script>", "ภาษีที่ดิน 2568")
    assert "<mark>ภาษี</mark><mark>ที่ดิน</mark>" in snippet
    assert "<mark>๒๕๖๘</mark>" in snippet
    assert "&lt;script&gt;" in snippet


# searching, on both backends ------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("เบี้ยยังชีพ", "การลงทะเบียนขอรับเบี้ยยังชีพผู้สูงอายุรายใหม่"),
        ("ภาษีที่ดิน", "ขั้นตอนการรับชำระภาษีที่ดินและสิ่งปลูกสร้างด้วยโปรแกรม LTAX3000"),
        ("ไข้เลือดออก", "มาตรการควบคุมโรคไข้เลือดออกด้วยหลัก ๓ เก็บ ป้องกัน ๓ โรค"),
        ("สำรองข้อมูล", "การสำรองข้อมูลแบบ 3-2-1 สำหรับเครื่องคอมพิวเตอร์ของ อบต."),
        ("e-GP", "การจัดซื้อจัดจ้างวิธีเฉพาะเจาะจงผ่านระบบ e-GP"),
    ],
)
def test_thai_words_find_demo_knowledge(client, backend, query, expected):
    assert expected in titles(api(client, q=query))[:3]


def test_word_inside_running_text_is_found(client, backend, library):
    marker = uuid.uuid4().hex[:6]
    article = publish_article(
        library, f"บันทึกงานประปา {marker}",
        "เจ้าหน้าที่ตรวจสอบการบำรุงรักษาเครื่องสูบน้ำบาดาลประจำหมู่บ้านทุกเดือนเพื่อป้องกันน้ำไม่ไหล",
    )
    refresh(backend)
    for word in ["บำรุงรักษา", "เครื่องสูบน้ำ", "บาดาล", "หมู่บ้าน"]:  # หมู่บ้าน is in many demo titles too
        assert article.title in all_titles(client, q=word, type="article"), word


def test_thai_and_arabic_digits_are_equal(client, backend, library):
    article = publish_article(library, "รายงานผลปีงบประมาณ ๒๕๖๗ ทดสอบเลขไทย", "ผลการดำเนินงานปี ๒๕๖๗ เทียบกับปี 2566")
    refresh(backend)
    thai_digits = titles(api(client, q="๒๕๖๗"))
    arabic = titles(api(client, q="2567"))
    assert article.title in thai_digits
    assert sorted(thai_digits) == sorted(arabic)
    assert article.title in titles(api(client, q="2566"))


def test_autocomplete_matches_thai_prefix(client, backend):
    response = client.get(reverse("api_search_suggest"), {"q": "เบี้ยยั"})
    assert response.status_code == 200
    suggestions = [s["title"] for s in response.json()["suggestions"]]
    assert "การลงทะเบียนขอรับเบี้ยยังชีพผู้สูงอายุรายใหม่" in suggestions


@pytest.mark.parametrize("typed, expected_word", [
    ("เยี่ยมบ้านผู้สูงอายุติดเ", "ติดเตียง"),  # several whole words, then a prefix
    ("แจ้งซ่อม LINE O", "LINE OA"),  # Thai and English
    ("peer ass", "Peer Assist"),  # lowercase
])
def test_autocomplete_completes_the_last_word_of_several(client, backend, typed, expected_word):
    suggestions = client.get(reverse("api_search_suggest"), {"q": typed}).json()["suggestions"]
    assert suggestions and all(expected_word in s["title"] for s in suggestions), suggestions
    assert len(suggestions) <= 8


def test_facet_counts_follow_an_edit_at_once(client, backend):
    def department_counts():
        return {o["value"]: o["count"] for o in api(client, q="ภาษี", type="article")["facets"]["department"]}

    before = department_counts()
    article = KnowledgeArticle.objects.live().get(title__contains="LTAX3000")
    other = Department.objects.exclude(pk=article.department_id).exclude(code__in=before).first()
    article.department = other
    article.save_revision().publish()
    after = department_counts()
    assert after.get(other.code) == 1
    assert sum(after.values()) == sum(before.values())


def test_api_shape_and_facets_that_combine(client, backend):
    data = api(client, q="ภาษี")
    assert set(data) >= {"query", "total", "page", "results", "facets"}
    assert data["total"] >= 4 and data["page"] == 1
    result = data["results"][0]
    assert set(result) >= {"title", "url", "type", "summary", "highlight", "department", "published"}
    assert "<mark>" in "".join(r["highlight"] for r in data["results"])
    facets = data["facets"]
    assert set(facets) == {"type", "category", "department", "year", "tag"}
    article_count = next(o["count"] for o in facets["type"] if o["value"] == "article")

    articles = api(client, q="ภาษี", type="article")
    assert articles["total"] == article_count
    assert {r["type"] for r in articles["results"]} == {"article"}
    department = articles["facets"]["department"][0]
    both = api(client, q="ภาษี", type="article", department=department["value"])
    assert both["total"] == department["count"]
    assert all(r["department"] == department["label"] for r in both["results"])
    year = both["facets"]["year"][0]
    assert api(client, q="ภาษี", type="article", department=department["value"], year=year["value"])["total"] == year["count"]


def test_search_page_shows_highlights_badges_and_be_dates(client, backend):
    response = client.get(reverse("search"), {"q": "เบี้ยยังชีพ"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<mark>" in page
    assert 'class="badge"' in page and "องค์ความรู้" in page
    assert "25" in page and "พบ" in page
    assert 'href="?q=' in page  # facet links keep the query


def test_sort_by_date(client, backend):
    by_date = api(client, q="ความรู้", sort="date")
    dates = [r["published"] for r in by_date["results"]]
    assert by_date["total"] > 3
    assert dates == sorted(dates, reverse=True)
    assert titles(by_date) != titles(api(client, q="ความรู้"))


def test_pagination(client, backend):
    first, second = api(client, q="ความรู้"), api(client, q="ความรู้", page=2)
    assert first["total"] > 10
    assert second["page"] == 2
    assert not set(titles(first)) & set(titles(second))


def test_zero_results_page_helps(client, backend):
    from wagtail.contrib.search_promotions.models import Query

    Query.get("ภาษีที่ดิน").add_hit()
    response = client.get(reverse("search"), {"q": "xyzzyquux"})
    page = response.content.decode()
    assert "ไม่พบผลลัพธ์" in page
    assert "คำค้นยอดนิยม" in page and "ภาษีที่ดิน" in page


# what anonymous readers must never find -------------------------------------------------


@pytest.fixture
def hidden(library):
    marker = "ลับเฉพาะ" + uuid.uuid4().hex[:4]
    draft = KnowledgeArticle(title=f"ร่างเอกสาร{marker}", summary=marker, body=[("paragraph", f"<p>{marker}</p>")])
    library.add_child(instance=draft)
    draft.save_revision()
    draft.unpublish() if draft.live else None
    private = publish_article(library, f"ความรู้ภายใน{marker}", marker, summary=marker)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    return marker, [draft, private]


def test_drafts_and_private_pages_never_found(client, backend, hidden):
    marker, pages = hidden
    refresh(backend)
    found = [t for n in range(1, 4) for t in titles(api(client, q=marker, page=n))]
    found += titles(api(client, q=pages[1].title))
    page = client.get(reverse("search"), {"q": marker}).content.decode()
    suggestions = client.get(reverse("api_search_suggest"), {"q": marker[:6]}).json()["suggestions"]
    for hidden_page in pages:
        assert hidden_page.title not in found
        assert hidden_page.title not in page
        assert hidden_page.title not in [s["title"] for s in suggestions]


# bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"q": "ก" * 2000},
        {"q": "ภาษี\x00ที่ดิน"},
        {"q": "!!!???***"},
        {"q": 'title:(x) OR * AND "unclosed'},
        {"q": "{\"query\": {\"match_all\": {}}}"},
        {"q": "'; DROP TABLE wagtailcore_page; --"},
        {"q": "ภาษี", "page": "99999999999999999999"},
        {"q": "ภาษี", "page": "-1", "year": "abc", "type": "<script>"},
    ],
)
def test_hostile_input_never_breaks_search(client, backend, params):
    for url in [reverse("search"), reverse("api_search"), reverse("api_search_suggest")]:
        assert client.get(url, params).status_code in (200, 400)  # 400: a NUL character


def test_long_query_is_truncated_with_a_message(client):
    page = client.get(reverse("search"), {"q": "ภาษี " * 100}).content.decode()
    assert "200 ตัวอักษรแรก" in page


def test_invalid_utf8_query(client):
    assert client.get("/search/?q=%ff%fe%e0%b8").status_code == 200
    assert client.get("/api/search/?q=%ff%fe%e0%b8").status_code == 200


def test_searches_are_recorded_for_reports(client):
    from wagtail.contrib.search_promotions.models import Query

    from search.models import UnansweredQuery

    client.get(reverse("search"), {"q": "เบี้ยยังชีพ"})
    client.get(reverse("search"), {"q": "xyzzyquux"})
    assert Query.get("เบี้ยยังชีพ").hits == 1
    assert UnansweredQuery.objects.get(query_string="xyzzyquux").hits == 1
    assert not UnansweredQuery.objects.filter(query_string="เบี้ยยังชีพ").exists()


@pytest.fixture
def buffered_searches(settings):
    from search.service import searches

    settings.KHLANG_SEARCHES_BUFFER_SECONDS = 60
    yield searches
    searches.flush()


def test_buffered_searches_reach_the_reports_when_written_or_when_the_worker_leaves(client, buffered_searches):
    import runpy

    from django.conf import settings
    from wagtail.contrib.search_promotions.models import Query

    from search.models import UnansweredQuery

    for q in ("เบี้ยยังชีพ", "เบี้ยยังชีพ", "xyzzyquux", "xyzzyquux", "เบี้ยยังชีพ"):
        client.get(reverse("search"), {"q": q})
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("api_search"), {"q": "xyzzyquux"})
    assert not any(q["sql"].startswith(("INSERT", "UPDATE")) for q in captured)  # nothing written by the search
    assert not Query.objects.filter(query_string="เบี้ยยังชีพ").exists() and buffered_searches.timer is not None
    buffered_searches.flush()  # the timer's or the next search's write after the interval
    assert Query.get("เบี้ยยังชีพ").hits == 3 and Query.get("xyzzyquux").hits == 3
    assert UnansweredQuery.objects.get(query_string="xyzzyquux").hits == 3
    assert not UnansweredQuery.objects.filter(query_string="เบี้ยยังชีพ").exists()

    client.get(reverse("search"), {"q": "xyzzyquux"})
    worker_exit = runpy.run_path(str(settings.BASE_DIR / "deploy" / "gunicorn.conf.py"))["worker_exit"]
    worker_exit(None, None)  # gunicorn: a worker restarting or shutting down
    assert UnansweredQuery.objects.get(query_string="xyzzyquux").hits == 4


def test_buffered_searches_survive_a_failed_write(client, buffered_searches, monkeypatch):
    from django.db import DatabaseError

    from search import service
    from search.models import UnansweredQuery

    client.get(reverse("search"), {"q": "xyzzyquux"})
    real = service.write_searches

    def broken(counts):
        raise DatabaseError("the database is restarting")

    monkeypatch.setattr(service, "write_searches", broken)
    buffered_searches.flush()
    monkeypatch.setattr(service, "write_searches", real)
    buffered_searches.flush()
    assert UnansweredQuery.objects.get(query_string="xyzzyquux").hits == 1


def test_editors_can_promote_a_result(client, article):
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    SearchPromotion.objects.create(query=Query.get("ยานอวกาศ"), page=article, sort_order=0)
    page = client.get(reverse("search"), {"q": "ยานอวกาศ"}).content.decode()
    assert "แนะนำโดยคณะทำงาน KM" in page and article.title in page

    # the editor typed Thai digits, the reader Arabic ones (and the other way round)
    SearchPromotion.objects.create(query=Query.get("ยานอวกาศ ๒๕๖๘"), page=article, sort_order=0)
    SearchPromotion.objects.create(query=Query.get("Space 2569"), page=article, sort_order=0)
    for typed in ("ยานอวกาศ 2568", "space ๒๕๖๙"):
        page = client.get(reverse("search"), {"q": typed}).content.decode()
        assert "แนะนำโดยคณะทำงาน KM" in page and article.title in page, typed


def test_admin_reports_popular_and_unanswered(admin_client, client):
    client.get(reverse("search"), {"q": "xyzzyquux"})
    report = admin_client.get(reverse("search_unanswered_report"))
    assert report.status_code == 200
    assert "xyzzyquux" in report.content.decode()
    assert admin_client.get(reverse("wagtailsearchpromotions:search_terms")).status_code == 200


# when the engine fails -------------------------------------------------------------------


def test_engine_down_falls_back_to_database_quickly(client, settings):
    settings.WAGTAILSEARCH_BACKENDS = engine_settings(CLOSED_PORT_URL, "down_", timeout=2)
    started = time.monotonic()
    page = client.get(reverse("search"), {"q": "เบี้ยยังชีพ"})
    data = api(client, q="เบี้ยยังชีพ")
    suggestions = client.get(reverse("api_search_suggest"), {"q": "เบี้ยยั"}).json()
    assert time.monotonic() - started < 6
    assert page.status_code == 200
    assert "การค้นหาสำรอง" in page.content.decode()
    assert data["fallback"] is True and data["total"] >= 1
    assert suggestions["fallback"] is True and suggestions["suggestions"]


def test_publishing_does_not_wait_on_a_dead_engine(settings, library):
    from search.models import PendingIndexUpdate

    settings.WAGTAILSEARCH_BACKENDS = engine_settings(CLOSED_PORT_URL, "down_", timeout=2)
    started = time.monotonic()
    article = publish_article(library, "เผยแพร่ขณะระบบค้นหาล่ม", "ทดสอบ")
    assert time.monotonic() - started < 2.5
    assert PendingIndexUpdate.objects.filter(object_id=str(article.pk)).exists()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_engine_restart_recovery_finds_every_page_published_while_down(client, settings):
    """Stop the real engine, publish 20 pages, start it again, reconcile: all 20 are found."""
    require_engine()
    import subprocess

    from knowledge.models import KnowledgeIndexPage
    from search.models import PendingIndexUpdate

    call_command("load_demo", verbosity=0)
    settings.WAGTAILSEARCH_BACKENDS = engine_settings(ENGINE_URL, f"restart_{uuid.uuid4().hex[:6]}_")
    call_command("update_index", verbosity=0)
    engine_dir = os.path.join(os.path.dirname(__file__), "..", "..", "search", "engine")
    env = {**os.environ, "KHLANG_ENGINE_PORT": ENGINE_URL.rsplit(":", 1)[1].rstrip("/")}
    subprocess.run([os.path.join(engine_dir, "stop.sh")], env=env, check=True, capture_output=True)
    try:
        library = KnowledgeIndexPage.objects.get()
        marker = "zqxwvrestore"  # a word no other page has: pages with only some words follow the rest
        slowest = 0.0
        for n in range(20):
            started = time.monotonic()
            publish_article(library, f"{marker} หน้าที่ {n + 1}", f"เนื้อหา{marker}ลำดับ {n + 1}", summary=marker)
            slowest = max(slowest, time.monotonic() - started)
        assert slowest < 2.5
        assert PendingIndexUpdate.objects.count() >= 20
    finally:
        subprocess.run([os.path.join(engine_dir, "start.sh")], env=env, check=True, capture_output=True)

    call_command("search_reconcile", "--full", verbosity=0)
    assert PendingIndexUpdate.objects.count() == 0
    from wagtail.search.backends import get_search_backend

    engine = get_search_backend("default")
    engine.refresh_indexes()
    data = api(client, q=marker)
    assert data["fallback"] is False
    assert data["total"] == 20
    engine.es.indices.delete(index=f"{engine.index_prefix}*")


def test_admin_page_search_finds_thai_words(admin_client, backend):
    """Wagtail's admin searches pages with a parsed query (PlainText), not the typed string."""
    article = KnowledgeArticle.objects.live().filter(title__contains="LTAX3000").get()
    response = admin_client.get(reverse("wagtailadmin_pages:search"), {"q": "LTAX3000 ภาษี"})
    assert response.status_code == 200
    assert article.title in response.content.decode()
