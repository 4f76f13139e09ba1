from django.utils import timezone

from readership.models import PageReadCount

BROWSER = "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def reads(page, day=None):
    row = PageReadCount.objects.filter(page_id=page.pk, date=day or timezone.localdate()).first()
    return row.count if row else 0


def total_reads():
    return sum(PageReadCount.objects.values_list("count", flat=True))
