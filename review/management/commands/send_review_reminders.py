from django.core.management.base import BaseCommand

from review.notifications import send_review_reminders


class Command(BaseCommand):
    help = "Email the owners of knowledge due for review (at most once a week per item)."

    def handle(self, *args, **options):
        sent = send_review_reminders()
        for email, pages in sent.items():
            self.stdout.write(f"{email}: {len(pages)} item(s)")
        self.stdout.write(f"Reminders sent: {len(sent)}")
