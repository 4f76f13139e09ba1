from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CopConfig(AppConfig):
    """Communities of practice and the summaries of their dialogues (knowledge items of their own)."""

    name = "cop"
    verbose_name = _("ชุมชนนักปฏิบัติ")
    default_auto_field = "django.db.models.BigAutoField"
