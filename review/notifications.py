"""Review emails, sent through Django's email backend.

Wagtail's own notifier stays for the author's "changes requested" (with Thai
templates in review/templates/wagtailadmin/notifications/). "A page waits for you"
is ours, because Wagtail would email every member of the task's groups and every
superuser, while a department's draft concerns only that department. So are the
author's "approved" mails: every approval with a comment reaches the author, a
step's at once, the last step's in the "approved" mail with every comment.
Links start with the site's address (base.addresses).
"""

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from wagtail.admin.mail import EmailNotificationMixin, Notifier, WorkflowStateApprovalEmailNotifier, send_mail
from wagtail.models import TaskState, WorkflowState

from base.addresses import absolute_url

from .cycle import pending_reminders

logger = logging.getLogger(__name__)


def admin_url(name, *args):
    return absolute_url(reverse(name, args=args))


class TaskStateNotifier(EmailNotificationMixin, Notifier):
    """A mail about one review step, from templates review/notifications/<template>{_subject.txt,.txt,.html}."""

    template = ""

    def __init__(self):
        super().__init__((TaskState,))

    def get_template_set(self, instance, **kwargs):
        prefix = f"review/notifications/{self.template}"
        return {"subject": f"{prefix}_subject.txt", "text": f"{prefix}.txt", "html": f"{prefix}.html"}

    def get_context(self, task_state, **kwargs):
        context = super().get_context(task_state, **kwargs)
        page = task_state.workflow_state.content_object.specific
        context.update(
            page=page,
            task=task_state.task.specific,
            task_state=task_state,
            edit_url=admin_url("wagtailadmin_pages:edit", page.pk),
        )
        return context


class TaskWaitingNotifier(TaskStateNotifier):
    """Tells the people who can act on a review step that a page waits for them."""

    notification = "submitted"  # honours the users' "submitted" notification preference
    template = "task_waiting"

    def can_handle(self, instance, **kwargs):
        from .models import ReviewTask

        return super().can_handle(instance, **kwargs) and isinstance(instance.task.specific, ReviewTask)

    def get_recipient_users(self, task_state, **kwargs):
        page = task_state.workflow_state.content_object
        reviewers = task_state.task.specific.reviewers(page)
        if kwargs.get("user"):
            reviewers = reviewers.exclude(pk=kwargs["user"].pk)
        return set(reviewers)

    def get_context(self, task_state, **kwargs):
        context = super().get_context(task_state, **kwargs)
        context.update(
            requested_by=task_state.workflow_state.requested_by, dashboard_url=admin_url("wagtailadmin_home")
        )
        return context


def approval_comments(workflow_state):
    """The approved steps of this review that carry a comment, in order."""
    return [
        state for state in workflow_state.task_states.filter(status=TaskState.STATUS_APPROVED)
        .exclude(comment="").select_related("task", "finished_by").order_by("started_at", "pk")
    ]


class WorkflowApprovedNotifier(WorkflowStateApprovalEmailNotifier):
    """Wagtail's "approved" mail to the author, with the reviewers' comments in it."""

    def get_context(self, workflow_state, **kwargs):
        context = super().get_context(workflow_state, **kwargs)
        context["comments"] = approval_comments(workflow_state)
        return context


class StepApprovedWithCommentNotifier(TaskStateNotifier):
    """Tells the author what a reviewer wrote when approving a step that is not the last."""

    notification = "approved"  # honours the users' "approved" notification preference
    template = "approved_with_comment"

    def can_handle(self, instance, **kwargs):
        # task_approved is sent after the review moved on: a finished review's
        # last comment goes in the "approved" mail instead.
        return (
            super().can_handle(instance, **kwargs)
            and bool(instance.comment.strip())
            and instance.workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
        )

    def get_recipient_users(self, task_state, **kwargs):
        author = task_state.workflow_state.requested_by
        return {author} if author and author != kwargs.get("user") else set()


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
