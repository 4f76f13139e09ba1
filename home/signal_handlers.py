"""Bump the public content version whenever what anonymous readers see may change."""

import functools

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.urls import reverse

from .models import PublicContentVersion


@functools.cache
def shown_publicly():
    """Models whose rows appear on public pages (pages, privacy, site, reference data, tags, files)."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from taggit.models import Tag
    from wagtail.models import Page, PageViewRestriction, Site

    from knowledge.models import Department, KnowledgeCategory, Person

    from .models import AgencySettings

    return (Page, PageViewRestriction, Site, AgencySettings, Department, KnowledgeCategory, Person, Tag,
            get_document_model(), get_image_model())


# What saving a draft, a comment or a lock writes on a page: nothing a reader sees, so
# editors at work do not empty every cache.
DRAFT_ONLY_PAGE_FIELDS = frozenset({
    "latest_revision", "latest_revision_created_at", "draft_title", "has_unpublished_changes",
    "wagtail_admin_comments", "locked", "locked_at", "locked_by",
})


def content_changed(sender, instance=None, raw=False, update_fields=None, **kwargs):
    from wagtail.models import Page

    if raw or not isinstance(instance, shown_publicly()):
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

    purge_url_from_cache(settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("content_version"))


# Publishing and unpublishing save the page. Page subclasses send post_save as
# themselves, so listen to every model and filter.
post_save.connect(content_changed, dispatch_uid="khlang_cache_saved")
post_delete.connect(content_changed, dispatch_uid="khlang_cache_deleted")
