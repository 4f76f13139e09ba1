from django.conf import settings
from django.utils.functional import SimpleLazyObject

from base.models import PublicContentVersion
from base.visibility import is_signed_in

SIGNED_IN_SUFFIX = "-signed-in"


def audience_suffix(request):
    """Signed-in readers may see staff-only items (in listings, on cards), so their fragments
    are kept apart from the public's."""
    return SIGNED_IN_SUFFIX if is_signed_in(getattr(request, "user", None)) else ""


def audience_content_version(request):
    """The content version, marked for signed-in readers."""
    return str(PublicContentVersion.for_request(request)) + audience_suffix(request)


def audience_structure_version(request):
    """The structure version (base.content_version), marked for signed-in readers."""
    return f"s{PublicContentVersion.versions_for_request(request).structure}" + audience_suffix(request)


def fragment_cache(request):
    """What templates key their cached fragments by, read only if needed.

    `content_version`: every change to what readers see bumps it (base.content_version), so
    a fragment keyed by it never outlives the content it shows. `structure_version`: for the
    parts every page shares (menu, header, breadcrumbs, footer), which publishing an item
    cannot change. Signed-in readers' fragments carry their own keys, so no audience is
    shown another's.
    """
    return {
        "content_version": SimpleLazyObject(lambda: audience_content_version(request)),
        "structure_version": SimpleLazyObject(lambda: audience_structure_version(request)),
        "fragment_cache_seconds": settings.KHLANG_PAGE_CACHE_SECONDS,
    }
