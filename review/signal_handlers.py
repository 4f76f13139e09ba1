from wagtail.models import WorkflowState
from wagtail.signals import page_published, task_approved, task_submitted, workflow_approved

from .notifications import StepApprovedWithCommentNotifier, TaskWaitingNotifier, WorkflowApprovedNotifier

task_waiting_notifier = TaskWaitingNotifier()
step_approved_notifier = StepApprovedWithCommentNotifier()
workflow_approved_notifier = WorkflowApprovedNotifier()
# Wagtail's own "approved" notifier (wagtail.admin.signal_handlers) is replaced by ours.
WAGTAIL_APPROVED_UID = "workflow_state_approved_email_notification"


def on_page_published(sender, instance, revision, **kwargs):
    from .models import Retirement

    # Publishing a retired item again brings it back.
    Retirement.objects.filter(page_id=instance.pk).delete()


def register():
    page_published.connect(on_page_published, dispatch_uid="review_page_published")
    # Any sender: task states of custom tasks are sent as their own classes.
    task_submitted.connect(task_waiting_notifier, dispatch_uid="review_task_waiting_email")
    task_approved.connect(step_approved_notifier, dispatch_uid="review_step_approved_email")
    # Whichever app is ready first, only ours stays connected under Wagtail's id
    # (a second connect with the same id is ignored).
    workflow_approved.disconnect(sender=WorkflowState, dispatch_uid=WAGTAIL_APPROVED_UID)
    workflow_approved.connect(workflow_approved_notifier, sender=WorkflowState, dispatch_uid=WAGTAIL_APPROVED_UID)
