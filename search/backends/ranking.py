import math

from django.db.models import F, Q
from modelsearch.query import And, Fuzzy, Or, Phrase, PlainText, SearchQuery

from ..query import autocomplete_query, build_query, query_groups
from ..visible import visible_ids


class ThaiQueryMixin:
    """Turns a query string into Thai words before any backend sees it.

    Search fields are segmented when indexed (search.index); queries typed in
    the admin or on the site are segmented here, the same way.
    """

    def search(self, query, model_or_queryset, fields=None, operator=None, order_by_relevance=True):
        if not isinstance(query, SearchQuery):
            query = build_query(query, operator=operator or "and") or ""
        return super().search(query, model_or_queryset, fields=fields, order_by_relevance=order_by_relevance)

    def autocomplete(self, query, model_or_queryset, fields=None, operator=None, order_by_relevance=True):
        # The admin's page search hands over a parsed PlainText rather than the typed string.
        if isinstance(query, PlainText):
            query = query.query_string
        if not isinstance(query, SearchQuery):
            query = autocomplete_query(query)
        return super().autocomplete(
            query, model_or_queryset, fields=fields,
            operator=operator or "and", order_by_relevance=order_by_relevance,
        )

    FUZZY = False  # the engine forgives slips in longer words itself

    def ranked_ids(self, query, queryset, operator="and", limit=300, fields=None, match=None):
        """Ids of the best `limit` matches in `queryset`, best first.

        `match`, when given, is a simpler query matching exactly the same pages (the words a query
        requires, without the phrases that only lift its score): PostgreSQL finds candidates by it.
        """
        return [obj.pk for obj in self.search(query, queryset, fields=fields, operator=operator)[:limit]]

    def tiered_ids(self, plan, queryset, limit=300):
        """Pages with every concept of a QueryPlan, best first, then those with any of them.

        Returns the ids and how many of them hold every concept.
        """
        first = self.ranked_ids(plan.all_words(), queryset, limit=limit, match=plan.every_word())
        wider = plan.any_words(fuzzy=self.FUZZY)
        if wider is None or len(first) >= limit:
            return first, len(first)
        seen = set(first)
        rest = [pk for pk in self.ranked_ids(wider, queryset, limit=limit) if pk not in seen]
        return (first + self.by_coverage(plan, rest, queryset))[:limit], len(first)

    def by_coverage(self, plan, ids, queryset):
        """The second tier's pages, those holding more of the query's concepts first.

        A concept weighs more the fewer of these pages hold it (its inverse document
        frequency among them), twice as much in a page's title; so a page with several of
        the query's telling words comes before one with only a common word, and a word in
        a title before a rare word in a body (ถังขยะ: ขยะ in a title, not ถัง in a fire
        story). Two words typed next to each other (in พัฒนางานบริการ, งาน บริการ) that a
        page holds side by side count as one more concept. Among pages of equal coverage
        the backend's order stands. The backends' own scores for some of the words differ
        widely (PostgreSQL's ts_rank knows no document frequency; the engine's title boost
        let one common word in a title win); coverage is the same on every backend. It is
        asked over these pages only: two queries per concept and one per pair (one request
        on the engine).
        """
        if len(plan.concepts) < 2 or len(ids) < 2:
            return ids
        concepts = [plan.concept_query(c) for c in plan.concepts]
        pairs = [Phrase(" ".join(pair)) for pair in plan.adjacent_pairs()]
        units = [(q, False) for q in concepts + pairs] + [(q, True) for q in concepts]
        held = self.holding_all(units, ids, queryset)
        anywhere, in_titles = held[: len(concepts) + len(pairs)], held[len(concepts) + len(pairs):]
        score = dict.fromkeys(ids, 0.0)
        # a concept in a title counts again, with the weight of the concept anywhere
        for holders, counted in [*zip(anywhere, anywhere, strict=True), *zip(in_titles, anywhere, strict=False)]:
            for pk in holders & score.keys():
                score[pk] += math.log(1 + len(ids) / len(counted))
        return sorted(ids, key=lambda pk: -score[pk])

    def holding_all(self, units, ids, queryset):
        """For each (query, in_title) of units, the set of pages `ids` matching it."""
        return [self.holding(query, ids, queryset, in_title) for query, in_title in units]

    def holding(self, query, ids, queryset, in_title=False):
        """Which of the pages `ids` (all visible) match `query` (in their titles only, with in_title)."""
        return set(self.ranked_ids(query, queryset.filter(pk__in=ids), limit=len(ids),
                                   fields=["title"] if in_title else None))

    def suggested_ids(self, query, queryset, limit=8):
        """Ids of the best `limit` pages whose titles complete a half-typed query."""
        return [obj.pk for obj in self.autocomplete(query, queryset)[:limit]]


def keep_visible(ranked, queryset, limit):
    """The ranked ids still in `queryset` (an index can lag behind the database), in order."""
    visible = visible_ids(queryset)
    return [pk for pk in ranked if pk in visible][:limit]


class SQLiteRankingMixin:
    """Ranks with SQLite FTS5's own bm25() in one indexed query.

    modelsearch's SQLite backend scores with a subquery per matching row, whose
    cost grows with the square of the number of matches (seconds at 10 000 pages).
    """

    TITLE_WEIGHT = 5.0

    def ranked_ids(self, query, queryset, operator="and", limit=300, fields=None, match=None):
        if not isinstance(query, SearchQuery):
            query = build_query(query, operator)
        expression = fts5_expression(query) if query else ""
        # columns: autocomplete, body, title
        return self._best_matches(expression, (0.0, 1.0, self.TITLE_WEIGHT), queryset, limit)

    def suggested_ids(self, query, queryset, limit=8):
        words = [w for group in query_groups(query) for w in group]
        if not words:
            return []
        terms = [_fts5_term(w) for w in words]
        terms[-1] += "*"  # the word being typed
        return self._best_matches(f"autocomplete : ({' AND '.join(terms)})", (1.0, 0.0, 0.0), queryset, limit)

    def holding(self, query, ids, queryset, in_title=False):
        expression = fts5_expression(query)
        if in_title and expression:
            expression = f"title : ({expression})"
        return set(self._best_matches(expression, (0.0, 1.0, self.TITLE_WEIGHT), queryset, len(ids), among=ids))

    def _best_matches(self, expression, weights, queryset, limit, among=None):
        from django.db import connection
        from modelsearch.utils import get_descendants_content_types_pks

        if not expression:
            return []
        content_types = get_descendants_content_types_pks(queryset.model)
        among_sql = " AND e.object_id IN ({})".format(",".join(["%s"] * len(among))) if among else ""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT e.object_id FROM wagtailsearch_indexentry_fts AS f "
                "JOIN wagtailsearch_indexentry AS e ON e.id = f.rowid "
                "WHERE wagtailsearch_indexentry_fts MATCH %s AND e.content_type_id IN ({}){} "
                "ORDER BY bm25(wagtailsearch_indexentry_fts, %s, %s, %s) LIMIT %s".format(
                    ",".join(str(int(ct)) for ct in content_types) or "0", among_sql
                ),
                [expression, *[str(pk) for pk in among or ()], *weights, limit * 2],
            )
            ranked = [int(row[0]) for row in cursor.fetchall()]
        return ranked[:limit] if among else keep_visible(ranked, queryset, limit)


class PostgresRankingMixin:
    """Ranks on PostgreSQL with one ts_rank per field, over a bounded set of candidates.

    modelsearch joins every page to its entry, matches title || body without an
    index (search.migrations.0004 adds one) and ranks with a ts_rank per word and
    field for every match. Ranking reads each match's whole body vector, which for a
    common word at 10 000 pages took a quarter of a second; so only CANDIDATES
    entries matched in the title and as many matched anywhere (both found through
    GIN indexes, unranked) are ranked. At 10 000 articles (bench/load.py's varied
    queries, in-process) 1 000 candidates took a median 81 ms per search and 144 ms at
    the 90th percentile, 300 took 40 / 56 ms; 500 keeps well over MAX_HITS to rank.

    Finding the candidates and ranking them is one statement (a materialised CTE, so
    the ranking reads only the candidates, by primary key). Reading a body vector (4 KB,
    out of line) is what costs: an any-word query matches most entries, so PostgreSQL
    scans them in order, and `title || body` built a new vector per entry read (twice
    the time of testing title and body apart, which for any-word queries is the same).
    """

    CANDIDATES = 500

    def holding_all(self, units, ids, queryset):
        """ThaiQueryMixin.holding_all in one statement: each of the pages `ids` is read once
        (its title || body built once, in a subquery PostgreSQL keeps apart with OFFSET 0)
        and tested against every unit, instead of a statement per unit."""
        from django.db import connection

        held = [set() for _ in units]
        tested = [(n, self._tsquery(query, queryset), in_title) for n, (query, in_title) in enumerate(units)]
        tested = [(n, tsquery, in_title) for n, tsquery, in_title in tested if tsquery is not None]
        if not ids or not tested:
            return held
        among = self._title_and_body(
            self._entries(queryset).extra(where=["object_id = ANY(%s)"], params=[[str(pk) for pk in ids]])
        ).values_list("object_id", "title", "_vector_")
        among_sql, among_params = among.query.sql_with_params()
        compiler = among.query.get_compiler(connection=connection)
        tests, test_params = [], []
        for _, tsquery, in_title in tested:
            sql, params = compiler.compile(tsquery.resolve_expression(among.query))
            tests.append(f"{'title' if in_title else 'vector'} @@ ({sql})")
            test_params += params
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT object_id, {', '.join(tests)} FROM ({among_sql} OFFSET 0) AS entry (object_id, title, vector)",
                [*test_params, *among_params],
            )
            for object_id, *matches in cursor.fetchall():
                for (n, _, _), matched in zip(tested, matches, strict=True):
                    if matched:
                        held[n].add(int(object_id))
        return held

    def holding(self, query, ids, queryset, in_title=False):
        return self.holding_all([(query, in_title)], ids, queryset)[0]

    def _tsquery(self, query, queryset):
        compiler = getattr(self.search(query, queryset), "query_compiler", None)
        return compiler and compiler.build_tsquery(compiler.query, config=compiler.get_config(self))

    @staticmethod
    def _entries(queryset):
        from modelsearch.conf import get_app_config
        from modelsearch.utils import get_descendants_content_types_pks

        entries = get_app_config().get_model("IndexEntry")._default_manager
        return entries.filter(content_type_id__in=get_descendants_content_types_pks(queryset.model)).order_by()

    @staticmethod
    def _title_and_body(entries):
        return entries.annotate(_vector_=F("title")._combine(F("body"), "||", False))

    def ranked_ids(self, query, queryset, operator="and", limit=300, fields=None, match=None):
        from django.contrib.postgres.search import SearchRank
        from django.db import connection

        compiler = getattr(self.search(query, queryset, operator=operator), "query_compiler", None)
        tsquery = compiler and compiler.build_tsquery(compiler.query, config=compiler.get_config(self))
        if tsquery is None:
            return []
        weights = compiler.sql_weights
        searched = self._entries(queryset)
        # A phrase makes PostgreSQL recheck each entry the GIN index finds (reading its body vector);
        # the same pages matched without it are found from the index alone.
        matched = self._tsquery(match, queryset) if match is not None else None
        matched = tsquery if matched is None else matched
        in_title = searched.filter(title=matched).values_list("pk", flat=True)[: self.CANDIDATES]
        if _any_of(compiler.query):  # one of the words is enough: in the title or in the body
            anywhere = searched.filter(Q(title=matched) | Q(body=matched))
        else:  # every word, wherever each is
            anywhere = self._title_and_body(searched).filter(_vector_=matched)
        candidates_sql, candidates_params = in_title.union(
            anywhere.values_list("pk", flat=True)[: self.CANDIDATES]
        ).query.sql_with_params()
        ranked = (
            searched.model._default_manager
            .extra(where=["id = ANY(ARRAY(SELECT * FROM candidates))"])
            .annotate(rank=SearchRank(F("title"), tsquery, weights=weights) * F("title_norm")
                      + SearchRank(F("body"), tsquery, weights=weights))
            .order_by("-rank", "-id")
            .values_list("object_id", flat=True)[: limit * 2]
        )
        ranked_sql, ranked_params = ranked.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"WITH candidates AS MATERIALIZED ({candidates_sql}) {ranked_sql}",
                           [*candidates_params, *ranked_params])
            ranked_ids = [int(row[0]) for row in cursor.fetchall()]
        return keep_visible(ranked_ids, queryset, limit)


def _any_of(query):
    """Whether a modelsearch query matches when any one of its parts does (an Or, or an "or" PlainText)."""
    if isinstance(query, Or):
        return True
    return isinstance(query, (PlainText, Fuzzy)) and (query.operator == "or" or len(query.query_string.split()) == 1)


def _fts5_term(word):
    return '"' + word.replace('"', '""') + '"'


def fts5_expression(query):
    """A modelsearch query (PlainText, Phrase, Fuzzy, And, Or) as an FTS5 MATCH expression."""
    if isinstance(query, (And, Or)):
        parts = [p for p in (fts5_expression(q) for q in query.subqueries) if p]
        joiner = " AND " if isinstance(query, And) else " OR "
        return "(" + joiner.join(parts) + ")" if parts else ""
    if isinstance(query, Phrase):
        return _fts5_term(query.query_string)
    if isinstance(query, (PlainText, Fuzzy)):
        terms = [_fts5_term(w) for w in query.query_string.split()]
        joiner = " AND " if query.operator == "and" else " OR "
        return "(" + joiner.join(terms) + ")" if terms else ""
    raise NotImplementedError(type(query).__name__)
