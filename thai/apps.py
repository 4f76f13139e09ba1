from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThaiConfig(AppConfig):
    """Thai language conventions (the ground floor: it knows no other app of the site)."""

    name = "thai"
    verbose_name = _("ภาษาไทย")

    def ready(self):
        from . import era

        era.install()
