from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Thai search over every kind of knowledge: backends, the search page, the JSON API, reports."""

    name = "search"
    verbose_name = _("การค้นหา")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published

        page_published.connect(reindex_published, dispatch_uid="search_reindex_published")


def reindex_published(sender, instance, **kwargs):
    """Index a published page again once its tags are saved.

    The index update on post_save runs before modelcluster writes the page's child
    relations, so the engine would keep the tags from before the publish (its tag
    facet counts them from the index).
    """
    from modelsearch.tasks import insert_or_update_object_task

    insert_or_update_object_task.enqueue(instance._meta.app_label, instance._meta.model_name, str(instance.pk))
