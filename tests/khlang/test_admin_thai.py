"""The admin speaks Thai to our roles: locale/th fills Wagtail 8.0.1's Thai gaps.

Each role opens the screens it works on; the visible text (and the labels read out
by screen readers) must not contain any of the English UI strings below, which
Wagtail's own Thai catalogue leaves untranslated.
"""

import html
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Page

from knowledge.models import Department, KnowledgeArticle, KnowledgeIndexPage
from review.roles import ADMINISTRATORS
from tests.review.helpers import act, submit_new_article

pytestmark = pytest.mark.django_db

# Wagtail's English that our roles used to meet (whole text of an element, or a phrase in it).
KNOWN_ENGLISH = [
    "Dashboard", "Pages", "Date updated", "Owner", "Edited by", "Page type", "Current page status",
    "Set schedule", "Privacy and access", "Autosave is paused", "Sort menu order", "Skip to main content",
    "Awaiting my review", "Your pages and snippets in a workflow", "Your locked pages", "Task started",
    "Requested by", "Toggle side panel", "Toggle preview", "Toggle comments", "Toggle checks", "Checks",
    "Content metrics", "Reading time", "Readability", "Words", "Issues found", "Preview in new tab",
    "Preview in mobile size", "Comments", "Add comment", "Sort by", "Filter by", "Show filters",
    "Bulk actions", "Select all", "Select row", "Delete selected pages", "Move selected pages",
    "Publish selected pages", "Unpublish selected pages", "More options for", "Has child pages", "Locale",
    "Site history", "Aging pages", "Locked pages", "Workflows", "Workflow tasks", "Action type", "Date / Time",
    "Usage count", "Used by", "Grid layout", "List layout", "Newest", "Oldest", "Title: (A -> Z)",
    "Add to collection", "Delete selected documents", "Delete selected images", "Delete selected snippets",
    "Maximum filesize", "Profile", "Notifications", "Theme preferences", "Keyboard shortcuts",
    "Last login", "Access level", "Assign role", "Set active state", "In progress", "Approved", "Needs changes",
    "Rejected", "Cancelled", "Completed at", "Started at", "Step 1", "Step 2", "By workflow", "By task",
    "Once live anyone can view", "Visible to all", "Not visible to the public", "View history", "Back",
    "Breadcrumb", "Pagination", "Actions", "More actions", "Compare", "Timeline", "Workflow history",
    "Live", "Draft", "Unpublish", "Publish", "Snippets", "Reports", "Help", "ago", "minutes", "months",
    "Just now", "started. Next step", "Approved at", "Changes requested", "Save schedule",
]


class VisibleText(HTMLParser):
    """Text a person sees or hears: element text, aria-label, title and placeholder attributes."""

    HIDDEN = {"script", "style", "template", "noscript", "svg", "title"}
    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "col", "wbr", "area", "base", "embed", "track"}

    def __init__(self):
        super().__init__()
        self.open, self.texts = [], []

    def hidden(self):
        return bool(self.HIDDEN & set(self.open))

    def handle_starttag(self, tag, attrs):
        if not self.hidden():
            self.texts += [value for name, value in attrs if name in ("aria-label", "title", "placeholder") and value]
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        if not self.hidden():
            self.texts += [value for name, value in attrs if name in ("aria-label", "title", "placeholder") and value]

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data):
        if not self.hidden() and data.strip():
            self.texts.append(" ".join(data.split()))


def english_on(html):
    parser = VisibleText()
    parser.feed(html)
    found = set()
    for text in parser.texts:
        for english in KNOWN_ENGLISH:
            # a whole word or phrase, case as Wagtail writes it
            if re.search(rf"(?<![A-Za-z]){re.escape(english)}(?![A-Za-z])", text):
                found.add(f"{english!r} in {text[:80]!r}")
    return found


@pytest.fixture
def administrator(staff):
    """A member of the ผู้ดูแลระบบ group (not a superuser)."""
    user = get_user_model().objects.create_user("administrator", "administrator@example.org", "x" * 12)
    user.groups.add(Group.objects.get(name=ADMINISTRATORS))
    return user


@pytest.fixture
def in_review(login, staff, library):
    """An article submitted and approved at the department step: history and dashboards have workflow rows."""
    page = submit_new_article(
        login(staff["author.klang"]), library, "วิธีจัดเก็บใบเสร็จรับเงิน", Department.objects.get(code="klang")
    )
    act(login(staff["reviewer.klang"]), page, "approve", comment="ถูกต้อง")
    return page


@pytest.fixture
def waiting(login, staff, library):
    """An article that waits for the กองคลัง reviewer."""
    return submit_new_article(
        login(staff["author.klang"]), library, "วิธีตรวจนับพัสดุประจำปี", Department.objects.get(code="klang")
    )


def screens(role, page, waiting):
    library = KnowledgeIndexPage.objects.get()
    article = KnowledgeArticle.objects.live().order_by("pk").first()
    home = Page.objects.get(depth=2)
    common = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_pages:edit", args=[waiting.pk if role == "reviewer" else page.pk]),
        reverse("wagtailadmin_account"),
        reverse("staff_guide"),
    ]
    if role in ("author", "editor", "administrator"):  # reviewers work from their dashboard
        common += [
            reverse("wagtailadmin_explore", args=[home.pk]),
            reverse("wagtailadmin_explore", args=[library.pk]),
            reverse("wagtailadmin_pages:history", args=[page.pk]),
            reverse("wagtailadmin_pages:history", args=[article.pk]),
            reverse("wagtailadmin_reports:workflow"),
            reverse("wagtailadmin_reports:site_history"),
            reverse("wagtailadmin_pages:add", args=["knowledge", "knowledgearticle", library.pk]),
            reverse("wagtaildocs:index"),
            reverse("wagtailimages:index"),
        ]
    if role in ("editor", "administrator"):
        common += [
            reverse("wagtailadmin_pages:edit", args=[article.pk]),
            reverse("wagtailsnippets_knowledge_department:list"),
            reverse("wagtailsnippets_knowledge_person:list"),
            reverse("wagtailadmin_reports:locked_pages"),
            reverse("wagtailadmin_reports:aging_pages"),
        ]
    if role == "administrator":
        common += [
            reverse("wagtailusers_users:index"),
            reverse("wagtailusers_groups:index"),
            reverse("wagtailadmin_workflows:index"),
            reverse("wagtailadmin_workflows:task_index"),
        ]
    return common


EXTERNAL_RESOURCE = re.compile(r"<(?:img|script|link|iframe|source)\b[^>]*\b(?:src|href|srcset)=[\"'](?:https?:)?//[^\"']+", re.I)


@pytest.mark.parametrize("role", ["author", "reviewer", "editor", "administrator"])
def test_every_screen_of_a_role_is_in_thai(role, staff, administrator, login, in_review, waiting):
    user = {
        "author": staff["author.klang"], "reviewer": staff["reviewer.klang"], "editor": staff["editor"],
        "administrator": administrator,
    }[role]
    client = login(user)
    english = {}
    for url in screens(role, in_review, waiting):
        response = client.get(url)
        assert response.status_code == 200, (role, url, response.status_code)
        # nothing is fetched from another host (avatars came from gravatar.com)
        assert not EXTERNAL_RESOURCE.findall(response.content.decode()), (role, url)
        found = english_on(response.content.decode())
        if found:
            english[url] = sorted(found)
    assert not english, english


def test_the_scan_finds_english():
    assert english_on("<main><button aria-label='Toggle side panel'></button><p>Date updated</p></main>") == {
        "'Toggle side panel' in 'Toggle side panel'", "'Date updated' in 'Date updated'",
    }
    assert not english_on("<p>วันที่ปรับปรุง</p><script>var x = 'Date updated';</script>")


def test_history_messages_and_km_vocabulary_are_thai(in_review, staff, login):
    response = login(staff["editor"]).get(reverse("wagtailadmin_pages:history", args=[in_review.pk]))
    history = " ".join(html.unescape(response.content.decode()).split())
    assert "เริ่ม 'ประมวลและกลั่นกรองความรู้' ขั้นต่อไป" in history
    assert "ผ่านขั้นตอน 'ตรวจความถูกต้องโดยหัวหน้าส่วนราชการ'" in history
    with translation.override("th"):
        assert gettext("Publish") == "เผยแพร่"
        assert gettext("Draft") == "ฉบับร่าง"
        assert gettext("Page type") == "ชนิดของหน้า"
        assert "การจัดพิมพ์" not in gettext("Publish copies")


def test_admin_reports_address_leads_to_a_report(staff, login):
    response = login(staff["editor"]).get("/admin/reports/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_reports:site_history")
