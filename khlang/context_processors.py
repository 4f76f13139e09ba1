from django.conf import settings
from django.utils.functional import SimpleLazyObject

from base.models import PublicContentVersion
from base.visibility import is_signed_in

SIGNED_IN_SUFFIX = "-signed-in"


def audience_content_version(request):
    """The content version, marked for signed-in readers: they may see staff-only items (in
    listings, on cards), so their fragments are kept apart from the public's."""
    version = str(PublicContentVersion.for_request(request))
    user = getattr(request, "user", None)
    return version + SIGNED_IN_SUFFIX if is_signed_in(user) else version


def fragment_cache(request):
    """What templates key their cached fragments by: the public content version, read only if needed.

    Every change to what readers see bumps the version (base.content_version), so a
    fragment keyed by it never outlives the content it shows; signed-in readers' fragments
    carry their own key (audience_content_version), so no audience is shown another's.
    """
    return {
        "content_version": SimpleLazyObject(lambda: audience_content_version(request)),
        "fragment_cache_seconds": settings.KHLANG_PAGE_CACHE_SECONDS,
    }
