"""Facet counts from the engine's aggregations, for a given list of page ids.

The ids are the reader's matches, already restricted to what the reader may see
(the index holds drafts and private pages too), so the aggregations count exactly
those pages: one request with size 0, filtered by `ids`, and for each facet a
`filter` aggregation holding every *other* selected filter (filters combine the
same way as search/facets.py's grouped queries on the databases).

Each page type keeps its fields under its own name in the one page index
(modelsearch prefixes a subclass's fields), so a facet is counted over the
fields of every type that has it and the counts are added: a page has only one.
"""

from modelsearch.index import FilterField, RelatedFields

FIELD_FACETS = {"category": "category", "department": "department", "year": "fiscal_year"}


def _fields(mapping_class, models, field_name):
    """The engine's field holding `field_name` for each model that has it as a FilterField."""
    names = []
    for model in models:
        mapping = mapping_class(model)
        for field in model.get_search_fields():
            if isinstance(field, FilterField) and field.field_name == field_name:
                names.append(mapping.get_field_column_name(field))
    return names


def _tag_paths(mapping_class, models):
    """The nested path of each model's tags (RelatedFields "tags" with a FilterField "name")."""
    paths = []
    for model in models:
        mapping = mapping_class(model)
        for field in model.get_search_fields():
            if isinstance(field, RelatedFields) and field.field_name == "tags":
                paths.append(mapping.get_field_column_name(field))
    return paths


class FacetQuery:
    """The aggregation request for pages of `types` ({code: model}) and its answer as plain counts."""

    def __init__(self, mapping_class, types):
        self.types = {code: mapping_class(model).get_content_type() for code, model in types.items()}
        models = list(types.values())
        self.fields = {name: _fields(mapping_class, models, field) for name, field in FIELD_FACETS.items()}
        self.tag_paths = _tag_paths(mapping_class, models)

    def _match(self, name, value):
        """A filter: the page has `value` (an id, a year, a type code or a tag name) for facet `name`."""
        if name == "type":
            return {"term": {"_django_content_type": self.types[value]}}
        if name == "tag":
            should = [{"nested": {"path": path, "query": {"term": {f"{path}.name_filter": value}}}}
                      for path in self.tag_paths]
        else:
            should = [{"term": {field: value}} for field in self.fields[name]]
        return {"bool": {"should": should, "minimum_should_match": 1}}

    def body(self, ids, chosen, tag_size):
        """`chosen`: {facet: value} with category and department as ids (None: matches nothing)."""
        aggs = {}
        for name in ("type", "category", "department", "year", "tag"):
            others = [self._match(other, value) for other, value in chosen.items() if other != name]
            if name == "type":
                inner = {"terms": {"field": "_django_content_type", "size": 50}}
                inner = {"v": inner}
            elif name == "tag":
                inner = {f"t{n}": {"nested": {"path": path}, "aggs": {
                    "v": {"terms": {"field": f"{path}.name_filter", "size": tag_size * 4}}}}
                    for n, path in enumerate(self.tag_paths)}
            else:
                inner = {f"f{n}": {"terms": {"field": field, "size": 500}}
                         for n, field in enumerate(self.fields[name])}
            aggs[name] = {"filter": {"bool": {"filter": others}}, "aggs": inner}
        return {"query": {"ids": {"values": [str(pk) for pk in ids]}}, "size": 0, "aggs": aggs}

    def counts(self, response):
        """{facet: {value: count}}: type codes, category and department ids, years, tag names."""
        aggs = response["aggregations"]
        code_of = {content_type: code for code, content_type in self.types.items()}
        counts = {"type": {}}
        for bucket in aggs["type"]["v"]["buckets"]:
            if bucket["key"] in code_of:
                counts["type"][code_of[bucket["key"]]] = bucket["doc_count"]
        for name in ("category", "department", "year"):
            counts[name] = {}
            for key, agg in aggs[name].items():
                if key.startswith("f"):
                    for bucket in agg["buckets"]:
                        value = int(bucket["key"])
                        counts[name][value] = counts[name].get(value, 0) + bucket["doc_count"]
        counts["tag"] = {}
        for key, agg in aggs["tag"].items():
            if key.startswith("t"):
                for bucket in agg["v"]["buckets"]:
                    counts["tag"][bucket["key"]] = counts["tag"].get(bucket["key"], 0) + bucket["doc_count"]
        return counts
