"""Which pages a reader may see: the public, or signed-in staff.

Wagtail's page privacy has three kinds of restriction. Anonymous readers see only
pages under none (`.public()`). Signed-in staff also see pages whose restrictions
are all "signed-in users" (PageViewRestriction.LOGIN, "staff-only knowledge"), and
group-restricted pages of a group they belong to, as Wagtail itself would serve
them; never password-restricted pages (those ask for their password on the page).

Every list a reader gets (search, suggestions, listings, the expert directory,
attachments) goes through `readable_pages`, so no surface decides on its own.
"""

from django.db.models import Q
from wagtail.models import Page, PageViewRestriction


def is_signed_in(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


def _barred_restrictions(user):
    """The restrictions this reader does not pass by being who they are (one query, two with groups)."""
    restrictions = list(PageViewRestriction.objects.select_related("page"))
    if not is_signed_in(user):
        return restrictions
    barred = [r for r in restrictions if r.restriction_type != PageViewRestriction.LOGIN]
    by_group = [r for r in barred if r.restriction_type == PageViewRestriction.GROUPS]
    if not by_group:
        return barred
    if user.is_superuser:
        return [r for r in barred if r.restriction_type != PageViewRestriction.GROUPS]
    allowed = set(
        PageViewRestriction.groups.through.objects.filter(
            pageviewrestriction_id__in=[r.pk for r in by_group], group__in=user.groups.all()
        ).values_list("pageviewrestriction_id", flat=True)
    )
    return [r for r in barred if r.pk not in allowed]


def readable_pages(user, queryset):
    """The pages of `queryset` (a PageQuerySet) this reader may read; liveness is the caller's."""
    if not is_signed_in(user):
        return queryset.public()
    q = Q()
    for restriction in _barred_restrictions(user):
        q |= Page.objects.descendant_of_q(restriction.page, inclusive=True)
    return queryset.exclude(q) if q else queryset


def staff_only_ids(pages):
    """Ids of the given pages that anonymous readers may not see (to mark them "staff only")."""
    ids = [page.pk for page in pages]
    if not ids:
        return set()
    public = set(Page.objects.filter(pk__in=ids).public().values_list("pk", flat=True))
    return set(ids) - public
