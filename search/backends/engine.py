"""Elasticsearch / OpenSearch with Thai analysis.

Configured as WAGTAILSEARCH_BACKENDS["default"] = {"BACKEND": "search.backends.engine",
"ENGINE": "elasticsearch7" | "elasticsearch8" | "elasticsearch9" | "opensearch2" | "opensearch3", ...}.

- Text is analysed with the `thai` tokenizer (or `icu_tokenizer` where the ICU
  plugin is installed), lowercased, and Thai digits folded (`decimal_digit`).
- Autocomplete: modelsearch searches edge-ngram fields with the `standard`
  analyzer, which cannot split Thai; ours searches them with the Thai one.
- An index update that fails (engine down or slow) is written to
  PendingIndexUpdate and repaired by `manage.py search_reconcile`.
"""

import functools
import json
from copy import deepcopy
from importlib import import_module

from modelsearch.utils import deep_update

from .aggregations import FacetQuery
from .ranking import ThaiQueryMixin, keep_visible

ENGINES = {
    "elasticsearch7": "modelsearch.backends.elasticsearch7",
    "elasticsearch8": "modelsearch.backends.elasticsearch8",
    "elasticsearch9": "modelsearch.backends.elasticsearch9",
    "opensearch2": "modelsearch.backends.opensearch2",
    "opensearch3": "modelsearch.backends.opensearch3",
}
TEXT_FILTERS = ["lowercase", "decimal_digit"]


def thai_analysis(tokenizer):
    return {
        "settings": {
            "analysis": {
                "analyzer": {
                    "default": {"type": "custom", "tokenizer": tokenizer, "filter": TEXT_FILTERS},
                    "thai_text": {"type": "custom", "tokenizer": tokenizer, "filter": TEXT_FILTERS},
                    "edgengram_analyzer": {
                        "type": "custom", "tokenizer": tokenizer, "filter": [*TEXT_FILTERS, "edgengram"],
                    },
                    "ngram_analyzer": {
                        "type": "custom", "tokenizer": tokenizer, "filter": [*TEXT_FILTERS, "ngram"],
                    },
                },
            },
        },
    }


class JournalFailuresMixin:
    """Remember index updates the engine did not take, so they can be repaired."""

    def add(self, obj):
        try:
            super().add(obj)
        except Exception:
            self._journal([obj], "index")
            raise

    def add_bulk(self, model, obj_list):
        try:
            super().add_bulk(model, obj_list)
        except Exception:
            self._journal(obj_list, "index")
            raise

    def delete(self, obj):
        try:
            super().delete(obj)
        except Exception:
            self._journal([obj], "delete")
            raise

    def _journal(self, objs, action):
        from search.models import PendingIndexUpdate

        PendingIndexUpdate.remember(objs, action)


class RankedIdsMixin:
    """Asks the engine for the best hits' ids in one request.

    modelsearch would scroll through them 100 at a time, read each hit's stored
    fields and load a page object for each; the search service needs only the ids.
    """

    FUZZY = True  # `fuzziness: AUTO` for the wider tier (ThaiQueryMixin.tiered_ids)

    def ranked_ids(self, query, queryset, operator="and", limit=300, fields=None, match=None):
        results = self.search(query, queryset, fields=fields, operator=operator)
        if not hasattr(results, "query_compiler"):  # nothing to search for
            return []
        # pk from doc values: reading it as a stored field would decompress every hit's source
        body = {**results._get_es_body(), "docvalue_fields": ["pk"]}
        response = results._backend_do_search(
            body, index=self.get_index_for_model(queryset.model).name, size=limit, _source=False,
            **{results.fields_param_name: "_none_"},
        )
        ranked = [int(hit["fields"]["pk"][0]) for hit in response["hits"]["hits"]]
        return keep_visible(ranked, queryset, limit)

    def holding_all(self, units, ids, queryset):
        """ThaiQueryMixin.holding_all in one multi-search request."""
        among = queryset.filter(pk__in=ids)
        index = self.get_index_for_model(queryset.model).name
        searches = []
        for query, in_title in units:
            body = self.search(query, among, fields=["title"] if in_title else None)._get_es_body()
            searches += [{"index": index}, {**body, "docvalue_fields": ["pk"], "_source": False, "size": len(ids)}]
        if getattr(self, "use_new_elasticsearch_api", False):  # ES client >= 7.15: no `body`
            response = self.es.msearch(searches=searches)
        else:
            response = self.es.msearch(body=searches)
        return [{int(hit["fields"]["pk"][0]) for hit in answer["hits"]["hits"]} for answer in response["responses"]]

    def facet_counts(self, ids, chosen, types, tag_size):
        """{facet: {value: count}} for the pages `ids` (search/facets.py), from one aggregation request."""
        from wagtail.models import Page

        key = tuple(types.items())
        if key not in self._facet_queries:
            self._facet_queries[key] = FacetQuery(self.mapping_class, types)
        facets = self._facet_queries[key]
        body = facets.body(ids, chosen, tag_size)
        if getattr(self, "use_new_elasticsearch_api", False):  # ES client >= 7.15: no `body`
            response = self.es.search(index=self.get_index_for_model(Page).name, **body)
        else:
            response = self.es.search(index=self.get_index_for_model(Page).name, body=body)
        return facets.counts(response)


@functools.cache
def _thai_engine_class(base):
    mapping = type(
        f"Thai{base.mapping_class.__name__}",
        (base.mapping_class,),
        {"edgengram_analyzer_config": {"analyzer": "edgengram_analyzer", "search_analyzer": "thai_text"}},
    )
    return type(
        f"Thai{base.__name__}",
        (JournalFailuresMixin, RankedIdsMixin, ThaiQueryMixin, base),
        {"mapping_class": mapping},
    )


def resolve_engine(name):
    """'elasticsearch' or 'opensearch' means the version the installed client speaks."""
    if name == "elasticsearch":
        from elasticsearch import VERSION

        return f"elasticsearch{VERSION[0]}"
    if name == "opensearch":
        from opensearchpy import VERSION

        return f"opensearch{max(2, VERSION[0])}"
    return name


def SearchBackend(params):  # noqa: N802 (the name modelsearch looks up)
    # Wagtail makes a backend for every search; one per configuration keeps one
    # client and its pool of open connections to the engine.
    key = json.dumps(params, sort_keys=True, default=repr)
    if key not in _BACKENDS:
        _BACKENDS[key] = _make_backend(dict(params))
    return _BACKENDS[key]


_BACKENDS = {}


# Connections kept open to the engine per app process: one per gunicorn thread and then some.
# opensearch-py keeps one by default, so threads searching at once each opened (and then
# dropped) a new connection; the Elasticsearch clients keep ten already.
ENGINE_POOL_SIZE = 10


def _make_backend(params):
    engine = resolve_engine(params.pop("ENGINE", "elasticsearch"))
    base = import_module(ENGINES[engine]).SearchBackend
    if engine.startswith("opensearch"):
        params["OPTIONS"] = {"pool_maxsize": ENGINE_POOL_SIZE, **params.get("OPTIONS", {})}
    analysis = thai_analysis(params.pop("THAI_TOKENIZER", "thai"))
    params["INDEX_SETTINGS"] = deep_update(deepcopy(analysis), params.get("INDEX_SETTINGS", {}))
    backend = _thai_engine_class(base)(params)
    backend._facet_queries = {}
    return backend
