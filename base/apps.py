from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BaseConfig(AppConfig):
    """What every page of the site stands on: the base page class, blocks, search
    fields in Thai words, agency settings and the public content version.

    The ground floor: it imports only `thai`, never an app above it.
    """

    name = "base"
    verbose_name = _("พื้นฐานของเว็บไซต์")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from taggit.models import Tag
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import Page, PageViewRestriction, Site

        from . import content_version, request_memo
        from .models import AgencySettings

        content_version.register_public_models(
            Page, PageViewRestriction, Site, AgencySettings, Tag, get_document_model(), get_image_model()
        )
        content_version.connect()
        request_memo.connect()
