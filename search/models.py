from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search.utils import normalise_query_string  # the form search statistics keep a term in


class UnansweredQuery(models.Model):
    """A search that found nothing, counted per day: what the library is missing."""

    query_string = models.CharField(_("คำค้น"), max_length=255)
    date = models.DateField(_("วันที่"))
    hits = models.PositiveIntegerField(_("จำนวนครั้ง"), default=0)

    class Meta:
        unique_together = [("query_string", "date")]
        verbose_name = _("คำค้นที่ไม่พบผลลัพธ์")
        verbose_name_plural = _("คำค้นที่ไม่พบผลลัพธ์")

    def __str__(self):
        return self.query_string

    @classmethod
    def record(cls, query_string, date=None, hits=1):
        entry, _ = cls.objects.get_or_create(query_string=query_string[:255], date=date or timezone.localdate())
        cls.objects.filter(pk=entry.pk).update(hits=F("hits") + hits)


class PendingIndexUpdate(models.Model):
    """An index update the search engine did not take (it was down or slow).

    `manage.py search_reconcile` applies these once the engine is back.
    """

    INDEX = "index"
    DELETE = "delete"

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    action = models.CharField(max_length=10, choices=[(INDEX, "index"), (DELETE, "delete")])
    first_failed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("content_type", "object_id")]

    def __str__(self):
        return f"{self.action} {self.content_type_id}:{self.object_id}"

    @classmethod
    def remember(cls, objs, action):
        from django.contrib.contenttypes.models import ContentType

        for obj in objs:
            cls.objects.update_or_create(
                content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
                object_id=str(obj.pk),
                defaults={"action": action},
            )


class SearchSynonym(models.Model):
    """Terms a search treats as one: a Thai word, its English acronym, its transliteration."""

    terms = models.TextField(
        _("คำที่มีความหมายเดียวกัน"),
        help_text=_("หนึ่งคำต่อหนึ่งบรรทัด เช่น KM, การจัดการความรู้ — ค้นคำใดก็พบหน้าที่ใช้คำอื่นในกลุ่มด้วย"),
    )

    class Meta:
        verbose_name = _("คำพ้องความหมายสำหรับการค้นหา")
        verbose_name_plural = _("คำพ้องความหมายสำหรับการค้นหา")

    def __str__(self):
        return ", ".join(self.terms.split())[:120]


class SearchTermDecision(models.Model):
    """A KM editor's decision on a search term: shown in the public popular searches, or hidden.

    Without a decision a term people searched for is shown publicly only while it finds
    published public content (search.popular); editors' reports list every term.
    """

    SHOWN = "shown"
    HIDDEN = "hidden"
    DECISIONS = [(SHOWN, _("แสดงต่อสาธารณะ")), (HIDDEN, _("ซ่อน"))]

    term = models.CharField(
        _("คำค้น"), max_length=255, unique=True,
        help_text=_("ตัวพิมพ์เล็กใหญ่และช่องว่างซ้ำไม่มีผล"),
    )
    decision = models.CharField(_("การแสดงผล"), max_length=10, choices=DECISIONS, default=HIDDEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ผู้พิจารณา"), null=True, blank=True,
        editable=False, on_delete=models.SET_NULL, related_name="+",
    )
    decided_at = models.DateTimeField(_("พิจารณาเมื่อ"), auto_now=True)

    class Meta:
        ordering = ["term"]
        verbose_name = _("การแสดงคำค้นยอดนิยม")
        verbose_name_plural = _("การแสดงคำค้นยอดนิยม")

    def __str__(self):
        return self.term

    def save(self, *args, **kwargs):
        self.term = normalise_query_string(self.term)
        super().save(*args, **kwargs)

    def clean(self):
        self.term = normalise_query_string(self.term)  # before the form checks it is unique


class Romanization(models.Model):
    """A Thai word of the index in English letters (search.crossscript), kept across processes.

    Romanizing costs about 0.3 ms a word, so a vocabulary of tens of thousands of words
    would make each worker's first Latin-letter query after a start take seconds; reading
    the words back is one query. `scheme` names the system and PyThaiNLP's version: a new
    version romanizes afresh.
    """

    scheme = models.CharField(max_length=40)
    word = models.CharField(max_length=255)
    latin = models.CharField(max_length=255)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scheme", "word"], name="one_romanization_per_scheme_and_word")]

    def __str__(self):
        return f"{self.word} → {self.latin}"
