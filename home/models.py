from django.db import models
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable

from base.blocks import RICH_TEXT_FEATURES, KnowledgeBodyBlock
from base.models import KhlangPage
from base.search_fields import SearchField
from knowledge.models import published_knowledge, published_knowledge_pages, published_state
from readership.queries import most_read


class KMHomePage(KhlangPage):
    intro = RichTextField(_("คำนำ"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = KhlangPage.content_panels + [
        FieldPanel("intro"),
        InlinePanel("featured_items", label=_("รายการแนะนำ"), max_num=6),
    ]

    template = "home/km_home_page.html"
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "knowledge.KnowledgeIndexPage",
        "knowledge.BestPracticeIndexPage",
        "cop.CoPIndexPage",
        "plan.KMPlanIndexPage",
        "experts.ExpertDirectoryPage",
        "home.StandardPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("หน้าหลักการจัดการความรู้")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read by the template only when its fragments of items are rebuilt: after a publish,
        # what the three lists hold (a few small queries) keys their cards, which stay warm unless
        # one of them was published; the lists read the site's view restrictions once between them.
        context["lists_state"] = SimpleLazyObject(lambda: self.lists_state(request))
        context["featured"] = SimpleLazyObject(lambda: self.featured(request))
        context["latest"] = SimpleLazyObject(lambda: list(self.latest(published_knowledge(request))))
        context["most_read"] = SimpleLazyObject(lambda: self.most_read(request))
        return context

    def lists_state(self, request=None):
        """What the featured, most read and latest lists show, as a key (knowledge.models.published_state)."""
        pages = published_knowledge_pages(request)
        featured = dict(published_state(pages.filter(id__in=self.featured_ids)))
        return [
            [(pk, featured[pk]) for pk in self.featured_ids if pk in featured],
            published_state(most_read(pages, limit=6)),
            published_state(self.latest(pages)),
        ]

    @cached_property
    def featured_ids(self):
        return list(self.featured_items.values_list("page_id", flat=True))

    def featured(self, request=None):
        visible = {page.id: page for page in published_knowledge(request).filter(id__in=self.featured_ids)}
        return [visible[i] for i in self.featured_ids if i in visible]

    def most_read(self, request=None):
        """Knowledge read most in the last KHLANG_MOST_READ_DAYS days (cached with the page's content)."""
        return list(most_read(published_knowledge(request), limit=6))

    @staticmethod
    def latest(pages):
        return pages.order_by("-first_published_at")[:6]

    @cached_property
    def sections(self):
        return self.get_children().live().public().specific()


class FeaturedItem(Orderable):
    home = ParentalKey(KMHomePage, related_name="featured_items", on_delete=models.CASCADE)
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("หน้า"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [
        PageChooserPanel(
            "page",
            ["knowledge.KnowledgeArticle", "knowledge.BestPracticePage", "cop.DialogueSummaryPage"],
        )
    ]


class StandardPage(KhlangPage):
    """A plain page such as the yearly KM plan or an about page."""

    summary = models.TextField(_("บทคัดย่อ"), blank=True)
    body = StreamField(KnowledgeBodyBlock(), verbose_name=_("เนื้อหา"), blank=True)

    content_panels = KhlangPage.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    search_fields = KhlangPage.search_fields + [SearchField("summary", boost=3), SearchField("body")]

    parent_page_types = ["home.KMHomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("หน้าทั่วไป")


