from modelsearch.query import SearchQuery

from ..text import autocomplete_query, build_query


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
        return super().autocomplete(
            autocomplete_query(query), model_or_queryset, fields=fields,
            operator=operator, order_by_relevance=order_by_relevance,
        )
