"""The plan page, the admin dashboard and the annual report (PDF text, XLSX cells)."""

import io
from pathlib import Path

import pypdfium2
import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pdfminer.high_level import extract_pages, extract_text
from pdfminer.layout import LTChar, LTContainer
from wagtail.models import PageViewRestriction

from knowledge.models import KnowledgeArticle
from plan.indicators import items_published_list, measure_year
from plan.models import KMPlanPage
from plan.permissions import SPONSORS
from tests.conftest import SCREENSHOTS
from thai.digits import to_arabic_digits as shown  # pages show the agency's digit style, Arabic by default

from .conftest import YEAR, bangkok

pytestmark = pytest.mark.django_db
DEMO_YEAR = 2569
# A PDF's text layer gives Thai marks as separate glyphs (a tone mark after a space, sara am as
# sara aa): compare letters only. What the page looks like is checked by eye (screenshots).
THAI_MARKS = str.maketrans("", "", "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")


def fonts_used(path):
    def characters(item):
        if isinstance(item, LTChar):
            yield item
        elif isinstance(item, LTContainer):
            for child in item:
                yield from characters(child)

    return {char.fontname for page in extract_pages(str(path)) for char in characters(page)}


def letters(text):
    return "".join(text.replace("\u0e33", "\u0e32").translate(THAI_MARKS).split())


@pytest.fixture
def demo_plan():
    return KMPlanPage.objects.get(fiscal_year=DEMO_YEAR)


@pytest.fixture
def sponsor(django_user_model):
    return django_user_model.objects.get(username="sponsor")


def test_demo_plan_is_data_with_targets_the_demo_partly_meets(demo_plan):
    indicators = measure_year(DEMO_YEAR, plan=demo_plan)
    verdicts = [i.met for i in [*indicators.indicators, *indicators.manual] if i.target is not None]
    assert True in verdicts and False in verdicts
    assert {a.step for a in demo_plan.km_activities} >= {"km1", "km2", "km4", "km6"}
    assert {a.step[:2] for a in demo_plan.change_activities} == {"cm"}
    assert demo_plan.knowledge_needs.count() >= 5


def test_public_plan_page_renders_the_plan_its_indicators_and_missing_knowledge(client, demo_plan):
    html = client.get(demo_plan.url).content.decode()
    assert shown(demo_plan.desired_state) in html
    for activity in demo_plan.activities.all():
        assert shown(activity.activity) in html
    assert 'data-indicator="items_published"' in html
    published = measure_year(DEMO_YEAR)["items_published"].value
    assert f"{published} เรื่อง" in html
    missing = [need for need in demo_plan.knowledge_needs.all() if not need.captured_page_ids]
    assert missing and all(shown(need.knowledge) in html for need in missing)
    assert html.count("ยังไม่มีในคลัง") == len(missing)
    index = client.get(demo_plan.get_parent().url).content.decode()
    assert shown(demo_plan.title) in index


def test_public_knowledge_map_never_links_a_staff_only_item(client, demo_plan):
    need = next(need for need in demo_plan.knowledge_needs.all() if need.captured_page_ids)
    captured = KnowledgeArticle.objects.filter(pk__in=need.captured_page_ids).first() or need.captured_by[0].value
    PageViewRestriction.objects.create(page=captured, restriction_type=PageViewRestriction.LOGIN)
    html = client.get(demo_plan.url).content.decode()
    assert captured.title not in html


def test_dashboard_is_for_the_km_working_group_and_the_sponsor(client, login, staff, sponsor):
    url = reverse("plan_dashboard")
    assert login(staff["author.klang"]).get(url).status_code in (302, 403)
    assert client.get(url).status_code == 302  # to the login page
    assert sponsor.groups.filter(name=SPONSORS).exists()
    for user in (staff["editor"], sponsor):
        html = login(user).get(url, {"year": DEMO_YEAR}).content.decode()
        assert "ตัวชี้วัดเทียบเป้าหมาย" in html and "ปีนี้เทียบกับปีก่อน" in html and "ตามส่วนราชการ" in html
        assert html.count('class="km-chart"') == 3  # every chart beside its table
        assert f"report-{DEMO_YEAR}.pdf" in html and f"report-{DEMO_YEAR}.xlsx" in html


def test_dashboard_year_without_plan_and_bad_year(login, staff):
    editor = login(staff["editor"])
    html = editor.get(reverse("plan_dashboard"), {"year": "2700"}).content.decode()
    assert "ยังไม่มีแผน" in html
    assert 'data-indicator="items_published"' in html
    # No year, or one that is not a year: the plan being worked on (the demo's is the latest).
    for params in ({}, {"year": "abc"}):
        html = editor.get(reverse("plan_dashboard"), params).content.decode()
        assert f'<option value="{DEMO_YEAR}" selected>' in html


def test_pdf_report_text_has_the_plan_every_indicator_and_the_years_items(tmp_path, demo_plan):
    output = tmp_path / "report.pdf"
    call_command("km_report", "--year", str(DEMO_YEAR), "--format", "pdf", "--output", str(output), stdout=io.StringIO())
    pdf = output.read_bytes()
    assert pdf.startswith(b"%PDF")
    text = letters(extract_text(str(output)))
    assert letters(f"ประจำปีงบประมาณ {DEMO_YEAR}") in text
    assert letters("1 ตุลาคม 2568") in text and letters("30 กันยายน 2569") in text  # B.E. dates
    assert letters(demo_plan.desired_state)[:40] in text
    indicators = measure_year(DEMO_YEAR, plan=demo_plan)
    for indicator in indicators.indicators:
        assert letters(indicator.label) in text
    assert letters(f"{indicators['items_published'].value} เรื่อง") in text
    for page, _private in items_published_list(DEMO_YEAR):
        assert letters(page.title)[:10] in text  # a long title wraps inside its cell
    # Every character is drawn in the vendored Sarabun, none in a fallback font.
    assert {font.split("+")[-1].split("-")[0] for font in fonts_used(output)} == {"Sarabun"}
    # Pages to look at (test-output/screenshots/km-report-*.png).
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    document = pypdfium2.PdfDocument(str(output))
    for number in range(len(document)):
        document[number].render(scale=1.2).to_pil().save(SCREENSHOTS / f"km-report-{number + 1}.png")


def test_xlsx_report_has_an_indicator_sheet_and_one_per_list(tmp_path, demo_plan, publish_article):
    private = publish_article("คู่มือภายในสำหรับเจ้าหน้าที่", bangkok(DEMO_YEAR - 543, 3, 3, 9))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    output = tmp_path / "report.xlsx"
    call_command("km_report", "--year", str(DEMO_YEAR), "--format", "xlsx", "--output", str(output), stdout=io.StringIO())
    workbook = load_workbook(output)
    assert workbook.sheetnames == ["ตัวชี้วัด", "ความรู้ที่เผยแพร่", "เวทีแลกเปลี่ยน", "ตามส่วนราชการ", "กิจกรรมตามแผน", "แผนที่ความรู้"]
    indicators = measure_year(DEMO_YEAR, plan=demo_plan)
    rows = {row[0]: row for row in workbook["ตัวชี้วัด"].iter_rows(min_row=2, values_only=True)}
    assert rows["items_published"][2] == indicators["items_published"].value
    assert rows["items_published"][3] == indicators["items_published"].target
    assert rows["items_published"][7] == indicators["items_published"].staff_only >= 1  # counted and marked
    items = list(workbook["ความรู้ที่เผยแพร่"].iter_rows(min_row=2, values_only=True))
    assert len(items) == indicators["items_published"].value
    assert [row[4] for row in items if row[0] == private.title] == ["ใช่"]
    meetings = list(workbook["เวทีแลกเปลี่ยน"].iter_rows(min_row=2, values_only=True))
    assert len(meetings) == indicators["exchange_meetings"].value


def test_report_downloads_from_the_dashboard(login, staff):
    editor = login(staff["editor"])
    response = editor.get(reverse("plan_report", args=[str(DEMO_YEAR), "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="km-report-{DEMO_YEAR}.xlsx"'
    assert login(staff["author.klang"]).get(reverse("plan_report", args=[str(DEMO_YEAR), "pdf"])).status_code in (302, 403)


def test_a_far_year_reports_zeros_not_an_error(tmp_path):
    output = tmp_path / "far.xlsx"
    call_command("km_report", "--year", str(YEAR + 100), "--format", "xlsx", "--output", str(output), stdout=io.StringIO())
    rows = list(load_workbook(output)["ตัวชี้วัด"].iter_rows(min_row=2, values_only=True))
    assert rows and all(row[2] == 0 for row in rows)
    assert Path(output).stat().st_size > 0


def test_plan_strings_have_english_translations():
    from django.utils import translation

    with translation.override("en"):
        assert translation.gettext("ผลการจัดการความรู้") == "KM results"
        assert translation.gettext("ยังไม่มีในคลัง") == "Not yet in the library"
