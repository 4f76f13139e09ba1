"""Facet counts (search/facets.py): grouped queries that agree with counting by hand,
and never count what the reader may not see."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from knowledge.models import Department, KnowledgeArticle
from search import facets, service
from search.query import plan_query
from tests.search.helpers import api, publish_article, refresh

pytestmark = pytest.mark.django_db


def counted_by_hand(ids, selected):
    """Each facet's counts, from every page object, under the other selected filters."""
    type_of = {model: code for code, model in facets.CONTENT_TYPES.items()}
    rows = []
    for page in Page.objects.filter(pk__in=ids).specific():
        category = getattr(page, "category", None)
        department = getattr(page, "department", None)
        rows.append({
            "type": [type_of[type(page)]],
            "category": [category.slug] if category else [],
            "department": [department.code] if department else [],
            "year": [page.fiscal_year] if getattr(page, "fiscal_year", None) else [],
            "tag": [tag.name for tag in page.tags.all()] if hasattr(page, "tags") else [],
        })
    counts = {}
    for name in facets.FACETS:
        counts[name] = Counter(
            value
            for row in rows
            if all(selected[other] in row[other] for other in selected if other != name)
            for value in row[name]
        )
    return counts


def counted_by_facets(data):
    return {name: Counter({option["value"]: option["count"] for option in options}) for name, options in data.items()}


@pytest.mark.parametrize("query", ["ภาษี", "ความรู้", "ชุมชน"])
def test_counts_equal_a_count_by_hand(client, backend, query):
    ids, _, _ = service.ranked_ids(plan_query(query))
    assert len(ids) >= 3
    by_hand = counted_by_hand(ids, {})
    by_facets = counted_by_facets(facets.facet_counts(ids, {}))
    for name in facets.FACETS:
        expected = by_hand[name] if name != "tag" else Counter(dict(by_hand[name].most_common(facets.TAG_FACET_SIZE)))
        if name == "tag":  # the top tags: ties at the cut may differ, the counts not
            assert sorted(by_facets[name].values()) == sorted(expected.values())
        else:
            assert by_facets[name] == expected, name

    # under a selected filter, every other facet counts only what passes it
    department = by_facets["department"].most_common(1)[0][0]
    year = by_facets["year"].most_common(1)[0][0]
    for selected in ({"department": department}, {"department": department, "year": year}):
        by_hand = counted_by_hand(ids, selected)
        by_facets = counted_by_facets(facets.facet_counts(ids, selected))
        for name in ("type", "category", "department", "year"):
            assert by_facets[name] == by_hand[name], (selected, name)
        filtered = facets.filter_ids(ids, selected)
        assert len(filtered) == by_hand["type"].total()
        assert filtered == [pk for pk in ids if pk in set(filtered)]  # ranking order kept


def test_tag_filter_counts_and_filters(client, backend, library):
    marker = "zqxwvfacet"  # a word no other page has
    department = Department.objects.first()
    tagged = [publish_article(library, f"{marker} เรื่องที่ {n}", marker, department=department) for n in range(3)]
    for article in tagged[:2]:
        article.tags.add("ป้ายทดสอบ")
        article.save_revision().publish()
    refresh(backend)
    data = api(client, q=marker)
    assert data["total"] == 3
    assert {"value": "ป้ายทดสอบ", "label": "ป้ายทดสอบ", "count": 2} in data["facets"]["tag"]
    filtered = api(client, q=marker, tag="ป้ายทดสอบ")
    assert filtered["total"] == 2
    # the tag facet skips its own filter; the others count what has the tag
    assert {o["value"]: o["count"] for o in filtered["facets"]["department"]} == {department.code: 2}
    assert {o["value"]: o["count"] for o in filtered["facets"]["tag"]}["ป้ายทดสอบ"] == 2


def public_private_and_draft(library, marker):
    """A public, a signed-in-only and a draft article with `marker`, in one department (returned)."""
    department = Department.objects.first()
    publish_article(library, f"{marker} สาธารณะ", marker, department=department)
    private = publish_article(library, f"{marker} ภายใน", marker, department=department)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    draft = KnowledgeArticle(title=f"{marker} ร่าง", summary=marker, body=[("paragraph", f"<p>{marker}</p>")],
                             department=department)
    library.add_child(instance=draft)
    draft.save_revision()
    if draft.live:
        draft.unpublish()
    return department


def test_drafts_and_private_pages_never_counted_for_anonymous(client, backend, library, login, staff):
    marker = "zqxwvsecret"  # a word no other page has
    department = public_private_and_draft(library, marker)
    refresh(backend)

    anonymous = api(client, q=marker)
    assert anonymous["total"] == 1
    for name in ("type", "department", "year"):
        assert sum(option["count"] for option in anonymous["facets"][name]) == 1, name

    signed_in = api(login(staff["editor"]), q=marker)
    assert signed_in["total"] == 2  # the staff-only page, never the draft
    assert {o["value"]: o["count"] for o in signed_in["facets"]["department"]} == {department.code: 2}


def test_facets_take_a_fixed_number_of_queries_however_many_hits(backend):
    def queries_for(query):
        ids, _, _ = service.ranked_ids(plan_query(query))
        with CaptureQueriesContext(connection) as captured:
            facets.facet_counts(ids, {"tag": "ภาษี", "department": "x"})
        return len(ids), len(captured)

    few_hits, few_queries = queries_for("ภาษีป้าย")
    many_hits, many_queries = queries_for("ความรู้")
    assert many_hits > few_hits
    assert many_queries <= few_queries + 1 and many_queries <= 6


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["engine"], indirect=True)
@pytest.mark.parametrize("query", ["ภาษี", "ความรู้", "ชุมชน"])
def test_engine_aggregations_equal_the_database_counts(backend, query):
    from wagtail.search.backends import get_search_backend

    engine = get_search_backend("default")
    ids, _, fallback = service.ranked_ids(plan_query(query))
    assert ids and not fallback
    on_engine = facets.facet_counts(ids, {}, engine=engine)
    assert on_engine == facets.facet_counts(ids, {})
    department = on_engine["department"][0]["value"]
    tag = on_engine["tag"][0]["value"]
    year = on_engine["year"][0]["value"]
    for selected in ({"department": department}, {"department": department, "year": year}, {"tag": tag},
                     {"type": "article", "tag": tag}, {"department": "no-such-department"}):
        assert facets.facet_counts(ids, selected, engine=engine) == facets.facet_counts(ids, selected), selected


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["engine"], indirect=True)
def test_engine_aggregations_never_count_restricted_pages(backend, library):
    from wagtail.search.backends import get_search_backend

    marker = "zqxwvaggs"  # a word no other page has
    public_private_and_draft(library, marker)
    refresh(backend)
    engine = get_search_backend("default")
    # the index holds all three; the ranked ids for an anonymous reader only the public one
    assert len(engine.ranked_ids(marker, Page.objects.all())) == 3
    ids, _, _ = service.ranked_ids(plan_query(marker))
    assert len(ids) == 1
    counted = facets.facet_counts(ids, {}, engine=engine)
    for name in ("type", "department", "year"):
        assert sum(option["count"] for option in counted[name]) == 1, name


@pytest.mark.parametrize("query_string", [
    "q=ภาษี", "q=ภาษี&department=klang&page=3", "q=ภาษี&year=2568", "year=2568", "", "q=a+b&tag=x&tag=y&page=2",
])
@pytest.mark.parametrize(("name", "value"), [("year", 2568), ("department", "klang"), ("tag", "ป้าย"), ("type", "article")])
def test_a_facet_link_is_what_django_querystring_makes(rf, query_string, name, value):
    from django.template import Context
    from django.template.defaulttags import querystring

    from search.templatetags.search_facets import facet_toggle_url

    context = Context({"request": rf.get("/search/?" + query_string)})
    context.request = context["request"]
    switched_on = context.request.GET.get(name) == str(value)
    expected = querystring(context, **{name: None if switched_on else value, "page": None})
    assert facet_toggle_url(context, name, value) == expected
