import datetime

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search.index import FilterField, RelatedFields
from wagtail.url_routing import RouteResult

from base.blocks import RICH_TEXT_FEATURES, AttachmentsBlock, KnowledgeBodyBlock, RelatedPagesBlock
from base.counts import KeptCountPaginator
from base.models import KhlangPage, PublicContentVersion
from base.search_fields import SearchField
from base.visibility import is_signed_in, public, readable_pages, reader_key, staff_only_ids
from thai.dates import add_months, fiscal_year
from thai.digits import parse_int

from .people import ConsentRecord, Person, PersonExpertise  # noqa: F401 (models of this app)


class Department(models.Model):
    name = models.CharField(_("ชื่อส่วนราชการ"), max_length=255, unique=True)
    code = models.SlugField(
        _("รหัส"), max_length=50, unique=True, help_text=_("ตัวอักษรภาษาอังกฤษสั้น ๆ ใช้ในที่อยู่เว็บ เช่น klang")
    )
    sort_order = models.PositiveSmallIntegerField(_("ลำดับการแสดง"), default=0)

    panels = [FieldPanel("name"), FieldRowPanel([FieldPanel("code"), FieldPanel("sort_order")])]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("ส่วนราชการ")
        verbose_name_plural = pgettext_lazy("plural", "ส่วนราชการ")

    def __str__(self):
        return self.name


class KnowledgeCategory(models.Model):
    name = models.CharField(_("ชื่อหมวดหมู่"), max_length=255, unique=True)
    slug = models.SlugField(_("รหัส"), max_length=80, unique=True, allow_unicode=True)
    description = models.TextField(_("คำอธิบาย"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("หมวดหมู่ความรู้")
        verbose_name_plural = pgettext_lazy("plural", "หมวดหมู่ความรู้")

    def __str__(self):
        return self.name


def knowledge_item_models():
    """Every kind of knowledge item: the concrete page types built on KnowledgeItemPage,
    in whichever app defines them (a subclass registers itself by being installed)."""
    return [
        model for model in apps.get_models()
        if issubclass(model, KnowledgeItemPage) and not model._meta.proxy
    ]


# Registration points for apps above this one (Wagtail hooks):
ATTACHMENT_TEXTS_HOOK = "attachment_texts"  # fn(page) → [(document title, text)]
OFFLINE_ITEM_HOOK = "respond_for_offline_item"  # fn(page) → a view fn(request), or None
PERSON_LINKS_HOOK = "person_links"  # fn(person, request) → [(label, url)] shown on person cards
# fn(listing page) → [(key, label, fn(queryset) → ordered queryset)]: more ways to sort a listing
# (readership adds "most read"); ?sort=key picks one.
LISTING_SORT_ORDERS_HOOK = "listing_sort_orders"


def default_review_date(today=None):
    return add_months(today or timezone.localdate(), settings.KHLANG_REVIEW_INTERVAL_MONTHS)


def published_knowledge_pages(request=None):
    """published_knowledge() as plain pages (one query, no specific rows): for what a list holds."""
    return public(Page.objects.live(), request).type(*knowledge_item_models())


def published_stamp(last_published_at):
    """A page's last publish as part of a cache key ("" for a page never published)."""
    return last_published_at.isoformat() if last_published_at else ""


def published_state(pages):
    """What cards of these pages show, as a key: each page's id as last published, in order.

    A card shows only the page's own fields, which change only by publishing it, and what the
    structure version (base.content_version) keys (its address, department, category); so a
    fragment of cards keyed by both stays warm while other items are published."""
    return [(pk, published_stamp(stamp)) for pk, stamp in pages.values_list("pk", "last_published_at")]


def published_knowledge(request=None):
    """Every live, public knowledge item of every type, newest first.

    For cards, feeds and maps: their StreamFields (bodies, attachments, related pages) are not
    read or decoded, which was most of a home page's first render after a publish. Given the
    request, the site's view restrictions are read once for it (base.visibility.public)."""
    return (
        published_knowledge_pages(request)
        .specific()
        .defer_streamfields()
        .select_related("department", "category", for_specific_subqueries=True)
    )


class KnowledgeItemPage(KhlangPage):
    """Fields shared by every kind of knowledge item."""

    summary = models.TextField(_("บทคัดย่อ"), help_text=_("สรุปสั้น ๆ ๑–๓ ประโยค แสดงในรายการและผลการค้นหา"))
    date = models.DateField(
        _("วันที่ของความรู้"), default=datetime.date.today, help_text=_("วันที่บันทึกหรือเกิดความรู้นี้")
    )
    fiscal_year_override = models.PositiveSmallIntegerField(
        _("ปีงบประมาณ (พ.ศ.)"),
        null=True,
        blank=True,
        help_text=_("เว้นว่างเพื่อคำนวณจากวันที่ (ปีงบประมาณเริ่ม ๑ ตุลาคม)"),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ"), editable=False, null=True, db_index=True)
    department = models.ForeignKey(
        Department, verbose_name=_("ส่วนราชการ"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    category = models.ForeignKey(
        KnowledgeCategory, verbose_name=_("หมวดหมู่"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    attachments = StreamField(AttachmentsBlock(), verbose_name=_("ไฟล์แนบ"), blank=True)
    routed_select_related = ("department", "category")
    next_review_date = models.DateField(
        _("วันที่ต้องทบทวนครั้งถัดไป"), null=True, blank=True,
        help_text=_("ความรู้ต้องได้รับการทบทวนว่ายังใช้ได้อยู่"),
    )

    classification_panels = [
        FieldRowPanel([FieldPanel("department"), FieldPanel("category")]),
        FieldRowPanel([FieldPanel("date"), FieldPanel("fiscal_year_override")]),
        FieldPanel("tags"),
    ]
    search_fields = KhlangPage.search_fields + [
        SearchField("summary", boost=3),
        SearchField("attachment_text"),
        FilterField("department"),
        FilterField("category"),
        FilterField("fiscal_year"),
        FilterField("date"),
    ]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.fiscal_year = self.fiscal_year_override or fiscal_year(self.date)
        # Publishing saves the page once; the default review date rides on that save
        # rather than a second one (which would refresh every cache and index again).
        dated_now = self.live and self.next_review_date is None and not kwargs.get("update_fields")
        if dated_now:
            self.next_review_date = default_review_date()
        super().save(*args, **kwargs)
        if dated_now:
            self._write_review_date_into_revisions()

    def _write_review_date_into_revisions(self):
        """The page editor shows the latest revision, not the row: give it the date too."""
        for revision in {self.live_revision, self.latest_revision} - {None}:
            if not revision.content.get("next_review_date"):
                revision.content["next_review_date"] = self.next_review_date.isoformat()
                revision.save(update_fields=["content"])

    @cached_property
    def listing(self):
        """The listing this item is in, whose filters the item's facts link to (None elsewhere).

        Kept per structure version and the parent's path: only a move, which bumps it, gives an
        item another parent; so the first render after a publish does not read it again."""
        key = f"item-listing:s{PublicContentVersion.current_versions().structure}:{self.path[:-self.steplen]}"
        return cache.get_or_set(key, self._find_listing, settings.KHLANG_PAGE_CACHE_SECONDS)

    def _find_listing(self):
        parent = self.get_parent().specific_deferred  # only its address is shown: no second query
        return parent if isinstance(parent, ListingPage) else None

    def route(self, request, path_components):
        # An item taken off the site may still have something to tell its readers (review
        # answers "410 Gone" with the reason for a retired item): apps say it through a hook
        # that returns a view, fn(page) → fn(request) or None.
        if not path_components and not self.live:
            for fn in hooks.get_hooks(OFFLINE_ITEM_HOOK):
                if (respond := fn(self)) is not None:
                    return RouteResult(self, kwargs={"respond": respond})
        return super().route(request, path_components)

    def serve(self, request, *args, respond=None, **kwargs):
        if respond is not None:
            return respond(request)
        return super().serve(request, *args, **kwargs)

    @staticmethod
    def chosen_ids(stream):
        """The page ids stored in a page-chooser stream, without reading the pages (as its blocks would)."""
        return [block["value"] for block in stream.raw_data if block["value"]]

    @classmethod
    def visible_pages(cls, stream):
        """Pages chosen in a page-chooser stream that anonymous readers may see."""
        ids = cls.chosen_ids(stream)
        visible = {page.pk: page for page in published_knowledge().filter(pk__in=ids)}
        return [visible[pk] for pk in ids if pk in visible]

    @staticmethod
    def chosen_state(stream):
        """What cards of the pages chosen in a stream show, as a key: each live one as last published.

        The rest of a card (department, category, whether a page is public) changes only with
        the structure version (base.content_version), which the fragment is keyed by too; so
        publishing this page, or any other, keeps the cards of the pages it names (one query,
        not three, and no cards to render)."""
        ids = KnowledgeItemPage.chosen_ids(stream)
        published = dict(published_state(Page.objects.filter(pk__in=ids, live=True)))
        return [(pk, published[pk]) for pk in ids if pk in published]

    def attachment_text(self):
        """Text inside the attached documents, so a phrase only they contain finds the page."""
        return [text for fn in hooks.get_hooks(ATTACHMENT_TEXTS_HOOK) for _title, text in fn(self)]

    @property
    def type_label(self):
        return self._meta.verbose_name

    @cached_property
    def attachment_documents(self):
        return [block.value for block in self.attachments if block.value]


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey("knowledge.KnowledgeArticle", related_name="tagged_items", on_delete=models.CASCADE)


class KnowledgeArticle(KnowledgeItemPage):
    TACIT = "tacit"
    EXPLICIT = "explicit"
    KNOWLEDGE_TYPES = [(TACIT, _("ความรู้ฝังลึก (Tacit)")), (EXPLICIT, _("ความรู้ชัดแจ้ง (Explicit)"))]

    knowledge_type = models.CharField(_("ประเภทความรู้"), max_length=10, choices=KNOWLEDGE_TYPES, default=EXPLICIT)
    body = StreamField(KnowledgeBodyBlock(), verbose_name=_("เนื้อหา"))
    holder = models.ForeignKey(
        Person, verbose_name=_("ความรู้อยู่ที่ใคร"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="held_articles",
        help_text=_("ผู้ที่มีความรู้นี้และสอบถามเพิ่มเติมได้"),
    )
    source = models.TextField(_("แหล่งที่มา/อ้างอิง"), blank=True)
    tags = ClusterTaggableManager(through=ArticleTag, blank=True, verbose_name=_("คำสำคัญ"))
    related = StreamField(RelatedPagesBlock(), verbose_name=_("ความรู้ที่เกี่ยวข้อง"), blank=True)

    content_panels = KhlangPage.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("knowledge_type"), *KnowledgeItemPage.classification_panels],
            heading=_("การจัดหมวดหมู่"),
        ),
        MultiFieldPanel(
            [FieldPanel("holder"), FieldPanel("source")], heading=_("ผู้รู้และแหล่งที่มา")
        ),
        FieldPanel("attachments"),
        FieldPanel("related"),
        FieldPanel("next_review_date"),
    ]
    search_fields = KnowledgeItemPage.search_fields + [
        SearchField("body"),
        SearchField("source"),
        FilterField("knowledge_type"),
        RelatedFields("tags", [SearchField("name", boost=2), FilterField("name")]),  # name_filter: the engine counts tags
    ]

    parent_page_types = ["knowledge.KnowledgeIndexPage"]
    subpage_types = []
    routed_select_related = (*KnowledgeItemPage.routed_select_related, "holder__department")

    class Meta:
        verbose_name = _("องค์ความรู้")
        verbose_name_plural = pgettext_lazy("plural", "องค์ความรู้")

    @cached_property
    def related_pages(self):
        return self.visible_pages(self.related)

    @cached_property
    def related_state(self):
        return self.chosen_state(self.related)



class BestPracticeTag(TaggedItemBase):
    content_object = ParentalKey("knowledge.BestPracticePage", related_name="tagged_items", on_delete=models.CASCADE)


class BestPracticePage(KnowledgeItemPage):
    background = RichTextField(_("ความเป็นมาและสภาพปัญหา"), features=RICH_TEXT_FEATURES)
    objectives = RichTextField(_("วัตถุประสงค์"), features=RICH_TEXT_FEATURES)
    method = StreamField(KnowledgeBodyBlock(), verbose_name=_("วิธีการ/ขั้นตอนดำเนินงาน"))
    success_factors = RichTextField(_("ปัจจัยแห่งความสำเร็จ"), features=RICH_TEXT_FEATURES)
    lessons_learned = RichTextField(_("บทเรียนที่ได้รับ"), features=RICH_TEXT_FEATURES)
    obstacles = RichTextField(_("ปัญหาอุปสรรค"), blank=True, features=RICH_TEXT_FEATURES)
    how_to_reuse = RichTextField(_("การนำไปใช้ต่อ"), blank=True, features=RICH_TEXT_FEATURES)
    contact = models.ForeignKey(
        Person, verbose_name=_("ผู้ประสานงาน"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="best_practices",
    )
    tags = ClusterTaggableManager(through=BestPracticeTag, blank=True, verbose_name=_("คำสำคัญ"))

    content_panels = KhlangPage.content_panels + [
        FieldPanel("summary"),
        FieldPanel("background"),
        FieldPanel("objectives"),
        FieldPanel("method"),
        InlinePanel("results", label=_("ผลลัพธ์และตัวชี้วัด"), heading=_("ผลลัพธ์และตัวชี้วัด")),
        FieldPanel("success_factors"),
        FieldPanel("lessons_learned"),
        FieldPanel("obstacles"),
        FieldPanel("how_to_reuse"),
        MultiFieldPanel(
            [*KnowledgeItemPage.classification_panels, FieldPanel("contact")],
            heading=_("การจัดหมวดหมู่และผู้ประสานงาน"),
        ),
        FieldPanel("attachments"),
        FieldPanel("next_review_date"),
    ]
    search_fields = KnowledgeItemPage.search_fields + [
        SearchField("background"),
        SearchField("objectives"),
        SearchField("method"),
        SearchField("success_factors"),
        SearchField("lessons_learned"),
        SearchField("obstacles"),
        SearchField("how_to_reuse"),
        RelatedFields("tags", [SearchField("name", boost=2), FilterField("name")]),  # name_filter: the engine counts tags
        RelatedFields("results", [SearchField("indicator")]),
    ]

    parent_page_types = ["knowledge.BestPracticeIndexPage"]
    subpage_types = []
    routed_select_related = (*KnowledgeItemPage.routed_select_related, "contact__department")

    class Meta:
        verbose_name = _("แนวปฏิบัติที่ดี")
        verbose_name_plural = pgettext_lazy("plural", "แนวปฏิบัติที่ดี")


class BestPracticeResult(Orderable):
    page = ParentalKey(BestPracticePage, related_name="results", on_delete=models.CASCADE)
    indicator = models.CharField(_("ตัวชี้วัด"), max_length=255)
    baseline = models.CharField(_("ค่าก่อนดำเนินการ"), max_length=100)
    achieved = models.CharField(_("ผลที่ได้"), max_length=100)
    unit = models.CharField(_("หน่วย"), max_length=50, blank=True)

    panels = [
        FieldPanel("indicator"),
        FieldRowPanel([FieldPanel("baseline"), FieldPanel("achieved"), FieldPanel("unit")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("ผลลัพธ์")


class ListingPage(KhlangPage):
    """An index page that lists its children with combinable filters.

    The listed type is the page's single allowed child type.
    """

    intro = RichTextField(_("คำนำ"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = KhlangPage.content_panels + [FieldPanel("intro")]
    filterset = None  # dotted path of the django-filter FilterSet
    listing_related = ("department", "category")
    listing_order = ("-date", "-pk")
    default_sort_label = _("ล่าสุด")

    class Meta:
        abstract = True

    def sort_orders(self):
        """[(key, label, order fn or None)]: the listing's own order first (key ""), then the hooks'."""
        orders = [("", self.default_sort_label, None)]
        for fn in hooks.get_hooks(LISTING_SORT_ORDERS_HOOK):
            orders.extend(fn(self))
        return orders

    def listed_items(self, user=None, request=None):
        """The live children this reader may see: public ones, and staff-only ones for signed-in staff."""
        model = self.specific_class.allowed_subpage_models()[0]
        return readable_pages(
            user,
            model.objects.child_of(self).live().defer_streamfields()  # cards show no StreamField
            .select_related(*self.listing_related).order_by(*self.listing_order),
            request=request,
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        listed = self.listed_items(request.user, request=request)
        filters = import_string(self.filterset)(request.GET, queryset=listed, request=request)
        orders = self.sort_orders()
        sort, _label, order = next((o for o in orders if o[0] == request.GET.get("sort")), orders[0])
        paginator = KeptCountPaginator(
            order(filters.qs) if order else filters.qs, settings.KHLANG_PAGE_SIZE,
            content_version=PublicContentVersion.for_request(request),
        )
        context["filters"] = filters
        # The filter form and the results are fragments kept per content version, these choices
        # and who reads (reader_key), so a page served from them runs no listing query.
        context["filter_state"] = sorted((key, value) for key, value in request.GET.lists() if key != "page")
        context["reader_key"] = reader_key(request.user, request)
        context["sort_orders"] = [(key, label) for key, label, _fn in orders]
        context["sort"] = sort
        context["items"] = paginator.get_page(parse_int(request.GET.get("page")) or 1)
        # What the page of results shows (knowledge.models.published_state), read only when the
        # content version's fragment is cold: its cards are kept while other items are published.
        context["items_state"] = SimpleLazyObject(lambda: published_state(context["items"].object_list))
        context["staff_only_ids"] = SimpleLazyObject(  # read only when the results are rendered
            lambda: staff_only_ids(context["items"], request=request) if is_signed_in(request.user) else set()
        )
        return context


class KnowledgeIndexPage(ListingPage):
    filterset = "knowledge.filters.ArticleFilter"
    parent_page_types = ["home.KMHomePage"]
    subpage_types = ["knowledge.KnowledgeArticle"]
    max_count = 1

    class Meta:
        verbose_name = _("คลังองค์ความรู้")


class BestPracticeIndexPage(ListingPage):
    filterset = "knowledge.filters.BestPracticeFilter"
    parent_page_types = ["home.KMHomePage"]
    subpage_types = ["knowledge.BestPracticePage"]
    max_count = 1

    class Meta:
        verbose_name = _("คลังแนวปฏิบัติที่ดี")
