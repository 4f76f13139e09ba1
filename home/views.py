from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from plan.permissions import DASHBOARD_PERMISSION, SPONSORS
from review.roles import ADMINISTRATORS, AUTHORS, EDITORS, REVIEWERS

# The guide's parts, one per role, in the order work flows through them.
GUIDE_ROLES = [("authors", AUTHORS), ("reviewers", REVIEWERS), ("editors", EDITORS), ("sponsors", SPONSORS),
               ("administrators", ADMINISTRATORS)]


class StaffGuideView(WagtailAdminTemplateMixin, TemplateView):
    """How each role works in Khlang, in Thai, with the reader's own roles marked and first."""

    template_name = "home/admin/staff_guide.html"
    page_title = _("คู่มือการใช้งานคลังความรู้")
    header_icon = "help"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        groups = set(user.groups.values_list("name", flat=True))
        mine = {key for key, group in GUIDE_ROLES if group in groups}
        if user.has_perm(DASHBOARD_PERMISSION):
            mine.add("sponsors")  # the plan's approvers and the KM working group read the dashboard too
        if user.is_superuser:
            mine.add("administrators")
        context["roles"] = dict(GUIDE_ROLES)
        context["parts"] = sorted((key for key, _group in GUIDE_ROLES), key=lambda key: key not in mine)
        context["mine"] = mine
        return context
