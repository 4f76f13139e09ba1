"""Reading the counts: totals over days, per page, and "most read" orderings."""

import datetime

from django.conf import settings
from django.db.models import IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import PageReadCount


def reads_between(first_day, last_day):
    """{page_id: reads} over the inclusive day range (pages with no read are left out)."""
    rows = (
        PageReadCount.objects.filter(date__gte=first_day, date__lte=last_day)
        .values_list("page_id")
        .annotate(reads=Sum("count"))
        .order_by()
    )
    return {page_id: reads for page_id, reads in rows if reads}


def most_read_since():
    """The first day "most read" looks at: the last KHLANG_MOST_READ_DAYS days, today included."""
    return timezone.localdate() - datetime.timedelta(days=settings.KHLANG_MOST_READ_DAYS - 1)


def with_reads(queryset, since=None):
    """The queryset of pages with `reads` since that day (0 if none)."""
    reads = (
        PageReadCount.objects.filter(page=OuterRef("pk"), date__gte=since or most_read_since())
        .order_by()
        .values("page")
        .annotate(total=Sum("count"))
        .values("total")
    )
    return queryset.annotate(reads=Coalesce(Subquery(reads, output_field=IntegerField()), Value(0)))


def most_read(queryset, limit=6, since=None):
    """The most read pages of a queryset (read at least once), most read first."""
    return with_reads(queryset, since).filter(reads__gt=0).order_by("-reads", "-pk")[:limit]
