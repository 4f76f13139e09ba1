"""Retiring knowledge that no longer works: unpublished with a reason, never deleted."""

from django.db import transaction
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page

from knowledge.models import KnowledgeItemPage

from .models import Retirement


def is_retirable(page):
    return issubclass(page.specific_class or Page, KnowledgeItemPage)


@transaction.atomic
def retire(page, user, reason, replacement=None):
    """Take a live item off the site; its history stays and its URL answers 410."""
    page = page.specific
    page.unpublish(user=user, log_action=False)  # logged below, with the reason
    Retirement.objects.update_or_create(
        page=page,
        defaults={"reason": reason, "replacement": replacement, "retired_by": user, "retired_at": timezone.now()},
    )
    log(
        instance=page,
        action="review.retire",
        user=user,
        data={
            "reason": reason,
            "replacement": {"id": replacement.pk, "title": replacement.title} if replacement else None,
        },
    )
    return page


def serve_retired(request, page, retirement):
    replacement = (
        Page.objects.live().public().filter(pk=retirement.replacement_id).specific().first()
        if retirement.replacement_id
        else None
    )
    # Not passed as `page`: the base template would put the retired summary in its <meta>.
    context = {"retired_page": page, "retirement": retirement, "replacement": replacement}
    return TemplateResponse(request, "review/retired_page.html", context, status=410)
