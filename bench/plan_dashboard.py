"""KM plan dashboard, km_indicators and the annual report at scale.

Builds a throwaway SQLite site: the demo agency plus --items synthetic articles and
--meetings dialogue summaries spread over four fiscal years (and a year of daily read
counts when an app that counts reads is installed), then measures in one process:

  * GET /robots.txt (the baseline: a trivial request through the same stack),
  * GET /admin/km-plan/?year=... as a KM editor (targets: p95 <= 300 ms),
  * `km_indicators --year ... --json`,
  * the PDF report of the busiest year (target: <= 15 s) and its XLSX.

Usage: .venv/bin/python bench/plan_dashboard.py [--items 10000] [--meetings 1000] [--requests 40] [--site DIR]
"""

import argparse
import datetime
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402

YEAR = 2569


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def timed_requests(client, url, n, **params):
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def create_meetings(n, rng):
    from django.db import transaction
    from wagtail.models import Page

    from cop.models import CommunityPage, DialogueSummaryPage
    from knowledge.models import Department

    communities = list(CommunityPage.objects.all())
    departments = list(Department.objects.all())
    with transaction.atomic():
        for i in range(n):
            date = datetime.date(2022, 10, 1) + datetime.timedelta(days=rng.randint(0, 4 * 365 - 1))
            page = DialogueSummaryPage(
                title=f"วงแลกเปลี่ยนเรียนรู้ครั้งที่ {i + 1}", summary="สรุปการเสวนา", topic="ประเด็นการแลกเปลี่ยน",
                core_lessons="<p>แก่นความรู้</p>", date=date, participant_count=rng.randint(5, 40),
                department=rng.choice(departments),
            )
            rng.choice(communities).add_child(instance=page)
            Page.objects.filter(pk=page.pk).update(live=True, first_published_at=page.date)


def spread_publication_dates(rng):
    """Synthetic articles were all created now: give them publication moments over four fiscal years."""
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Page

    from knowledge.models import KnowledgeArticle

    start = timezone.make_aware(datetime.datetime(2022, 10, 1, 9))
    with transaction.atomic():
        for pk in KnowledgeArticle.objects.filter(first_published_at__gte=timezone.now() - datetime.timedelta(days=1)).values_list("pk", flat=True):
            moment = start + datetime.timedelta(days=rng.randint(0, 4 * 365 - 1), minutes=rng.randint(0, 600))
            Page.objects.filter(pk=pk).update(first_published_at=moment, live=True)


def seed_read_counts(rng, pages=1000):
    """A year of daily read counts for a thousand pages, in the counting app's store if it is installed."""
    from django.apps import apps
    from wagtail.models import Page

    from thai.dates import fiscal_year_bounds

    if not apps.is_installed("readership"):
        return "no counting app installed: accesses are 0"
    read_count = apps.get_model("readership", "PageReadCount")
    first_day, _last_day = fiscal_year_bounds(YEAR)
    page_ids = list(Page.objects.filter(depth__gte=4).values_list("pk", flat=True)[:pages])
    rows = [
        read_count(page_id=page_id, date=first_day + datetime.timedelta(days=day), count=rng.randint(1, 20))
        for page_id in page_ids
        for day in range(365)
    ]
    read_count.objects.bulk_create(rows, batch_size=5000)
    return f"{len(rows)} daily read counts ({len(page_ids)} pages x 365 days)"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--meetings", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--site", help="a folder to build the site in, or to reuse it from if it holds one already")
    args = parser.parse_args()
    started_at = time.monotonic()

    workdir = args.site or tempfile.mkdtemp(prefix="khlang-bench-plan-")
    built = (Path(workdir) / "db.sqlite3").exists()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench_settings", KHLANG_BENCH_AUTO_UPDATE="0",
        KHLANG_SQLITE_PATH=str(Path(workdir) / "db.sqlite3"), KHLANG_MEDIA_ROOT=str(Path(workdir) / "media"),
    )
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from search_latency import create_articles

    from plan.report import render_pdf, render_xlsx

    rng = random.Random(2569)
    call_command("migrate", verbosity=0)
    if built:
        benchlib.log(f"reusing the site in {workdir}")
        reads = "read counts as built before"
    else:
        benchlib.log(f"building the site in {workdir} ...")
        call_command("load_demo", verbosity=0, stdout=io.StringIO())
        create_articles(args.items)
        spread_publication_dates(rng)
        create_meetings(args.meetings, rng)
        reads = seed_read_counts(rng)

    client = Client()
    client.force_login(get_user_model().objects.get(username="editor"))
    timed_requests(client, "/robots.txt", 5)
    timed_requests(client, "/admin/km-plan/", 3, year=YEAR)
    robots = timed_requests(client, "/robots.txt", args.requests)
    dashboard = timed_requests(client, "/admin/km-plan/", args.requests, year=YEAR)

    command = []
    for _ in range(5):
        start = time.perf_counter()
        call_command("km_indicators", "--year", str(YEAR), "--json", stdout=io.StringIO())
        command.append((time.perf_counter() - start) * 1000)

    start = time.perf_counter()
    pdf = render_pdf(YEAR)
    pdf_seconds = time.perf_counter() - start
    start = time.perf_counter()
    xlsx = render_xlsx(YEAR)
    xlsx_seconds = time.perf_counter() - start

    from plan.indicators import measure_year

    indicators = measure_year(YEAR)
    print(f"# KM plan dashboard and report ({args.items} synthetic articles, {args.meetings} meetings, {reads})")
    print(f"year {YEAR}: {indicators['items_published'].value} items published, "
          f"{indicators['exchange_meetings'].value} meetings, {indicators['accesses'].value} accesses")
    print(f"baseline GET /robots.txt      p50 {percentile(robots, 50):7.1f} ms  p95 {percentile(robots, 95):7.1f} ms")
    print(f"GET /admin/km-plan/           p50 {percentile(dashboard, 50):7.1f} ms  p95 {percentile(dashboard, 95):7.1f} ms"
          f"  ({percentile(dashboard, 95) / percentile(robots, 95):.0f}x robots.txt; target p95 <= 300 ms)")
    print(f"km_indicators --json          p50 {percentile(command, 50):7.1f} ms")
    print(f"PDF report                    {pdf_seconds:7.2f} s, {len(pdf) // 1024} KiB (target <= 15 s)")
    print(f"XLSX report                   {xlsx_seconds:7.2f} s, {len(xlsx) // 1024} KiB")
    benchlib.footer(started_at)


if __name__ == "__main__":
    main()
