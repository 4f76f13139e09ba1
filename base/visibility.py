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
    """The restrictions this reader does not pass by being who they are (one query, two with
    groups; once per request, given one)."""
    if request is None:
        return _find_barred_restrictions(user, site_restrictions())
    memo = getattr(request, "_khlang_barred_restrictions", None)
    if memo is None or memo[0] != user.pk:
        memo = request._khlang_barred_restrictions = (user.pk, _find_barred_restrictions(user, site_restrictions(request)))
    return memo[1]


def _find_barred_restrictions(user, restrictions):
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


def public(queryset, request=None):
    """queryset.public() (the pages under no view restriction), reading the site's restrictions
    once per request when given one."""
    if request is None:
        return queryset.public()
    return _excluding(queryset, site_restrictions(request))


def _excluding(queryset, restrictions):
    q = Q()
    for restriction in restrictions:
        q |= Page.objects.descendant_of_q(restriction.page, inclusive=True)
    return queryset.exclude(q) if q else queryset


def readable_pages(user, queryset, request=None):
    """The pages of `queryset` (a PageQuerySet) this reader may read; liveness is the caller's.

    Given the request being answered, the site's restrictions are read once for it."""
    if not is_signed_in(user):
        return public(queryset, request)
    return _excluding(queryset, _barred_restrictions(user, request))


def staff_only_ids(pages, request=None):
    """Ids of the given pages that anonymous readers may not see (to mark them "staff only"):
    those under any view restriction, read from the restrictions (once per request, given one)."""
    pages = list(pages)
    if not pages:
        return set()
    restricted = tuple(restriction.page.path for restriction in site_restrictions(request))
    return {page.pk for page in pages if restricted and page.path.startswith(restricted)}


def reader_key(user, request=None):
    """What decides which pages this reader may see, for keys of fragments that list pages:
    "public", or the restrictions that still bar this signed-in reader (staff of other groups
    see other items, so their fragments differ)."""
    if not is_signed_in(user):
        return "public"
    return "signed-in:" + ",".join(str(r.pk) for r in _barred_restrictions(user, request))
