from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = "นำเข้าเอกสาร"

    def ready(self):
        from django.db.models.signals import post_save
        from wagtail.documents import get_document_model

        from .attachments import extract_document_text

        post_save.connect(extract_document_text, sender=get_document_model(), dispatch_uid="khlang_document_text")
