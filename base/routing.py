"""Serving pages with their route found once per content version, not once per request.

Wagtail finds a page by its site (one query), the site's root page and its specific
class (two), the deepest page the path names and its specific row (two, with
KhlangPage.route), then the page's view restrictions and its ancestors (two more):
seven queries and most of an uncached article's time. None of it depends on who
reads: every publish, move, privacy or site change bumps the public content version
(base.content_version), so the routed page, kept under that version with its view
restrictions, is as fresh as the pages it serves. Wagtail still checks the
restrictions against each request (its before_serve_page hook), so a staff-only page
is served to whom it was before. Only plain routes are kept: a route with arguments
(e.g. a retired item's "410 Gone") is found afresh each time.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.models import Page

from .models import ROUTED_RESTRICTIONS, PublicContentVersion


def route_key(request, path):
    # Hashed: Thai paths percent-encode to 1 000+ characters, over memcached's 250.
    where = f"{request.get_host()}:{request.get_port()}:{translation.get_language()}:{path}"
    return f"route:{PublicContentVersion.for_request(request)}:{hashlib.sha256(where.encode()).hexdigest()}"


def cached_route(request, path):
    """Wagtail's route for this request (page, args, kwargs) or None; plain routes kept per version."""
    key = route_key(request, path)
    page = cache.get(key)
    if page is not None:
        return page, [], {}
    route = Page.route_for_request(request, path)
    if route is not None and not route[1] and not route[2]:
        page = route[0]
        setattr(page, ROUTED_RESTRICTIONS, list(Page.get_view_restrictions(page)))
        cache.set(key, page, settings.KHLANG_PAGE_CACHE_SECONDS)
    return route


def serve(request, path):
    """wagtail.views.serve, given the route kept for this content version."""
    if not hasattr(request, "_wagtail_route_for_request"):
        request._wagtail_route_for_request = cached_route(request, path)
    return wagtail_views.serve(request, path)
