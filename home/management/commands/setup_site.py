from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from home.sections import setup_site


class Command(BaseCommand):
    help = (
        "Set the site's address and the agency's name, build the sections under the KM home "
        "(library, best practices, communities, KM plans, expert directory where installed) "
        "and the editorial roles. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency-name", help="the agency's name, e.g. องค์การบริหารส่วนตำบลดอนแก้วน้อย")
        parser.add_argument(
            "--base-url",
            help="the public address, e.g. https://km.example.go.th (default: KHLANG_BASE_URL if set)",
        )

    def handle(self, *args, agency_name=None, base_url=None, **options):
        base_url = base_url or settings.KHLANG_BASE_URL or None
        try:
            site, pages, created = setup_site(agency_name=agency_name, base_url=base_url)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Site: {site.site_name or '-'} at {site.root_url}/")
        for label, page in pages.items():
            state = "created" if page in created else "exists"
            self.stdout.write(f"  {page.title} ({label}, {state}): {page.full_url}")
        self.stdout.write(self.style.SUCCESS(f"Site ready ({len(created)} sections created)."))
