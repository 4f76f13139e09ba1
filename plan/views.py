from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from thai.dates import parse_fiscal_year

from .models import KMPlanPage
from .permissions import DASHBOARD_PERMISSION
from .report import current_fiscal_year, render_pdf, render_xlsx, year_report

REPORT_FORMATS = {
    "pdf": ("application/pdf", render_pdf),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", render_xlsx),
}
# Years shown in the year selector besides those with a plan.
YEARS_BACK = 4


def requested_year(request):
    """The year asked for, else the plan being worked on: this fiscal year's, or the latest before it."""
    year = parse_fiscal_year(request.GET.get("year"))
    if year:
        return year
    current = current_fiscal_year()
    latest = KMPlanPage.objects.live().filter(fiscal_year__lte=current).order_by("-fiscal_year").first()
    return latest.fiscal_year if latest else current


def year_choices(selected):
    current = current_fiscal_year()
    years = set(range(current - YEARS_BACK, current + 2)) | {selected}
    years |= set(KMPlanPage.objects.values_list("fiscal_year", flat=True))
    return sorted(years, reverse=True)


@method_decorator(permission_required(DASHBOARD_PERMISSION, raise_exception=True), name="dispatch")
class DashboardView(WagtailAdminTemplateMixin, TemplateView):
    """The KM working group's and the sponsor's view of the year: indicators against targets."""

    template_name = "plan/admin/dashboard.html"
    page_title = _("ผลการจัดการความรู้")
    header_icon = "table"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        year = requested_year(self.request)
        context = super().get_context_data(**kwargs)
        context.update(year_report(year))
        context.update(year_choices=year_choices(year), show_previous=True, formats=list(REPORT_FORMATS))
        return context


@permission_required(DASHBOARD_PERMISSION, raise_exception=True)
def download_report(request, year, file_format):
    year = int(year)
    content_type, render = REPORT_FORMATS[file_format]
    response = HttpResponse(render(year), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="km-report-{year}.{file_format}"'
    return response
