from django.db import models
from django.utils.translation import gettext_lazy as _


class PageReadCount(models.Model):
    """How many times people read a live page on one day (Asia/Bangkok).

    The only store of access counts: the app adds its reads at once, the access-log import
    adds the reads nginx answered from its cache. Nothing about the reader is kept.
    """

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("หน้า"), on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField(_("วันที่"))
    count = models.PositiveIntegerField(_("จำนวนครั้งที่อ่าน"), default=0)

    class Meta:
        verbose_name = _("จำนวนการอ่านรายวัน")
        verbose_name_plural = _("จำนวนการอ่านรายวัน")
        constraints = [models.UniqueConstraint(fields=["page", "date"], name="readership_one_row_per_page_day")]
        # Totals over a range of days read this index alone (a year of a thousand pages'
        # counts: 0.7 s through the date index and the table, 0.1 s from this one on SQLite).
        indexes = [models.Index(fields=["date", "page", "count"], name="readership_reads_by_day")]

    def __str__(self):
        return f"{self.page_id} {self.date}: {self.count}"


class ImportedAccessLog(models.Model):
    """How far an nginx access log has been imported.

    A file is known by a fingerprint of its first line (without the client address), so the
    same log found again under another name (rotated: access.log → access.log.1) continues
    where it stopped, and a new log starts from its beginning.
    """

    fingerprint = models.CharField(_("ลายนิ้วมือของไฟล์"), max_length=64, unique=True)
    inode = models.PositiveBigIntegerField(_("inode"), null=True, blank=True)
    path = models.CharField(_("ไฟล์ล่าสุด"), max_length=1000)
    offset = models.PositiveBigIntegerField(_("นำเข้าแล้วถึงไบต์ที่"), default=0)
    lines = models.PositiveBigIntegerField(_("จำนวนบรรทัดที่อ่านแล้ว"), default=0)
    counted = models.PositiveBigIntegerField(_("จำนวนการอ่านที่นับ"), default=0)
    malformed = models.PositiveBigIntegerField(_("บรรทัดที่รูปแบบผิด"), default=0)
    updated_at = models.DateTimeField(_("นำเข้าล่าสุด"), auto_now=True)

    class Meta:
        verbose_name = _("บันทึกการเข้าถึงที่นำเข้าแล้ว")
        verbose_name_plural = _("บันทึกการเข้าถึงที่นำเข้าแล้ว")

    def __str__(self):
        return f"{self.path} @ {self.offset}"
