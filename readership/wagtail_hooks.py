import datetime

from django.conf import settings
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views
from .queries import reads_between, with_reads


@hooks.register("count_accesses")
def count_accesses(first_day: datetime.date, last_day: datetime.date) -> dict[int, int]:
    """{page_id: reads} over the inclusive day range: how apps above this one (the KM plan's
    "accesses" indicator) read the counts."""
    return reads_between(first_day, last_day)


@hooks.register("before_serve_page")
def note_page_served(page, request, serve_args, serve_kwargs):
    """Tell readership.middleware.CountReadsMiddleware which live page this request is serving
    (Wagtail routes only to live pages; previews never come this way)."""
    request.readership_page_id = page.pk


@hooks.register("listing_sort_orders")
def most_read_order(listing):
    """Each listing (knowledge.models.ListingPage) may be sorted by reads."""

    def order(queryset):
        return with_reads(queryset).order_by("-reads", *listing.listing_order)

    return [("most_read", _("อ่านมากที่สุด"), order)]


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("reports/readership/", views.ReadershipReport.as_view(), name="readership_report"),
        path(
            "reports/readership/results/",
            views.ReadershipReport.as_view(results_only=True),
            name="readership_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return MenuItem(
        _("การเข้าถึงความรู้"), reverse("readership_report"), name="readership", icon_name="view", order=1320
    )


@hooks.register("scheduled_commands")
def import_live_access_logs():
    """The worker (run_scheduler) imports nginx's log every round: the rotated file first, so the
    lines written just before a rotation are not missed, then the live one."""
    logs = [log.strip() for log in settings.KHLANG_ACCESS_LOG.split(",") if log.strip()]
    if not logs:
        return []
    paths = [path for log in logs for path in (log + ".1", log)]
    return [("import_access_log", paths, {"missing_ok": True, "verbosity": 0})]
