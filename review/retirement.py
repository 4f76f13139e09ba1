"""Retiring knowledge that no longer works: unpublished with a reason, never deleted."""

from django.db import transaction
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page
from wagtail.url_routing import RouteResult


def is_retirable(page):
    from knowledge.models import KnowledgeItemPage

    return issubclass(page.specific_class or Page, KnowledgeItemPage)


@transaction.atomic
def retire(page, user, reason, replacement=None):
    """Take a live item off the site; its history stays and its URL answers 410."""
    from .models import Retirement

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


def retired_route(page):
    """The route to a retired page's "gone" notice, or None if it is not retired."""
    from .models import Retirement

    retirement = Retirement.objects.filter(page_id=page.pk).first()
    return RouteResult(page, kwargs={"retirement": retirement}) if retirement else None


def serve_retired(request, page, retirement):
    replacement = (
        Page.objects.live().public().filter(pk=retirement.replacement_id).specific().first()
        if retirement.replacement_id
        else None
    )
    # Not passed as `page`: the base template would put the retired summary in its <meta>.
    context = {"retired_page": page, "retirement": retirement, "replacement": replacement}
    return TemplateResponse(request, "review/retired_page.html", context, status=410)
