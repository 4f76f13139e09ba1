"""Which pages a reader may see: the public, or signed-in staff.

Wagtail's page privacy has three kinds of restriction. Anonymous readers see only
pages under none (`.public()`). Signed-in staff also see pages whose restrictions
are all "signed-in users" (PageViewRestriction.LOGIN, "staff-only knowledge"), and
group-restricted pages of a group they belong to, as Wagtail itself would serve
them; never password-restricted pages (those ask for their password on the page).

Every list a reader gets (search, suggestions, listings, the expert directory,
attachments) goes through `readable_pages`, so no surface decides on its own.

A page that lists items asks twice (which it may show, which to mark "staff only"): given
the request, both read the site's restrictions once (`site_restrictions`).
"""

from django.db.models import Q
from wagtail.models import Page, PageViewRestriction


def is_signed_in(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


def site_restrictions(request=None):
    """Every view restriction with its page: one query, once per request when given one."""
    if request is None:
        return list(PageViewRestriction.objects.select_related("page"))
    if not hasattr(request, "_khlang_site_restrictions"):
        request._khlang_site_restrictions = site_restrictions()
    return request._khlang_site_restrictions


def _barred_restrictions(user, request=None):
    """The restrictions this reader does not pass by being who they are (one query, two with groups)."""
    restrictions = site_restrictions(request)
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


def readable_pages(user, queryset, request=None):
    """The pages of `queryset` (a PageQuerySet) this reader may read; liveness is the caller's.

    Given the request being answered, the site's restrictions are read once for it."""
    if not is_signed_in(user):
        return queryset.public()
    q = Q()
    for restriction in _barred_restrictions(user, request):
        q |= Page.objects.descendant_of_q(restriction.page, inclusive=True)
    return queryset.exclude(q) if q else queryset


def staff_only_ids(pages, request=None):
    """Ids of the given pages that anonymous readers may not see (to mark them "staff only").

    Given the request, from the restrictions it has read already (no query)."""
    if request is not None:
        restricted = [restriction.page.path for restriction in site_restrictions(request)]
        return {page.pk for page in pages if page.path.startswith(tuple(restricted))} if restricted else set()
    ids = [page.pk for page in pages]
    if not ids:
        return set()
    public = set(Page.objects.filter(pk__in=ids).public().values_list("pk", flat=True))
    return set(ids) - public
