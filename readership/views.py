import django_filters
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, NumberColumn
from wagtail.admin.views.reports import ReportView

from thai.dates import fiscal_year, fiscal_year_bounds

from .models import PageReadCount

# A fiscal year's months in order (October first), with their short Thai names.
FISCAL_MONTHS = [
    (10, _("ต.ค.")), (11, _("พ.ย.")), (12, _("ธ.ค.")), (1, _("ม.ค.")), (2, _("ก.พ.")), (3, _("มี.ค.")),
    (4, _("เม.ย.")), (5, _("พ.ค.")), (6, _("มิ.ย.")), (7, _("ก.ค.")), (8, _("ส.ค.")), (9, _("ก.ย.")),
]


def fiscal_year_choices():
    """Every fiscal year (B.E.) from the first counted read to this one, newest first."""
    current = fiscal_year(timezone.localdate())
    first = PageReadCount.objects.order_by("date").values_list("date", flat=True).first()
    oldest = fiscal_year(first) if first else current
    return [(year, str(year)) for year in range(current, oldest - 1, -1)]


class ReadershipFilterSet(django_filters.FilterSet):
    # The view reads the year itself (its months are the report's columns).
    year = django_filters.ChoiceFilter(
        label=_("ปีงบประมาณ"), choices=fiscal_year_choices, method="keep", empty_label=_("ปีงบประมาณปัจจุบัน")
    )

    class Meta:
        model = PageReadCount
        fields = []

    def keep(self, queryset, name, value):
        return queryset


class ReadershipReport(ReportView):
    """Reads of each page per month of a fiscal year (B.E., October to September)."""

    page_title = _("การเข้าถึงความรู้")
    header_icon = "view"
    index_url_name = "readership_report"
    index_results_url_name = "readership_report_results"
    filterset_class = ReadershipFilterSet
    columns = [
        Column("page__title", label=_("หน้า")),
        NumberColumn("total", label=_("รวมทั้งปี")),
        *(NumberColumn(f"m{month}", label=label) for month, label in FISCAL_MONTHS),
    ]
    list_export = ["page_id", "page__title", "total", *(f"m{month}" for month, _label in FISCAL_MONTHS)]
    export_headings = {
        "page_id": _("รหัสหน้า"), "page__title": _("หน้า"), "total": _("รวมทั้งปี"),
        **{f"m{month}": label for month, label in FISCAL_MONTHS},
    }

    @cached_property
    def year(self):
        if self.filters and self.filters.is_valid() and self.filters.form.cleaned_data.get("year"):
            return int(self.filters.form.cleaned_data["year"])
        return fiscal_year(timezone.localdate())

    def get_page_subtitle(self):
        return _("ปีงบประมาณ %(year)s") % {"year": self.year}

    def get_export_filename(self):
        return f"readership-{self.year}"

    def get_queryset(self):
        first, last = fiscal_year_bounds(self.year)
        return (
            PageReadCount.objects.filter(date__gte=first, date__lte=last)
            .values("page_id", "page__title")
            .annotate(
                total=Sum("count"),
                **{f"m{month}": Coalesce(Sum("count", filter=Q(date__month=month)), 0) for month, _label in FISCAL_MONTHS},
            )
            .order_by("-total", "page__title")
        )
