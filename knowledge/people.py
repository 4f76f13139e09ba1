"""People who hold knowledge, and their consent to being named in public (PDPA)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel
from wagtail.search.index import FilterField, Indexed, RelatedFields

from base.search_fields import AutocompleteField, SearchField


class PersonExpertise(TaggedItemBase):
    content_object = ParentalKey("knowledge.Person", related_name="expertise_items", on_delete=models.CASCADE)


class Person(Indexed, ClusterableModel):
    """A member of staff who holds knowledge or takes part in a community.

    Names are personal data (PDPA): they are shown publicly only with consent.
    """

    name = models.CharField(_("ชื่อ-สกุล"), max_length=255)
    position = models.CharField(_("ตำแหน่ง"), max_length=255, blank=True)
    department = models.ForeignKey(
        "knowledge.Department", verbose_name=_("ส่วนราชการ"), null=True, blank=True, on_delete=models.SET_NULL
    )
    expertise = ClusterTaggableManager(
        through=PersonExpertise, blank=True, verbose_name=_("ความเชี่ยวชาญ")
    )
    email = models.EmailField(_("อีเมล (ไม่แสดงต่อสาธารณะ)"), blank=True)
    # Kept in step with the consent records (ConsentRecord.save/delete), never ticked by hand:
    # one column that every public surface can filter and cache by.
    public_consent = models.BooleanField(
        _("ยินยอมให้เผยแพร่ชื่อ"),
        default=False,
        editable=False,
        help_text=_("ตาม พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล ชื่อจะแสดงบนเว็บไซต์เฉพาะเมื่อมีบันทึกความยินยอมที่ยังไม่ถูกถอน"),
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("position"), FieldPanel("department")]),
        FieldPanel("expertise"),
        FieldPanel("email"),
        HelpPanel(
            _("การยินยอมให้เผยแพร่ชื่อบันทึกที่เมนู ข้อมูลอ้างอิง › บันทึกความยินยอม "
              "(วันที่ให้ความยินยอม ผู้บันทึก และการถอนความยินยอม)"),
            heading=_("ความยินยอมให้เผยแพร่ชื่อ"),
        ),
    ]
    search_fields = [
        SearchField("name"),
        AutocompleteField("name"),
        SearchField("position"),
        RelatedFields("expertise", [SearchField("name")]),
        FilterField("department"),
        FilterField("public_consent"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("บุคลากร")
        verbose_name_plural = pgettext_lazy("plural", "บุคลากร")

    def __str__(self):
        return self.name

    # How many people must share a position in a department before it may stand for one of
    # them publicly: with fewer, "the position" names one person as surely as their name.
    SHARED_POSITION_MINIMUM = 2

    @cached_property
    def position_is_shared(self):
        """Whether the position names no single person (SHARED_POSITION_MINIMUM share it here)."""
        if not self.position:
            return False
        same = Person.objects.filter(position=self.position, department_id=self.department_id)
        return same.count() >= self.SHARED_POSITION_MINIMUM

    @property
    def public_name(self):
        """The name with consent; otherwise the position if it singles no one out; else "staff"."""
        if self.public_consent:
            return self.name
        if self.position_is_shared:
            return self.position
        return _("บุคลากรของหน่วยงาน")

    @property
    def publicly_listed(self):
        """Whether the public may see this person as an entry of their own (the expert directory)."""
        return self.public_consent or self.position_is_shared

    def current_consent(self):
        return self.consent_records.filter(withdrawn_at=None).order_by("-given_at").first()

    def give_consent(self, recorded_by=None, note="", given_at=None):
        return ConsentRecord.objects.create(
            person=self, recorded_by=recorded_by, note=note, given_at=given_at or timezone.now()
        )

    def withdraw_consent(self, withdrawn_by=None, note=""):
        """Withdraw every current consent: the name leaves every public surface at once."""
        for record in self.consent_records.filter(withdrawn_at=None):
            record.withdraw(withdrawn_by, note)

    def refresh_consent(self):
        """Bring public_consent in step with the records (a change bumps the content version)."""
        current = self.consent_records.filter(withdrawn_at=None).exists()
        if current != self.public_consent:
            self.public_consent = current
            self.save(update_fields=["public_consent"])


class ConsentRecord(models.Model):
    """A person's consent to publishing their name (PDPA): when, recorded by whom, and its withdrawal.

    A person's name is public while one of their records is not withdrawn. Saving or
    deleting a record brings Person.public_consent in step and bumps the public content
    version (knowledge.apps), so every cached page drops or shows the name at once.
    """

    person = models.ForeignKey(
        Person, verbose_name=_("บุคลากร"), on_delete=models.CASCADE, related_name="consent_records"
    )
    given_at = models.DateTimeField(_("วันที่ให้ความยินยอม"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ผู้บันทึก"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )
    note = models.TextField(
        _("หมายเหตุ"), blank=True, help_text=_("เช่น หนังสือแสดงความยินยอมเลขที่ หรือช่องทางที่ให้ความยินยอม")
    )
    withdrawn_at = models.DateTimeField(
        _("วันที่ถอนความยินยอม"), null=True, blank=True,
        help_text=_("ใส่เมื่อเจ้าตัวขอถอนความยินยอม ชื่อจะหายจากหน้าสาธารณะทันที"),
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ผู้บันทึกการถอน"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )

    panels = [
        FieldPanel("person"),
        FieldPanel("given_at"),
        FieldPanel("note"),
        FieldPanel("withdrawn_at"),
    ]

    class Meta:
        ordering = ["-given_at", "-pk"]
        verbose_name = _("บันทึกความยินยอม")
        verbose_name_plural = pgettext_lazy("plural", "บันทึกความยินยอม")

    def __str__(self):
        return f"{self.person} ({self.status_label})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        Person.objects.get(pk=self.person_id).refresh_consent()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        Person.objects.get(pk=self.person_id).refresh_consent()
        return result

    def withdraw(self, withdrawn_by=None, note=""):
        self.withdrawn_at = timezone.now()
        self.withdrawn_by = withdrawn_by
        if note:
            self.note = f"{self.note}\n{note}".strip()
        self.save()

    @property
    def status_label(self):
        return _("ถอนแล้ว") if self.withdrawn_at else _("ยินยอม")
