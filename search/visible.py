"""The ids of every page a reader may find, kept per public content version.

A backend ranks pages from an index that also holds drafts, private and staff-only
pages; its ranked ids are then checked against what the reader may see. Asking the
database "which of these 600 ids are visible?" cost a statement per ranking tier, and
Django spends as long building its 600-value IN list as PostgreSQL answering it. The
whole visible set (ten thousand small integers at 10 000 articles) is read once per
content version and audience instead, and checked in memory.

Every change to which pages are live, where they are or who may see them bumps the
public content version (base.content_version), so a kept set never outlives it; the
key also holds the query's SQL, which names the audience (a signed-in reader's barred
restrictions are part of it).
"""

from base.counts import kept_per_query
from base.models import PublicContentVersion

VISIBLE_IDS_SECONDS = 600


def visible_ids(queryset):
    """The primary keys of `queryset`, a frozenset, kept per content version."""
    ids_query = queryset.order_by().values_list("pk", flat=True)
    return kept_per_query("search-visible", ids_query, PublicContentVersion.current(),
                          lambda: frozenset(ids_query), VISIBLE_IDS_SECONDS)
