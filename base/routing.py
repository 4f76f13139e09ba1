"""Serving pages with their route found once per content version, not once per request.

Wagtail finds a page by its site (one query), the site's root page and its specific
class (two), the deepest page the path names and its specific row (two, with
KhlangPage.route), then the page's view restrictions and its ancestors (two more):
seven queries and most of an uncached article's time. None of it depends on who
reads, so routes are kept, in two parts (base.content_version's counters):

* under the structure version (which every change but publishing an item bumps: moves,
  slugs, unpublishing, deletions, view restrictions, sections): where a path leads: a
  section's page itself (its content changes bump the structure version too), or, for an
  item, which page it is and its view restrictions;
* under the content version: an item's page with its content.

So right after an item is published its route costs one query (the page itself), and the
other pages' routes stay warm. The request's site and its agency settings (two queries on
every page, Wagtail does not keep them) are kept under the structure version too: saving a
site or the settings bumps it. Wagtail still checks the restrictions against each request
(its before_serve_page hook), so a staff-only page is served to whom it was before. Only
plain routes are kept: a route with arguments (e.g. a retired item's "410 Gone") is found
afresh each time.
"""

import hashlib
from typing import NamedTuple

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.http.request import split_domain_port
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from .content_version import ITEM_DEPTH
from .models import ROUTED_RESTRICTIONS, AgencySettings, PublicContentVersion


class ItemRoute(NamedTuple):
    """Where a path leads when it names an item: kept under the structure version."""

    model: str
    pk: int
    url_path: str
    restrictions: list


def route_keys(request, path):
    """(structure key, content key) of this request's route."""
    # Hashed: Thai paths percent-encode to 1 000+ characters, over memcached's 250.
    where = f"{request.get_host()}:{request.get_port()}:{translation.get_language()}:{path}"
    digest = hashlib.sha256(where.encode()).hexdigest()
    versions = PublicContentVersion.versions_for_request(request)
    return f"route:s{versions.structure}:{digest}", f"route:{versions.version}:{digest}"


def is_item(page):
    return page.depth >= ITEM_DEPTH and page.numchild == 0


def load_item(item):
    """The item's page as now published, or None if it is no longer live at that path."""
    model = apps.get_model(item.model)
    pages = model.objects.select_related(*getattr(model, "routed_select_related", ()))
    page = pages.filter(pk=item.pk, live=True, url_path=item.url_path).first()
    if page is not None:
        setattr(page, ROUTED_RESTRICTIONS, item.restrictions)
    return page


def cached_route(request, path):
    """Wagtail's route for this request (page, args, kwargs) or None; plain routes kept."""
    structure_key, content_key = route_keys(request, path)
    found = cache.get_many([structure_key, content_key])
    page = found.get(content_key) or found.get(structure_key)
    if isinstance(page, ItemRoute):
        page = load_item(page)
        if page is not None:
            cache.set(content_key, page, settings.KHLANG_PAGE_CACHE_SECONDS)
    if page is not None:
        return page, [], {}
    route = Page.route_for_request(request, path)
    if route is not None and not route[1] and not route[2]:
        page = route[0]
        restrictions = list(Page.get_view_restrictions(page))
        setattr(page, ROUTED_RESTRICTIONS, restrictions)
        if is_item(page):
            item = ItemRoute(page._meta.label, page.pk, page.url_path, restrictions)
            cache.set_many({structure_key: item, content_key: page}, settings.KHLANG_PAGE_CACHE_SECONDS)
        else:
            cache.set(structure_key, page, settings.KHLANG_PAGE_CACHE_SECONDS)
    return route


def prime_site(request):
    """Give the request its site and agency settings as Wagtail would find them, kept per structure version."""
    if hasattr(request, "_wagtail_site"):
        return
    where = f"{split_domain_port(request._get_raw_host())[0]}:{request.get_port()}"
    key = f"site:s{PublicContentVersion.versions_for_request(request).structure}:{hashlib.sha256(where.encode()).hexdigest()}"
    found = cache.get(key)
    if found is None:
        site = Site._find_for_request(request)
        found = (site, AgencySettings.for_site(site) if site else None)
        cache.set(key, found, settings.KHLANG_PAGE_CACHE_SECONDS)
    site, agency_settings = found
    request._wagtail_site = site
    if agency_settings is not None:
        agency_settings._request = request  # as AgencySettings.for_request does: shorter page URLs
        setattr(request, AgencySettings.get_cache_attr_name(), agency_settings)


def serve(request, path):
    """wagtail.views.serve, given the route kept for this content version."""
    prime_site(request)
    if not hasattr(request, "_wagtail_route_for_request"):
        request._wagtail_route_for_request = cached_route(request, path)
    return wagtail_views.serve(request, path)
