"""Review emails, sent through Django's email backend.

Wagtail's own notifiers stay for the author: "changes requested" and "approved"
(with Thai templates in templates/wagtailadmin/notifications/). "A page waits for
you" is ours, because Wagtail would email every member of the task's groups and
every superuser, while a department's draft concerns only that department.
"""

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from wagtail.admin.mail import EmailNotificationMixin, Notifier, send_mail
from wagtail.models import TaskState

from .cycle import pending_reminders

logger = logging.getLogger(__name__)


def admin_url(name, *args):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(name, args=args)


class TaskWaitingNotifier(EmailNotificationMixin, Notifier):
    """Tells the people who can act on a review step that a page waits for them."""

    notification = "submitted"  # honours the users' "submitted" notification preference

    def __init__(self):
        super().__init__((TaskState,))

    def can_handle(self, instance, **kwargs):
        from .models import ReviewTask

        return super().can_handle(instance, **kwargs) and isinstance(instance.task.specific, ReviewTask)

    def get_recipient_users(self, task_state, **kwargs):
        page = task_state.workflow_state.content_object
        reviewers = task_state.task.specific.reviewers(page)
        if kwargs.get("user"):
            reviewers = reviewers.exclude(pk=kwargs["user"].pk)
        return set(reviewers)

    def get_template_set(self, instance, **kwargs):
        return {
            "subject": "review/notifications/task_waiting_subject.txt",
            "text": "review/notifications/task_waiting.txt",
            "html": "review/notifications/task_waiting.html",
        }

    def get_context(self, task_state, **kwargs):
        context = super().get_context(task_state, **kwargs)
        page = task_state.workflow_state.content_object.specific
        context.update(
            page=page,
            task=task_state.task.specific,
            requested_by=task_state.workflow_state.requested_by,
            edit_url=admin_url("wagtailadmin_pages:edit", page.pk),
            dashboard_url=admin_url("wagtailadmin_home"),
        )
        return context


def send_review_reminders(now=None):
    """Email each owner the list of their overdue items; returns {email: pages}."""
    from .models import ReviewReminder

    sent = {}
    with translation.override(settings.LANGUAGE_CODE):
        for email, pages in pending_reminders(now).items():
            items = [
                {"page": page, "edit_url": admin_url("wagtailadmin_pages:edit", page.pk)} for page in pages
            ]
            context = {"items": items, "report_url": admin_url("review_due")}
            subject = render_to_string("review/notifications/reminder_subject.txt", context).strip()
            body = render_to_string("review/notifications/reminder.txt", context).strip()
            try:
                send_mail(subject, body, [email])
            except Exception:  # one bad address or a mail-server hiccup must not stop the others
                logger.exception("Review reminder to %s failed", email)
                continue
            ReviewReminder.objects.bulk_create([ReviewReminder(page=page, recipient=email) for page in pages])
            sent[email] = pages
    return sent
