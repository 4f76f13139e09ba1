from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    """The expert directory (ทำเนียบผู้รู้): who knows what, with their knowledge and CoP roles.

    Floor 5: it reads people and knowledge (knowledge) and communities (cop); the
    person cards of knowledge link here through knowledge's `person_links` hook.
    """

    name = "experts"
    verbose_name = _("ทำเนียบผู้รู้")
    default_auto_field = "django.db.models.BigAutoField"
