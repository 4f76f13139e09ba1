"""python manage.py import_documents PATH... [--department CODE] [--category SLUG]
[--type article|best_practice|cop_summary] [--parent PAGE_ID] [--publish] [--user USERNAME]"""

import os
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Page

from imports.extract import SUPPORTED
from imports.importer import DUPLICATE, FAILED, IMPORTED, TYPES, Importer
from knowledge.models import Department, KnowledgeCategory

BAR_WIDTH = 24


def walk(paths):
    """Files named, and the files inside folders named, in a stable order."""
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                yield from (os.path.join(root, f) for f in sorted(files) if not f.startswith("."))
        else:
            yield path


class Command(BaseCommand):
    help = "Import .txt, .md, .docx and .pdf files as knowledge pages (drafts in the review workflow by default)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--department", metavar="CODE")
        parser.add_argument("--category", metavar="SLUG")
        parser.add_argument("--type", dest="kind", choices=sorted(TYPES), default="article")
        parser.add_argument("--parent", type=int, metavar="PAGE_ID")
        parser.add_argument("--publish", action="store_true", help="publish at once (administrators loading approved material)")
        parser.add_argument("--user", metavar="USERNAME", help="author of the drafts (default: the first superuser)")

    def handle(self, *args, paths, department, category, kind, parent, publish, user, **options):
        importer = Importer(
            kind=kind,
            department=self.lookup(Department, code=department) if department else None,
            category=self.lookup(KnowledgeCategory, slug=category) if category else None,
            parent=self.lookup(Page, pk=parent) if parent else None,
            publish=publish,
            user=self.author(user),
        )
        if reason := importer.check_parent():
            raise CommandError(reason)
        missing = [p for p in paths if not os.path.exists(p)]
        if missing:
            raise CommandError(f"No such file or folder: {', '.join(missing)}")

        files = list(walk(paths))
        outcomes = []
        for number, path in enumerate(files, 1):
            self.progress(number, len(files), path)
            if not path.lower().endswith(SUPPORTED):
                outcomes.append((path, FAILED, "ไม่รองรับไฟล์ชนิดนี้ (รองรับ .txt .md .docx .pdf)"))
                continue
            try:
                with open(path, "rb") as handle:
                    outcome = importer.import_file(os.path.basename(path), handle.read())
            except OSError as error:
                outcomes.append((path, FAILED, f"อ่านไฟล์ไม่ได้: {error.strerror}"))
                continue
            outcomes.append((path, outcome.status, outcome.reason))
        self.stderr.write("")
        self.report(outcomes)

    def lookup(self, model, **criteria):
        try:
            return model.objects.get(**criteria)
        except model.DoesNotExist:
            raise CommandError(f"No {model._meta.verbose_name} with {criteria}") from None

    def author(self, username):
        User = get_user_model()
        if username:
            return self.lookup(User, username=username)
        return User.objects.filter(is_superuser=True).order_by("pk").first()

    def progress(self, number, total, path):
        filled = BAR_WIDTH * number // max(total, 1)
        name = os.path.basename(path)[:40]
        self.stderr.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {number}/{total} {name:<40}", ending="")
        self.stderr.flush()

    def report(self, outcomes):
        counts = {status: sum(1 for _, s, _ in outcomes if s == status) for status in (IMPORTED, DUPLICATE, FAILED)}
        for path, status, reason in outcomes:
            if status != IMPORTED:
                self.stdout.write(f"{status:<9} {path}: {reason}")
        self.stdout.write(
            f"imported {counts[IMPORTED]}, skipped as duplicate {counts[DUPLICATE]}, failed {counts[FAILED]}"
        )
        if counts[FAILED]:
            sys.exit(1)
