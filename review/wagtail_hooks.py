import functools

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.site_summary import SummaryItem
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter
from wagtail.models import Page
from wagtail.permissions import policy_registry
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from knowledge.models import OFFLINE_ITEM_HOOK

from .cycle import due_for_review
from .forms import RefinementChecklistForm
from .models import Retirement, StaffMembership, refined_pages
from .retirement import serve_retired
from .views import DueForReviewView, RetireView, can_retire


def can_publish_somewhere(user):
    return policy_registry.get_by_type(Page).user_has_any_permission(user, ["publish"])


@hooks.register(OFFLINE_ITEM_HOOK)
def explain_retirement(page):
    """A retired item's URL answers "410 Gone" with the reason, not a bare 404."""
    retirement = Retirement.objects.filter(page_id=page.pk).first()
    if retirement:
        return functools.partial(serve_retired, page=page, retirement=retirement)


@hooks.register("register_admin_urls")
def register_review_urls():
    return [
        path("review/retire/<int:page_id>/", RetireView.as_view(), name="review_retire"),
        path("reports/due-for-review/", DueForReviewView.as_view(), name="review_due"),
        path(
            "reports/due-for-review/results/",
            DueForReviewView.as_view(results_only=True),
            name="review_due_results",
        ),
    ]


class PublishersMenuItem(MenuItem):
    def is_shown(self, request):
        return can_publish_somewhere(request.user)


@hooks.register("register_reports_menu_item")
def register_due_for_review_report():
    return PublishersMenuItem(
        _("ถึงกำหนดทบทวน"), reverse("review_due"), name="due-for-review", icon_name="time", order=1050
    )


def retire_button(page, user, priority):
    if can_retire(page, user):
        yield Button(_("ปลดระวางความรู้"), reverse("review_retire", args=[page.pk]), icon_name="no-view",
                     priority=priority)


@hooks.register("register_page_header_buttons")
def page_header_retire_button(page, user, view_name, next_url=None):
    yield from retire_button(page, user, priority=62)


@hooks.register("register_page_listing_more_buttons")
def page_listing_retire_button(page, user, next_url=None):
    yield from retire_button(page, user, priority=42)


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    @actions.register_action("review.refine")
    class RefineFormatter(LogFormatter):
        label = _("กลั่นกรองความรู้")

        def format_message(self, log_entry):
            checklist = log_entry.data.get("checklist", {})
            ticked = [
                str(field.label) for name, field in RefinementChecklistForm.base_fields.items()
                if checklist.get(name)
            ]
            return _("ผ่านการกลั่นกรอง: %(items)s") % {"items": " · ".join(ticked)}

    @actions.register_action("review.retire")
    class RetireFormatter(LogFormatter):
        label = _("ปลดระวางความรู้")

        def format_message(self, log_entry):
            replacement = log_entry.data.get("replacement")
            if replacement:
                return _("ปลดระวาง ใช้ '%(title)s' แทน") % {"title": replacement["title"]}
            return _("ปลดระวาง")

        def format_comment(self, log_entry):
            return log_entry.data.get("reason", "")


class StaffMembershipViewSet(SnippetViewSet):
    model = StaffMembership
    icon = "group"
    add_to_settings_menu = True
    menu_label = _("สังกัดของเจ้าหน้าที่")
    list_display = ["user", "department"]
    list_filter = ["department"]


register_snippet(StaffMembershipViewSet)


class RefinedSummaryItem(SummaryItem):
    """Dashboard figures for the KM editors: refined items and items due for review."""

    order = 300
    template_name = "review/admin/summary_items.html"

    def get_context_data(self, parent_context):
        return {
            "refined_count": refined_pages().count(),
            "due_count": due_for_review().count(),
            "due_url": reverse("review_due"),
        }

    def is_shown(self):
        return can_publish_somewhere(self.request.user)


@hooks.register("construct_homepage_summary_items")
def add_review_summary_items(request, items):
    items.append(RefinedSummaryItem(request))
