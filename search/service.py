"""Public search: one query, ranked by the search backend, filtered and faceted here.

The backend (the engine, or the database when the engine is absent or down)
finds and ranks; the ranked ids are then restricted to what the reader may see.
Facets count only those ids: with the engine's aggregations (an ids filter) on the
engine, with grouped queries on the databases. Filters and pagination are computed
from the database, so they behave the same on every backend.
"""

import functools
import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.utils import normalise_query_string

from base.count_buffer import CountBuffer
from base.models import PublicContentVersion
from base.search_fields import plain_text
from base.visibility import is_signed_in, readable_pages, reader_key, staff_only_ids
from imports.attachments import attachment_texts
from knowledge.models import published_stamp
from thai.digits import parse_int, to_arabic_digits, to_thai_digits

from .facets import CONTENT_TYPES, facet_counts, filter_ids
from .highlight import highlight
from .query import MAX_QUERY_LENGTH, clean_query, plan_query, query_groups

logger = logging.getLogger(__name__)

# Facets and totals count the best MAX_HITS matches; more costs every query a lot of time.
MAX_HITS = 300
PAGE_SIZE = 10
# What anonymous readers found is kept this long, or until the content version changes.
FOUND_CACHE_SECONDS = 600
BODY_TEXT_SECONDS = 3600
FALLBACK_BACKEND = "database"


@dataclass
class Hit:
    page: Page
    type: str
    highlight: str
    staff_only: bool = False  # signed-in staff only (Wagtail privacy "signed-in users")

    @property
    def type_label(self):
        return CONTENT_TYPES[self.type]._meta.verbose_name


@dataclass
class SearchOutcome:
    query: str = ""
    total: int = 0
    page: object = None  # a Paginator page of Hit
    facets: dict = field(default_factory=dict)
    selected: dict = field(default_factory=dict)
    sort: str = "relevance"
    fallback: bool = False  # the engine failed; results come from the database index
    relaxed: bool = False  # nothing matched every word; showing pages matching some
    suggestion: str = ""  # "did you mean": the query with misspelt parts corrected
    truncated: bool = False  # the query was longer than MAX_QUERY_LENGTH
    unsearchable: bool = False  # the query had no letters or digits
    promoted: list = field(default_factory=list)
    # What the page of results and its facets may be cached under (None: not cacheable, e.g. the fallback answered)
    results_key: str = None


def visible_pages(user=None, request=None):
    """Everything this reader may find: live pages of the searchable types, public ones for
    anonymous readers, staff-only ones too for signed-in staff (base.visibility).

    The index holds every page; who sees what is decided here, at query time.
    """
    return readable_pages(user, Page.objects.live().type(*CONTENT_TYPES.values()), request)


def backend_names():
    names = ["default"]
    if FALLBACK_BACKEND in settings.WAGTAILSEARCH_BACKENDS:
        names.append(FALLBACK_BACKEND)
    return names


def with_fallback(ask):
    """ask(backend) on the engine, or on the database index if the engine fails.

    Returns the answer and whether the fallback gave it.
    """
    names = backend_names()
    for position, name in enumerate(names):
        try:
            return ask(get_search_backend(name)), position > 0
        except Exception:
            if position == len(names) - 1:
                raise
            logger.exception("Search backend %r failed; falling back to %r", name, names[position + 1])


def ranked_ids(plan, visible=None):
    """Ids of pages matching a QueryPlan, best first (every word, then some), how many have
    every word, and whether the fallback backend answered."""
    visible = visible_pages() if visible is None else visible
    (ids, with_every_word), fallback = with_fallback(lambda backend: backend.tiered_ids(plan, visible, MAX_HITS))
    return ids, with_every_word, fallback


def found(query, selected, sort, user=None, request=None):
    """The matches (ranked, or newest first), their facets, whether the fallback answered or
    only some words matched, the "did you mean" suggestion, and the key it is cached under.

    Cached per query as typed, public content version and audience (base.visibility.reader_key:
    anonymous, or the restrictions that still bar a signed-in reader): every publish,
    unpublish, privacy or synonym change bumps the version, so a cached answer never outlives
    what it was ranked from, and no audience is served another's answer. A cached answer costs
    no query planning (spelling, synonyms) and no ranking. Answers from the fallback are not kept.
    """
    version = PublicContentVersion.for_request(request) if request else PublicContentVersion.current()
    key = _cache_key(query, selected, sort, reader_key(user, request), version)
    answer = cache.get(key) if key else None
    if answer is None:
        plan = plan_query(query)
        answer = {**_find(plan, selected, sort, visible_pages(user, request)), "suggestion": plan.suggestion}
        if key and not answer["fallback"]:
            cache.set(key, answer, FOUND_CACHE_SECONDS)
    return {**answer, "key": key if not answer["fallback"] else None}


def _find(plan, selected, sort, visible):
    ids, with_every_word, fallback = ranked_ids(plan, visible)
    return {
        "matching": filter_ids(ids, selected, by_date=sort == "date"),
        "facets": counted_facets(ids, selected, engine=None if fallback else get_search_backend("default")),
        "fallback": fallback,
        "relaxed": bool(ids) and not with_every_word,
    }


def counted_facets(ids, selected, engine=None):
    """Facets from the engine's aggregations when it ranked the hits, or from the database if it fails."""
    try:
        return facet_counts(ids, selected, engine=engine)
    except Exception:
        if not hasattr(engine, "facet_counts"):
            raise
        logger.exception("The engine could not count facets; counting them on the database")
        return facet_counts(ids, selected)


def _cache_key(query, selected, sort, audience, version):
    backends = json.dumps(settings.WAGTAILSEARCH_BACKENDS, sort_keys=True, default=str)
    asked = json.dumps([query, selected, sort], sort_keys=True, default=str)
    digest = hashlib.sha256(f"{backends}\n{asked}".encode()).hexdigest()[:32]
    return f"search-found:{version}:{audience}:{digest}"


# The longest value each filter can have (a category's slug, a department's code, a tag's
# name); a longer one cannot match and is refused, so it is never repeated back in links.
FILTER_MAX_LENGTH = {"category": 80, "department": 50, "tag": 100}


def _bounded(params, name):
    value = (params.get(name) or "").strip()
    return value if len(value) <= FILTER_MAX_LENGTH[name] else None


def read_filters(params):
    return {
        "type": params.get("type") if params.get("type") in CONTENT_TYPES else None,
        "category": _bounded(params, "category") or None,
        "department": _bounded(params, "department") or None,
        "year": parse_int(params.get("year")),  # None for anything but a number of a few digits
        "tag": _bounded(params, "tag") or None,
    }


def search(params, user=None, request=None):
    """Given the request being answered, what it already read (the content version, the site's
    restrictions) is read once for it."""
    raw = params.get("q", "")
    query = clean_query(raw)
    outcome = SearchOutcome(
        query=query,
        selected=read_filters(params),
        sort="date" if params.get("sort") == "date" else "relevance",
        truncated=len(" ".join(raw.split())) > MAX_QUERY_LENGTH,
    )
    if not query:
        return outcome
    if not query_groups(query):
        outcome.unsearchable = True
        return outcome

    answer = found(query, outcome.selected, outcome.sort, user, request)
    matching, outcome.facets = answer["matching"], answer["facets"]
    outcome.fallback, outcome.relaxed = answer["fallback"], answer["relaxed"]
    outcome.suggestion = answer["suggestion"]
    outcome.total = len(matching)

    paginator = Paginator(matching, PAGE_SIZE)
    outcome.page = paginator.get_page(parse_int(params.get("page")) or 1)
    outcome.page.object_list = LazyHits(list(outcome.page.object_list), query, user, request)
    if answer["key"]:
        outcome.results_key = f"{answer['key']}:{outcome.page.number}"
    outcome.promoted = promoted_pages(query, user=user, request=request)
    return outcome


class LazyHits(Sequence):
    """A page of hits, loaded (pages, snippets) only when read: the search page's cached
    fragment (keyed by SearchOutcome.results_key) shows them without reading them.

    Each hit's own fragment is kept per structure version, query and its page as last published
    (KeptHit.key), so after a publish a repeated search reads one small row per hit, and the pages
    and snippets only of hits whose fragment is cold (the page published, or not shown before)."""

    def __init__(self, ids, query, user, request=None):
        self.ids, self.query, self.user, self.request = ids, query, user, request
        self._loaded = {}  # pk -> Hit, for hits whose fragment was cold

    @functools.cached_property
    def hits(self):
        rows = {row.pk: row for row in Page.objects.filter(pk__in=self.ids).values_list(
            "pk", "path", "last_published_at", named=True)}
        staff_only = staff_only_ids(rows.values(), self.request) if is_signed_in(self.user) else set()
        return [KeptHit(self, row, row.pk in staff_only) for pk in self.ids if (row := rows.get(pk))]

    def loaded(self, pk):
        """The Hit (page and snippet) of one hit whose fragment is cold. The first one is read
        alone (after a publish it is usually the only one); a second reads all the rest together."""
        if pk not in self._loaded:
            self._loaded.update(self._load([pk] if not self._loaded else [i for i in self.ids if i not in self._loaded]))
        return self._loaded.get(pk)  # None: deleted since the hits were read

    def _load(self, ids):
        pages = Page.objects.filter(pk__in=ids).specific().select_related("department", for_specific_subqueries=True)
        type_of = {model: code for code, model in CONTENT_TYPES.items()}
        return {page.pk: Hit(page=page, type=type_of[type(page)], highlight=snippet(page, self.query)) for page in pages}

    def __getitem__(self, index):
        return self.hits[index]

    def __iter__(self):
        return iter(self.hits)

    def __len__(self):  # without loading: a page whose pages were deleted meanwhile shows fewer
        return len(self.ids)


def body_text(page):
    """The text of a live page's body fields, kept per page, published revision and content version.

    Turning a StreamField into text (its blocks to Python, chooser blocks read from the database,
    rich text parsed) cost more than highlighting it; the same pages come up for many queries.
    """
    key = f"search-body-text:{PublicContentVersion.current()}:{page.pk}:{page.live_revision_id}"
    return cache.get_or_set(
        key, lambda: " ".join(plain_text(page, exclude=("title", "summary", "attachment_text"))), BODY_TEXT_SECONDS
    )


class KeptHit:
    """A hit whose page and snippet are read (with the other hits') only when shown."""

    def __init__(self, hits, row, staff_only):
        self._hits, self.pk, self.staff_only = hits, row.pk, staff_only
        # What its fragment shows besides the structure version's parts: the page as last
        # published, the query (its snippet) and whether it is marked "staff only".
        self.key = (row.pk, published_stamp(row.last_published_at), staff_only)

    @functools.cached_property
    def _hit(self):
        return self._hits.loaded(self.pk)

    page = property(lambda self: self._hit.page)
    type = property(lambda self: self._hit.type)
    highlight = property(lambda self: self._hit.highlight)
    type_label = property(lambda self: self._hit.type_label)


def snippet(page, query):
    """The summary, the passage of the body, or of an attachment, where the query's words occur."""
    summary = getattr(page, "summary", "")
    body = body_text(page)
    for candidate in (summary, body):
        marked = highlight(candidate, query)
        if "<mark>" in marked:
            return marked
    for title, attachment in attachment_texts(page) if hasattr(page, "attachment_documents") else []:
        marked = highlight(attachment, query)
        if "<mark>" in marked:
            return format_html("<strong>{}</strong> {}", _("พบในไฟล์แนบ “%(title)s”:") % {"title": title}, marked)
    return highlight(summary or body, query)


def promoted_pages(query, visible=None, user=None, request=None):
    from wagtail.contrib.search_promotions.models import SearchPromotion

    # Wagtail keeps a promoted query as the editor typed its digits: match either kind.
    forms = {normalise_query_string(convert(query)) for convert in (to_arabic_digits, to_thai_digits)}
    promotions = list(SearchPromotion.objects.filter(query__query_string__in=forms).select_related("page"))
    if not promotions:
        return []
    visible = visible_pages(user, request) if visible is None else visible
    visible = set(visible.filter(pk__in=[p.page_id for p in promotions if p.page_id]).values_list("pk", flat=True))
    return [p for p in promotions if (p.page_id in visible) or (not p.page_id and p.external_link_url)]


def suggest(query, limit=8, user=None):
    """Pages this reader may see whose titles complete a half-typed query, for the search box."""
    query = clean_query(query)
    if not query_groups(query):
        return [], False
    ids, fallback = with_fallback(lambda backend: backend.suggested_ids(query, visible_pages(user), limit))
    pages = Page.objects.in_bulk(ids)
    return [pages[pk] for pk in ids if pk in pages], fallback


def record(outcome):
    """Remember what people search for, and which searches found nothing (at once, or through
    the buffer: KHLANG_SEARCHES_BUFFER_SECONDS)."""
    if not outcome.query or outcome.unsearchable:
        return
    searches.add(("searched", outcome.query, timezone.now().date()))  # the day Wagtail's Query.add_hit counts in
    if outcome.total == 0:
        searches.add(("unanswered", outcome.query, timezone.localdate()))


def write_searches(counts):
    """{(kind, query, day): n} into the editors' reports: Wagtail's search terms and daily hits, and
    the searches that found nothing."""
    from django.db.models import F
    from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

    from .models import UnansweredQuery

    with transaction.atomic():
        for (kind, query, day), n in sorted(counts.items()):
            if kind == "unanswered":
                UnansweredQuery.record(query, day, n)
                continue
            daily, _ = QueryDailyHits.objects.get_or_create(query=Query.get(query), date=day)
            QueryDailyHits.objects.filter(pk=daily.pk).update(hits=F("hits") + n)


# Searches this process has counted and not yet written (base.count_buffer; gunicorn's worker_exit flushes it).
searches = CountBuffer(lambda counts: write_searches(counts), lambda: settings.KHLANG_SEARCHES_BUFFER_SECONDS,
                       "searches")


def flush_searches():
    searches.flush()
