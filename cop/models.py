from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search.index import FilterField, RelatedFields

from base.blocks import RICH_TEXT_FEATURES, KnowledgeAssetsBlock, RelatedPagesBlock
from base.models import KhlangPage
from base.search_fields import SearchField
from base.visibility import is_signed_in, readable_pages, staff_only_ids
from knowledge.models import Department, KnowledgeItemPage, ListingPage, Person


class CoPIndexPage(ListingPage):
    template = "cop/cop_index_page.html"
    filterset = "cop.filters.CommunityFilter"
    listing_related = ("department",)
    listing_order = ("status", "title")  # active before dormant
    default_sort_label = _("สถานะและชื่อ")
    parent_page_types = ["home.KMHomePage"]
    subpage_types = ["cop.CommunityPage"]
    max_count = 1

    class Meta:
        verbose_name = _("ชุมชนนักปฏิบัติทั้งหมด")


class CommunityPage(KhlangPage):
    ACTIVE = "active"
    DORMANT = "dormant"
    STATUSES = [(ACTIVE, _("ดำเนินการอยู่")), (DORMANT, _("หยุดพัก"))]

    summary = models.TextField(_("บทคัดย่อ"))
    topic = models.CharField(_("เรื่องที่สนใจร่วมกัน"), max_length=255)
    goal = models.TextField(_("เป้าหมาย (หัวปลา)"), help_text=_("สิ่งที่ชุมชนต้องการบรรลุร่วมกัน"))
    cadence = models.CharField(_("ความถี่ในการพบกัน"), max_length=255, blank=True)
    status = models.CharField(_("สถานะ"), max_length=10, choices=STATUSES, default=ACTIVE)
    department = models.ForeignKey(
        Department, verbose_name=_("ส่วนราชการหลัก"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    content_panels = KhlangPage.content_panels + [
        FieldPanel("summary"),
        FieldPanel("topic"),
        FieldPanel("goal"),
        FieldRowPanel([FieldPanel("cadence"), FieldPanel("status"), FieldPanel("department")]),
        InlinePanel("members", label=_("สมาชิก"), heading=_("สมาชิกและบทบาท")),
    ]
    search_fields = KhlangPage.search_fields + [
        SearchField("summary", boost=3),
        SearchField("topic", boost=2),
        SearchField("goal"),
        SearchField("member_roles"),
        FilterField("status"),
        FilterField("department"),
    ]

    parent_page_types = ["cop.CoPIndexPage"]
    subpage_types = ["cop.DialogueSummaryPage"]

    class Meta:
        verbose_name = _("ชุมชนนักปฏิบัติ")
        verbose_name_plural = pgettext_lazy("plural", "ชุมชนนักปฏิบัติ")

    def member_roles(self):
        """The KM roles the community has (คุณเอื้อ, คุณอำนวย …), so role names find it; never names."""
        labels = dict(CommunityMember.ROLES)
        return " ".join(str(labels[role]) for role in dict.fromkeys(self.members.values_list("role", flat=True)))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["dialogues"] = list(
            readable_pages(
                request.user, DialogueSummaryPage.objects.child_of(self).live().order_by("-date"), request=request
            )
        )
        context["staff_only_ids"] = (
            staff_only_ids(context["dialogues"], request=request) if is_signed_in(request.user) else set()
        )
        context["members_by_role"] = [
            (label, [m for m in self.members.all() if m.role == role])
            for role, label in CommunityMember.ROLES
        ]
        return context


class CommunityMember(Orderable):
    SPONSOR = "sponsor"
    FACILITATOR = "facilitator"
    PRACTITIONER = "practitioner"
    NOTETAKER = "notetaker"
    COORDINATOR = "coordinator"
    ROLES = [
        (SPONSOR, _("คุณเอื้อ (ผู้สนับสนุน)")),
        (FACILITATOR, _("คุณอำนวย (ผู้อำนวยความสะดวก)")),
        (PRACTITIONER, _("คุณกิจ (ผู้ปฏิบัติ)")),
        (NOTETAKER, _("คุณลิขิต (ผู้บันทึก)")),
        (COORDINATOR, _("คุณประสาน (ผู้ประสานเครือข่าย)")),
    ]

    community = ParentalKey(CommunityPage, related_name="members", on_delete=models.CASCADE)
    person = models.ForeignKey(Person, verbose_name=_("บุคลากร"), on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("บทบาท"), max_length=20, choices=ROLES, default=PRACTITIONER)

    panels = [FieldRowPanel([FieldPanel("person"), FieldPanel("role")])]

    class Meta(Orderable.Meta):
        verbose_name = _("สมาชิก")


class DialogueTag(TaggedItemBase):
    content_object = ParentalKey("cop.DialogueSummaryPage", related_name="tagged_items", on_delete=models.CASCADE)


class DialogueSummaryPage(KnowledgeItemPage):
    TECHNIQUES = [
        ("dialogue", _("สุนทรียสนทนา (Dialogue)")),
        ("peer_assist", _("เพื่อนช่วยเพื่อน (Peer Assist)")),
        ("aar", _("ทบทวนหลังปฏิบัติ (AAR)")),
        ("storytelling", _("การเล่าเรื่อง (Storytelling)")),
        ("knowledge_market", _("ตลาดนัดความรู้ (Knowledge Market)")),
        ("other", _("อื่น ๆ")),
    ]

    venue = models.CharField(_("สถานที่"), max_length=255, blank=True)
    online = models.BooleanField(_("จัดออนไลน์"), default=False)
    facilitator = models.ForeignKey(
        Person, verbose_name=_("คุณอำนวย"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    note_taker = models.ForeignKey(
        Person, verbose_name=_("คุณลิขิต"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    participant_count = models.PositiveIntegerField(_("จำนวนผู้เข้าร่วม"), default=0)
    topic = models.CharField(_("ประเด็นการแลกเปลี่ยน"), max_length=255)
    technique = models.CharField(_("เทคนิคที่ใช้"), max_length=20, choices=TECHNIQUES, default="dialogue")
    knowledge_assets = StreamField(KnowledgeAssetsBlock(), verbose_name=_("ขุมความรู้"), blank=True)
    core_lessons = RichTextField(_("แก่นความรู้"), features=RICH_TEXT_FEATURES)
    produced = StreamField(
        RelatedPagesBlock(), verbose_name=_("องค์ความรู้ที่เกิดจากการเสวนานี้"), blank=True
    )
    tags = ClusterTaggableManager(through=DialogueTag, blank=True, verbose_name=_("คำสำคัญ"))

    content_panels = KhlangPage.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("venue"), FieldPanel("online")]),
                FieldRowPanel([FieldPanel("facilitator"), FieldPanel("note_taker")]),
                FieldRowPanel([FieldPanel("topic"), FieldPanel("technique")]),
            ],
            heading=_("การจัดเสวนา"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("participant_count"),
                InlinePanel(
                    "participants", label=_("ผู้เข้าร่วม"),
                    help_text=_("ชื่อจะแสดงเฉพาะผู้ที่ยินยอมให้เผยแพร่ชื่อ"),
                ),
            ],
            heading=_("ผู้เข้าร่วม"),
        ),
        FieldPanel("knowledge_assets"),
        FieldPanel("core_lessons"),
        InlinePanel("actions", label=_("สิ่งที่จะทำต่อ"), heading=_("สิ่งที่จะทำต่อ")),
        MultiFieldPanel(KnowledgeItemPage.classification_panels, heading=_("การจัดหมวดหมู่")),
        FieldPanel("attachments"),
        FieldPanel("produced"),
        FieldPanel("next_review_date"),
    ]
    search_fields = KnowledgeItemPage.search_fields + [
        SearchField("topic", boost=2),
        SearchField("knowledge_assets"),
        SearchField("core_lessons"),
        FilterField("technique"),
        RelatedFields("tags", [SearchField("name", boost=2), FilterField("name")]),  # name_filter: the engine counts tags
    ]

    parent_page_types = ["cop.CommunityPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("สรุปการเสวนา")
        verbose_name_plural = pgettext_lazy("plural", "สรุปการเสวนา")

    @cached_property
    def produced_pages(self):
        return self.visible_pages(self.produced)

    @cached_property
    def produced_state(self):
        """The produced pages as last published: their cards' key (KnowledgeItemPage.chosen_state)."""
        return self.chosen_state(self.produced)

    def public_participants(self):
        return [p.person for p in self.participants.select_related("person") if p.person.public_consent]

    def unnamed_participant_count(self):
        return max(self.participant_count - len(self.public_participants()), 0)


class DialogueParticipant(Orderable):
    page = ParentalKey(DialogueSummaryPage, related_name="participants", on_delete=models.CASCADE)
    person = models.ForeignKey(Person, verbose_name=_("บุคลากร"), on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("person")]


class DialogueAction(Orderable):
    page = ParentalKey(DialogueSummaryPage, related_name="actions", on_delete=models.CASCADE)
    description = models.CharField(_("สิ่งที่จะทำ"), max_length=500)
    owner = models.ForeignKey(
        Person, verbose_name=_("ผู้รับผิดชอบ"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    due = models.DateField(_("กำหนดเสร็จ"), null=True, blank=True, default=None)

    panels = [FieldPanel("description"), FieldRowPanel([FieldPanel("owner"), FieldPanel("due")])]

    class Meta(Orderable.Meta):
        verbose_name = _("สิ่งที่จะทำต่อ")
