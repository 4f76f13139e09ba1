"""Scheduled publishing by the worker, next-review dates, the overdue report, reminders."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision

from knowledge.models import BestPracticePage, Department, KnowledgeArticle
from review.cycle import due_for_review
from review.models import ReviewReminder
from tests.review.helpers import CHECKLIST, act, submit_new_article
from thai.dates import add_months

pytestmark = pytest.mark.django_db


def run_scheduler():
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out, stderr=out)
    return out.getvalue()


def test_approved_page_with_future_go_live_is_published_by_the_worker(login, staff, library):
    klang = Department.objects.get(code="klang")
    go_live = timezone.localtime() + datetime.timedelta(hours=2)
    page = submit_new_article(
        login(staff["author.klang"]), library, "ประกาศอัตราภาษีปีงบประมาณใหม่", klang,
        go_live_at=go_live.strftime("%Y-%m-%d %H:%M"),
    )
    act(login(staff["reviewer.klang"]), page, "approve")
    act(login(staff["editor"]), page, "approve", **CHECKLIST)

    page.refresh_from_db()
    assert not page.live
    revision = Revision.objects.get(pk=page.latest_revision_id)
    assert revision.approved_go_live_at is not None

    run_scheduler()
    page.refresh_from_db()
    assert not page.live  # not yet time

    # Two hours pass: move the schedule (and the page's go-live date in the revision) into the past.
    moment = timezone.now() - datetime.timedelta(minutes=1)
    revision.content["go_live_at"] = moment.isoformat()
    revision.approved_go_live_at = moment
    revision.save(update_fields=["content", "approved_go_live_at"])
    run_scheduler()
    page.refresh_from_db()
    assert page.live
    assert page.next_review_date == add_months(timezone.localdate(), 12)


def test_publishing_sets_a_default_next_review_date(staff):
    page = KnowledgeArticle.objects.live().first()
    page.next_review_date = None
    revision = page.save_revision(user=staff["editor"])
    revision.publish(user=staff["editor"])
    page.refresh_from_db()
    expected = add_months(timezone.localdate(), 12)
    assert page.next_review_date == expected
    # The editor shows the latest revision, so it carries the date too.
    assert page.get_latest_revision_as_object().next_review_date == expected

    page.next_review_date = datetime.date(2030, 1, 31)
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.next_review_date == datetime.date(2030, 1, 31)  # a chosen date is kept


def test_publishing_saves_the_page_once(staff):
    """The default review date rides on the publish's own save: one cache bump, one index update."""
    from django.db.models.signals import post_save
    from wagtail.models import Page

    from base.models import PublicContentVersion

    page = KnowledgeArticle.objects.live().first()
    page.next_review_date = None
    revision = page.save_revision(user=staff["editor"])
    saves = []

    def count(sender, instance, **kwargs):
        if isinstance(instance, Page):
            saves.append(kwargs.get("update_fields"))

    before = PublicContentVersion.current()
    post_save.connect(count, dispatch_uid="count_page_saves")
    try:
        revision.publish(user=staff["editor"])
    finally:
        post_save.disconnect(dispatch_uid="count_page_saves")
    assert len(saves) == 1
    assert PublicContentVersion.current() == before + 1
    page.refresh_from_db()
    assert page.next_review_date == add_months(timezone.localdate(), 12)


@pytest.fixture
def overdue():
    """Two live items past their review date: one with a contact person, one without."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    article = KnowledgeArticle.objects.live().filter(holder__email__gt="").order_by("pk").first()
    practice = BestPracticePage.objects.live().filter(contact=None).order_by("pk").first() or \
        BestPracticePage.objects.live().order_by("pk").first()
    practice.contact = None
    practice.save()
    KnowledgeArticle.objects.filter(pk=article.pk).update(next_review_date=yesterday)
    BestPracticePage.objects.filter(pk=practice.pk).update(next_review_date=yesterday)
    return article, practice


def test_due_for_review_report_lists_overdue_items_by_department(overdue, login, staff):
    article, practice = overdue
    assert {article.pk, practice.pk} <= set(due_for_review().values_list("pk", flat=True))

    editor = login(staff["editor"])
    response = editor.get(reverse("review_due"))
    assert response.status_code == 200
    content = response.content.decode()
    assert article.title in content and practice.title in content
    assert article.holder.name in content  # who answers for it
    assert str(article.department) in content

    response = editor.get(reverse("review_due"), {"department": article.department.pk})
    content = response.content.decode()
    assert article.title in content
    if practice.department_id != article.department_id:
        assert practice.title not in content

    reports_menu = editor.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("review_due") in reports_menu
    assert login(staff["author.klang"]).get(reverse("review_due")).status_code == 302  # no permission


def test_reminders_go_to_owners_at_most_once_a_week(overdue, staff):
    article, practice = overdue
    practice.owner = staff["author.palad"]
    practice.save()
    mail.outbox.clear()

    call_command("send_review_reminders", stdout=io.StringIO())
    sent_to = {address: message for message in mail.outbox for address in message.to}
    assert article.holder.email in sent_to  # the knowledge holder
    assert "author.palad@example.org" in sent_to  # no contact person: the page's owner
    assert article.title in sent_to[article.holder.email].body
    assert f"/admin/pages/{article.pk}/edit/" in sent_to[article.holder.email].body
    assert ReviewReminder.objects.filter(page_id=article.pk).count() == 1

    mail.outbox.clear()
    call_command("send_review_reminders", stdout=io.StringIO())
    assert mail.outbox == []  # the same week: nothing again

    ReviewReminder.objects.update(sent_at=timezone.now() - datetime.timedelta(days=8))
    call_command("send_review_reminders", stdout=io.StringIO())
    assert article.holder.email in {address for message in mail.outbox for address in message.to}


def test_worker_sends_reminders_once_a_day(overdue):
    mail.outbox.clear()
    output = run_scheduler()
    assert "Reminders sent" in output
    assert mail.outbox
