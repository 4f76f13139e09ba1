"""The fiscal-year KM action plan as data: what the agency means to do, and how it is measured.

A plan follows the seeds' shape: a desired state (เป้าหมาย KM), a measurable unit, focus
areas, a knowledge map (step 1), and two tables of activities — one per step of the
7-step KM process, one per part of the 6-part change-management process — each with
method, period, indicator, target and who is responsible.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, TaskState

from base.blocks import RICH_TEXT_FEATURES
from base.forms import KhlangPageForm
from base.models import KhlangPage
from base.search_fields import SearchField
from knowledge.models import Department, published_knowledge
from thai.dates import format_date

from .indicators import knowledge_map, measure_year
from .measures import BY_KEY, MANUAL, MEASURE_CHOICES
from .permissions import PLAN_TASK


class EvidenceBlock(blocks.StreamBlock):
    page = blocks.PageChooserBlock(label=_("หน้าในคลังความรู้"))
    document = DocumentChooserBlock(label=_("เอกสาร"))
    link = blocks.StructBlock(
        [("title", blocks.CharBlock(label=_("ชื่อ"))), ("url", blocks.URLBlock(label=_("ที่อยู่เว็บ")))],
        label=_("ลิงก์"),
        icon="link",
    )


class CapturingItemsBlock(blocks.StreamBlock):
    page = blocks.PageChooserBlock(
        label=_("ความรู้ที่บันทึกเรื่องนี้"),
        page_type=["knowledge.KnowledgeArticle", "knowledge.BestPracticePage", "cop.DialogueSummaryPage"],
    )


class KMPlanIndexPage(KhlangPage):
    """The plans of every year, newest first."""

    intro = RichTextField(_("คำนำ"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = KhlangPage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.KMHomePage"]
    subpage_types = ["plan.KMPlanPage"]
    max_count = 1

    class Meta:
        verbose_name = _("แผนการจัดการความรู้ทุกปี")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["plans"] = KMPlanPage.objects.child_of(self).live().public().order_by("-fiscal_year")
        return context


class KMPlanPageForm(KhlangPageForm):
    def clean(self):
        cleaned_data = super().clean()
        measured = {}
        for form in self.formsets["activities"].forms:
            if not form.is_valid() or form.cleaned_data.get("DELETE"):
                continue
            measure = form.cleaned_data.get("measure")
            if measure and measure != MANUAL:
                if measure in measured:
                    form.add_error("measure", _("ตัวชี้วัดนี้มีเป้าหมายในกิจกรรม “%s” แล้ว") % measured[measure])
                measured[measure] = form.cleaned_data.get("activity")
            if measure and form.cleaned_data.get("target_value") is None:
                form.add_error("target_value", _("กิจกรรมที่วัดผลต้องมีค่าเป้าหมายเป็นตัวเลข"))
        return cleaned_data


class KMPlanPage(KhlangPage):
    """One fiscal year's KM action plan."""

    fiscal_year = models.PositiveSmallIntegerField(
        _("ปีงบประมาณ (พ.ศ.)"), unique=True,
        help_text=_("ปีงบประมาณเริ่ม ๑ ตุลาคม และเรียกตามปีที่สิ้นสุด เช่น ๒๕๖๙ คือ ๑ ต.ค. ๒๕๖๘ – ๓๐ ก.ย. ๒๕๖๙"),
    )
    summary = models.TextField(_("บทคัดย่อ"), blank=True)
    desired_state = models.TextField(_("เป้าหมาย KM (Desired State)"))
    measurable_unit = models.TextField(_("หน่วยที่วัดผลได้เป็นรูปธรรม"), blank=True)
    monitoring = RichTextField(
        _("การติดตามและประเมินผล"), blank=True, features=RICH_TEXT_FEATURES,
        help_text=_("คณะกรรมการติดตามผล และการรายงานต่อผู้บริหารอย่างน้อยปีละครั้ง"),
    )

    base_form_class = KMPlanPageForm
    content_panels = KhlangPage.content_panels + [
        FieldPanel("fiscal_year"),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("desired_state"), FieldPanel("measurable_unit")], heading=_("เป้าหมาย KM")),
        InlinePanel("focus_areas", label=_("ขอบเขต KM (KM Focus Area)"), heading=_("ขอบเขต KM")),
        InlinePanel("knowledge_needs", label=_("ความรู้ที่จำเป็น"), heading=_("แผนที่ความรู้ (การบ่งชี้ความรู้)")),
        InlinePanel("activities", label=_("กิจกรรม"), heading=_("กิจกรรมตามแผน")),
        FieldPanel("monitoring"),
    ]
    search_fields = KhlangPage.search_fields + [SearchField("summary", boost=3), SearchField("desired_state")]

    parent_page_types = ["plan.KMPlanIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("แผนการจัดการความรู้ประจำปี")
        verbose_name_plural = pgettext_lazy("plural", "แผนการจัดการความรู้ประจำปี")
        permissions = [("view_km_dashboard", _("ดูแดชบอร์ดและรายงานผลการจัดการความรู้"))]

    @classmethod
    def for_year(cls, year):
        """The live plan of a fiscal year, or None."""
        return cls.objects.live().filter(fiscal_year=year).prefetch_related("activities").first()

    @property
    def teaser(self):
        return self.summary or self.desired_state

    @cached_property
    def approval(self):
        """The approval task (plan.permissions.PLAN_TASK) that passed the published version, or None:
        a plan published without it, or changed and published again since, is not approved."""
        return (
            TaskState.objects.filter(revision_id=self.live_revision_id, status=TaskState.STATUS_APPROVED, task__name=PLAN_TASK)
            .select_related("finished_by").order_by("-finished_at").first()
        ) if self.live_revision_id else None

    @cached_property
    def km_activities(self):
        return [a for a in self.activities.all() if a.process == PlanActivity.KM_PROCESS]

    @cached_property
    def change_activities(self):
        return [a for a in self.activities.all() if a.process == PlanActivity.CHANGE_PROCESS]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        indicators = measure_year(self.fiscal_year, plan=self)
        context["indicators"] = indicators
        context["as_of"] = format_date(min(timezone.localdate(), indicators.last_day))
        context["knowledge_map"] = knowledge_map(self, published_knowledge())
        return context


class FocusArea(Orderable):
    plan = ParentalKey(KMPlanPage, related_name="focus_areas", on_delete=models.CASCADE)
    title = models.CharField(_("ประเด็น"), max_length=255)
    description = models.TextField(_("รายละเอียด"), blank=True)

    panels = [FieldPanel("title"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("ขอบเขต KM")


class KnowledgeNeed(Orderable):
    """One line of the knowledge map: what a department's core work needs, and where it is."""

    plan = ParentalKey(KMPlanPage, related_name="knowledge_needs", on_delete=models.CASCADE)
    department = models.ForeignKey(
        Department, verbose_name=_("ส่วนราชการ"), on_delete=models.CASCADE, related_name="+"
    )
    core_work = models.CharField(_("งานหลัก"), max_length=255)
    knowledge = models.CharField(_("ความรู้ที่จำเป็น"), max_length=255)
    held_by = models.CharField(
        _("ความรู้อยู่ที่ใคร/อยู่ในรูปแบบใด"), max_length=255, blank=True,
        help_text=_("ตำแหน่งหรือเอกสาร ไม่ต้องระบุชื่อบุคคล"),
    )
    captured_by = StreamField(CapturingItemsBlock(), verbose_name=_("บันทึกไว้ในคลังที่"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("department"), FieldPanel("core_work")]),
        FieldRowPanel([FieldPanel("knowledge"), FieldPanel("held_by")]),
        FieldPanel("captured_by"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("ความรู้ที่จำเป็น")

    @property
    def captured_page_ids(self):
        return [block.value.pk for block in self.captured_by if block.value]


class PlanActivity(Orderable):
    KM_PROCESS = "km"
    CHANGE_PROCESS = "cm"
    KM_STEPS = [
        ("km1", _("๑. การบ่งชี้ความรู้")),
        ("km2", _("๒. การสร้างและแสวงหาความรู้")),
        ("km3", _("๓. การจัดความรู้ให้เป็นระบบ")),
        ("km4", _("๔. การประมวลและกลั่นกรองความรู้")),
        ("km5", _("๕. การเข้าถึงความรู้")),
        ("km6", _("๖. การแบ่งปันแลกเปลี่ยนความรู้")),
        ("km7", _("๗. การเรียนรู้")),
    ]
    CHANGE_PARTS = [
        ("cm1", _("๑. การเตรียมการและปรับเปลี่ยนพฤติกรรม")),
        ("cm2", _("๒. การสื่อสาร")),
        ("cm3", _("๓. กระบวนการและเครื่องมือ")),
        ("cm4", _("๔. การเรียนรู้")),
        ("cm5", _("๕. การวัดผล")),
        ("cm6", _("๖. การยกย่องชมเชยและการให้รางวัล")),
    ]
    STEPS = [
        (_("กระบวนการจัดการความรู้ (KM Process)"), KM_STEPS),
        (_("กระบวนการบริหารการเปลี่ยนแปลง (Change Management Process)"), CHANGE_PARTS),
    ]
    PLANNED, IN_PROGRESS, DONE, CANCELLED = "planned", "in_progress", "done", "cancelled"
    STATUSES = [
        (PLANNED, _("ยังไม่เริ่ม")),
        (IN_PROGRESS, _("กำลังดำเนินการ")),
        (DONE, _("ดำเนินการแล้ว")),
        (CANCELLED, _("ยกเลิก")),
    ]

    plan = ParentalKey(KMPlanPage, related_name="activities", on_delete=models.CASCADE)
    step = models.CharField(_("ขั้นตอน"), max_length=3, choices=STEPS)
    activity = models.CharField(_("กิจกรรม"), max_length=255)
    method = models.TextField(_("วิธีการสู่ความสำเร็จ"), blank=True)
    starts = models.DateField(_("เริ่ม"), null=True, blank=True)
    ends = models.DateField(_("สิ้นสุด"), null=True, blank=True)
    indicator = models.CharField(_("ตัวชี้วัด"), max_length=255)
    target = models.CharField(_("เป้าหมาย"), max_length=255, help_text=_("เช่น “ไม่น้อยกว่า ๑๒ เรื่อง”"))
    measure = models.CharField(
        _("วัดจากข้อมูลในคลัง"), max_length=40, choices=MEASURE_CHOICES, blank=True,
        help_text=_("เลือกเพื่อให้ระบบนับผลจากข้อมูลจริงของปีงบประมาณนี้"),
    )
    target_value = models.DecimalField(_("ค่าเป้าหมาย"), max_digits=10, decimal_places=2, null=True, blank=True)
    measured_value = models.DecimalField(
        _("ผลที่วัดได้ (กรอกเอง)"), max_digits=10, decimal_places=2, null=True, blank=True,
        help_text=_("สำหรับตัวชี้วัดที่ระบบนับเองไม่ได้ เช่น ร้อยละของบุคลากรที่ทราบเป้าหมาย KM"),
    )
    unit = models.CharField(_("หน่วย"), max_length=30, blank=True)
    responsible = models.CharField(_("ผู้รับผิดชอบ"), max_length=255)
    responsible_department = models.ForeignKey(
        Department, verbose_name=_("ส่วนราชการที่รับผิดชอบ"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    status = models.CharField(_("สถานะ"), max_length=12, choices=STATUSES, default=PLANNED)
    note = models.TextField(_("หมายเหตุ"), blank=True)
    evidence = StreamField(EvidenceBlock(), verbose_name=_("หลักฐาน"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("step"), FieldPanel("status")]),
        FieldPanel("activity"),
        FieldPanel("method"),
        FieldRowPanel([FieldPanel("starts"), FieldPanel("ends")]),
        FieldRowPanel([FieldPanel("indicator"), FieldPanel("target")]),
        FieldRowPanel([FieldPanel("measure"), FieldPanel("target_value"), FieldPanel("unit")]),
        FieldPanel("measured_value"),
        FieldRowPanel([FieldPanel("responsible"), FieldPanel("responsible_department")]),
        FieldPanel("note"),
        FieldPanel("evidence"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("กิจกรรม")
        verbose_name_plural = pgettext_lazy("plural", "กิจกรรม")

    def __str__(self):
        return self.activity

    def clean(self):
        if self.starts and self.ends and self.ends < self.starts:
            raise ValidationError({"ends": _("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม")})
        if self.measure == MANUAL and self.measured_value is not None and self.target_value is None:
            raise ValidationError({"target_value": _("กรอกค่าเป้าหมายเพื่อเทียบกับผลที่วัดได้")})

    @property
    def process(self):
        return self.step[:2]

    @property
    def period(self):
        if self.starts and self.ends:
            return f"{format_date(self.starts, short=True)} – {format_date(self.ends, short=True)}"
        return format_date(self.starts or self.ends, short=True)

    @property
    def measure_label(self):
        return BY_KEY[self.measure].label if self.measure in BY_KEY else ""

