"""python manage.py import_access_log PATH...: count the reads nginx answered from its cache."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from readership.access_log import import_logs


class Command(BaseCommand):
    help = (
        "Import nginx access logs (deploy/nginx.conf.template's khlang_cache format): count the reads of "
        "live pages nginx answered from its cache (HIT, STALE, UPDATING). Each file continues where its last "
        "import stopped, also after rotation (give the rotated file first: access.log.1 access.log)."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--missing-ok", action="store_true",
            help="A file that does not exist (e.g. no rotated log yet) is not an error.",
        )

    def handle(self, *args, paths, missing_ok=False, **options):
        summary = import_logs(paths)
        failed = [(path, reason) for path, reason in summary.skipped_files
                  if not (missing_ok and reason == "No such file or directory")]
        if options["verbosity"] > 0:
            self.stdout.write(
                _("นำเข้า %(files)d ไฟล์: อ่าน %(lines)d บรรทัด, ตอบจากแคช %(hits)d, นับเป็นการอ่าน %(counted)d, "
                  "บรรทัดรูปแบบผิด %(malformed)d")
                % {"files": summary.files, "lines": summary.lines, "hits": summary.cache_hits,
                   "counted": summary.counted, "malformed": summary.malformed}
            )
        for path, reason in failed:
            self.stderr.write(_("อ่านไฟล์ไม่ได้: %(path)s (%(reason)s)") % {"path": path, "reason": reason})
        if failed:
            raise CommandError(_("อ่านไม่ได้ %(n)d ไฟล์") % {"n": len(failed)})
