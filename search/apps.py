from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Thai search over every kind of knowledge: backends, the search page, the JSON API, reports."""

    name = "search"
    verbose_name = _("การค้นหา")
    default_auto_field = "django.db.models.BigAutoField"
