"""Turn existing files into knowledge pages: drafts in the review workflow, or published."""

import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model

from cop.models import DialogueSummaryPage
from knowledge.models import BestPracticeIndexPage, BestPracticePage, KnowledgeArticle, KnowledgeIndexPage

from .extract import Refused, extract
from .models import ImportedFile

TYPES = {
    "article": KnowledgeArticle,
    "best_practice": BestPracticePage,
    "cop_summary": DialogueSummaryPage,
}
TO_BE_WRITTEN = "<p>(รอการเรียบเรียงจากเอกสารต้นฉบับที่แนบไว้)</p>"

IMPORTED, DUPLICATE, FAILED = "imported", "duplicate", "failed"


@dataclass
class Outcome:
    filename: str
    status: str
    reason: str = ""
    page: object = None


class Importer:
    def __init__(self, kind="article", department=None, category=None, parent=None, publish=False, user=None):
        self.model = TYPES[kind]
        self.department = department
        self.category = category
        self.parent = parent or self.default_parent()
        self.publish = publish
        self.user = user

    def default_parent(self):
        if self.model is KnowledgeArticle:
            return KnowledgeIndexPage.objects.first()
        if self.model is BestPracticePage:
            return BestPracticeIndexPage.objects.first()
        return None  # a dialogue summary belongs to a community: --parent is required

    def check_parent(self):
        """None if pages of this kind may be created under the parent, else the reason."""
        if self.parent is None:
            if self.model is DialogueSummaryPage:
                return _("สรุปการเสวนาต้องระบุชุมชนนักปฏิบัติที่เป็นหน้าแม่ (--parent)")
            return _("ยังไม่มีหน้าคลังความรู้ให้นำเข้า")
        if not self.model.can_exist_under(self.parent.specific):
            return _("หน้า “%(parent)s” รับหน้าชนิด “%(type)s” ไม่ได้") % {
                "parent": self.parent.title, "type": self.model._meta.verbose_name,
            }
        return None

    def import_file(self, filename, data):
        digest = hashlib.sha256(data).hexdigest()
        previous = ImportedFile.objects.filter(sha256=digest).select_related("page").first()
        if previous and previous.page_id:
            return Outcome(filename, DUPLICATE, _("เคยนำเข้าแล้วเป็น “%(title)s”") % {"title": previous.page.title}, previous.page)
        try:
            extracted = extract(filename, data)
        except Refused as reason:
            return Outcome(filename, FAILED, str(reason))
        # One file, one transaction: an interrupted run leaves no half-made page, and a
        # re-run imports exactly the files that were not finished.
        with transaction.atomic():
            document = get_document_model()(title=extracted.title, uploaded_by_user=self.user)
            document.extracted = extracted  # spares imports.attachments extracting it again
            document.file.save(filename.rsplit("/", 1)[-1], ContentFile(data), save=False)
            document._set_document_file_metadata()
            document.save()
            page = self.build_page(extracted, document)
            self.parent.add_child(instance=page)
            revision = page.save_revision(user=self.user, log_action=True)
            if self.publish:
                revision.publish(user=self.user)
            elif (workflow := page.get_workflow()) is not None and self.user is not None:
                workflow.start(page, self.user)
            ImportedFile.objects.update_or_create(
                sha256=digest,
                defaults={"filename": filename[:255], "page": page, "document": document, "imported_by": self.user},
            )
        return Outcome(filename, IMPORTED, page=page)

    def build_page(self, extracted, document):
        fields = {
            "title": extracted.title,
            "summary": extracted.summary or extracted.title,
            "department": self.department,
            "category": self.category,
            "attachments": [("document", document)],
            "owner": self.user,
            "live": self.publish,
        }
        if self.model is KnowledgeArticle:
            return KnowledgeArticle(body=extracted.blocks, source=_("นำเข้าจากไฟล์ %(name)s") % {"name": document.filename}, **fields)
        if self.model is BestPracticePage:
            return BestPracticePage(
                background=TO_BE_WRITTEN, objectives=TO_BE_WRITTEN, method=extracted.blocks,
                success_factors=TO_BE_WRITTEN, lessons_learned=TO_BE_WRITTEN, **fields,
            )
        paragraphs = "".join(value for kind, value in extracted.blocks if kind == "paragraph")
        return DialogueSummaryPage(
            topic=extracted.title[:255], core_lessons=paragraphs or TO_BE_WRITTEN, **fields,
        )


