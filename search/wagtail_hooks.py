from django.core.exceptions import PermissionDenied
from django.db.models import Max, OuterRef, Subquery, Sum
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, NumberColumn
from wagtail.admin.views.reports import ReportView
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from review.roles import ADMINISTRATORS, EDITORS, ROLE_PERMISSIONS_HOOK

from .models import SearchSynonym, SearchTermDecision, UnansweredQuery

# What visitors typed may hold anything, personal data included: the KM working group and
# administrators read it, not every signed-in author.
DECIDE_PERMISSION = "search.change_searchtermdecision"


class DecidersOnly:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(DECIDE_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class UnansweredQueriesReport(DecidersOnly, ReportView):
    """What readers searched for and did not find: gaps in the library."""

    page_title = _("คำค้นที่ไม่พบผลลัพธ์")
    header_icon = "search"
    index_url_name = "search_unanswered_report"
    index_results_url_name = "search_unanswered_report_results"
    columns = [
        Column("query_string", label=_("คำค้น")),
        NumberColumn("total_hits", label=_("จำนวนครั้ง")),
        Column("last_searched", label=_("ค้นหาล่าสุด")),
    ]
    list_export = ["query_string", "total_hits", "last_searched"]

    def get_queryset(self):
        return (
            UnansweredQuery.objects.values("query_string")
            .annotate(total_hits=Sum("hits"), last_searched=Max("date"))
            .order_by("-total_hits", "query_string")
        )



class PopularSearchesReport(DecidersOnly, ReportView):
    """Every term people searched for, most searched first, with the KM editors' decision on it:
    the public list (search.popular) shows only approved terms and undecided ones that find
    public content. For KM editors, who do not see Wagtail's superuser-only *Search terms*."""

    page_title = _("คำค้นยอดนิยม (ทุกคำ)")
    header_icon = "search"
    index_url_name = "search_popular_report"
    index_results_url_name = "search_popular_report_results"
    columns = [
        Column("query_string", label=_("คำค้น")),
        NumberColumn("_hits", label=_("จำนวนครั้ง")),
        Column(
            "decision", label=_("การแสดงผล"),
            accessor=lambda row: dict(SearchTermDecision.DECISIONS).get(row.decision, _("ตามผลการค้นหา")),
        ),
    ]
    list_export = ["query_string", "_hits", "decision"]

    def get_queryset(self):
        from wagtail.contrib.search_promotions.models import Query

        decision = SearchTermDecision.objects.filter(term=OuterRef("query_string")).values("decision")[:1]
        return Query.get_most_popular(date_since=None).annotate(decision=Subquery(decision))


class DecidersMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(DECIDE_PERMISSION)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("reports/popular-searches/", PopularSearchesReport.as_view(), name="search_popular_report"),
        path(
            "reports/popular-searches/results/",
            PopularSearchesReport.as_view(results_only=True),
            name="search_popular_report_results",
        ),
        path("reports/unanswered-searches/", UnansweredQueriesReport.as_view(), name="search_unanswered_report"),
        path(
            "reports/unanswered-searches/results/",
            UnansweredQueriesReport.as_view(results_only=True),
            name="search_unanswered_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_popular_report_menu_item():
    return DecidersMenuItem(
        _("คำค้นยอดนิยม (ทุกคำ)"), reverse("search_popular_report"), name="popular-searches", icon_name="search", order=1300,
    )


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return DecidersMenuItem(
        _("คำค้นที่ไม่พบผลลัพธ์"),
        reverse("search_unanswered_report"),
        name="unanswered-searches",
        icon_name="search",
        order=1310,
    )


class SearchTermDecisionViewSet(SnippetViewSet):
    """KM editors approve or hide the terms shown publicly as popular searches (search.popular)."""

    model = SearchTermDecision
    icon = "search"
    menu_label = _("คำค้นยอดนิยม")
    list_display = ["term", "decision", "decided_by", "decided_at"]
    list_filter = ["decision"]
    search_fields = ["term"]


class SearchSynonymViewSet(SnippetViewSet):
    """KM editors keep the groups of terms a search treats as one (search.synonyms)."""

    model = SearchSynonym
    icon = "list-ul"
    menu_label = _("คำพ้องความหมาย")
    search_fields = ["terms"]


class SearchGroup(SnippetViewSetGroup):
    """What the KM working group keeps for search, in one menu: then no snippet is left for
    Wagtail's own Snippets menu, which would sit beside knowledge's under the same Thai name."""

    menu_label = _("การค้นหา")
    menu_icon = "search"
    menu_order = 310
    items = (SearchTermDecisionViewSet, SearchSynonymViewSet)


register_snippet(SearchGroup)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def record_who_decided(request, instance):
    if isinstance(instance, SearchTermDecision):
        SearchTermDecision.objects.filter(pk=instance.pk).update(decided_by=request.user)


@hooks.register(ROLE_PERMISSIONS_HOOK)
def search_term_deciders():
    """The KM working group keeps what search shows and treats as one: popular terms and synonyms."""
    permissions = [
        f"search.{action}_{model}"
        for model in ("searchtermdecision", "searchsynonym")
        for action in ("add", "change", "delete", "view")
    ]
    return {EDITORS: permissions, ADMINISTRATORS: permissions}
