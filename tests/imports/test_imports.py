"""Bringing existing knowledge in: import_documents, the admin upload, attachment search."""

import glob
import io
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page

from imports.extract import extract
from imports.models import ImportedFile
from knowledge.models import KnowledgeArticle
from tests.search.helpers import api, refresh, titles
from thai.slugs import slugify

pytestmark = pytest.mark.django_db

SEEDS = sorted(glob.glob(str(Path(__file__).resolve().parents[3] / "shared" / "seeds" / "*.txt")))
# Tests *about* the real KM documents in ../shared/seeds; a clone on its own has none.
about_the_seeds = pytest.mark.skipif(
    not SEEDS, reason="../shared/seeds is not beside this checkout: these tests are about those documents"
)
THAI_FONT = "/usr/share/fonts/truetype/tlwg/Garuda.ttf"  # Debian's fonts-thai-tlwg

MANUAL = [
    "คู่มือการปฏิบัติงานงานพัสดุ",
    "การตรวจรับพัสดุต้องทำภายในสามวันทำการนับจากวันที่ผู้ขายส่งมอบ",
    "ผู้สูงอายุที่มีสิทธิ์ได้รับเบี้ยยังชีพ ๖๐๐ บาท ต้องยื่นคำขอด้วยตนเอง",
    "เจ้าหน้าที่ต้องบันทึกทะเบียนคุมครุภัณฑ์ในระบบอิเล็กทรอนิกส์ทุกครั้ง",
]


def make_pdf(lines, password=None):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("Garuda", THAI_FONT))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=password)
    pdf.setFont("Garuda", 14)
    y = 800
    for line in lines:
        pdf.drawString(50, y, line)
        y -= 36  # a blank line between paragraphs
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_docx(title="คู่มือการเบิกจ่ายเงิน"):
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.add_heading("ขั้นตอนการเบิกจ่าย", level=1)
    document.add_paragraph("การเบิกจ่ายเงินผ่านระบบอิเล็กทรอนิกส์ต้องแนบเอกสารให้ครบถ้วนก่อนส่งกองคลัง")
    document.add_paragraph("ตรวจสอบใบสำคัญ", style="List Number")
    document.add_paragraph("บันทึกขอเบิกในระบบ", style="List Number")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "เอกสาร", "จำนวน"
    table.cell(1, 0).text, table.cell(1, 1).text = "ใบเสร็จรับเงิน", "๑ ฉบับ"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def import_paths(*paths, **options):
    """Run the command; its exit code (0 or 1) and printed report."""
    out = io.StringIO()
    try:
        call_command("import_documents", *paths, stdout=out, stderr=io.StringIO(), **options)
        return 0, out.getvalue()
    except SystemExit as exit_:
        return exit_.code, out.getvalue()


# extraction ------------------------------------------------------------------------------


def test_thai_pdf_text_has_whole_words_and_marks():
    document = extract("manual.pdf", make_pdf(MANUAL))
    assert document.title == MANUAL[0]
    assert document.paragraphs == MANUAL


def test_docx_title_headings_steps_and_tables():
    document = extract("manual.docx", make_docx())
    assert document.title == "คู่มือการเบิกจ่ายเงิน"
    kinds = [kind for kind, _ in document.blocks]
    assert kinds == ["heading", "paragraph", "steps", "table"]
    assert document.blocks[2][1] == ["ตรวจสอบใบสำคัญ", "บันทึกขอเบิกในระบบ"]
    assert document.blocks[3][1]["data"] == [["เอกสาร", "จำนวน"], ["ใบเสร็จรับเงิน", "๑ ฉบับ"]]


def test_markdown_and_thai_windows_text():
    markdown = "# แนวทางการให้บริการ\n\nบริการประชาชนด้วยความเต็มใจ\n\n1. รับเรื่อง\n2. ตรวจเอกสาร\n\n| ขั้นตอน | เวลา |\n|---|---|\n| รับเรื่อง | ๕ นาที |\n"
    document = extract("guide.md", markdown.encode())
    assert document.title == "แนวทางการให้บริการ"
    assert [kind for kind, _ in document.blocks] == ["heading", "paragraph", "steps", "table"]
    windows = extract("old.txt", "บันทึกข้อความ\nเรื่อง การประชุม".encode("cp874"))
    assert windows.paragraphs == ["บันทึกข้อความ", "เรื่อง การประชุม"]


# the command --------------------------------------------------------------------------------


@about_the_seeds
@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: os.path.basename(path)[:3])
def test_seed_documents_import_as_drafts_in_review(seed, staff):
    from wagtail.models import WorkflowState

    lines = [line.strip() for line in open(seed, encoding="utf-8") if line.strip()]
    code, report = import_paths(seed, department="palad", user="author.palad")
    assert code == 0, report
    page = KnowledgeArticle.objects.get(title=" ".join(lines[0].split()))
    assert not page.live
    assert WorkflowState.objects.filter(base_content_type__model="page", object_id=str(page.pk), status="in_progress").exists()
    document = extract(seed, open(seed, "rb").read())
    assert len(document.paragraphs) == len(lines)
    assert page.attachments[0].value.file_size == os.path.getsize(seed)
    assert page.owner == staff["author.palad"]
    assert page.slug == slugify(page.title)


@about_the_seeds
def test_seeds_are_found_by_a_word_from_deep_inside_once_published(client, backend, staff):
    from thai.words import tokens

    code, report = import_paths(*SEEDS, department="palad", publish=True, user="admin")
    assert code == 0 and "imported 5" in report
    refresh(backend)
    for seed in SEEDS:
        lines = [line.strip() for line in open(seed, encoding="utf-8") if line.strip()]
        deep = lines[int(len(lines) * 0.8)]
        word = max((t for t in tokens(deep) if t.isalpha()), key=len)
        page = KnowledgeArticle.objects.get(title=" ".join(lines[0].split()))
        assert page.live
        found = [t for n in (1, 2, 3) for t in titles(api(client, q=word, type="article", page=n))]
        assert page.title in found, (seed, word)


def written_documents(folder, count=3):
    """Plain-text KM notes written by the test, one per file."""
    paths = []
    for n in range(count):
        path = folder / f"note-{n}.txt"
        path.write_text(f"บันทึกการถอดบทเรียนฉบับที่ {n}\nขั้นตอนการทำงานที่ได้เรียนรู้ครั้งที่ {n}", encoding="utf-8")
        paths.append(str(path))
    return paths


def test_rerun_creates_no_duplicates(tmp_path, staff):
    documents = written_documents(tmp_path)
    code, report = import_paths(*documents, department="palad")
    assert code == 0 and "imported 3" in report
    pages = Page.objects.count()
    code, report = import_paths(*documents, department="palad")
    assert code == 0
    assert "imported 0, skipped as duplicate 3, failed 0" in report
    assert Page.objects.count() == pages


def test_bad_files_are_reported_and_the_rest_imported(tmp_path, settings, staff):
    settings.KHLANG_IMPORT_MAX_BYTES = 50_000
    (tmp_path / "good.pdf").write_bytes(make_pdf(MANUAL))
    (tmp_path / "good.docx").write_bytes(make_docx("ไฟล์ดีที่นำเข้าได้"))
    (tmp_path / "corrupt.docx").write_bytes(b"PK\x03\x04 this is not really a zip")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "locked.pdf").write_bytes(make_pdf(MANUAL[:1], password="secret"))
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (tmp_path / "huge.txt").write_bytes(("ข้อความ " * 20_000).encode())
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    code, report = import_paths(str(tmp_path), department="klang")
    assert code == 1
    assert "imported 2, skipped as duplicate 0, failed 6" in report
    expected = {
        "corrupt.docx": "เสียหาย", "empty.txt": "ว่างเปล่า", "locked.pdf": "รหัสผ่าน",
        "binary.txt": "ไบนารี", "huge.txt": "ใหญ่เกิน", "photo.jpg": "ไม่รองรับ",
    }
    for name, reason in expected.items():
        line = next(line for line in report.splitlines() if name in line)
        assert line.startswith("failed") and reason in line, line
    assert KnowledgeArticle.objects.filter(title="ไฟล์ดีที่นำเข้าได้").exists()


def test_interrupted_run_can_be_run_again(monkeypatch, tmp_path, staff):
    from imports import importer as importer_module

    for n in range(4):
        (tmp_path / f"{n}.txt").write_text(f"บันทึกความรู้ฉบับที่ {n}\nเนื้อหาของบันทึกฉบับที่ {n}", encoding="utf-8")
    real = importer_module.Importer.build_page
    calls = {"n": 0}

    def interrupt_on_third(self, extracted, document):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(self, extracted, document)

    monkeypatch.setattr(importer_module.Importer, "build_page", interrupt_on_third)
    with pytest.raises(KeyboardInterrupt):
        import_paths(str(tmp_path))
    assert ImportedFile.objects.count() == 2
    assert not KnowledgeArticle.objects.filter(title="บันทึกความรู้ฉบับที่ 2").exists()
    monkeypatch.setattr(importer_module.Importer, "build_page", real)
    code, report = import_paths(str(tmp_path))
    assert code == 0 and "imported 2, skipped as duplicate 2, failed 0" in report
    assert KnowledgeArticle.objects.filter(title__startswith="บันทึกความรู้ฉบับที่").count() == 4


def test_unknown_department_is_refused(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        import_paths(*written_documents(tmp_path, 1), department="no-such-department")


# the admin view ------------------------------------------------------------------------------


def test_author_uploads_several_files_and_finds_the_drafts_on_the_dashboard(staff, login):
    from knowledge.models import Department

    author = login(staff["author.klang"])
    page = author.get(reverse("import_documents"))
    assert page.status_code == 200 and "publish" not in page.context["form"].fields
    response = author.post(reverse("import_documents"), {
        "files": [
            SimpleUploadedFile("manual.pdf", make_pdf(MANUAL)),
            SimpleUploadedFile("guide.docx", make_docx("แนวทางการเบิกจ่ายฉบับอัปโหลด")),
            SimpleUploadedFile("broken.docx", b"not a docx"),
        ],
        "kind": "article",
        "department": Department.objects.get(code="klang").pk,
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert "นำเข้าแล้ว" in html and "ไม่สำเร็จ" in html and "เสียหาย" in html
    drafts = KnowledgeArticle.objects.filter(title__in=[MANUAL[0], "แนวทางการเบิกจ่ายฉบับอัปโหลด"])
    assert drafts.count() == 2 and not any(d.live for d in drafts)
    dashboard = author.get(reverse("wagtailadmin_home")).content.decode()
    assert MANUAL[0] in dashboard


def test_readers_cannot_use_the_import_view(client, staff, login):
    assert client.get(reverse("import_documents")).status_code == 302  # to the admin login
    reviewer = login(staff["reviewer.palad"])
    assert reviewer.get(reverse("import_documents")).status_code in (302, 403)


# search inside attachments -----------------------------------------------------------------


def test_phrase_only_in_an_attachment_finds_the_page(client, backend, library, staff):
    from wagtail.documents.models import Document

    phrase = "การบำรุงรักษาเครื่องกำเนิดไฟฟ้าสำรอง"
    document = Document(title="คู่มือซ่อมบำรุง")
    document.file.save("maintenance.pdf", io.BytesIO(make_pdf(["คู่มือซ่อมบำรุง", f"บทที่ ๓ {phrase} ทุกหกเดือน"])), save=False)
    document.save()
    article = KnowledgeArticle(
        title="งานอาคารสถานที่", summary="การดูแลอาคาร", body=[("paragraph", "<p>ดูรายละเอียดในคู่มือที่แนบ</p>")],
        attachments=[("document", document)],
    )
    library.add_child(instance=article)
    article.save_revision().publish()
    refresh(backend)
    data = api(client, q="เครื่องกำเนิดไฟฟ้า")
    assert article.title in titles(data)
    hit = next(r for r in data["results"] if r["title"] == article.title)
    assert "พบในไฟล์แนบ" in hit["highlight"] and "คู่มือซ่อมบำรุง" in hit["highlight"]
