"""The review cycle: every published item has a next-review date; overdue items
are listed for the editors and their owners are reminded by email."""

import datetime
from collections import defaultdict

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.models import Page

from knowledge.models import knowledge_item_models

# Who answers for an item: the knowledge holder of an article, the contact of a
# best practice, the facilitator (คุณอำนวย) of a dialogue summary.
CONTACT_FIELDS = ("holder", "contact", "facilitator")
REMINDER_INTERVAL = datetime.timedelta(days=7)


def _first_of(field):
    return Coalesce(*[F(f"{model._meta.model_name}__{field}") for model in knowledge_item_models()])


def due_for_review(on=None):
    """Live knowledge items whose next-review date is on or before `on` (today)."""
    on = on or timezone.localdate()
    return (
        Page.objects.live()
        .type(*knowledge_item_models())
        .annotate(
            review_date=_first_of("next_review_date"),
            review_department=_first_of("department"),
            review_department_order=_first_of("department__sort_order"),
        )
        .filter(review_date__lte=on)
    )


def review_contact(page):
    """The Person who answers for a (specific) knowledge item, if recorded."""
    for field in CONTACT_FIELDS:
        person = getattr(page, field, None)
        if person:
            return person
    return None


def reminder_recipient(page):
    """The owner's email: the item's contact person, else the page owner's account."""
    person = review_contact(page)
    if person and person.email:
        return person.email
    return page.owner.email if page.owner_id and page.owner.email else ""


def pending_reminders(now=None):
    """{email: [pages]} of overdue items nobody was reminded about in the past week."""
    now = now or timezone.now()
    from .models import ReviewReminder

    recently = set(
        ReviewReminder.objects.filter(sent_at__gt=now - REMINDER_INTERVAL).values_list("page_id", flat=True)
    )
    by_recipient = defaultdict(list)
    for page in due_for_review(timezone.localdate(now)).exclude(pk__in=recently).specific().order_by("pk"):
        email = reminder_recipient(page)
        if email:
            by_recipient[email].append(page)
    return by_recipient
