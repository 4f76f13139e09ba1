from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...report import render_pdf, render_xlsx
from .km_indicators import fiscal_year_option

RENDERERS = {"pdf": render_pdf, "xlsx": render_xlsx}


class Command(BaseCommand):
    help = "Write the annual KM report of a fiscal year (B.E.) to the executive as PDF or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--year", help="fiscal year in B.E., e.g. 2569 (default: the current one)")
        parser.add_argument("--format", choices=sorted(RENDERERS), default="pdf")
        parser.add_argument("--output", required=True, help="the file to write")

    def handle(self, *args, **options):
        year = fiscal_year_option(options["year"])
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(_("ไม่มีโฟลเดอร์ %s") % output.parent)
        content = RENDERERS[options["format"]](year)
        output.write_bytes(content)
        self.stdout.write(_("เขียนรายงานปีงบประมาณ %(year)s ไว้ที่ %(path)s (%(size)d ไบต์)") % {
            "year": year, "path": output, "size": len(content),
        })
