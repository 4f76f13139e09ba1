from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadershipConfig(AppConfig):
    """Access counts per page per day, without cookies or addresses: reads the app serves are
    counted as they happen, reads nginx answers from its cache are imported from its access log.

    Floor 6 (beside search): it knows about pages and knowledge items; the apps above it
    (home, the KM plan) read counts through it, and the listings below it learn of "most read"
    through the hook knowledge.models.LISTING_SORT_ORDERS_HOOK.
    """

    name = "readership"
    verbose_name = _("สถิติการเข้าถึง")
    default_auto_field = "django.db.models.BigAutoField"
