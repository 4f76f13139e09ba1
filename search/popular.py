"""The public "popular searches": what people search for, kept clean.

Anyone can type anything into the search box, and staff search for drafts and
staff-only pages, so a term people searched for is shown publicly only when an
editor approved it (SearchTermDecision "shown") or, undecided, while it finds at
least one page an anonymous reader may see. Hidden terms never show. The
editors' reports (search terms, searches that found nothing) keep every term.
"""

from django.core.cache import cache
from django.db.models import Count, Max

from base.models import PublicContentVersion

from . import service
from .models import SearchTermDecision
from .query import clean_query, plan_query, query_groups

# The most searched terms examined for the public list; each undecided one costs a search.
CANDIDATES = 40
CACHE_SECONDS = 300


def finds_public_content(term):
    """Whether the term, searched as anonymous readers search, finds a page (every word required).

    Only the first of the search's two tiers is asked: pages with some of the words do not count.
    """
    term = clean_query(term)
    if not query_groups(term):
        return False
    every_word, visible = plan_query(term).all_words(), service.visible_pages(None)
    ids, _ = service.with_fallback(lambda backend: backend.ranked_ids(every_word, visible))
    return bool(ids)


def popular_terms(limit=8):
    """The most searched terms that may be shown publicly, most searched first.

    Cached for a few minutes, and anew whenever public content or a decision changes.
    """
    decided = SearchTermDecision.objects.aggregate(count=Count("pk"), last=Max("decided_at"))
    last = decided["last"].timestamp() if decided["last"] else 0
    key = f"search:popular:{limit}:{PublicContentVersion.current()}:{decided['count']}:{last}"
    return cache.get_or_set(key, lambda: _popular_terms(limit), CACHE_SECONDS)


def _popular_terms(limit):
    from wagtail.contrib.search_promotions.models import Query

    decisions = dict(SearchTermDecision.objects.values_list("term", "decision"))
    terms = []
    for query in Query.get_most_popular(date_since=None)[:CANDIDATES]:
        decision = decisions.get(query.query_string)
        if decision == SearchTermDecision.SHOWN or (decision is None and finds_public_content(query.query_string)):
            terms.append(query.query_string)
            if len(terms) == limit:
                break
    return terms
