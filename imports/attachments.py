"""Search inside attachments: keep each document's text, and reindex the pages that attach it."""

import logging

from .extract import SUPPORTED, Refused, extract

logger = logging.getLogger(__name__)


def extract_document_text(sender, instance, **kwargs):
    """post_save on documents: store the text of supported files (once per file content)."""
    from .models import DocumentText

    if not instance.file or not instance.file.name.lower().endswith(SUPPORTED):
        return
    file_hash = instance.file_hash or ""
    stored = DocumentText.objects.filter(document=instance).first()
    if stored and file_hash and stored.file_hash == file_hash:
        return
    try:
        if getattr(instance, "extracted", None) is not None:
            text = instance.extracted.text
        else:
            with instance.open_file() as handle:
                text = extract(instance.file.name, handle.read()).text
    except Refused as reason:
        logger.info("No text from document %s: %s", instance.pk, reason)
        text = ""
    except OSError:
        logger.exception("Cannot read document %s", instance.pk)
        return
    DocumentText.objects.update_or_create(document=instance, defaults={"text": text, "file_hash": file_hash})
    reindex_pages_using(instance)


def reindex_pages_using(document):
    from wagtail.models import Page, ReferenceIndex
    from wagtail.search import index

    references = ReferenceIndex.get_references_to(document).filter(
        base_content_type__model="page", base_content_type__app_label="wagtailcore"
    )
    for page in Page.objects.filter(pk__in=[r.object_id for r in references]).specific():
        index.insert_or_update_object(page)


def attachment_texts(page):
    """(document title, text) for each attachment of a page that has text."""
    from .models import DocumentText

    ids = [document.pk for document in page.attachment_documents]
    texts = DocumentText.objects.filter(document_id__in=ids).exclude(text="").select_related("document")
    return [(t.document.title, t.text) for t in texts]
