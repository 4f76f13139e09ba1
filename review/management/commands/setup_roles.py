from django.core.management.base import BaseCommand

from review.roles import setup_roles


class Command(BaseCommand):
    help = "Create (or complete) the editorial groups, their permissions and the review workflow."

    def handle(self, *args, **options):
        groups, workflow, sections = setup_roles()
        self.stdout.write(f"Groups: {', '.join(groups)}")
        self.stdout.write(f"Workflow '{workflow}' on: {', '.join(page.title for page in sections) or '-'}")
        if not sections:
            self.stdout.write(self.style.WARNING(
                "No library sections yet: create them, then run setup_roles again."
            ))
