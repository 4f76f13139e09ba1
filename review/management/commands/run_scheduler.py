"""The background worker: publishes scheduled pages, repairs the search index, sends review reminders
and runs the commands other apps schedule through SCHEDULED_COMMANDS_HOOK (the access-log import).

Run exactly one of these per site (e.g. as a systemd service); several would
race to publish the same pages.
"""

import signal
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone
from wagtail import hooks

# Registration point for apps above this one (a Wagtail hook): fn() → [(command name, args,
# options)], commands run every round (e.g. readership's import_access_log on nginx's log).
SCHEDULED_COMMANDS_HOOK = "scheduled_commands"


class Command(BaseCommand):
    help = (
        "Run publish_scheduled, search_reconcile and the commands apps schedule (e.g. import_access_log) "
        "every --interval seconds and send_review_reminders once a day."
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
            for fn in hooks.get_hooks(SCHEDULED_COMMANDS_HOOK):
                for command, args, command_options in fn():
                    succeeded = self.run(command, *args, **command_options) and succeeded
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

    def run(self, command, *args, **options):
        try:
            call_command(command, *args, stdout=self.stdout, stderr=self.stderr, **options)
            return True
        except Exception as error:  # keep the worker alive; the next round retries
            self.stderr.write(f"{timezone.now():%Y-%m-%d %H:%M:%S} {command} failed: {error!r}")
            return False
