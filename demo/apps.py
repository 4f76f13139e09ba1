from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """`load_demo`: a realistic demo agency (top floor: it builds on every other app)."""

    name = "demo"
    verbose_name = _("ข้อมูลสาธิต")
