from django.conf import settings
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField

from base.blocks import RICH_TEXT_FEATURES
from base.models import KhlangPage
from thai.digits import parse_int

from .directory import entries, people_for
from .filters import PersonFilter


class ExpertDirectoryPage(KhlangPage):
    """ทำเนียบผู้รู้: people, their expertise, the knowledge they hold and their CoP roles.

    Names only with consent (experts.directory says who sees whom).
    """

    intro = RichTextField(_("คำนำ"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = KhlangPage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.KMHomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("ทำเนียบผู้รู้")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filters = PersonFilter(request.GET, queryset=people_for(request.user), request=request)
        items = Paginator(filters.qs, settings.KHLANG_PAGE_SIZE * 2).get_page(parse_int(request.GET.get("page")) or 1)
        items.object_list = entries(list(items.object_list), request.user)
        context.update(filters=filters, items=items, item_template="experts/includes/expert_card.html")
        return context
