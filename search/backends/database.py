"""The database search backend (SQLite FTS5 or PostgreSQL), made Thai-aware.

Configured as WAGTAILSEARCH_BACKENDS[...]["BACKEND"] = "search.backends.database".
modelsearch picks the implementation for the current database; we add Thai
query handling on top of whichever it picks.
"""

import functools

from modelsearch.backends import database as modelsearch_database

from .ranking import PostgresRankingMixin, SQLiteRankingMixin, ThaiQueryMixin

RANKING = {"SQLiteSearchBackend": SQLiteRankingMixin, "PostgresSearchBackend": PostgresRankingMixin}


@functools.cache
def _thai_class(backend_class):
    # modelsearch's SQLite module can only be imported on SQLite, so compare by name.
    ranking = RANKING.get(backend_class.__name__)
    mixins = (ranking, ThaiQueryMixin) if ranking else (ThaiQueryMixin,)
    return type(f"Thai{backend_class.__name__}", (*mixins, backend_class), {})


def SearchBackend(params):  # noqa: N802 (the name modelsearch looks up)
    return _thai_class(type(modelsearch_database.SearchBackend(params)))(params)
