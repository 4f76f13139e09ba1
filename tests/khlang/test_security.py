"""Security and caching on the public site: hostile input, stored XSS, logins, uploads, cache."""

import json
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from base.models import AgencySettings
from cop.models import CommunityPage, DialogueAction, DialogueSummaryPage
from knowledge.models import (
    BestPracticePage,
    BestPracticeResult,
    Department,
    KnowledgeArticle,
    KnowledgeCategory,
    Person,
)
from tests.review.helpers import article_form

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>"\'><svg onload=alert(2)>'


class MarkupAudit(HTMLParser):
    """What a browser would run: inline scripts, event-handler attributes, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value}>")
        if tag == "script" and not dict(attrs).get("src"):
            self.problems.append("inline <script>")
        if tag == "svg":
            self.problems.append("<svg>")


def assert_no_live_markup(html):
    """The payload may appear as text (escaped), never as markup the browser would run."""
    audit = MarkupAudit()
    audit.feed(html)
    assert audit.problems == []


def from_editor(text, link=None):
    """Rich text as the page editor stores it (Draftail content converted by Wagtail's whitelist)."""
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

    from base.blocks import RICH_TEXT_FEATURES

    entity_ranges = [{"offset": 0, "length": len(text), "key": 0}] if link else []
    entity_map = {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": link}}} if link else {}
    contentstate = {
        "blocks": [{"key": "a", "text": text, "type": "unstyled", "depth": 0, "inlineStyleRanges": [],
                    "entityRanges": entity_ranges}],
        "entityMap": entity_map,
    }
    return ContentstateConverter(RICH_TEXT_FEATURES).to_database_format(json.dumps(contentstate))


# hostile input -------------------------------------------------------------------------


HOSTILE_PARAMS = [
    {"q": "ภาษี" * 600},
    {"q": "a\x00b", "page": "\x00"},
    {"tag": "a\x00b", "category": "\x00", "department": "x\x00"},
    {"q": "' OR 1=1; --", "category": "' OR 1=1 --", "department": "%", "year": "2568 OR 1=1"},
    {"q": '{"query":{"match_all":{}}}', "tag": "*"},
    {"q": "title:* AND body:(x OR y)^5 ~2 /regex/"},
    {"page": "999999999999999999999999", "year": "-1", "type": "../../etc/passwd"},
    {"expertise": "\x00' OR 1=1 --", "department": "<script>", "q": "%_%"},
]


@pytest.mark.parametrize("params", HOSTILE_PARAMS)
def test_hostile_input_never_gives_a_server_error(client, library, params):
    from experts.models import ExpertDirectoryPage

    for url in ["/", library.url, ExpertDirectoryPage.objects.get().url, reverse("search"), reverse("api_search"), reverse("api_search_suggest"),
                reverse("feed_latest"), reverse("sitemap")]:
        response = client.get(url, params)
        assert response.status_code < 500, (url, params, response.status_code)


@pytest.mark.parametrize("path", [
    "/%ff%fe/", "/" + "ก" * 3000 + "/", "/คลังองค์ความรู้/%00/", "/search/?q=%ff%fe%00",
    "/api/search/?q=%e0%b8", "/language/xx/", "/language/en/?next=//evil.example",
])
def test_hostile_paths_never_give_a_server_error(client, path):
    assert client.get(path).status_code < 500


# stored XSS through every field the public site shows -----------------------------------------


def test_stored_xss_in_every_text_field_is_inert(client, library, home):
    department = Department.objects.create(name=f"กอง{XSS}", code="xss-dept")
    category = KnowledgeCategory.objects.create(name=f"หมวด{XSS}", slug="xss-cat")
    person = Person.objects.create(name=f"นาย{XSS}", position=f"ตำแหน่ง{XSS}", department=department, public_consent=True)
    person.expertise.add(f"เชี่ยวชาญ{XSS}")
    person.save()
    settings = AgencySettings.for_site(home.get_site())
    settings.name, settings.address, settings.phone = f"อบต.{XSS}", f"ที่อยู่{XSS}", f"043{XSS}"
    settings.save()
    article = KnowledgeArticle(
        title=f"บทความ{XSS}", summary=f"สรุป{XSS}", source=f"แหล่ง{XSS}", department=department, category=category,
        holder=person, seo_title=f"seo{XSS}", search_description=f"desc{XSS}",
        body=[
            ("heading", f"หัวข้อ{XSS}"),
            ("paragraph", from_editor(f"ย่อหน้า{XSS}", link="javascript:alert(1)")),
            ("steps", [f"ขั้นตอน{XSS}"]),
            ("callout", {"kind": "tip", "text": from_editor(f"เคล็ดลับ{XSS}")}),
            ("table", {"data": [["หัว", f"ช่อง{XSS}"], ["a", f"b{XSS}"]], "first_row_is_table_header": True,
                       "first_col_is_header": False, "table_caption": f"ตาราง{XSS}"}),
        ],
    )
    library.add_child(instance=article)
    article.tags.add(f"แท็ก{XSS}")
    article.save_revision().publish()
    practice = BestPracticePage.objects.live().first()
    practice.background = from_editor(XSS)
    short = "<script>alert(3)</script>"  # fits the 50-character unit field
    practice.results.add(BestPracticeResult(indicator=f"ตัวชี้วัด{XSS}", baseline=XSS, achieved=XSS, unit=short))
    practice.save_revision().publish()
    dialogue = DialogueSummaryPage.objects.live().first()
    dialogue.topic, dialogue.venue = f"ประเด็น{XSS}", f"สถานที่{XSS}"
    dialogue.knowledge_assets = [("asset", {"title": f"ขุม{XSS}", "description": f"รายละเอียด{XSS}"})]
    dialogue.actions.add(DialogueAction(description=f"งาน{XSS}", owner=person))
    dialogue.save_revision().publish()
    community = CommunityPage.objects.live().first()
    community.goal, community.cadence = f"หัวปลา{XSS}", f"ทุกเดือน{XSS}"
    community.save_revision().publish()

    from experts.models import ExpertDirectoryPage

    directory = ExpertDirectoryPage.objects.get().url
    for url in [article.url, practice.url, dialogue.url, community.url, home.url, library.url,
                f"{library.url}?department=xss-dept", reverse("feed_latest"), reverse("feed_latest_atom"),
                f"{directory}?department=xss-dept"]:
        html = client.get(url).content.decode()
        assert_no_live_markup(html)
    assert "นาย&lt;script&gt;" in client.get(f"{directory}?department=xss-dept").content.decode()  # shown, escaped
    data = client.get(reverse("api_search"), {"q": "บทความ"}).content.decode()
    assert "<script>alert" not in json.loads(data)["results"][0]["highlight"]
    assert_no_live_markup(client.get(reverse("search"), {"q": "บทความ"}).content.decode())


def test_rich_text_from_the_editor_is_sanitised(admin_client, library, client):
    malicious = json.dumps({
        "blocks": [{"key": "a", "text": "คลิกที่นี่", "type": "unstyled", "depth": 0, "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 0, "length": 9, "key": 0}]}],
        "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "javascript:alert(1)"}}},
    })
    url = reverse("wagtailadmin_pages:add", args=("knowledge", "knowledgearticle", library.pk))
    data = article_form(f"ทดสอบลิงก์{XSS}", None, **{"body-0-value": malicious, "action-publish": "publish"})
    response = admin_client.post(url, data)
    assert response.status_code == 302
    page = KnowledgeArticle.objects.get(title__startswith="ทดสอบลิงก์")
    assert_no_live_markup(client.get(page.url).content.decode())


# public pages carry no inline script or style -----------------------------------------


def test_public_pages_need_no_unsafe_inline(client, article):
    response = client.get(article.url)
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "script-src 'self'" in csp
    html = response.content.decode()
    assert "<script>" not in html and " style=" not in html and "<style" not in html
    assert "csrfmiddlewaretoken" not in html  # cacheable for everyone


# admin login lockout -------------------------------------------------------------------------


def test_admin_login_locks_out_after_repeated_failures(staff):
    client = Client()
    login = reverse("wagtailadmin_login")
    for _ in range(4):
        response = client.post(login, {"username": "editor", "password": "wrong-password"})
        assert response.status_code == 200
    assert client.post(login, {"username": "editor", "password": "wrong-password"}).status_code == 429
    response = client.post(login, {"username": "editor", "password": "khlang-demo-staff"})
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session
    other = Client().post(login, {"username": "author.klang", "password": "khlang-demo-staff"})
    assert other.status_code == 302  # only that account from that address is locked


def test_password_validators_reject_weak_passwords():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["12345678", "password", "khlang"]:
        with pytest.raises(ValidationError):
            validate_password(weak)


# uploads checked by content -----------------------------------------------------------------


@pytest.mark.parametrize("name, content", [
    ("report.pdf", b"<html><script>alert(1)</script></html>"),
    ("manual.docx", b"MZ\x90\x00 not a docx, an executable"),
    ("notes.txt", b"<!DOCTYPE html><script>alert(1)</script>"),
    ("data.csv", b"\x00\x01\x02binary"),
])
def test_document_upload_checks_content_not_name(admin_client, name, content):
    from wagtail.documents.models import Document

    response = admin_client.post(reverse("wagtaildocs:add"), {
        "title": "ไฟล์ทดสอบ", "file": SimpleUploadedFile(name, content), "collection": 1, "tags": "",
    })
    assert response.status_code == 200
    assert "เนื้อไฟล์ไม่ตรงกับนามสกุล" in response.content.decode()
    assert not Document.objects.filter(title="ไฟล์ทดสอบ").exists()


def test_genuine_document_is_accepted_and_downloads_safely(admin_client, client):
    from wagtail.documents.models import Document

    response = admin_client.post(reverse("wagtaildocs:add"), {
        "title": "ไฟล์จริง", "file": SimpleUploadedFile("real.txt", "ข้อความจริง".encode()), "collection": 1, "tags": "",
    })
    assert response.status_code == 302
    document = Document.objects.get(title="ไฟล์จริง")
    # attached to no page yet: only admin users get it (knowledge.attachments)
    assert client.get(document.url).status_code == 404
    download = admin_client.get(document.url)
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"


# caching for anonymous readers ----------------------------------------------------------------


def test_anonymous_pages_are_cached_and_change_at_once(client, library, home):
    first = client.get(home.url)
    assert first["X-Khlang-Cache"] == "miss"
    assert client.get(home.url)["X-Khlang-Cache"] == "hit"

    article = KnowledgeArticle(title="ความรู้ใหม่ล่าสุดสำหรับแคช", summary="ใหม่", body=[])
    library.add_child(instance=article)
    article.save_revision().publish()
    after_publish = client.get(home.url)
    assert after_publish["X-Khlang-Cache"] == "miss"
    assert article.title in after_publish.content.decode()

    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    assert article.title not in client.get(home.url).content.decode()
    PageViewRestriction.objects.filter(page=article).delete()
    assert article.title in client.get(home.url).content.decode()

    article.unpublish()
    assert article.title not in client.get(home.url).content.decode()
    assert client.get(article.url).status_code == 404


def test_saving_a_draft_keeps_the_cached_pages(client, article):
    """Editors at work change nothing readers see, so the caches stay; publishing empties them."""
    published_title = article.title
    assert client.get(article.url)["X-Khlang-Cache"] == "miss"
    article.title = "ชื่อในฉบับร่างเท่านั้น"
    article.save_revision()
    cached = client.get(article.url)
    assert cached["X-Khlang-Cache"] == "hit" and published_title in cached.content.decode()

    article.get_latest_revision().publish()
    fresh = client.get(article.url)
    assert fresh["X-Khlang-Cache"] == "miss" and "ชื่อในฉบับร่างเท่านั้น" in fresh.content.decode()


def test_signed_in_readers_see_every_change_at_once(admin_client, library):
    """Signed-in readers skip the page cache, but parts of pages are cached: none may show an old state."""
    holder = Person.objects.create(name="นางสาวผู้รู้ เดิม", position="นักวิชาการ", public_consent=True)
    related = KnowledgeArticle(title="ความรู้ที่เกี่ยวข้องกับชิ้นส่วนแคช", summary="เกี่ยวข้อง", body=[])
    library.add_child(instance=related)
    related.save_revision().publish()
    article = KnowledgeArticle(title="ความรู้ที่มีชิ้นส่วนแคช", summary="ฉบับแรก", body=[], holder=holder,
                               related=[("page", related)])
    library.add_child(instance=article)
    article.save_revision().publish()

    def shown():
        response = admin_client.get(article.url)
        assert response.status_code == 200 and "X-Khlang-Cache" not in response
        return response.content.decode()

    first = shown()
    assert "ฉบับแรก" in first and holder.name in first and related.title in first
    assert shown() == first  # the same answer from the cached fragments

    holder.name = "นางสาวผู้รู้ ใหม่"
    holder.save()
    assert "นางสาวผู้รู้ ใหม่" in shown()

    PageViewRestriction.objects.create(page=related, restriction_type=PageViewRestriction.LOGIN)
    assert related.title not in shown()

    article.summary = "ฉบับปรับปรุง"
    article.save_revision().publish()
    assert "ฉบับปรับปรุง" in shown()

    article.summary = "ฉบับร่างที่ยังไม่เผยแพร่"
    article.save_revision()
    assert "ฉบับร่าง" not in shown()
    library.title = "คลังที่เปลี่ยนชื่อ"
    library.save_revision().publish()
    assert "คลังที่เปลี่ยนชื่อ" in shown()  # in the breadcrumbs and the main menu


def test_the_content_version_is_read_before_the_page(admin_client, article):
    """Fragments are stored under the version read first, so they can only be newer than it, never older."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get(article.url).status_code == 200
    tables = [query["sql"] for query in queries.captured_queries]
    version = next(i for i, sql in enumerate(tables) if "base_publiccontentversion" in sql)
    page = next(i for i, sql in enumerate(tables) if 'FROM "wagtailcore_page"' in sql)
    assert version < page


def test_never_cached_paths_are_whole_path_segments():
    from khlang.middleware import AnonymousPageCacheMiddleware

    never = AnonymousPageCacheMiddleware.never_cached
    assert never("/search/") and never("/search") and never("/api/search/") and never("/admin/pages/")
    assert not never("/searching-for-knowledge/") and not never("/apiary/") and not never("/")


def test_logged_in_users_and_language_choices_are_not_mixed(admin_client, client, home):
    client.get(home.url)
    assert "X-Khlang-Cache" not in admin_client.get(home.url)
    english = Client()
    english.cookies["django_language"] = "en"
    assert 'lang="en"' in english.get(home.url).content.decode()
    assert 'lang="th"' in client.get(home.url).content.decode()


def test_etag_allows_conditional_requests(client, article):
    response = client.get(article.url)
    etag = response["ETag"]
    assert client.get(article.url, HTTP_IF_NONE_MATCH=etag).status_code == 304
