from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.utils import timezone

from .counting import counted_path, is_bot, record_read, resolve_for_version

# The method a reader sent, when nginx asked the app with another one (nginx turns a HEAD
# into a GET towards the app when it may cache the answer: deploy/nginx.conf.template).
ORIGINAL_METHOD_HEADER = "HTTP_X_KHLANG_METHOD"


class CountReadsMiddleware:
    """Count a read of a live page served by the app: one UPSERT, after the page is made.

    Placed before (outside) khlang.middleware.AnonymousPageCacheMiddleware, so the pages the
    app's own page cache answers count too. nginx's cache hits never reach here; they are
    counted from nginx's access log (import_access_log), which in turn skips everything that
    reached the app: nothing is counted twice.
    """

    def __init__(self, get_response):
        if not settings.KHLANG_COUNT_READS:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 200
            and request.method == "GET"
            and request.META.get(ORIGINAL_METHOD_HEADER, "GET") == "GET"
            and "preview" not in request.GET
            and counted_path(request.path)
            and not is_bot(request.META.get("HTTP_USER_AGENT", ""))
        ):
            page_id = self.page_served(request, response)
            if page_id is not None:
                record_read(page_id, timezone.localdate())
        return response

    @staticmethod
    def page_served(request, response):
        # Wagtail's serve view told us (readership.wagtail_hooks.note_page_served) ...
        page_id = getattr(request, "readership_page_id", None)
        if page_id is None and response.get("X-Khlang-Cache") == "hit":
            # ... or the app's page cache answered without routing: find the page by its path.
            page_id = resolve_for_version(request.path, getattr(request, "khlang_content_versions", (None,))[0])
        return page_id
