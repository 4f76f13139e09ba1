"""python manage.py backup [--output DIR_OR_FILE]

One archive with the database, every media file and a manifest (see backup/archive.py).
"""

from django.core.management.base import BaseCommand, CommandError

from backup.archive import create_backup, default_backup_dir
from backup.errors import BackupError


def format_size(size):
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024


def print_counts(stdout, counts, expected=None):
    width = max(len(name) for name in counts)
    for name, value in counts.items():
        line = f"  {name.ljust(width)}  {value}"
        if expected is not None:
            line += "" if expected.get(name) == value else f"   (the backup has {expected.get(name)})"
        stdout.write(line)


class Command(BaseCommand):
    help = (
        "Back up the site: the database (SQLite online backup or pg_dump), every file under MEDIA_ROOT "
        "and manifest.json with versions, row counts and SHA-256 checksums, in one .tar.gz."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            metavar="DIR_OR_FILE",
            help=f"a folder (the archive is named khlang-backup-YYYYmmdd-HHMMSS.tar.gz) or a new .tar.gz file; "
            f"default $KHLANG_BACKUP_DIR or {default_backup_dir()}",
        )

    def handle(self, *args, output=None, verbosity=1, **options):
        def log(message):
            if verbosity >= 1:
                self.stdout.write(message)

        try:
            path, manifest = create_backup(output, log=log)
        except BackupError as error:
            raise CommandError(str(error)) from error
        files = manifest["files"]
        media = [name for name in files if name.startswith("media/")]
        size = path.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Backup written: {path}"))
        self.stdout.write(
            f"{format_size(size)}; database {manifest['database']['vendor']}, {len(media)} media files "
            f"({format_size(sum(files[name]['size'] for name in media))}), made {manifest['created_at']}"
        )
        self.stdout.write("Counts:")
        print_counts(self.stdout, manifest["counts"])
