"""The background worker: publishes scheduled pages, repairs the search index and sends review reminders.

Run exactly one of these per site (e.g. as a systemd service); several would
race to publish the same pages.
"""

import signal
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Run publish_scheduled and search_reconcile every --interval seconds "
        "and send_review_reminders once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run each job once and exit.")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between runs (default 60).")

    def handle(self, *args, once=False, interval=60, **options):
        self.stopping = False
        if not once:
            signal.signal(signal.SIGTERM, self.stop)  # finish the current job, then exit
        reminders_sent_on = None
        while True:
            succeeded = self.run("publish_scheduled")
            # Index updates the search engine missed while it was down (no-op without an engine).
            succeeded = self.run("search_reconcile") and succeeded
            today = timezone.localdate()
            if reminders_sent_on != today:
                succeeded = self.run("send_review_reminders") and succeeded
                reminders_sent_on = today
            if once:
                if not succeeded:
                    raise CommandError("a scheduled job failed")  # let cron report it
                return
            close_old_connections()  # a long-running process must not keep a dead connection
            for _ in range(max(interval, 1)):
                if self.stopping:
                    return
                time.sleep(1)

    def stop(self, signum, frame):
        self.stopping = True

    def run(self, command):
        try:
            call_command(command, stdout=self.stdout, stderr=self.stderr)
            return True
        except Exception as error:  # keep the worker alive; the next round retries
            self.stderr.write(f"{timezone.now():%Y-%m-%d %H:%M:%S} {command} failed: {error!r}")
            return False
