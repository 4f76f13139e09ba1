import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class SearchConfig(AppConfig):
    """Thai search over every kind of knowledge: backends, the search page, the JSON API, reports."""

    name = "search"
    verbose_name = _("การค้นหา")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published

        from base.content_version import register_public_models

        from .models import SearchSynonym

        # Synonyms change what the public finds: answers cached per content version must follow them.
        register_public_models(SearchSynonym)
        page_published.connect(reindex_published, dispatch_uid="search_reindex_published")


def reindex_published(sender, instance, **kwargs):
    """Index a published page again once its tags are saved, and let the engine count it at once.

    The index update on post_save runs before modelcluster writes the page's child
    relations, so the engine would keep the tags from before the publish (its tag
    facet counts them from the index). What a reader finds right after a publish is
    cached until the next one, so the engine's index is refreshed now rather than
    within its refresh interval.
    """
    from modelsearch.backends import get_search_backends
    from modelsearch.index import insert_or_update_object

    insert_or_update_object(instance)
    for backend in get_search_backends(with_auto_update=True):
        index = backend.get_index_for_model(type(instance)) if hasattr(backend, "get_index_for_model") else None
        if hasattr(index, "refresh"):
            try:
                index.refresh()
            except Exception:  # an engine that is down must not stop a publish
                logger.exception("The search engine's index could not be refreshed")
