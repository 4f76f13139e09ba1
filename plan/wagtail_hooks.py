from django.urls import path, re_path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import GroupApprovalTask

from review.roles import EDITORS, ROLE_PERMISSIONS_HOOK, SETUP_ROLES_HOOK, assign_workflow, page_permissions, task_for

from .models import KMPlanIndexPage
from .permissions import DASHBOARD_PERMISSION, PLAN_APPROVERS, PLAN_TASK, PLAN_WORKFLOW, SPONSORS
from .views import DashboardView, download_report


@hooks.register(ROLE_PERMISSIONS_HOOK)
def dashboard_readers():
    return {EDITORS: [DASHBOARD_PERMISSION], SPONSORS: [DASHBOARD_PERMISSION], PLAN_APPROVERS: [DASHBOARD_PERMISSION]}


@hooks.register(SETUP_ROLES_HOOK)
def plan_approval(groups):
    """The KM working group writes each year's plan and submits it; คุณเอื้อ approves it, which publishes it."""
    plans = KMPlanIndexPage.objects.all()
    # the last approval publishes as the approver, and Wagtail lets only a publisher publish
    page_permissions(groups[PLAN_APPROVERS], plans, ["publish"])
    task = task_for(GroupApprovalTask, PLAN_TASK, groups[PLAN_APPROVERS])
    assign_workflow(PLAN_WORKFLOW, [task], plans)


@hooks.register("register_admin_urls")
def register_plan_urls():
    return [
        path("km-plan/", DashboardView.as_view(), name="plan_dashboard"),
        re_path(r"^km-plan/report-(?P<year>\d{4})\.(?P<file_format>pdf|xlsx)$", download_report, name="plan_report"),
    ]


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(DASHBOARD_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return DashboardMenuItem(_("ผลการจัดการความรู้"), reverse("plan_dashboard"), name="km-dashboard", icon_name="table", order=250)
