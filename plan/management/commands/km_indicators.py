import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from thai.dates import parse_fiscal_year

from ...indicators import measure_year
from ...models import KMPlanPage
from ...report import current_fiscal_year


def fiscal_year_option(value):
    """A B.E. fiscal year from the command line (Thai digits too), or a clear error."""
    if value is None:
        return current_fiscal_year()
    year = parse_fiscal_year(value)
    if year is None:
        raise CommandError(_("--year ต้องเป็นปีงบประมาณ พ.ศ. เป็นตัวเลข เช่น 2569 (ได้รับ “%s”)") % value)
    return year


class Command(BaseCommand):
    help = "Print the KM plan's indicators for a fiscal year (B.E.), measured from the site's records."

    def add_arguments(self, parser):
        parser.add_argument("--year", help="fiscal year in B.E., e.g. 2569 (default: the current one)")
        parser.add_argument("--json", action="store_true", help="one JSON object instead of a table")

    def handle(self, *args, **options):
        year = fiscal_year_option(options["year"])
        indicators = measure_year(year, plan=KMPlanPage.for_year(year))
        if options["json"]:
            self.stdout.write(json.dumps(indicators.as_json(), ensure_ascii=False))
            return
        self.stdout.write(_("ปีงบประมาณ %(year)s (%(first)s – %(last)s)") % {
            "year": year, "first": indicators.first_day, "last": indicators.last_day,
        })
        for indicator in indicators.every:
            target = "" if indicator.target is None else f" / {indicator.target.normalize():f}"
            met = {None: "", True: " ✓", False: " ✗"}[indicator.met]
            self.stdout.write(f"  {indicator.key:<26} {indicator.value}{target} {indicator.unit}{met}  {indicator.label}")
