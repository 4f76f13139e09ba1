"""Bump the public content version whenever what anonymous readers see may change.

Ours (not a cache library's) because readers must never see an old state after
a publish, on any app server, and the version is also nginx's cache key.
Apps whose rows appear on public pages register their models with
`register_public_models` from their AppConfig.ready().
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from wagtail.models import Page

from .addresses import absolute_url
from .models import PublicContentVersion

_public_models = set()


def register_public_models(*models):
    """Saving or deleting a row of these models changes what anonymous readers see."""
    _public_models.update(models)


# What saving a draft, a comment or a lock writes on a page: nothing a reader sees, so
# editors at work do not empty every cache.
DRAFT_ONLY_PAGE_FIELDS = frozenset({
    "latest_revision", "latest_revision_created_at", "draft_title", "has_unpublished_changes",
    "wagtail_admin_comments", "locked", "locked_at", "locked_by",
})


def content_changed(sender, instance=None, raw=False, update_fields=None, **kwargs):
    if raw or not isinstance(instance, tuple(_public_models)):
        return
    if isinstance(instance, Page) and update_fields and update_fields <= DRAFT_ONLY_PAGE_FIELDS:
        return
    public_content_changed()


def public_content_changed(above=0):
    """Bump the version cached pages are keyed by, and tell nginx once the change is committed."""
    PublicContentVersion.bump(above=above)
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        transaction.on_commit(refresh_front_end_caches)


def refresh_front_end_caches():
    """Make nginx re-read the content version, which its cached pages are keyed by."""
    from wagtail.contrib.frontend_cache.utils import purge_url_from_cache

    purge_url_from_cache(absolute_url(reverse("content_version")))


def connect():
    # Publishing and unpublishing save the page. Page subclasses send post_save as
    # themselves, so listen to every model and filter.
    post_save.connect(content_changed, dispatch_uid="khlang_cache_saved")
    post_delete.connect(content_changed, dispatch_uid="khlang_cache_deleted")
