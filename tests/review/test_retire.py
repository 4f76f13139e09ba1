"""Retiring knowledge that no longer works: 410 with the reason, history kept, reversible."""

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry

from knowledge.models import KnowledgeArticle
from review.models import Retirement

pytestmark = pytest.mark.django_db

REASON = "ระเบียบที่อ้างถึงถูกยกเลิกแล้ว ให้ใช้ขั้นตอนตามระเบียบฉบับใหม่แทน"


@pytest.fixture
def old_and_new():
    old, new = KnowledgeArticle.objects.live().order_by("pk")[:2]
    return old, new


def retire_in_admin(client, page, **data):
    return client.post(reverse("review_retire", args=[page.pk]), data)


def test_editor_retires_with_reason_and_replacement(client, login, staff, old_and_new):
    old, new = old_and_new
    editor = login(staff["editor"])
    edit_page = editor.get(reverse("wagtailadmin_pages:edit", args=[old.pk])).content.decode()
    assert reverse("review_retire", args=[old.pk]) in edit_page  # offered in the page header's menu
    assert editor.get(reverse("review_retire", args=[old.pk])).status_code == 200

    assert retire_in_admin(editor, old, reason=REASON, replacement=new.pk).status_code == 302
    old.refresh_from_db()
    assert not old.live
    assert Retirement.objects.get(page=old).retired_by == staff["editor"]
    entry = PageLogEntry.objects.get(page=old, action="review.retire")
    assert entry.data["reason"] == REASON and entry.user == staff["editor"]
    assert old.revisions.exists()  # history kept, nothing deleted

    response = client.get(old.url or f"/คลังองค์ความรู้/{old.slug}/")
    assert response.status_code == 410
    page = response.content.decode()
    assert REASON in page
    assert f'href="{new.url}"' in page and new.title in page
    history = editor.get(reverse("wagtailadmin_pages:history", args=[old.pk])).content.decode()
    assert "ปลดระวาง" in history and REASON in history


def test_reason_is_required_and_authors_cannot_retire(login, staff, old_and_new):
    old, _ = old_and_new
    editor = login(staff["editor"])
    response = retire_in_admin(editor, old, reason="  ")
    assert response.status_code == 200
    assert "โปรดระบุเหตุผลที่ปลดระวาง" in response.content.decode()
    old.refresh_from_db()
    assert old.live

    author = login(staff["author.klang"])
    response = retire_in_admin(author, old, reason=REASON)
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    old.refresh_from_db()
    assert old.live and not Retirement.objects.filter(page=old).exists()


def test_publishing_again_ends_the_retirement(client, login, staff, old_and_new):
    old, _ = old_and_new
    url = old.url
    retire_in_admin(login(staff["editor"]), old, reason=REASON)
    assert client.get(url).status_code == 410

    old.refresh_from_db()
    old.get_latest_revision().publish(user=staff["editor"])
    assert not Retirement.objects.filter(page=old).exists()
    assert client.get(url).status_code == 200


def test_a_replacement_that_is_not_public_is_not_linked(client, login, staff, old_and_new):
    old, new = old_and_new
    url = old.url
    retire_in_admin(login(staff["editor"]), old, reason=REASON, replacement=new.pk)
    new.unpublish()
    page = client.get(url).content.decode()
    assert new.title not in page
