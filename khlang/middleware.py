import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from base.addresses import forget_request, remember_request
from base.models import PublicContentVersion
from thai import era


def buddhist_era_in_admin(get_response):
    """Years in the admin's dates (listings, history, side panels) in the Buddhist era (thai/era.py)."""

    def middleware(request):
        if not request.path.startswith("/admin/"):
            return get_response(request)
        token = era.turn_on()
        try:
            return get_response(request)
        finally:
            era.turn_off(token)

    return middleware


def remember_request_address(get_response):
    """Links in e-mails sent while answering a request use the address it came in on
    (unless KHLANG_BASE_URL names the site's address; base/addresses.py)."""

    def middleware(request):
        token = remember_request(request)
        try:
            return get_response(request)
        finally:
            forget_request(token)

    return middleware


class ThaiFirstLocaleMiddleware(LocaleMiddleware):
    """Serve Thai unless the visitor chose another language with the switcher.

    Django's LocaleMiddleware also follows the browser's Accept-Language, which
    would show English to Thai staff whose phones are set to English.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()


class AnonymousPageCacheMiddleware:
    """Cache public pages for anonymous readers without a session.

    Keys include the public content version (base.models.PublicContentVersion), which
    every publish, unpublish, retirement and privacy change bumps, so no reader
    sees an old state after a change, on any app server. Logged-in users,
    previews, search (which records queries) and the admin are never cached.
    For every page request the version is read here, before the page, and the
    templates' fragment caches use the same reading.
    """

    NEVER = ("/admin", "/django-admin", "/_util", "/search", "/api", "/language", "/healthz", "/documents")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "GET" or self.never_cached(request.path):
            return self.get_response(request)
        # Read before the page is: what is rendered below is at least this new, so nothing
        # kept under this version (a page here, fragments in templates) can be older.
        PublicContentVersion.for_request(request)
        if not self.cacheable_request(request):
            return self.get_response(request)
        # Hashed: Thai paths percent-encode to 1 000+ characters, over memcached's 250.
        path_digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"page:{PublicContentVersion.for_request(request)}:{translation.get_language()}:{path_digest}"
        response = cache.get(key)
        if response is not None:
            response["X-Khlang-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self.cacheable_response(response):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            # nginx may keep it too, keyed by the content version (deploy/nginx.conf.template)
            response["X-Accel-Expires"] = str(settings.KHLANG_PAGE_CACHE_SECONDS)
            cache.set(key, response, settings.KHLANG_PAGE_CACHE_SECONDS)
            response["X-Khlang-Cache"] = "miss"
        return response

    @classmethod
    def never_cached(cls, path):
        # the same paths as $khlang_never_cached in deploy/nginx.conf.template
        return any(path == prefix or path.startswith(prefix + "/") for prefix in cls.NEVER)

    def cacheable_request(self, request):
        return (
            settings.KHLANG_PAGE_CACHE_SECONDS > 0
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not getattr(getattr(request, "user", None), "is_authenticated", False)
            and "preview" not in request.GET
        )

    @staticmethod
    def cacheable_response(response):
        return response.status_code == 200 and not response.cookies and not response.streaming


def reject_nul_characters(get_response):
    """A NUL character has no use in a URL, and PostgreSQL refuses it in any query: answer 400."""

    def middleware(request):
        if "\x00" in request.path or any("\x00" in value for value in request.GET.values()):
            return HttpResponseBadRequest("NUL characters are not allowed.", content_type="text/plain")
        return get_response(request)

    return middleware
