"""Wagtail's user bar (edit, add, admin links for signed-in staff), kept per user and page.

Rendering it costs six queries and a third of a signed-in page (permission checks,
the user's profile, the page's workflow state). It shows only to signed-in users with
admin access, and its links depend on who they are (their permissions, groups and admin
language), the page, its owner, its place in the tree and its workflow task, not on what
the page says. So the key is the user, the page and its owner, the language, and two
counters (base.content_version): `structure`, which every change but publishing an item
bumps (moves, deletions, unpublishing, new sections), and `staff`, which every change to
users, groups, permissions, workflows and workflow tasks bumps. A publish keeps every bar,
even the published page's own. A copy is never shown to anyone else, and anonymous readers
(who never get a bar) never reach this cache.
"""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.safestring import mark_safe
from wagtail.admin.templatetags.wagtailuserbar import get_page_instance, wagtailuserbar

from base.models import PublicContentVersion
from base.visibility import is_signed_in

register = template.Library()


def userbar_key(request, page, position):
    versions = PublicContentVersion.versions_for_request(request)
    page_part = f"{page.pk}:{page.owner_id}" if page is not None and page.pk else "-"
    return ":".join([
        "userbar", str(versions.structure), str(versions.staff), str(request.user.pk), page_part,
        translation.get_language() or "", request.get_host(), position,
    ])


def is_plain_read(request):
    """Previews and revision views show a different bar: never kept."""
    return not any(getattr(request, name, False) for name in ("is_preview", "revision_id", "in_preview_panel"))


@register.simple_tag(takes_context=True)
def cached_userbar(context, position="bottom-right"):
    request = context.get("request")
    if request is None or not is_signed_in(getattr(request, "user", None)) or not is_plain_read(request):
        return wagtailuserbar(context, position)
    key = userbar_key(request, get_page_instance(context), position)
    html = cache.get(key)
    if html is None:
        html = wagtailuserbar(context, position)
        cache.set(key, str(html), settings.KHLANG_PAGE_CACHE_SECONDS)
    return mark_safe(html)
