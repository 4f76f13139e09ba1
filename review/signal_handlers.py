from wagtail.signals import page_published, task_submitted

from .notifications import TaskWaitingNotifier

task_waiting_notifier = TaskWaitingNotifier()


def on_page_published(sender, instance, revision, **kwargs):
    from knowledge.models import KnowledgeItemPage

    from .cycle import set_default_review_date
    from .models import Retirement

    # Publishing a retired item again brings it back.
    Retirement.objects.filter(page_id=instance.pk).delete()
    if isinstance(instance, KnowledgeItemPage) and instance.next_review_date is None:
        set_default_review_date(instance, revision)


def register():
    page_published.connect(on_page_published, dispatch_uid="review_page_published")
    # Any sender: task states of custom tasks are sent as their own classes.
    task_submitted.connect(task_waiting_notifier, dispatch_uid="review_task_waiting_email")
