from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import StaffGuideView

# Wagtail's own help items open its English guide and release notes on wagtail.org.
WAGTAIL_HELP_ITEMS = {"editor-guide", "whats-new-in-wagtail"}


@hooks.register("register_admin_urls")
def register_guide_url():
    return [path("guide/", StaffGuideView.as_view(), name="staff_guide")]


@hooks.register("register_help_menu_item")
def register_guide_menu_item():
    return MenuItem(_("คู่มือการใช้งานคลังความรู้"), reverse("staff_guide"), name="staff-guide", icon_name="help", order=100)


@hooks.register("construct_help_menu")
def leave_out_wagtails_english_help(request, menu_items):
    menu_items[:] = [item for item in menu_items if not any(item.name.startswith(name) for name in WAGTAIL_HELP_ITEMS)]
