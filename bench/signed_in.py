"""What a signed-in author's pages cost, as ratios to /robots.txt in the same process.

Builds (or reuses, --site) a throwaway SQLite demo site, signs in as a staff user with
their password (a real session, as a browser would), and measures in one process,
interleaving every page with /robots.txt so that the machine's noise hits both alike:

  * the median CPU time (wall-clock time beside it) of an article, the home page, the library listing and a search,
    each as a multiple of /robots.txt's median (targets: article and home <= 6x,
    listing <= 10x, search <= 15x);
  * the SQL queries each page runs (targets: article and home <= 8);
  * the cost of each page right after a publish of the article it reads (the content
    version bumped; median of --requests/2 publishes, at least 5) as a multiple of its
    warm cost (target <= 3x).

--profile PATH prints cProfile's top functions for that page instead (--cold: its first read after each publish).

Usage: .venv/bin/python bench/signed_in.py [--requests 40] [--user author.klang] [--site DIR] [--profile article [--cold]]
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402

TARGETS = {"article": 6, "home": 6, "listing": 10, "search": 15}
QUERY_TARGETS = {"article": 8, "home": 8}
COLD_TARGET = 3


def setup_site(workdir):
    built = (Path(workdir) / "db.sqlite3").exists()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench_settings",
        KHLANG_SQLITE_PATH=str(Path(workdir) / "db.sqlite3"), KHLANG_MEDIA_ROOT=str(Path(workdir) / "media"),
        KHLANG_BENCH_SEARCH_BACKENDS='{"default": {"BACKEND": "search.backends.database"}}',
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if built:
        benchlib.log(f"reusing the site in {workdir}")
    else:
        benchlib.log(f"building the demo site in {workdir} ...")
        call_command("load_demo", verbosity=0, stdout=io.StringIO())


def sign_in(client, username, password):
    """Through the admin's login form, as a browser would (django-axes watches it)."""
    response = client.post("/admin/login/", {"username": username, "password": password})
    assert response.status_code == 302 and "_auth_user_id" in client.session, f"cannot sign in as {username}"


def pages():
    from knowledge.models import KnowledgeArticle, KnowledgeIndexPage

    article = KnowledgeArticle.objects.live().order_by("pk").first()
    library = KnowledgeIndexPage.objects.live().first()
    return article, {
        "article": article.url,
        "home": "/",
        "listing": library.url,
        "search": "/search/?q=" + "ภาษี",
    }


def get(client, url, clock=time.process_time):
    """The request's cost in ms: by default the CPU time this process spent on it (the
    app, its templates and SQLite all run here), which other work on a shared machine
    disturbs far less than the wall-clock time."""
    start = clock()
    response = client.get(url)
    elapsed = (clock() - start) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm again: the page measured before may have published
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def publish(article):
    """What an editor's publish does to the caches: a new revision goes live and the content
    version is bumped, so every fragment keyed by it is cold."""
    article.save_revision().publish()


def cold_cost(client, url, article, robots, publishes=5):
    """A page's first read after a publish, as a multiple of robots.txt (median of the publishes)."""
    costs = []
    for _ in range(publishes):
        publish(article)
        costs.append(get(client, url) / robots)
    return statistics.median(costs)


def profile(client, url, n, publish_first=None):
    """cProfile's figures for n reads of url; with publish_first (an article), each read follows a publish."""
    for _ in range(3):
        client.get(url)
    profiler = cProfile.Profile(time.process_time)
    for _ in range(n):
        if publish_first is not None:
            publish(publish_first)
        profiler.enable()
        client.get(url)
        profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--user", default="author.klang")
    parser.add_argument("--site", help="a folder to build the demo site in, or to reuse it from")
    parser.add_argument("--profile", metavar="PATH", help="print cProfile's figures for this page: a name (article, home, listing, search) or a path")
    parser.add_argument("--cold", action="store_true", help="with --profile: profile the first read after each publish")
    args = parser.parse_args()
    started_at = time.monotonic()

    setup_site(args.site or tempfile.mkdtemp(prefix="khlang-bench-signed-in-"))
    from django.test import Client

    from demo.management.commands.load_demo import DEMO_STAFF_PASSWORD

    client = Client()
    sign_in(client, args.user, DEMO_STAFF_PASSWORD)
    article, urls = pages()
    if args.profile:
        profile(client, urls.get(args.profile, args.profile), args.requests, article if args.cold else None)
        return

    for url in ["/robots.txt", *urls.values()]:  # warm: imports, templates, fragments
        for _ in range(3):
            get(client, url)
    robots, times = [], {name: [] for name in urls}
    wall_robots, wall = [], {name: [] for name in urls}
    for _ in range(args.requests):
        for name, url in urls.items():
            robots.append(get(client, "/robots.txt"))
            times[name].append(get(client, url))
            wall_robots.append(get(client, "/robots.txt", time.perf_counter))
            wall[name].append(get(client, url, time.perf_counter))
    robots_ms, wall_robots_ms = statistics.median(robots), statistics.median(wall_robots)

    print(f"# Signed in as {args.user} (a real session), in process, demo site on SQLite; "
          f"{args.requests} requests each, interleaved with /robots.txt")
    print(f"baseline GET /robots.txt  median CPU {robots_ms:6.2f} ms, wall {wall_robots_ms:6.2f} ms")
    print(f"{'page':8} {'CPU ms':>8} {'x robots':>9} {'target':>7} {'wall ms':>8} {'x robots':>9} {'queries':>8} "
          f"{'q target':>9} {'cold/warm':>10} {'target':>7}")
    failed = []
    for name, url in urls.items():
        warm = statistics.median(times[name])
        ratio = warm / robots_ms
        count = queries(client, url)
        cold = cold_cost(client, url, article, robots_ms, publishes=max(5, args.requests // 2)) / ratio
        wall_ratio = statistics.median(wall[name]) / wall_robots_ms
        print(f"{name:8} {warm:8.2f} {ratio:8.1f}x {TARGETS[name]:6}x {statistics.median(wall[name]):8.2f} "
              f"{wall_ratio:8.1f}x {count:8} "
              f"{QUERY_TARGETS.get(name, '-'):>9} {cold:9.1f}x {COLD_TARGET:6}x")
        failed += [f"{name} {what}" for what, missed in (
            ("cost", ratio > TARGETS[name]), ("queries", count > QUERY_TARGETS.get(name, count)),
            ("cold/warm", cold > COLD_TARGET)) if missed]
    print(f"targets missed: {', '.join(failed) or 'none'} (judged on CPU time; times are noisy on a shared "
          "machine, the ratios less so, the query counts not at all)")
    benchlib.footer(started_at)


if __name__ == "__main__":
    main()
