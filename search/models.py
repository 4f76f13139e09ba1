from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
    def record(cls, query_string):
        entry, _ = cls.objects.get_or_create(query_string=query_string[:255], date=timezone.localdate())
        cls.objects.filter(pk=entry.pk).update(hits=F("hits") + 1)


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
