from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

from base.models import PublicContentVersion


def switch_language(request, code):
    """Remember the reader's language in a cookie and go back to the page they were on.

    A plain link rather than Django's POST-only set_language, so public pages
    carry no CSRF token and can be cached for every anonymous reader.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def health(request):
    """For load balancers: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def content_version(request):
    """The public content version, for nginx's page cache (deploy/nginx.conf.template).

    nginx asks this before serving a page, keeps the answer briefly, and keys the
    pages it caches by it; every change refreshes nginx's copy (base.content_version),
    so cached pages change the moment the content does.
    """
    response = HttpResponse(status=200)
    response["X-Khlang-Content-Version"] = str(PublicContentVersion.current())
    response["X-Accel-Expires"] = str(settings.KHLANG_CONTENT_VERSION_SECONDS)
    return response
