from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.models import Page

from home import thai

MAX_QUERY_LENGTH = 200


def search(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    results = Page.objects.none()
    if query:
        results = Page.objects.live().public().specific().search(query)
    page = Paginator(results, 10).get_page(thai.parse_int(request.GET.get("page")) or 1)
    return TemplateResponse(request, "search/search.html", {"search_query": query, "results": page})
