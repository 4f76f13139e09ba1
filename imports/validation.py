"""Uploaded files are checked by their content, not just their name."""

import io
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ZIP_MEMBERS = {  # Office Open XML / OpenDocument files are zip archives with a known part
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
    "odt": "content.xml",
}
TEXT_EXTENSIONS = {"txt", "md", "csv"}
MARKUP = (b"<!doctype html", b"<html", b"<script", b"<svg", b"<?xml")


def check_file_content(name, data):
    """Raise ValidationError unless `data` really is the kind of file `name` says it is."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "pdf":
        ok = data[:1024].lstrip().startswith(b"%PDF-")
    elif extension in ZIP_MEMBERS:
        ok = _zip_has(data, ZIP_MEMBERS[extension])
    elif extension in TEXT_EXTENSIONS:
        head = data[:8192]
        ok = b"\x00" not in head and not head.lstrip().lower().startswith(MARKUP) and _is_text(head)
    else:
        ok = False
    if not ok:
        raise ValidationError(
            _("เนื้อไฟล์ไม่ตรงกับนามสกุล .%(extension)s (ระบบตรวจจากเนื้อไฟล์ ไม่ใช่ชื่อไฟล์)") % {"extension": extension},
            code="content_mismatch",
        )


def _zip_has(data, member):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return member in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _is_text(head):
    for encoding in ("utf-8", "cp874"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as error:
            if encoding == "utf-8" and error.start >= len(head) - 3:  # a character cut at the 8 KB mark
                return True
    return False
