from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    """Knowledge items (articles, best practices) and the reference data they share."""

    name = "knowledge"
    verbose_name = _("คลังความรู้")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from base.content_version import register_public_models

        from .models import ConsentRecord, Department, KnowledgeCategory, Person

        register_public_models(Department, KnowledgeCategory, Person, ConsentRecord)
