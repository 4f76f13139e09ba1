"""Bump the public content version whenever what anonymous readers see may change.

Three counters (base.models.PublicContentVersion): `version` for any such change;
`structure` for all of them except publishing a live item (a page with no children
below the top level), which cannot change the menu, anyone's breadcrumbs, the header,
the footer or any other page's path, so the parts every page shares and the routes of
sections stay warm while authors publish; `staff` for what only the Wagtail user bar
shows (who may edit or add where, workflow tasks, users and their groups).

Ours (not a cache library's) because readers must never see an old state after
a publish, on any app server, and the version is also nginx's cache key.
Apps whose rows appear on public pages register their models with
`register_public_models` from their AppConfig.ready().
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse
from wagtail.models import (
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Task,
    TaskState,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowState,
)
from wagtail.signals import page_slug_changed, post_page_move
from wagtail.users.models import UserProfile

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


# Pages this deep or deeper are below the site's sections (root 1, home 2, sections 3).
ITEM_DEPTH = 4


def content_changed(sender, instance=None, raw=False, update_fields=None, **kwargs):
    if raw or not isinstance(instance, tuple(_public_models)):
        return
    if isinstance(instance, Page):
        if update_fields and update_fields <= DRAFT_ONLY_PAGE_FIELDS:
            return
        deleted = kwargs.get("signal") is post_delete
        public_content_changed(structure=deleted or not is_live_item(instance))
        return
    public_content_changed()


def is_live_item(page):
    """A live page with nothing below it, under a section: no menu, trail or other path shows it."""
    return (
        page.live and page.depth is not None and page.depth >= ITEM_DEPTH
        and not Page.objects.filter(path__startswith=page.path, depth=page.depth + 1).exists()
    )


def page_path_changed(sender, **kwargs):
    public_content_changed()  # a move or a new slug: its path, and every trail below it, changed


def public_content_changed(above=0, structure=True):
    """Bump the version cached pages are keyed by, and tell nginx once the change is committed."""
    PublicContentVersion.bump(above=above, structure=structure)
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        transaction.on_commit(refresh_front_end_caches)


def refresh_front_end_caches():
    """Make nginx re-read the content version, which its cached pages are keyed by."""
    from wagtail.contrib.frontend_cache.utils import purge_url_from_cache

    purge_url_from_cache(absolute_url(reverse("content_version")))


# What the Wagtail user bar's links depend on besides the page: the user's permissions and
# groups, their admin language (UserProfile) and the page's workflow task (a reviewer may edit
# during theirs).
STAFF_MODELS = (
    Group, GroupPagePermission, GroupCollectionPermission, UserProfile,
    Workflow, WorkflowPage, WorkflowContentType, WorkflowState, Task, TaskState,
)


def staff_changed(sender, instance=None, raw=False, update_fields=None, **kwargs):
    if raw or not isinstance(instance, (get_user_model(), *STAFF_MODELS)):
        return
    if update_fields and set(update_fields) <= {"last_login"}:
        return  # signing in changes nothing the bar shows
    if isinstance(instance, UserProfile) and kwargs.get("created"):
        return  # the bar itself makes a user's profile, with the defaults it was rendered with
    PublicContentVersion.bump_staff()


def staff_memberships_changed(sender, action=None, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        PublicContentVersion.bump_staff()


def connect():
    # Publishing and unpublishing save the page. Page subclasses send post_save as
    # themselves, so listen to every model and filter.
    post_save.connect(content_changed, dispatch_uid="khlang_cache_saved")
    post_delete.connect(content_changed, dispatch_uid="khlang_cache_deleted")
    post_page_move.connect(page_path_changed, dispatch_uid="khlang_cache_moved")
    page_slug_changed.connect(page_path_changed, dispatch_uid="khlang_cache_slug_changed")
    post_save.connect(staff_changed, dispatch_uid="khlang_staff_saved")
    post_delete.connect(staff_changed, dispatch_uid="khlang_staff_deleted")
    user_model = get_user_model()
    for through in (user_model.groups.through, user_model.user_permissions.through,
                    Group.permissions.through, GroupApprovalTask.groups.through):
        m2m_changed.connect(staff_memberships_changed, sender=through, dispatch_uid=f"khlang_staff_{through.__name__}")
