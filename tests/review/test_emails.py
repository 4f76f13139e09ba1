"""Workflow e-mails: every decision with a comment reaches the author, links use the site's address."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Site

from base.addresses import current_base_url
from knowledge.models import Department, KnowledgeArticle
from review.notifications import send_review_reminders
from tests.review.helpers import CHECKLIST, act, submit_new_article

pytestmark = pytest.mark.django_db

TITLE = "วิธีตรวจรับพัสดุให้ครบถ้วน"


@pytest.fixture
def submitted(login, staff, library):
    page = submit_new_article(login(staff["author.klang"]), library, TITLE, Department.objects.get(code="klang"))
    mail.outbox.clear()
    return page


def to_author():
    return [message for message in mail.outbox if "author.klang@example.org" in message.to]


def links(message):
    return re.findall(r"https?://[^\s\"<]+", message.body)


def test_department_approval_with_a_comment_reaches_the_author(submitted, staff, login):
    comment = "ถูกต้องตามระเบียบ แต่ควรเพิ่มตัวอย่างใบตรวจรับ"
    act(login(staff["reviewer.klang"]), submitted, "approve", comment=comment)
    (message,) = to_author()
    assert comment in message.body
    assert TITLE in message.subject
    assert f"http://testserver/admin/pages/{submitted.pk}/edit/" in message.body


def test_approval_without_a_comment_tells_the_author_nothing_until_the_end(submitted, staff, login):
    act(login(staff["reviewer.klang"]), submitted, "approve")
    assert to_author() == []


def test_the_last_approval_sends_one_mail_with_every_comment(submitted, staff, login):
    act(login(staff["reviewer.klang"]), submitted, "approve", comment="ตัวเลขถูกต้อง")
    mail.outbox.clear()
    act(login(staff["editor"]), submitted, "approve", comment="ปรับหัวข้อให้ตรงแบบฟอร์มแล้ว", **CHECKLIST)
    assert KnowledgeArticle.objects.get(pk=submitted.pk).live
    (message,) = to_author()  # one "approved" mail, not one per comment
    assert "ตัวเลขถูกต้อง" in message.body and "ปรับหัวข้อให้ตรงแบบฟอร์มแล้ว" in message.body
    assert "ผ่านการตรวจแล้ว" in message.subject


def test_links_use_khlang_base_url_when_set(submitted, staff, login, settings):
    settings.KHLANG_BASE_URL = "https://km.example.go.th"
    act(login(staff["reviewer.klang"]), submitted, "reject", comment="เพิ่มขั้นตอนที่ ๓")
    (message,) = to_author()
    assert links(message) and all(link.startswith("https://km.example.go.th/admin/") for link in links(message))


def test_links_use_the_address_the_request_came_in_on(staff, library, settings):
    from django.test import Client

    settings.KHLANG_BASE_URL = ""
    settings.ALLOWED_HOSTS = ["km.agency.test"]
    client = Client(HTTP_HOST="km.agency.test")
    client.force_login(staff["author.klang"])
    submit_new_article(client, library, TITLE, Department.objects.get(code="klang"))
    (message,) = [m for m in mail.outbox if "reviewer.klang@example.org" in m.to]
    assert links(message) and all(link.startswith("http://km.agency.test/admin/") for link in links(message))


def test_mail_outside_a_request_uses_the_site_address(article, settings):
    settings.KHLANG_BASE_URL = ""
    call_command("setup_site", "--base-url", "https://km.example.go.th", stdout=open("/dev/null", "w"))
    assert current_base_url() == "https://km.example.go.th"
    KnowledgeArticle.objects.filter(pk=article.pk).update(next_review_date=timezone.localdate().replace(year=2000))
    mail.outbox.clear()
    send_review_reminders()
    assert mail.outbox
    assert all(link.startswith("https://km.example.go.th/") for m in mail.outbox for link in links(m))
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == "https://km.example.go.th"


def test_load_demo_prints_the_real_address():
    from io import StringIO

    out = StringIO()
    call_command("load_demo", "--base-url", "http://192.0.2.10:8080", stdout=out)
    assert "http://192.0.2.10:8080/admin/" in out.getvalue()
    assert "8000" not in out.getvalue()
