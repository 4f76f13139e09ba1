from django.conf import settings
from django.utils.functional import SimpleLazyObject


def fragment_cache(request):
    """What templates key their cached fragments by: the public content version, read only if needed.

    Every change to what readers see bumps the version (home.signal_handlers), so a
    fragment keyed by it never outlives the content it shows.
    """
    from home.models import PublicContentVersion

    return {
        "content_version": SimpleLazyObject(lambda: PublicContentVersion.for_request(request)),
        "fragment_cache_seconds": settings.KHLANG_PAGE_CACHE_SECONDS,
    }
