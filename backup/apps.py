from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupConfig(AppConfig):
    """`backup` and `restore`: the database and media in one checked archive.

    It stands on `base` (the content version it bumps after a restore) and knows no content app.
    """

    name = "backup"
    verbose_name = _("สำรองและกู้คืนข้อมูล")
