"""Listing counts (and other answers to a query) kept per content version and the query's SQL.

A listing's "found N items" and its page numbers count every matching row on every
request; the count changes only when content does, and every such change bumps the
public content version (base.content_version). The key also holds the counting query's
SQL and parameters, which carry the filters and the reader's restrictions: a count made
for staff (who see staff-only items) has another key than the public's.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class KeptCountPaginator(Paginator):
    def __init__(self, object_list, per_page, *, content_version, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.content_version = content_version

    @cached_property
    def count(self):
        return kept_per_query("count", self.object_list, self.content_version, self.object_list.count,
                              settings.KHLANG_PAGE_CACHE_SECONDS)


def kept_per_query(name, queryset, content_version, compute, seconds):
    """compute(), kept per content version and the queryset's SQL and parameters (which carry
    its filters and the reader's restrictions, so each audience has its own key)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter no row can match: Django answers without a query
        return compute()
    digest = hashlib.sha256(repr((queryset.db, sql, params)).encode()).hexdigest()
    return cache.get_or_set(f"{name}:{content_version}:{digest}", compute, seconds)
