"""Text and structure out of .txt, .md, .docx and .pdf files, Thai-safe.

`extract(name, data)` returns an Extracted document (title, body blocks in
Khlang's StreamField shape, plain text) or raises Refused with a reason a
person can act on.
"""

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.html import escape
from django.utils.translation import gettext as _

SUPPORTED = (".txt", ".md", ".docx", ".pdf")
SUMMARY_LENGTH = 300

# Old Thai fonts draw shifted vowels and tone marks from the Private Use Area;
# PDFs made with them carry these code points instead of the real marks.
THAI_PUA = {
    0xF700: "ฐ", 0xF701: "ิ", 0xF702: "ี", 0xF703: "ึ", 0xF704: "ื", 0xF705: "่", 0xF706: "้",
    0xF707: "๊", 0xF708: "๋", 0xF709: "์", 0xF70A: "่", 0xF70B: "้", 0xF70C: "๊", 0xF70D: "๋",
    0xF70E: "์", 0xF70F: "ญ", 0xF710: "ั", 0xF711: "ํ", 0xF712: "็", 0xF713: "่", 0xF714: "้",
    0xF715: "๊", 0xF716: "๋", 0xF717: "์", 0xF718: "ุ", 0xF719: "ู", 0xF71A: "ฺ",
}
# A line break a PDF extractor put before a Thai vowel or tone mark belongs to the previous character.
_BROKEN_MARK = re.compile(r"\s*\n\s*(?=[\u0E31\u0E34-\u0E3A\u0E47-\u0E4E])")
_NUMBERED = re.compile(r"^\s*(?:\d+|[๐-๙]+)[.)]\s+(.*)$")
_BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")


class Refused(Exception):
    """A file that cannot be imported, with the reason."""


@dataclass
class Extracted:
    title: str
    blocks: list = field(default_factory=list)
    paragraphs: list = field(default_factory=list)

    @property
    def text(self):
        return "\n\n".join(self.paragraphs)

    @property
    def summary(self):
        first = next((p for p in self.paragraphs if p != self.title), "")
        return first if len(first) <= SUMMARY_LENGTH else first[: SUMMARY_LENGTH - 1].rstrip() + "…"


def clean(text):
    text = unicodedata.normalize("NFC", text.translate(THAI_PUA).replace("\r\n", "\n").replace("\r", "\n"))
    text = _BROKEN_MARK.sub("", text)
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c)[0] != "C")
    return re.sub(r"[ \t\u00a0]+", " ", text)


def max_bytes():
    return getattr(settings, "KHLANG_IMPORT_MAX_BYTES", 20 * 1024 * 1024)


def extract(name, data):
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in SUPPORTED:
        raise Refused(_("ไม่รองรับไฟล์ชนิดนี้ (รองรับ .txt .md .docx .pdf)"))
    if not data:
        raise Refused(_("ไฟล์ว่างเปล่า"))
    if len(data) > max_bytes():
        raise Refused(_("ไฟล์ใหญ่เกิน %(limit)d MB") % {"limit": max_bytes() // (1024 * 1024)})
    reader = {".txt": read_text, ".md": read_markdown, ".docx": read_docx, ".pdf": read_pdf}[extension]
    document = reader(data)
    if not document.paragraphs:
        raise Refused(_("ไม่พบข้อความในไฟล์ (ไฟล์ว่าง หรือเป็นภาพสแกนที่ไม่มีข้อความ)"))
    document.title = document.title or document.paragraphs[0]
    document.title = document.title[:250]
    return document


def decode(data):
    if b"\x00" in data[:8192]:
        raise Refused(_("ไฟล์นี้เป็นไฟล์ไบนารี ไม่ใช่ข้อความ"))
    for encoding in ("utf-8-sig", "cp874"):  # cp874: Thai Windows files (a superset of TIS-620)
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Refused(_("อ่านรหัสอักขระของไฟล์ไม่ได้ (ควรเป็น UTF-8 หรือ TIS-620)"))


def read_text(data):
    # Plain-text documents put one paragraph on each line.
    return from_lines(clean(decode(data)).split("\n"), markdown=False, line_per_paragraph=True)


def read_markdown(data):
    return from_lines(clean(decode(data)).split("\n"), markdown=True)


def from_lines(lines, markdown, line_per_paragraph=False):
    """Paragraphs are separated by blank lines; numbered lines become steps; markdown adds # headings and | tables.

    The title, unless a markdown # heading gives one, is the first non-empty line.
    """
    document = Extracted(title="")
    first_line = next((line.strip() for line in lines if line.strip()), "")
    paragraph, steps, table = [], [], []

    def flush():
        if paragraph:
            add_paragraph(document, " ".join(paragraph))
            paragraph.clear()
        if steps:
            add_steps(document, steps[:])
            steps.clear()
        if table:
            add_table(document, table[:])
            table.clear()

    for raw in lines:
        line = raw.strip()
        heading = re.match(r"^(#{1,6})\s+(.*)$", line) if markdown else None
        row = markdown and line.startswith("|") and line.endswith("|") and len(line) > 1
        numbered = _NUMBERED.match(line) or (markdown and _BULLET.match(line))
        if not line:
            flush()
        elif heading:
            flush()
            add_heading(document, heading.group(2).strip())
            if not document.title and len(heading.group(1)) == 1:
                document.title = heading.group(2).strip()
        elif row:
            if paragraph or steps:
                flush()
            cells = [c.strip() for c in line.strip("|").split("|")]
            if not all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
                table.append(cells)
        elif numbered:
            if paragraph or table:
                flush()
            steps.append(numbered.group(1).strip())
        else:
            if steps or table:
                flush()
            paragraph.append(line)
            if line_per_paragraph:
                flush()
    flush()
    document.title = document.title or first_line
    return document


def add_heading(document, text):
    document.blocks.append(("heading", text))
    document.paragraphs.append(text)


def add_paragraph(document, text):
    text = " ".join(text.split())
    if text:
        document.blocks.append(("paragraph", f"<p>{escape(text)}</p>"))
        document.paragraphs.append(text)


def add_steps(document, steps):
    document.blocks.append(("steps", steps))
    document.paragraphs.extend(steps)


def add_table(document, rows):
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    document.blocks.append(("table", {
        "data": rows, "first_row_is_table_header": True, "first_col_is_header": False,
        "table_header_choice": "row", "table_caption": "",
    }))
    document.paragraphs.append(" ".join(" ".join(r) for r in rows))


def read_docx(data):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        # An OLE container: an encrypted (password-protected) Office file, or an old .doc
        raise Refused(_("ไฟล์ Word มีรหัสผ่านหรือเป็นรูปแบบเก่า (.doc) กรุณาถอดรหัสผ่านหรือบันทึกเป็น .docx"))
    try:
        word = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as error:
        raise Refused(_("ไฟล์ Word เสียหาย เปิดไม่ได้ (%(error)s)") % {"error": error.__class__.__name__}) from error
    document = Extracted(title=clean(word.core_properties.title or "").strip())
    steps = []
    for kind, item in _docx_items(word):
        if kind == "table":
            if steps:
                add_steps(document, steps[:])
                steps.clear()
            rows = [[clean(cell.text).strip() for cell in row.cells] for row in item.rows]
            if any(any(r) for r in rows):
                add_table(document, rows)
            continue
        text = clean(item.text).strip()
        style = (item.style.name or "").lower() if item.style is not None else ""
        is_list = "list" in style or item._p.pPr is not None and item._p.pPr.numPr is not None
        if is_list and text:
            steps.append(text)
            continue
        if steps:
            add_steps(document, steps[:])
            steps.clear()
        if not text:
            continue
        if style == "title" or style.startswith("heading"):
            add_heading(document, text)
            if not document.title:
                document.title = text
        else:
            add_paragraph(document, text)
    if steps:
        add_steps(document, steps)
    return document


def _docx_items(word):
    """Paragraphs and tables in document order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in word.element.body.iterchildren():
        if child.tag.endswith("}p"):
            yield "paragraph", Paragraph(child, word)
        elif child.tag.endswith("}tbl"):
            yield "table", Table(child, word)


def read_pdf(data):
    from pdfminer.high_level import extract_text
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    if not data.startswith(b"%PDF"):
        raise Refused(_("ไฟล์ PDF เสียหาย เปิดไม่ได้"))
    try:
        text = extract_text(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise Refused(_("ไฟล์ PDF มีรหัสผ่าน กรุณาถอดรหัสผ่านก่อนนำเข้า")) from error
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as error:
        raise Refused(_("ไฟล์ PDF เสียหาย เปิดไม่ได้ (%(error)s)") % {"error": error.__class__.__name__}) from error
    # pdfminer separates paragraphs with blank lines and pages with form feeds
    return from_lines(clean(text.replace("\x0c", "\n\n")).split("\n"), markdown=False)
