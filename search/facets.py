"""Filters and facet counts for a list of matching pages, computed by the database.

The search backend hands over the ids of the best matches (a bounded list, already
restricted to what the reader may see). Counting them is one grouped query over
(type, category, department, fiscal year) plus one over tags, not a loop over
the hits in Python; filtering them is one query.

Each facet counts the matches under every *other* selected filter, so filters
combine: choosing a department still shows how many of its matches are in each year.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q
from django.db.models.functions import Coalesce
from wagtail.models import Page

from cop.models import CommunityPage, DialogueSummaryPage
from knowledge.models import BestPracticePage, Department, KnowledgeArticle, KnowledgeCategory

# ?type= values and the page types they stand for, in display order.
CONTENT_TYPES = {
    "article": KnowledgeArticle,
    "best_practice": BestPracticePage,
    "dialogue": DialogueSummaryPage,
    "community": CommunityPage,
}
FACETS = ("type", "category", "department", "year", "tag")
TAG_FACET_SIZE = 15
# The page types that have each field, by their relation from Page (multi-table inheritance).
_WITH_ITEM_FIELDS = ("knowledgearticle", "bestpracticepage", "dialoguesummarypage")
_WITH_DEPARTMENT = (*_WITH_ITEM_FIELDS, "communitypage")
_TAGGED = (KnowledgeArticle, BestPracticePage, DialogueSummaryPage)


def _coalesce(field, relations):
    return Coalesce(*(F(f"{relation}__{field}") for relation in relations))


def _with_fields(pages):
    """Pages annotated with the facet fields, whichever page type defines them."""
    return pages.annotate(
        f_category=_coalesce("category_id", _WITH_ITEM_FIELDS),
        f_department=_coalesce("department_id", _WITH_DEPARTMENT),
        f_year=_coalesce("fiscal_year", _WITH_ITEM_FIELDS),
        f_date=_coalesce("date", _WITH_ITEM_FIELDS),
    )


def _type_ids():
    return {code: ContentType.objects.get_for_model(model).pk for code, model in CONTENT_TYPES.items()}


def _tagged_q(tag):
    q = Q(pk__in=[])
    for model in _TAGGED:
        through = model.tagged_items.rel.related_model
        q |= Q(pk__in=through.objects.filter(tag__name=tag).values("content_object_id"))
    return q


def _filter_q(selected, skip=None):
    """The selected filters, but `skip`, as a condition on pages annotated by _with_fields."""
    q = Q()
    if selected.get("type") and skip != "type":
        q &= Q(content_type_id=_type_ids()[selected["type"]])
    if selected.get("category") and skip != "category":
        q &= Q(f_category__in=KnowledgeCategory.objects.filter(slug=selected["category"]).values("pk"))
    if selected.get("department") and skip != "department":
        q &= Q(f_department__in=Department.objects.filter(code=selected["department"]).values("pk"))
    if selected.get("year") and skip != "year":
        q &= Q(f_year=selected["year"])
    if selected.get("tag") and skip != "tag":
        q &= _tagged_q(selected["tag"])
    return q


def active(selected):
    return {name: value for name, value in selected.items() if value not in (None, "")}


def filter_ids(ids, selected, by_date=False):
    """The ids that pass every selected filter: in the given order, or newest first."""
    selected = active(selected)
    if not selected and not by_date:
        return list(ids)
    pages = _with_fields(Page.objects.filter(pk__in=ids)).filter(_filter_q(selected))
    if by_date:
        return list(pages.order_by(F("f_date").desc(nulls_last=True), "pk").values_list("pk", flat=True))
    passing = set(pages.values_list("pk", flat=True))
    return [pk for pk in ids if pk in passing]


def facet_counts(ids, selected, engine=None):
    """{facet: [{"value", "label", "count", "selected"}]} for the matching pages `ids`.

    Counted by the engine's aggregations when `engine` (the search backend that ranked
    them) can, else by grouped queries on the database; either way only `ids` are counted.
    """
    chosen = active(selected)
    if hasattr(engine, "facet_counts"):
        counts = _engine_counts(engine, ids, chosen)
        tags = sorted(counts.pop("tag").items(), key=lambda item: (-item[1], item[0]))[:TAG_FACET_SIZE]
    else:
        counts = _database_counts(ids, chosen)
        tags = _tag_counts(ids, chosen)
    labels = _labels(counts)
    facets = {}
    for name, values in counts.items():
        if name == "year":
            ordered = sorted(values.items(), key=lambda item: -item[0])
        else:
            ordered = sorted(values.items(), key=lambda item: (-item[1], str(labels[name][item[0]][1])))
        facets[name] = [
            {"value": labels[name][value][0], "label": str(labels[name][value][1]), "count": count,
             "selected": selected.get(name) == labels[name][value][0]}
            for value, count in ordered
        ]
    facets["tag"] = [
        {"value": tag, "label": tag, "count": count, "selected": selected.get("tag") == tag}
        for tag, count in tags
    ]
    return facets


def _engine_counts(engine, ids, chosen):
    """{facet: {value: count}} from the engine; a category or department that does not exist matches nothing."""
    as_ids = dict(chosen)
    for name, model, lookup in (("category", KnowledgeCategory, "slug"), ("department", Department, "code")):
        if name in chosen:
            as_ids[name] = next(iter(_ids_of(model, **{lookup: chosen[name]})), -1)
    return engine.facet_counts(ids, as_ids, CONTENT_TYPES, TAG_FACET_SIZE)


def _database_counts(ids, chosen):
    """{facet: {value: count}} but tags, from one grouped query."""
    counts = {name: {} for name in FACETS if name != "tag"}
    for row in _combinations(ids, chosen):
        for name in counts:
            if all(passes for other, passes in row["passes"].items() if other != name):
                value = row[name]
                if value is not None:
                    counts[name][value] = counts[name].get(value, 0) + row["n"]
    return counts


def _combinations(ids, chosen):
    """One grouped query: how many matches share each (type, category, department, year),
    and whether that group passes each selected filter (the tag filter as a column)."""
    group = ["content_type_id", "f_category", "f_department", "f_year"]
    pages = _with_fields(Page.objects.filter(pk__in=ids))
    if chosen.get("tag"):
        pages = pages.annotate(f_tagged=ExpressionWrapper(_tagged_q(chosen["tag"]), output_field=BooleanField()))
        group.append("f_tagged")
    rows = pages.order_by().values(*group).annotate(n=Count("pk"))
    type_by_id = {pk: code for code, pk in _type_ids().items()}
    wanted = {
        "category": _ids_of(KnowledgeCategory, slug=chosen.get("category")),
        "department": _ids_of(Department, code=chosen.get("department")),
    }
    combinations = []
    for row in rows:
        type_code = type_by_id.get(row["content_type_id"])
        combinations.append({
            "type": type_code, "category": row["f_category"], "department": row["f_department"],
            "year": row["f_year"], "n": row["n"],
            "passes": {
                "type": "type" not in chosen or type_code == chosen["type"],
                "category": "category" not in chosen or row["f_category"] in wanted["category"],
                "department": "department" not in chosen or row["f_department"] in wanted["department"],
                "year": "year" not in chosen or row["f_year"] == chosen["year"],
                "tag": "tag" not in chosen or bool(row["f_tagged"]),
            },
        })
    return combinations


def _ids_of(model, **lookup):
    value = next(iter(lookup.values()))
    return set(model.objects.filter(**lookup).values_list("pk", flat=True)) if value else set()


def _labels(counts):
    """(value in the URL, label) for every counted value."""
    type_labels = {code: (code, model._meta.verbose_name) for code, model in CONTENT_TYPES.items()}
    categories = KnowledgeCategory.objects.in_bulk(list(counts["category"]))
    departments = Department.objects.in_bulk(list(counts["department"]))
    return {
        "type": type_labels,
        "category": {pk: (c.slug, c.name) for pk, c in categories.items()},
        "department": {pk: (d.code, d.name) for pk, d in departments.items()},
        "year": {year: (year, str(year)) for year in counts["year"]},
    }


def _tag_counts(ids, chosen):
    """The most used tags among the matches that pass the other filters: one grouped query."""
    others = _filter_q(chosen, skip="tag")
    # with no other filter chosen every match passes: no need to join the page types
    passing = _with_fields(Page.objects.filter(pk__in=ids)).filter(others).values("pk") if others else list(ids)
    parts = [
        model.tagged_items.rel.related_model.objects.filter(content_object_id__in=passing)
        .order_by().values("tag__name").annotate(n=Count("pk")).values_list("tag__name", "n")
        for model in _TAGGED
    ]
    counts = {}
    for name, n in parts[0].union(*parts[1:], all=True):
        counts[name] = counts.get(name, 0) + n
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TAG_FACET_SIZE]
