from wagtail.signals import page_published, task_submitted

from .notifications import TaskWaitingNotifier

task_waiting_notifier = TaskWaitingNotifier()


def on_page_published(sender, instance, revision, **kwargs):
    from .models import Retirement

    # Publishing a retired item again brings it back.
    Retirement.objects.filter(page_id=instance.pk).delete()


def register():
    page_published.connect(on_page_published, dispatch_uid="review_page_published")
    # Any sender: task states of custom tasks are sent as their own classes.
    task_submitted.connect(task_waiting_notifier, dispatch_uid="review_task_waiting_email")
