"""Listing counts kept per content version and the SQL that counts them.

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
        try:
            sql, params = self.object_list.query.sql_with_params()
        except EmptyResultSet:  # a filter no row can match: Django counts 0 without a query
            return super().count
        key = f"count:{self.content_version}:{hashlib.sha256(repr((sql, params)).encode()).hexdigest()}"
        count = cache.get(key)
        if count is None:
            count = super().count
            cache.set(key, count, settings.KHLANG_PAGE_CACHE_SECONDS)
        return count
