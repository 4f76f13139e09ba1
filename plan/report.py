"""The annual KM report to the executive (PDF and XLSX) and the dashboard's numbers.

The dashboard, the PDF and the XLSX read one context built by year_report(), so the
three never disagree.
"""

import io
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from base.models import AgencySettings
from thai.dates import fiscal_year, format_date

from .charts import bar_chart
from .indicators import items_published_list, knowledge_map, measure_year, meetings_list
from .models import KMPlanPage

FONT_FILES = {
    400: "fonts/sarabun/sarabun-thai-400-normal.woff2",
    700: "fonts/sarabun/sarabun-thai-700-normal.woff2",
}
LATIN_FONT_FILES = {
    400: "fonts/sarabun/sarabun-latin-400-normal.woff2",
    700: "fonts/sarabun/sarabun-latin-700-normal.woff2",
}


def current_fiscal_year():
    return fiscal_year(timezone.localdate())


def year_report(year, with_lists=False, today=None):
    """Everything the dashboard and the report show for one fiscal year."""
    plan = KMPlanPage.for_year(year)
    indicators = measure_year(year, plan=plan, today=today)
    counted = [i for i in indicators.every if i.target is not None]
    context = {
        "year": year,
        "plan": plan,
        "indicators": indicators,
        "target_chart": bar_chart(
            _("ร้อยละของเป้าหมายที่ทำได้"),
            [(i.label, [i.percent_of_target]) for i in counted],
            [_("ร้อยละของเป้าหมาย")],
            largest=100,
        ) if counted else "",
        "year_chart": bar_chart(
            _("ปีนี้เทียบกับปีก่อน"),
            [(i.label, [i.value, i.previous]) for i in indicators.indicators],
            [_("ปีงบประมาณ %(year)s") % {"year": year}, _("ปีงบประมาณ %(year)s") % {"year": year - 1}],
        ),
        "department_chart": bar_chart(
            _("ความรู้ที่เผยแพร่และเวทีแลกเปลี่ยนตามส่วนราชการ"),
            [(row.department, [row.published, row.meetings]) for row in indicators.by_department],
            [_("ความรู้ที่เผยแพร่"), _("เวทีแลกเปลี่ยน")],
        ) if indicators.by_department else "",
        "knowledge_map": knowledge_map(plan, Page.objects.live().specific()) if plan else [],
    }
    if with_lists:
        context["items"] = items_published_list(year)
        context["meetings"] = meetings_list(year)
    return context


def font_faces():
    """The vendored Sarabun as files WeasyPrint reads from disk (nothing is fetched).

    Its Latin and Thai subsets are two families, Latin first: Pango takes each character
    from the first family that has it (unicode-range alone gave digits to the Thai subset).
    """
    return [
        {"family": family, "weight": weight, "url": Path(finders.find(path)).as_uri()}
        for family, files in (("Sarabun Latin", LATIN_FONT_FILES), ("Sarabun Thai", FONT_FILES))
        for weight, path in files.items()
    ]


def render_pdf(year, today=None):
    from weasyprint import HTML  # needs Pango from the system; imported only when a PDF is made

    context = year_report(year, with_lists=True, today=today)
    context.update(
        font_faces=font_faces(),
        generated=format_date(today or timezone.localdate()),
        agency_name=AgencySettings.for_site(Site.objects.get(is_default_site=True)).name,
        show_previous=True,
    )
    html = render_to_string("plan/report.html", context)
    # Links to items resolve against the site's address, so they work from the PDF too.
    return HTML(string=html, base_url=Site.objects.get(is_default_site=True).root_url + "/").write_pdf()


def render_xlsx(year, today=None):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    context = year_report(year, with_lists=True, today=today)
    indicators = context["indicators"]
    workbook = Workbook()
    sheets = []

    def sheet(title, header, rows):
        worksheet = workbook.create_sheet(title)
        worksheet.append(header)
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            worksheet.append(row)
        for column, heading in zip(worksheet.columns, header, strict=False):
            worksheet.column_dimensions[column[0].column_letter].width = max(12, min(60, len(str(heading)) + 6))
        worksheet.freeze_panes = "A2"
        sheets.append(worksheet)

    def yes_no(value):
        return "" if value is None else (_("บรรลุ") if value else _("ยังไม่บรรลุ"))

    sheet(
        _("ตัวชี้วัด"),
        [_("รหัส"), _("ตัวชี้วัด"), _("ผล"), _("เป้าหมาย"), _("หน่วย"), _("ผลเทียบเป้าหมาย"), _("ปีก่อน"), _("เฉพาะเจ้าหน้าที่")],
        [[i.key, i.label, i.value, i.target, i.unit, yes_no(i.met), i.previous, i.staff_only] for i in indicators.every],
    )
    sheet(
        _("ความรู้ที่เผยแพร่"),
        [_("ชื่อเรื่อง"), _("ประเภท"), _("ส่วนราชการ"), _("วันที่เผยแพร่"), _("เฉพาะเจ้าหน้าที่"), _("ที่อยู่เว็บ")],
        [
            [
                page.title, str(page.type_label), str(page.department or ""),
                format_date(page.first_published_at), _("ใช่") if private else "", page.full_url or "",
            ]
            for page, private in context["items"]
        ],
    )
    sheet(
        _("เวทีแลกเปลี่ยน"),
        [_("ชื่อเรื่อง"), _("ประเด็น"), _("วันที่"), _("ผู้เข้าร่วม"), _("เทคนิค"), _("ส่วนราชการ")],
        [
            [m.title, m.topic, format_date(m.date), m.participant_count, str(m.get_technique_display()), str(m.department or "")]
            for m in context["meetings"]
        ],
    )
    sheet(
        _("ตามส่วนราชการ"),
        [_("ส่วนราชการ"), _("ความรู้ที่เผยแพร่"), _("เวทีแลกเปลี่ยน"), _("การเข้าถึง")],
        [[row.department, row.published, row.meetings, row.accesses] for row in indicators.by_department],
    )
    plan = context["plan"]
    if plan is not None:
        sheet(
            _("กิจกรรมตามแผน"),
            [_("ขั้นตอน"), _("กิจกรรม"), _("วิธีการ"), _("ระยะเวลา"), _("ตัวชี้วัด"), _("เป้าหมาย"), _("ผู้รับผิดชอบ"), _("สถานะ")],
            [
                [str(a.get_step_display()), a.activity, a.method, a.period, a.indicator, a.target, a.responsible, str(a.get_status_display())]
                for a in plan.activities.all()
            ],
        )
        sheet(
            _("แผนที่ความรู้"),
            [_("ส่วนราชการ"), _("งานหลัก"), _("ความรู้ที่จำเป็น"), _("อยู่ที่"), _("บันทึกในคลังแล้ว")],
            [
                [str(department), need.core_work, need.knowledge, need.held_by,
                 ", ".join(page.title for page in captured) or _("ยังไม่มี")]
                for department, needs in context["knowledge_map"]
                for need, captured in needs
            ],
        )
    workbook.remove(workbook.worksheets[0])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
