from django.conf import settings
from django.utils.functional import SimpleLazyObject

from base.models import PublicContentVersion


def fragment_cache(request):
    """What templates key their cached fragments by: the public content version, read only if needed.

    Every change to what readers see bumps the version (base.content_version), so a
    fragment keyed by it never outlives the content it shows.
    """
    return {
        "content_version": SimpleLazyObject(lambda: PublicContentVersion.for_request(request)),
        "fragment_cache_seconds": settings.KHLANG_PAGE_CACHE_SECONDS,
    }
