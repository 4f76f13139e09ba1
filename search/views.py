from django.http import JsonResponse, QueryDict
from django.template.response import TemplateResponse

from base.routing import prime_site

from . import popular, service


def search(request):
    prime_site(request)  # the site and agency settings the page shows, kept as for every page
    outcome = service.search(request.GET, request.user, request)
    service.record(outcome)
    # The page's links ({% querystring %} reads request.GET, the language switch the full
    # path) repeat the search as it was used, bounded, never what was sent: a 3 000-character
    # tag, a 5 000-character query or an unknown parameter.
    request.GET = used_params(outcome)
    request.META["QUERY_STRING"] = request.GET.urlencode()
    popular_terms = popular.popular_terms() if outcome.query and not outcome.total else []
    return TemplateResponse(
        request,
        "search/search.html",
        {"outcome": outcome, "search_query": outcome.query, "popular_terms": popular_terms,
         "active_filters": sum(1 for value in outcome.selected.values() if value not in (None, "")),
         "content_types": service.CONTENT_TYPES},
    )


def api_search(request):
    outcome = service.search(request.GET, request.user, request)
    service.record(outcome)
    hits = outcome.page.object_list if outcome.page else []
    return JsonResponse(
        {
            "query": outcome.query,
            "total": outcome.total,
            "page": outcome.page.number if outcome.page else 1,
            "pages": outcome.page.paginator.num_pages if outcome.page else 0,
            "fallback": outcome.fallback,
            "relaxed": outcome.relaxed,
            "suggestion": outcome.suggestion,
            "results": [
                {
                    "title": hit.page.title,
                    "url": hit.page.get_url(request=request),
                    "type": hit.type,
                    "staff_only": hit.staff_only,
                    "summary": getattr(hit.page, "summary", ""),
                    "highlight": str(hit.highlight),
                    "department": str(hit.page.department) if getattr(hit.page, "department", None) else None,
                    "published": hit.page.first_published_at.date().isoformat() if hit.page.first_published_at else None,
                }
                for hit in hits
            ],
            "facets": {
                name: [{k: v for k, v in option.items() if k != "selected"} for option in options]
                for name, options in outcome.facets.items()
            },
        },
        json_dumps_params={"ensure_ascii": False},
    )


def api_suggest(request):
    pages, fallback = service.suggest(request.GET.get("q", ""), user=request.user)
    return JsonResponse(
        {
            "query": request.GET.get("q", "")[: service.MAX_QUERY_LENGTH],
            "fallback": fallback,
            "suggestions": [{"title": page.title, "url": page.get_url(request=request)} for page in pages],
        },
        json_dumps_params={"ensure_ascii": False},
    )



def used_params(outcome):
    """The query, filters, order and page number the search used, as a query string."""
    params = QueryDict(mutable=True)
    used = {"q": outcome.query, **outcome.selected, "sort": "date" if outcome.sort == "date" else None}
    if outcome.page and outcome.page.number > 1:
        used["page"] = outcome.page.number
    for name, value in used.items():
        if value not in (None, ""):
            params[name] = str(value)
    return params
