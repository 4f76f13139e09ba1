"""python manage.py restore ARCHIVE [--yes]

Checks every checksum in the archive first, then replaces the database and
MEDIA_ROOT's contents with the backup's (see backup/archive.py).
"""

import sys

import django
import wagtail
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from backup.archive import restore_backup, verify_archive
from backup.database import current_counts, database_vendor, describe_database, migration_notes
from backup.errors import BackupError

from .backup import print_counts

VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: verify the archive, then replace the database "
        "and MEDIA_ROOT's contents with it."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar="ARCHIVE", help="a khlang-backup-….tar.gz written by manage.py backup")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, archive, yes=False, verbosity=1, **options):
        def log(message):
            if verbosity >= 1:
                self.stdout.write(message)

        try:
            log(f"Verifying {archive}…")
            manifest = verify_archive(archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        database = manifest["database"]
        vendor = database_vendor()
        if database["vendor"] != vendor:
            raise CommandError(
                f"{archive} is a backup of a {VENDOR_NAMES.get(database['vendor'], database['vendor'])} database, "
                f"but this site uses {VENDOR_NAMES.get(vendor, vendor)} ({describe_database()}). A backup can only "
                f"be restored into a site with the same kind of database. Nothing was changed."
            )
        versions = manifest.get("versions", {})
        log(
            f"Archive verified: {len(manifest['files'])} files, made {manifest.get('created_at')} "
            f"(Django {versions.get('django')}, Wagtail {versions.get('wagtail')})."
        )
        if (versions.get("django"), versions.get("wagtail")) != (django.get_version(), wagtail.__version__):
            self.stdout.write(self.style.WARNING(
                f"This site runs Django {django.get_version()} and Wagtail {wagtail.__version__}; "
                "the backup was made with other versions."
            ))
        if not yes and not self.confirm(archive, manifest):
            raise CommandError("Restore cancelled. Nothing was changed.")

        try:
            restore_backup(archive, manifest, log=log)
        except BackupError as error:
            raise CommandError(str(error)) from error

        try:
            counts = current_counts()
        except DatabaseError as error:
            raise CommandError(f"Restored {archive}, but counting its rows failed: {error}") from error
        expected = manifest.get("counts", {})
        self.stdout.write(self.style.SUCCESS(f"Restored {archive}."))
        self.stdout.write("Counts:")
        print_counts(self.stdout, counts, expected)
        for note in migration_notes():
            self.stdout.write(self.style.WARNING(note))
        self.stdout.write(
            "Restart the app servers and the worker; if a search engine is used (KHLANG_SEARCH_URL), "
            "run `python manage.py update_index`."
        )
        differ = {name: (value, counts.get(name)) for name, value in expected.items() if counts.get(name) != value}
        if differ:
            raise CommandError(
                "The restored database does not match the backup's counts: "
                + ", ".join(f"{name} {got} (backup {want})" for name, (want, got) in differ.items())
            )

    def confirm(self, archive, manifest):
        self.stdout.write(
            f"This REPLACES the {describe_database()} and every file in {settings.MEDIA_ROOT} "
            f"with the backup made {manifest.get('created_at')}:"
        )
        print_counts(self.stdout, manifest.get("counts", {}))
        self.stdout.write("Type 'yes' to continue: ", ending="")
        self.stdout.flush()
        try:
            answer = input()
        except EOFError:
            answer = ""
        if not sys.stdin.isatty():
            self.stdout.write("")  # the typed answer's line end
        return answer.strip().lower() in ("yes", "y")
