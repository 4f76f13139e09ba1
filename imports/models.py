from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedFile(models.Model):
    """A file brought in by import_documents, by content hash: importing it again is a no-op."""

    sha256 = models.CharField(max_length=64, unique=True)
    filename = models.CharField(_("ชื่อไฟล์"), max_length=255)
    page = models.ForeignKey("wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+")
    document = models.ForeignKey("wagtaildocs.Document", null=True, on_delete=models.SET_NULL, related_name="+")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ไฟล์ที่นำเข้า")
        verbose_name_plural = _("ไฟล์ที่นำเข้า")

    def __str__(self):
        return self.filename


class DocumentText(models.Model):
    """Text extracted from an uploaded document, indexed with the pages that attach it."""

    document = models.OneToOneField("wagtaildocs.Document", on_delete=models.CASCADE, related_name="extracted_text")
    text = models.TextField(blank=True)
    file_hash = models.CharField(max_length=64, blank=True)

    def __str__(self):
        return str(self.document)
