"""Public search stays clean: what visitors and staff type reaches the public popular
searches only when it finds public content or a KM editor approved it; editors hide
terms; the editors' reports keep everything."""

import pytest
from django.urls import reverse
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import PageViewRestriction

from knowledge.models import KnowledgeArticle
from search.models import SearchTermDecision, UnansweredQuery
from search.popular import popular_terms
from tests.search.helpers import publish_article, refresh

pytestmark = pytest.mark.django_db

SPAM = "แทงบอลออนไลน์ ufa888 สมัครฟรี"
NOTHING = "zzqxv wqqplk"  # a search that finds nothing shows the popular list


def popular_on_page(client):
    """The terms the no-result search page shows as popular searches."""
    page = client.get(reverse("search"), {"q": NOTHING}).content.decode()
    assert "ไม่พบผลลัพธ์" in page
    if "คำค้นยอดนิยม" not in page:
        return ""
    return page.split("คำค้นยอดนิยม", 1)[1].split("</ul>", 1)[0]


def search_times(client, query, times):
    for _ in range(times):
        assert client.get(reverse("search"), {"q": query}).status_code == 200


def test_spam_typed_ten_times_stays_out_but_real_searches_show(client, backend):
    search_times(client, "ภาษี", 3)
    search_times(client, SPAM, 10)
    assert Query.get(SPAM).hits == 10  # the statistics keep it
    shown = popular_on_page(client)
    assert ">ภาษี</a>" in shown
    assert "แทงบอล" not in shown and "ufa888" not in shown
    assert "ภาษี" in popular_terms() and SPAM not in popular_terms()
    # nor do suggestions offer it: they are titles of pages the reader may see
    suggestions = client.get(reverse("api_search_suggest"), {"q": "แทงบอล"}).json()["suggestions"]
    assert not any("แทงบอล" in s["title"] for s in suggestions)


def test_what_staff_type_stays_out(client, login, staff, library, backend):
    draft = KnowledgeArticle(title="ร่างแผนปรับโครงสร้างกองลับเฉพาะ", summary="ร่าง")
    library.add_child(instance=draft)
    draft.save_revision()
    draft.unpublish()
    private = publish_article(library, "บันทึกภายในเรื่องเงินเดือนพิเศษ", "เงินเดือนพิเศษภายในหน่วยงาน")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    refresh(backend)
    editor = login(staff["editor"])
    search_times(editor, draft.title, 10)
    search_times(editor, private.title, 10)  # staff find it; anonymous readers would not
    shown = popular_on_page(client)
    assert "ร่างแผน" not in shown and "เงินเดือนพิเศษ" not in shown
    assert draft.title not in popular_terms() and private.title not in popular_terms()


def test_editors_hide_and_approve_terms(client, backend):
    search_times(client, "ภาษี", 3)
    search_times(client, NOTHING, 2)
    assert ">ภาษี</a>" in popular_on_page(client)
    SearchTermDecision.objects.create(term="ภาษี", decision=SearchTermDecision.HIDDEN)
    assert ">ภาษี</a>" not in popular_on_page(client)
    assert "ภาษี" not in popular_terms()
    # an approved term shows though it finds nothing
    SearchTermDecision.objects.create(term=NOTHING.upper(), decision=SearchTermDecision.SHOWN)
    assert NOTHING in popular_on_page(client)
    assert NOTHING in popular_terms()


def test_editors_reports_keep_everything(client, staff, login):
    search_times(client, SPAM, 10)
    search_times(client, "ufa888", 10)  # finds nothing at all, not even some of its words
    assert UnansweredQuery.objects.filter(query_string="ufa888").exists()
    editor = login(staff["editor"])
    report = editor.get(reverse("search_unanswered_report"))
    assert report.status_code == 200 and "ufa888" in report.content.decode()
    SearchTermDecision.objects.create(term=SPAM, decision=SearchTermDecision.HIDDEN)
    popular = editor.get(reverse("search_popular_report")).content.decode()
    assert SPAM in popular and "ซ่อน" in popular  # hidden from the public, kept for editors
    assert login(staff["author.klang"]).get(reverse("search_popular_report")).status_code in (302, 403)


def test_km_editors_decide_in_the_admin(login, staff):
    editor = login(staff["editor"])
    add_url = reverse("wagtailsnippets_search_searchtermdecision:add")
    response = editor.post(add_url, {"term": "  บาคาร่า  ออนไลน์ ", "decision": SearchTermDecision.HIDDEN})
    assert response.status_code == 302
    decision = SearchTermDecision.objects.get()
    assert decision.term == "บาคาร่า ออนไลน์" and decision.decided_by == staff["editor"]
    assert decision.decided_at is not None
    index = editor.get(reverse("wagtailsnippets_search_searchtermdecision:list"))
    assert index.status_code == 200 and "บาคาร่า ออนไลน์" in index.content.decode()
    # the same term again, typed differently, is refused
    again = editor.post(add_url, {"term": "บาคาร่า ออนไลน์", "decision": SearchTermDecision.SHOWN})
    assert again.status_code == 200 and SearchTermDecision.objects.count() == 1
    # authors do not decide
    assert login(staff["author.klang"]).get(add_url).status_code in (302, 403)
