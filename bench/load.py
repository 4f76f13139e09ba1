"""Load benchmark of the production stack (issue "Production"): nginx -> gunicorn -> PostgreSQL.

    .venv/bin/python bench/load.py                      # 10 000 extra articles, 30 s per wrk run
    .venv/bin/python bench/load.py --articles 500 --duration 5     # a quick try of the script itself

Set-up (each step is printed as it runs):
  1. a throwaway PostgreSQL on port 15435 (scripts/postgres.sh, data in /tmp/khlang-load-pg) and a
     fresh database; production settings from the environment (khlang.settings.production: random
     SECRET_KEY, ALLOWED_HOSTS=127.0.0.1,localhost, DATABASE_URL, KHLANG_SSL_REDIRECT=0, static and
     media roots in a temp dir);
  2. `manage.py migrate`, `manage.py load_demo`;
  3. --articles (10 000) more knowledge articles under the knowledge library, with varied Thai text
     (sentences, steps and headings from demo/content recombined with random numbers, by
     bench/search_latency.py's synthetic_article, imported read-only), random department, category,
     knowledge type, tags and dates. They are made with settings bench/load_settings.py (production
     + search AUTO_UPDATE False): each page is placed in the tree with treebeard paths and saved
     without validation (clean=False), the reference index and search signal handlers are
     disconnected while generating, then a published revision is bulk-created for every page and
     set as its latest and live revision. Then `manage.py update_index` once, `collectstatic`;
  4. gunicorn (`-c deploy/gunicorn.conf.py`, KHLANG_WORKERS=2) behind Debian's nginx with the site
     rendered from deploy/nginx.conf.template (as tests/test_production.py does; main config:
     worker_processes auto, sendfile on, access_log off).

Load: `wrk -t2 -c20 -d30s --latency --timeout=10s` through nginx (wrk's default 2 s timeout would drop
every slower answer from the latency figures and count it as an error) against the KM home, a filtered listing, an
article (the demo article with the most related pages/attachments), a search, and as the ceiling
the same article's HTML saved as a static file (/static/bench-article.html, served by nginx itself).
Each page three times: "uncached" with the cookie `sessionid=x` (nginx's cache and the app's page
cache both skip requests with a session cookie; checked: no X-Khlang-Cache header; the page is
rendered as for a signed-in reader, so the template fragment caches keyed by the public content
version - site header and footer, an item's or the home page's content - still apply), "cached"
(anonymous, no cookie: served from nginx's page cache, keyed by the public content version; warmed
first, checked: X-Khlang-Edge-Cache: HIT) and "app-cache" (cookie `django_language=th`: nginx passes it
on, the app's page cache answers; checked: X-Khlang-Cache: hit). /search is never cached by design,
so it runs uncached and anonymous only. A wrk Lua `done` script prints p50/p95/p99 (latency:percentile) and the error counts;
errors = HTTP status >= 400 + socket errors (connect, read, write) + answers slower than 10 s. Before
each run the script waits until gunicorn has worked off what the previous run left queued (/healthz/ fast).
It also samples /proc to show how many cores gunicorn, PostgreSQL, nginx, wrk and everything else used.

Targets: zero errors; uncached article p95 <= 150 ms; cached anonymous article >= 50 % of the static
ceiling's requests/s.

Resilience: a 30 s wrk run on the uncached article during which PostgreSQL is stopped (pg_ctl -m
fast), left down ~3 s and started again; a Lua `response` hook counts status codes per second and a
probe (5 requests/s) records each request's status and latency. Reports errors while PostgreSQL was
down, whether errors stopped once it was back (without restarting gunicorn; Django has
CONN_MAX_AGE=60 with conn_health_checks=True), and the database errors in the gunicorn log. Then an idle
restart: both workers hold persistent connections, PostgreSQL is restarted with no traffic, and the next 10
requests must succeed (stale connections).

Access counting (readership): after the runs above, the article cached and uncached with a phone's User-Agent
(wrk sends none, which is not counted as a reader), without counting (gunicorn KHLANG_COUNT_READS=0, the site's
access_log line replaced by `access_log off;`) and with it (production: the app's reads buffered for
KHLANG_READS_BUFFER_SECONDS, nginx's buffered access log in the khlang_cache format), --counting-rounds
alternating rounds; then nginx's log is imported (`manage.py import_access_log`) and the reads counted are
compared with the requests made, and the uncached article is timed in-process with and without counting.
Targets: cached article with counting >= 90 % of the req/s without; uncached article p95 grows <= 5 %.
    .venv/bin/python bench/load.py --only-counting [--sqlite] --articles 500 --duration 10   # only that comparison
(--sqlite: a throwaway SQLite database instead of PostgreSQL, where PostgreSQL may not be started.)

Supplementary runs (diagnosis, skipped with --no-extras): the uncached article at -c2 (latency without
queueing), and the article from the app's cache with gunicorn restarted with `--max-requests 0` (no worker recycling).

Finally an in-process profile (django.test.Client, production settings, same database): queries
and time per uncached request for each page, and a cProfile of the uncached article.
Everything started is stopped at the end (also on Ctrl-C).
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import benchlib  # noqa: E402
import load_staff  # noqa: E402 - the signed-in staff runs (issue 15)

BASE = benchlib.BASE
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
POSTGRES_SH = str(BASE / "scripts" / "postgres.sh")
PG_PORT = int(os.environ.get("KHLANG_LOAD_PG_PORT", "15435"))  # another on a machine shared with other runs
PG_DATA = os.environ.get("KHLANG_LOAD_PG_DATA", "/tmp/khlang-load-pg")
DB_NAME = "khlang_load"
SEARCH_WORD = "ภาษี"
LISTING_QUERY = {"department": "klang", "type": "explicit"}
UNCACHED_COOKIE = "sessionid=x"
APP_CACHE_COOKIE = "django_language=th"  # a chosen language: nginx's cache steps aside, the app's page cache does not
SEED = 20261122
WRK_TIMEOUT = 10  # wrk's default 2 s would drop slow answers from the latency figures and count them as errors
TARGET_ARTICLE_P95_MS = 150
TARGET_CACHED_SHARE = 0.5
# Access counting (readership): a person's browser (wrk sends no User-Agent, which is not counted as a reader)
BROWSER_UA = "User-Agent: Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36"
TARGET_COUNTING_CACHED_SHARE = 0.9  # cached article req/s with counting / without
TARGET_COUNTING_P95_GROWTH = 0.05  # uncached article p95 with counting / without - 1


def say(*args):
    print(*args, flush=True)


# --------------------------------------------------------------------------- workers (Django in-process)


def django_setup(settings_module):
    for path in (str(BASE), str(BENCH)):
        if path not in sys.path:
            sys.path.insert(0, path)
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    import django

    django.setup()


def worker_generate_prepare(result_path):
    """Before the parallel parts: the library's next free child position, and every tag the generator uses."""
    django_setup("load_settings")
    from search_latency import text_pools  # read-only use of the search bench's generator
    from taggit.models import Tag

    from knowledge.models import KnowledgeIndexPage

    library = KnowledgeIndexPage.objects.get()
    last = library.get_last_child()
    for name in text_pools()["tags"]:
        Tag.objects.get_or_create(name=name)
    Path(result_path).write_text(json.dumps({"first_pos": last._get_lastpos_in_path() + 1 if last else 1}))


def worker_generate(n, part, parts, first_pos, result_path):
    """Create articles part, part+parts, ... of n (one of `parts` processes), published, at tree positions
    first_pos + i under the knowledge library. Settings bench/load_settings.py: search auto-update off."""
    import datetime
    import random

    django_setup("load_settings")
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.db.models.signals import post_save
    from django.utils import timezone
    from modelsearch.signal_handlers import post_save_signal_handler
    from search_latency import synthetic_article, text_pools  # read-only use of the search bench's generator
    from taggit.models import Tag
    from wagtail.models import Page, Revision
    from wagtail.signal_handlers import disconnect_reference_index_signal_handlers

    from demo.management.commands.load_demo import body_blocks
    from knowledge.models import Department, KnowledgeArticle, KnowledgeCategory, KnowledgeIndexPage
    from thai.slugs import slugify

    disconnect_reference_index_signal_handlers()
    post_save.disconnect(post_save_signal_handler, sender=KnowledgeArticle)
    post_save.disconnect(dispatch_uid="khlang_cache_saved")  # the finishing step bumps the content version once

    rng = random.Random(SEED + part)
    pools = text_pools()
    tags = {tag.name: tag for tag in Tag.objects.filter(name__in=pools["tags"])}
    library = KnowledgeIndexPage.objects.get()
    departments = list(Department.objects.all())
    categories = list(KnowledgeCategory.objects.all())
    article_type = ContentType.objects.get_for_model(KnowledgeArticle)
    page_type = ContentType.objects.get_for_model(Page)
    depth = library.depth + 1
    mine = list(range(part, n, parts))
    start = time.perf_counter()
    batch = 250
    for offset in range(0, len(mine), batch):
        with transaction.atomic():
            pages = []
            for i in mine[offset:offset + batch]:
                data = synthetic_article(rng, pools, i)
                date = datetime.date(2022, 1, 1) + datetime.timedelta(days=rng.randint(0, 4 * 365))
                moment = timezone.make_aware(datetime.datetime.combine(date, datetime.time(rng.randint(8, 16), rng.randint(0, 59))))
                page = KnowledgeArticle(
                    title=data["title"],
                    draft_title=data["title"],
                    slug=slugify(data["title"]),
                    summary=data["summary"],
                    knowledge_type=rng.choice([KnowledgeArticle.TACIT, KnowledgeArticle.EXPLICIT]),
                    category=rng.choice(categories),
                    department=rng.choice(departments),
                    date=date,
                    next_review_date=date + datetime.timedelta(days=730),
                    body=body_blocks(data["body"]),
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=moment,
                    last_published_at=moment,
                    latest_revision_created_at=moment,
                    locale_id=library.locale_id,
                    depth=depth,
                    numchild=0,
                    path=KnowledgeArticle._get_path(library.path, depth, first_pos + i),
                )
                page._cached_parent_obj = library  # set_url_path() without a query
                page.tags.add(*(tags[name] for name in data["tags"]))
                page.save(clean=False)  # Wagtail logs the creation (wagtail.create), as for any new page
                pages.append(page)
            revisions = Revision.objects.bulk_create([
                Revision(content_type=article_type, base_content_type=page_type, object_id=str(p.pk),
                         created_at=p.last_published_at, object_str=p.title, content=p.serializable_data())
                for p in pages
            ])
            Page.objects.bulk_update(
                [Page(pk=p.pk, latest_revision_id=r.pk, live_revision_id=r.pk) for p, r in zip(pages, revisions, strict=True)],
                ["latest_revision", "live_revision"], batch_size=batch,
            )
        done = offset + len(pages)
        if done % 2000 == 0 or done == len(mine):
            say(f"      part {part + 1}/{parts}: {done}/{len(mine)} articles ({done / (time.perf_counter() - start):.0f} pages/s)")
    Path(result_path).write_text(json.dumps({"seconds": time.perf_counter() - start, "created": len(mine)}))


def worker_generate_finish(result_path):
    """After the parts: the library's child count, one content-version bump, a tree check."""
    django_setup("load_settings")
    from wagtail.models import Page

    from base.models import PublicContentVersion
    from knowledge.models import KnowledgeArticle, KnowledgeIndexPage

    library = KnowledgeIndexPage.objects.get()
    Page.objects.filter(pk=library.pk).update(numchild=Page.objects.child_of(library).count())
    PublicContentVersion.bump()
    children = Page.objects.child_of(library).count()
    Path(result_path).write_text(json.dumps({
        # paths are unique in the database; a wrong depth or count would show here
        "tree_problems": int(children != library.get_children().count())
        + int(Page.objects.filter(path__startswith=library.path, depth__gt=library.depth + 1).exists()),
        "children": children,
        "articles": KnowledgeArticle.objects.live().count(),
    }))


def demo_article_choice():
    from knowledge.models import KnowledgeArticle

    def score(a):
        return (len(a.related) + len(a.attachments), a.holder_id is not None, len(a.body), -a.pk)

    demo = KnowledgeArticle.objects.live().public().filter(depth=4).order_by("pk")[:60]
    return max(demo, key=score)


def worker_info(result_path):
    django_setup("khlang.settings.production")
    from wagtail.models import Page

    from knowledge.models import KnowledgeArticle, KnowledgeIndexPage

    library = KnowledgeIndexPage.objects.get()
    article = demo_article_choice()
    listing = library.listed_items().filter(department__code=LISTING_QUERY["department"],
                                            knowledge_type=LISTING_QUERY["type"])
    Path(result_path).write_text(json.dumps({
        "library_url": library.url,
        "article_url": article.url,
        "article_title": article.title,
        "article_shape": {"body_blocks": len(article.body), "related": len(article.related),
                          "attachments": len(article.attachments), "holder": article.holder_id is not None},
        "articles": KnowledgeArticle.objects.live().count(),
        "pages": Page.objects.count(),
        "listing_matches": listing.count(),
    }, ensure_ascii=False))


def worker_reads(result_path):
    """Reads counted in the database so far (readership.PageReadCount)."""
    django_setup("khlang.settings.production")
    from django.db.models import Sum

    from readership.models import PageReadCount

    total = PageReadCount.objects.aggregate(total=Sum("count"))["total"] or 0
    Path(result_path).write_text(json.dumps({"reads": total}))


def worker_counting_cost(result_path):
    """In-process, without wrk's noise: the uncached article (session cookie, a browser's user agent) with and
    without the counting middleware (production settings: reads buffered for KHLANG_READS_BUFFER_SECONDS),
    requests alternating between the two; and one write of a count (the UPSERT) alone."""
    django_setup("khlang.settings.production")
    import statistics
    import warnings

    from django.test import Client, override_settings
    from django.utils import timezone

    from readership.counting import save_reads

    warnings.simplefilter("ignore")
    article = demo_article_choice()
    agent = BROWSER_UA.split(": ", 1)[1]

    def client():
        c = Client(HTTP_HOST="localhost", HTTP_USER_AGENT=agent)
        c.cookies["sessionid"] = "x"
        assert c.get(article.url).status_code == 200  # builds its middleware chain now
        return c

    counting = client()
    with override_settings(KHLANG_COUNT_READS=False):
        not_counting = client()
    times = {"with": [], "without": []}
    for i in range(200):
        for name, c in (("with", counting), ("without", not_counting))[:: 1 if i % 2 else -1]:
            t = time.perf_counter()
            c.get(article.url)
            times[name].append(1000 * (time.perf_counter() - t))
    upserts = []
    today = timezone.localdate()
    for _ in range(300):
        t = time.perf_counter()
        save_reads({(article.pk, today): 1})
        upserts.append(1000 * (time.perf_counter() - t))

    def stats(values):
        values = sorted(values)
        return {"median": statistics.median(values), "p95": values[int(0.95 * len(values)) - 1], "mean": statistics.mean(values)}

    Path(result_path).write_text(json.dumps({name: stats(v) for name, v in times.items()} | {"upsert": stats(upserts)}))


def worker_profile(urls_json, result_path):
    """Queries and in-process time of each uncached page; cProfile of the uncached article."""
    django_setup("khlang.settings.production")
    import cProfile
    import pstats
    import statistics
    import warnings

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    warnings.simplefilter("ignore")
    urls = json.loads(urls_json)
    client = Client(HTTP_HOST="localhost")

    def get(url):
        client.cookies.clear()
        client.cookies["sessionid"] = "x"
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert "X-Khlang-Cache" not in response, url
        return response

    out = {"pages": {}, "cached": {}}
    out["errors"] = {}
    for name, url in list(urls.items()):
        try:
            get(url)
        except Exception as error:  # noqa: BLE001 - reported, the other pages are still profiled
            out["errors"][name] = f"{type(error).__name__}: {error}"
            del urls[name]
    for name, url in urls.items():
        anonymous = Client(HTTP_HOST="localhost")
        anonymous.get(url)
        times = []
        for _ in range(30):
            t = time.perf_counter()
            response = anonymous.get(url)
            times.append(1000 * (time.perf_counter() - t))
        with CaptureQueriesContext(connection) as queries:
            anonymous.get(url)
        out["cached"][name] = {"median_ms": statistics.median(times), "cache": response.get("X-Khlang-Cache"),
                               "queries": len(queries.captured_queries)}
    for name, url in urls.items():
        for _ in range(3):
            get(url)
        times = []
        for _ in range(15):
            t = time.perf_counter()
            get(url)
            times.append(1000 * (time.perf_counter() - t))
        # cold: the fragment caches emptied first, as after a publish (a new content version)
        cold = []
        for _ in range(5):
            cache.clear()
            with CaptureQueriesContext(connection) as cold_queries:
                t = time.perf_counter()
                get(url)
                cold.append(1000 * (time.perf_counter() - t))
            cold_query_count = len(cold_queries.captured_queries)  # the next request resets the log
        get(url)
        with CaptureQueriesContext(connection) as queries:
            t = time.perf_counter()
            get(url)
            one = 1000 * (time.perf_counter() - t)
        sql_ms = 1000 * sum(float(q["time"]) for q in queries.captured_queries)
        # the statements, shortened, grouped by their first 90 characters
        shapes = {}
        for q in queries.captured_queries:
            sql = re.sub(r"\s+", " ", q["sql"])
            table = re.search(r'FROM "(\w+)"', sql)
            key = table.group(1) if table else sql[:40]
            where = sql.split(" WHERE ", 1)[1][:110] if " WHERE " in sql else ""
            count, sample = shapes.get(key, (0, where))
            shapes[key] = (count + 1, sample)
        slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
        out["pages"][name] = {
            "median_ms": statistics.median(times), "min_ms": min(times), "queries": len(queries.captured_queries),
            "sql_ms": sql_ms, "captured_ms": one,
            "cold_median_ms": statistics.median(cold), "cold_queries": cold_query_count, "repeated": {k: v for k, v in shapes.items() if v[0] > 1},
            "slowest": [{"ms": 1000 * float(q["time"]), "sql": re.sub(r"\s+", " ", q["sql"])[:160]} for q in slowest],
        }
    if "article" not in urls:
        Path(result_path).write_text(json.dumps(out, ensure_ascii=False))
        return
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(20):
        get(urls["article"])
    profiler.disable()
    stats = pstats.Stats(profiler)
    n = 20

    def cum(match):
        return 1000 * sum(v[3] for k, v in stats.stats.items() if match(k)) / n

    def own(match):
        return 1000 * sum(v[2] for k, v in stats.stats.items() if match(k)) / n

    out["breakdown"] = {
        "total": cum(lambda k: k[0].endswith("django/test/client.py") and k[2] == "request"),
        "view (routing + get_context)": cum(lambda k: k[0].endswith("wagtail/views.py") and k[2] == "serve"),
        "template rendering": cum(lambda k: k[0].endswith("django/template/response.py") and k[2] == "render"),
        "SQL (psycopg2 execute, everywhere)": own(lambda k: "execute' of 'psycopg2" in k[2]),
        "ORM query building + row loading (compiler.execute_sql minus SQL)":
            cum(lambda k: k[0].endswith("django/db/models/sql/compiler.py") and k[2] == "execute_sql")
            - own(lambda k: "execute' of 'psycopg2" in k[2]),
        "StreamField blocks rendering": cum(lambda k: k[0].endswith("wagtail/blocks/stream_block.py") and k[2] == "render_basic"),
    }
    project = str(BASE)
    rows = []
    for (filename, line, func), v in stats.stats.items():
        if filename.startswith(project) and "/.venv/" not in filename and "/bench/" not in filename:
            rows.append((1000 * v[3] / n, v[1] / n, f"{os.path.relpath(filename, project)}:{line}({func})"))
    out["project_functions"] = sorted(rows, reverse=True)[:14]
    Path(result_path).write_text(json.dumps(out, ensure_ascii=False))


def start_worker(kind, args, env):
    with tempfile.NamedTemporaryFile(prefix="khlang-load-", suffix=".json", delete=False) as f:
        result = f.name
    proc = subprocess.Popen([PYTHON, __file__, "--worker", kind, "--result", result, *args], cwd=BASE, env=env)
    return proc, result


def run_worker(kind, args, env, timeout):
    with tempfile.NamedTemporaryFile(prefix="khlang-load-", suffix=".json", delete=False) as f:
        result = f.name
    try:
        subprocess.run([PYTHON, __file__, "--worker", kind, "--result", result, *args], cwd=BASE, env=env,
                       check=True, timeout=timeout)
        return json.loads(Path(result).read_text(encoding="utf-8"))
    finally:
        os.unlink(result)


# --------------------------------------------------------------------------- services


def port_open(port):
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def free_port():
    allowed = load_staff.ports_from_environment()
    if allowed:
        taken = free_port.__dict__.setdefault("taken", set())
        port = next(p for p in allowed if p not in taken and not port_open(p))
        taken.add(port)
        return port
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pg_env():
    return {**os.environ, "KHLANG_PG_PORT": str(PG_PORT), "KHLANG_PG_DATA": PG_DATA}


def pg_ctl(action):
    subprocess.run([POSTGRES_SH, action], env=pg_env(), check=True, capture_output=True, text=True, timeout=90)


def pg_admin(sql):
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", port=PG_PORT, user="postgres", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql)
    conn.close()


def fetch(url, headers=None, timeout=10):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if fetch(url, timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(url)


def drain(base, seconds=60):
    """Wait until the app answers /healthz/ quickly twice in a row: requests queued by the previous run (wrk
    has gone, but gunicorn still works through what nginx handed it) must not slow the next run."""
    deadline = time.monotonic() + seconds
    quick = 0
    while time.monotonic() < deadline and quick < 2:
        t = time.monotonic()
        try:
            ok = fetch(base + "/healthz/", timeout=15)[0] == 200
        except OSError:
            ok = False
        quick = quick + 1 if ok and time.monotonic() - t < 0.3 else 0
        time.sleep(0.2)


class Stack:
    """Everything the benchmark starts, so that everything is stopped in the end."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.pg_started = False
        self.pg_created_data = False
        self.keep_database = False
        self.gunicorn = None
        self.nginx_conf = None
        self.children = []  # wrk and other short-lived processes

    def stop(self):
        for proc in self.children:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        if self.nginx_conf:
            subprocess.run([NGINX, "-s", "quit", "-c", str(self.nginx_conf), "-p", str(self.tmp)],
                           capture_output=True)
            pid_file = self.tmp / "nginx.pid"
            deadline = time.monotonic() + 10
            while pid_file.exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            if pid_file.exists():
                try:
                    os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)
                except (OSError, ValueError):
                    pass
            say("  nginx stopped")
            self.nginx_conf = None
        if self.gunicorn and self.gunicorn.poll() is None:
            self.gunicorn.terminate()
            try:
                self.gunicorn.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.gunicorn.kill()
                self.gunicorn.wait()
            say("  gunicorn stopped")
        if self.pg_started:
            try:
                if not port_open(PG_PORT):
                    pg_ctl("start")
                if not self.keep_database:
                    pg_admin(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
            except Exception as error:  # noqa: BLE001
                say(f"  could not drop {DB_NAME}: {error}")
            pg_ctl("stop")
            self.pg_started = False
            say(f"  PostgreSQL on port {PG_PORT} stopped")
            if self.pg_created_data and not self.keep_database:
                shutil.rmtree(PG_DATA, ignore_errors=True)
        logs = Path("/tmp/khlang-load-logs")
        logs.mkdir(exist_ok=True)
        for name in ("gunicorn.log", "nginx-error.log", "nginx.conf", "site.conf"):
            if (self.tmp / name).exists():
                shutil.copy(self.tmp / name, logs / name)
        say(f"  logs kept in {logs}")
        shutil.rmtree(self.tmp, ignore_errors=True)


def nginx_main_conf(tmp, site):
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""{user}worker_processes auto;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    access_log off;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    include {site};
}}
"""


# --------------------------------------------------------------------------- wrk

SUMMARY_LUA = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'KHLANG_SUMMARY {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,' ..
    '"timeout":%d,"p50":%d,"p75":%d,"p90":%d,"p95":%d,"p99":%d,"max":%d,"mean":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(75), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end
"""

VARIED_LUA = r"""
-- each request asks the next query: QUERIES alone, then every pair of them (built here: LuaJIT
-- refuses a table of thousands of constants); the wrk threads start at different places
local queries = {QUERY_LIST}
local paths = {}
for _, q in ipairs(queries) do paths[#paths + 1] = "/search/?q=" .. q end
for _, a in ipairs(queries) do
  for _, b in ipairs(queries) do
    if a ~= b then paths[#paths + 1] = "/search/?q=" .. a .. "%20" .. b end
  end
end
local count = 0
setup = function(thread) count = count + 1; thread:set("start", count * 7919) end
init = function(args) n = start end
request = function()
  n = n + 1
  return wrk.format(nil, paths[(n % #paths) + 1])
end
""" + SUMMARY_LUA


def varied_search_queries():
    """bench/search_queries.yaml's queries, URL-encoded; the Lua script asks each alone, then every pair.

    The search service keeps an answer per query, audience and content version, so one
    repeated query measures that cache; with over 10 000 distinct queries (more than a run
    makes) every request ranks, counts facets and builds snippets anew.
    """
    import yaml

    queries = [q["q"] for q in yaml.safe_load((BENCH / "search_queries.yaml").read_text(encoding="utf-8"))]
    return [urllib.parse.quote(q) for q in dict.fromkeys(queries)]


def varied_lua(queries):
    return VARIED_LUA.replace("QUERY_LIST", ",".join(json.dumps(q) for q in queries))


PER_SECOND_LUA = r"""
local threads = {}
setup = function(thread) table.insert(threads, thread) end
init = function(args) counts = {} end
response = function(status, headers, body)
  local key = os.time() .. ":" .. status
  counts[key] = (counts[key] or 0) + 1
end
""" + SUMMARY_LUA.replace("done = function(summary, latency, requests)", """done = function(summary, latency, requests)
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    for k, v in pairs(c) do io.write("KHLANG_SECOND " .. k .. " " .. v .. "\\n") end
  end""")


def run_wrk(stack, url, script, duration, threads, connections, headers=()):
    cmd = [WRK, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", f"--timeout={WRK_TIMEOUT}s",
           "-s", str(script)]
    for header in headers:
        cmd += ["-H", header]
    cmd.append(url)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    stack.children.append(proc)
    out, _ = proc.communicate(timeout=duration + 60)
    stack.children.remove(proc)
    line = next((x for x in out.splitlines() if x.startswith("KHLANG_SUMMARY ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({proc.returncode}):\n{out}")
    s = json.loads(line.split(" ", 1)[1])
    s["rps"] = s["requests"] / (s["duration_us"] / 1e6)
    s["errors"] = s["status"] + s["connect"] + s["read"] + s["write"] + s["timeout"]
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    s["wrk_rps"] = float(match.group(1)) if match else None
    s["seconds"] = {}
    for x in out.splitlines():
        if x.startswith("KHLANG_SECOND "):
            _, key, n = x.split()
            sec, status = key.split(":")
            s["seconds"].setdefault(int(sec), {}).setdefault(int(status), 0)
            s["seconds"][int(sec)][int(status)] += int(n)
    s["cmd"] = " ".join(cmd[:-1]) + " URL"
    return s


CLK_TCK = os.sysconf("SC_CLK_TCK")


def machine_jiffies():
    """(busy, total) jiffies of all CPUs since boot."""
    with open("/proc/stat") as f:
        values = [int(x) for x in f.readline().split()[1:9]]
    return sum(values) - values[3] - values[4], sum(values)


def process_cpu(roots):
    """CPU seconds (own + reaped children) of each group of process trees, e.g. {"app": [pid]}."""
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            table[int(entry)] = (int(fields[1]), sum(int(x) for x in fields[11:15]))
    children = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    out = {}
    for name, pids in roots.items():
        seen, todo = set(), [p for p in pids if p in table]
        while todo:
            pid = todo.pop()
            if pid not in seen:
                seen.add(pid)
                todo.extend(children.get(pid, []))
        out[name] = sum(table[p][1] for p in seen) / CLK_TCK
    return out


def read_pid(path):
    try:
        return int(Path(path).read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


class CpuMeter:
    """Cores used during a run by the app (gunicorn), PostgreSQL, nginx, wrk, and everything else."""

    def __init__(self, stack):
        self.stack = stack

    def roots(self):
        return {
            "app": [self.stack.gunicorn.pid],
            "db": [p for p in [read_pid(Path(PG_DATA) / "postmaster.pid")] if p],
            "nginx": [p for p in [read_pid(self.stack.tmp / "nginx.pid")] if p],
        }

    def __enter__(self):
        import resource

        self.wall = time.monotonic()
        self.machine = machine_jiffies()
        self.groups = process_cpu(self.roots())
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.children = usage.ru_utime + usage.ru_stime
        return self

    def __exit__(self, *exc):
        import resource

        wall = time.monotonic() - self.wall
        busy0, total0 = self.machine
        busy1, total1 = machine_jiffies()
        groups = process_cpu(self.roots())
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        ncpu = os.cpu_count() or 1
        # /proc/stat counts jiffies of every CPU: busy share x number of CPUs = cores busy
        machine_cores = ncpu * (busy1 - busy0) / max(1, total1 - total0)
        self.result = {name: (groups[name] - self.groups.get(name, 0.0)) / wall for name in groups}
        self.result["wrk"] = (usage.ru_utime + usage.ru_stime - self.children) / wall
        self.result["machine"] = machine_cores
        ours = sum(v for k, v in self.result.items() if k != "machine")
        self.result["others"] = max(0.0, machine_cores - ours)
        return False


def log_offset(path):
    return path.stat().st_size if path.exists() else 0


def log_since(path, offset):
    with open(path, "rb") as f:
        f.seek(offset)
        return f.read().decode("utf-8", "replace")


def worker_events(text):
    return {
        "recycled": text.count("Autorestarting worker"),
        "booted": text.count("Booting worker"),
        "timeouts": text.count("WORKER TIMEOUT"),
        "server_errors": text.count("Internal Server Error"),
    }


# --------------------------------------------------------------------------- main


def main():
    global PG_PORT, PG_DATA
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10000, help="knowledge articles generated on top of the demo")
    parser.add_argument("--duration", type=int, default=30, help="seconds per wrk run")
    parser.add_argument("--no-extras", action="store_true", help="skip the two supplementary diagnostic runs")
    parser.add_argument("--generators", type=int, default=2, help="processes generating the articles in parallel")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=20, help="wrk connections")
    parser.add_argument("--counting-rounds", type=int, default=2,
                        help="rounds of the counting comparison (article cached and uncached, without then with counting)")
    parser.add_argument("--only-counting", action="store_true",
                        help="after the set-up, run only the counting comparison (no other load, resilience, extras, profile)")
    parser.add_argument("--only-search", action="store_true",
                        help="after the set-up, only the static ceiling, the uncached article and the search rows")
    parser.add_argument("--engine", metavar="URL",
                        help="a running search engine (search/engine/start.sh) to index too and run the search rows on, "
                             "beside the database's")
    parser.add_argument("--keep-database", action="store_true",
                        help="leave the database (and the engine's index) for a later --reuse-database run")
    parser.add_argument("--reuse-database", action="store_true",
                        help="skip load_demo, the articles and update_index: use the kept database (migrated first)")
    parser.add_argument("--pg-port", type=int, default=PG_PORT, help="the throwaway PostgreSQL's port")
    parser.add_argument("--pg-data", default=PG_DATA, help="the throwaway PostgreSQL's data folder")
    parser.add_argument("--app-port", type=int, help="gunicorn's port (default: a free one)")
    parser.add_argument("--web-port", type=int, help="nginx's port (default: a free one)")
    parser.add_argument("--sqlite", action="store_true",
                        help="with --only-counting: a throwaway SQLite database instead of PostgreSQL (a quick try where "
                             "PostgreSQL may not be started; SQLite serialises the app's writes, so it is the pessimistic case)")
    parser.add_argument("--no-staff", action="store_true", help="skip the signed-in staff runs (bench/load_staff.py)")
    parser.add_argument("--gunicorn-variants", default="", metavar="W:CLASS:T,...",
                        help=f"also compare gunicorn settings on the signed-in article and listing, e.g. {load_staff.DEFAULT_VARIANTS}")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--part", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--parts", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--first-pos", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--urls", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker == "generate-prepare":
        return worker_generate_prepare(args.result)
    if args.worker == "generate":
        return worker_generate(args.n, args.part, args.parts, args.first_pos, args.result)
    if args.worker == "generate-finish":
        return worker_generate_finish(args.result)
    if args.worker == "info":
        return worker_info(args.result)
    if args.worker == "profile":
        return worker_profile(args.urls, args.result)
    if args.worker == "reads":
        return worker_reads(args.result)
    if args.worker == "counting-cost":
        return worker_counting_cost(args.result)

    PG_PORT, PG_DATA = args.pg_port, args.pg_data
    started = time.monotonic()
    load_staff.ensure_tools("wrk", "nginx")
    for tool in (WRK, NGINX, GUNICORN):
        if not os.path.exists(tool):
            sys.exit(f"missing {tool}")
    if args.sqlite and not args.only_counting:
        sys.exit("--sqlite is only for --only-counting (the resilience run stops and starts PostgreSQL)")
    if args.sqlite:
        args.generators = 1  # one writer at a time
    elif port_open(PG_PORT):
        sys.exit(f"something already listens on port {PG_PORT}; stop it first, e.g. "
                 f"KHLANG_PG_PORT={PG_PORT} KHLANG_PG_DATA={PG_DATA} scripts/postgres.sh stop")

    def interrupted(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    tmp = Path(tempfile.mkdtemp(prefix="khlang-load-"))
    stack = Stack(tmp)
    try:
        report = benchmark(args, stack, tmp)
    finally:
        say("")
        say("Stopping everything ...")
        stack.stop()
    Path("/tmp/khlang-load-logs").mkdir(exist_ok=True)
    Path("/tmp/khlang-load-logs/report.json").write_text(json.dumps(report, ensure_ascii=False, default=str))
    print_report(args, report)
    if not args.only_counting:
        load_staff.print_ratios(report)
    benchlib.footer(started)


def benchmark(args, stack, tmp):
    report = {"setup": {}}
    step_started = time.monotonic()

    def step(text):
        nonlocal step_started
        step_started = time.monotonic()
        say(f"[{time.strftime('%H:%M:%S')}] {text}")

    def took(key):
        seconds = time.monotonic() - step_started
        report["setup"][key] = seconds
        say(f"      done in {seconds:.1f} s")

    say("Set-up")
    if args.sqlite:
        database_url = f"sqlite:///{tmp / 'load.sqlite3'}"
    else:
        step(f"PostgreSQL on port {PG_PORT} ({PG_DATA}) via scripts/postgres.sh")
        stack.pg_created_data = not os.path.exists(PG_DATA)
        stack.pg_started = True
        stack.keep_database = args.keep_database or args.reuse_database
        pg_ctl("start")
        if not args.reuse_database:
            pg_admin(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
            pg_admin(f"CREATE DATABASE \"{DB_NAME}\" ENCODING 'UTF8' TEMPLATE template0")
        database_url = f"postgres://postgres@127.0.0.1:{PG_PORT}/{DB_NAME}"
        took("postgres")

    static_root, media_root = tmp / "static", tmp / "media"
    env = {k: v for k, v in os.environ.items() if k not in ("KHLANG_SEARCH_URL", "KHLANG_SQLITE_PATH", "KHLANG_PAGE_CACHE_SECONDS")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "khlang.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "KHLANG_SSL_REDIRECT": "0",
        "KHLANG_STATIC_ROOT": str(static_root),
        "KHLANG_MEDIA_ROOT": str(media_root),
        "PYTHONUNBUFFERED": "1",
    })
    say(f"      production settings: DATABASE_URL={database_url} ALLOWED_HOSTS=127.0.0.1,localhost "
        f"KHLANG_SSL_REDIRECT=0 SECRET_KEY=<random> static/media under {tmp}")

    def manage(*cmd, timeout=900, extra_env=None):
        result = subprocess.run([PYTHON, "manage.py", *cmd], cwd=BASE, env={**env, **(extra_env or {})},
                                capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(cmd)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        return result

    engine_env = {}
    if args.engine:  # the engine's index and the database's (the fallback) are both built
        engine_env = {"KHLANG_SEARCH_URL": args.engine, "KHLANG_SEARCH_INDEX_PREFIX": "khlang_load_",
                      "KHLANG_SEARCH_ENGINE": os.environ.get("KHLANG_SEARCH_ENGINE", "opensearch2")}
    if args.reuse_database:
        step("manage.py migrate (a kept database may be older than the code)")
        manage("migrate", "--noinput")
        took("migrate")
    else:
        build_site(args, stack, step, took, manage, env, engine_env, report)
    step("manage.py collectstatic")
    manage("collectstatic", "--noinput", "--verbosity", "0")
    took("collectstatic")
    info = run_worker("info", [], env, timeout=120)
    report["info"] = info
    say(f"      {info['articles']} live knowledge articles, {info['pages']} pages in all; listing filter matches "
        f"{info['listing_matches']} articles")

    step("gunicorn -c deploy/gunicorn.conf.py khlang.wsgi (KHLANG_WORKERS=2) behind nginx (deploy/nginx.conf.template)")
    app_port, web_port = args.app_port or free_port(), args.web_port or free_port()
    gunicorn_log = tmp / "gunicorn.log"

    def start_gunicorn(*extra, extra_env=None):
        with open(gunicorn_log, "ab") as log:
            stack.gunicorn = subprocess.Popen(
                [GUNICORN, "-c", "deploy/gunicorn.conf.py", *extra, "khlang.wsgi"], cwd=BASE,
                env={**env, "KHLANG_BIND": f"127.0.0.1:{app_port}", "KHLANG_WORKERS": "2",
                     "KHLANG_FRONTEND_CACHES": f"http://127.0.0.1:{web_port}", **(extra_env or {})},
                stdout=log, stderr=subprocess.STDOUT,
            )

    access_log = tmp / "access.log"

    def write_site(counting=True):
        """The site from deploy/nginx.conf.template; without counting, its access_log line is `access_log off;`."""
        site = string.Template((BASE / "deploy" / "nginx.conf.template").read_text()).safe_substitute(
            KHLANG_LISTEN=f"127.0.0.1:{web_port}",
            KHLANG_SERVER_NAME="localhost",
            KHLANG_APP_SERVERS_BLOCK=f"server 127.0.0.1:{app_port};",
            KHLANG_STATIC_ROOT=str(static_root),
            KHLANG_MEDIA_ROOT=str(media_root),
            KHLANG_NGINX_CACHE=str(tmp / "nginx-cache"),
            KHLANG_ACCESS_LOG=str(access_log),
        )
        if not counting:
            site, n = re.subn(r"(?m)^(\s*)access_log \S+ khlang_cache[^;]*;", r"\1access_log off;", site)
            assert n == 1, "deploy/nginx.conf.template has no access_log line in the khlang_cache format"
        (tmp / "site.conf").write_text(site)

    start_gunicorn()
    write_site()
    (tmp / "nginx.conf").write_text(nginx_main_conf(tmp, tmp / "site.conf"))
    subprocess.run([NGINX, "-t", "-c", str(tmp / "nginx.conf"), "-p", str(tmp)], check=True, capture_output=True)
    subprocess.run([NGINX, "-c", str(tmp / "nginx.conf"), "-p", str(tmp)], check=True)
    stack.nginx_conf = tmp / "nginx.conf"
    base = f"http://127.0.0.1:{web_port}"
    wait_for(f"http://127.0.0.1:{app_port}/healthz/")
    wait_for(base + "/healthz/")
    say(f"      nginx at {base} -> gunicorn at 127.0.0.1:{app_port}")
    took("servers")

    listing_url = info["library_url"] + "?" + urllib.parse.urlencode(LISTING_QUERY)
    pages = {
        "home": "/",
        "listing": listing_url,
        "article": info["article_url"],
        "search": "/search/?q=" + urllib.parse.quote(SEARCH_WORD),
    }
    report["pages"] = pages

    step("static ceiling: the article's HTML saved as /static/bench-article.html")
    status, headers, body = fetch(base + pages["article"])
    if status != 200:
        raise RuntimeError(f"article answered {status}")
    (static_root / "bench-article.html").write_bytes(body)
    status, _, static_body = fetch(base + "/static/bench-article.html")
    if status != 200 or static_body != body:
        raise RuntimeError("nginx does not serve the saved article")
    report["article_bytes"] = len(body)
    say(f"      {len(body)} bytes")

    step("checking the cache modes (X-Khlang-Edge-Cache from nginx, X-Khlang-Cache from the app) and warming the caches")
    checks = {}
    for name, path in pages.items():
        status, headers, _ = fetch(base + path, headers={"Cookie": UNCACHED_COOKIE})
        uncached = (status, headers.get("X-Khlang-Cache"), headers.get("X-Khlang-Edge-Cache"))
        seen, app_seen = [], []
        for i in range(40):  # both workers have their own LocMemCache: until 3 hits in a row
            status, headers, _ = fetch(base + path, headers={"Cookie": APP_CACHE_COOKIE})
            app_seen.append(headers.get("X-Khlang-Cache"))
            if i >= 5 and (app_seen[-3:] == ["hit"] * 3 or name == "search"):
                break
        for _ in range(3):
            status, headers, _ = fetch(base + path)
            seen.append(headers.get("X-Khlang-Edge-Cache"))
        checks[name] = {"uncached": uncached, "cached_status": status, "cached_seen": seen, "app_cache_seen": app_seen}
        say(f"      {name:<8} with session cookie: HTTP {uncached[0]}, app {uncached[1]}, nginx {uncached[2]}; "
            f"language cookie x{len(app_seen)}: app " + ",".join(str(x) for x in app_seen)
            + f"; anonymous x{len(seen)}: HTTP {status}, nginx " + ",".join(str(x) for x in seen))
        if uncached[0] != 200 or uncached[1] is not None or uncached[2] == "HIT" or status != 200:
            raise RuntimeError(f"{name}: unexpected cache behaviour {checks[name]}")
        if name != "search" and (seen[-1] != "HIT" or app_seen[-1] != "hit"):
            raise RuntimeError(f"{name}: anonymous request not served from the caches: {checks[name]}")
        if name == "search" and (any(app_seen) or "HIT" in seen):
            raise RuntimeError("search was cached")
    report["cache_checks"] = checks
    took("checks")

    summary_lua = tmp / "summary.lua"
    summary_lua.write_text(SUMMARY_LUA)
    varied_search_lua = tmp / "varied-search.lua"
    varied_search_lua.write_text(varied_lua(varied_search_queries()))
    runs = []

    def load(name, mode, path, headers=(), script=None):
        drain(base)
        if mode.split("/")[0] in ("cached", "app-cache") and name != "search":
            for _ in range(6):
                fetch(base + path, headers=dict(h.split(": ", 1) for h in headers))
        offset = log_offset(gunicorn_log)
        say(f"[{time.strftime('%H:%M:%S')}] wrk {name} ({mode}) {args.duration} s ...")
        with CpuMeter(stack) as meter:
            result = run_wrk(stack, base + path, script or summary_lua, args.duration, args.threads, args.connections,
                             headers)
        result.update(name=name, mode=mode, path=path, events=worker_events(log_since(gunicorn_log, offset)),
                      cpu=meter.result)
        say(f"      {result['rps']:.1f} req/s, p50 {result['p50'] / 1000:.1f} ms, p95 {result['p95'] / 1000:.1f} ms, "
            f"p99 {result['p99'] / 1000:.1f} ms, errors {result['errors']}, worker recycles {result['events']['recycled']}; "
            "cores used: " + ", ".join(f"{k} {v:.2f}" for k, v in meter.result.items()))
        runs.append(result)
        time.sleep(2)

    report["runs"] = runs
    if args.only_search:
        say("")
        say("Load (--only-search)")
        load("static", "nginx", "/static/bench-article.html")
        load("article", "uncached", pages["article"], headers=[f"Cookie: {UNCACHED_COOKIE}"])
        search_rows(args, stack, load, pages["search"], start_gunicorn, app_port, engine_env, varied_search_lua)
        return report
    if args.only_counting:
        report["counting"] = counting_comparison(args, stack, base, pages["article"], tmp, access_log, write_site,
                                                 start_gunicorn, app_port, env, load, runs, manage)
        return report
    say("")
    say("Load")
    load("static", "nginx", "/static/bench-article.html")
    for name, path in pages.items():
        if name == "search":
            search_rows(args, stack, load, path, start_gunicorn, app_port, engine_env, varied_search_lua)
            continue
        load(name, "uncached", path, headers=[f"Cookie: {UNCACHED_COOKIE}"])
        load(name, "cached", path)
        load(name, "app-cache", path, headers=[f"Cookie: {APP_CACHE_COOKIE}"])
    if not args.no_staff:
        try:
            staff_runs(args, report, stack, base, pages, manage, load, start_gunicorn, app_port)
        except Exception as error:  # noqa: BLE001 - the other figures are still reported
            report["staff_failed"] = f"{type(error).__name__}: {error}"[:500]
            say(f"      signed-in runs FAILED: {report['staff_failed']}")
    report["counting"] = counting_comparison(args, stack, base, pages["article"], tmp, access_log, write_site,
                                             start_gunicorn, app_port, env, load, runs, manage)

    say("")
    say("Resilience")
    report["resilience"] = resilience(args, stack, base, pages["article"], tmp, gunicorn_log)

    report["extras"] = []
    if not args.no_extras:
        say("")
        say("Supplementary runs (diagnosis, not part of the targets)")

        def extra(label, name, mode, path, connections, headers=()):
            drain(base)
            if mode == "app-cache":
                for _ in range(12):
                    fetch(base + path, headers=dict(h.split(": ", 1) for h in headers))
            offset = log_offset(gunicorn_log)
            say(f"[{time.strftime('%H:%M:%S')}] wrk {label} {args.duration} s ...")
            with CpuMeter(stack) as meter:
                result = run_wrk(stack, base + path, summary_lua, args.duration, args.threads, connections, headers)
            result.update(name=name, mode=mode, label=label, connections=connections, cpu=meter.result,
                          events=worker_events(log_since(gunicorn_log, offset)))
            say(f"      {result['rps']:.1f} req/s, p50 {result['p50'] / 1000:.1f} ms, p95 {result['p95'] / 1000:.1f} ms, "
                f"errors {result['errors']}, worker recycles {result['events']['recycled']}")
            report["extras"].append(result)
            time.sleep(2)

        extra(f"article uncached, -c{args.threads} (no queueing behind other requests)", "article", "uncached",
              pages["article"], args.threads, [f"Cookie: {UNCACHED_COOKIE}"])
        step("restarting gunicorn with --max-requests 0 (no worker recycling)")
        stack.gunicorn.terminate()
        stack.gunicorn.wait(timeout=60)
        start_gunicorn("--max-requests", "0")
        wait_for(f"http://127.0.0.1:{app_port}/healthz/")
        took("restart")
        extra("article app-cache, gunicorn --max-requests 0", "article", "app-cache", pages["article"], args.connections,
              [f"Cookie: {APP_CACHE_COOKIE}"])

    say("")
    step("profile of the uncached requests (in-process, django.test.Client)")
    try:
        report["profile"] = run_worker("profile", ["--urls", json.dumps(pages)], env, timeout=300)
    except Exception as error:  # noqa: BLE001 - the load figures are still reported
        report["profile"] = {"failed": f"{type(error).__name__}: {error}"[:300]}
    took("profile")
    return report


def build_site(args, stack, step, took, manage, env, engine_env, report):
    """The demo, the generated articles and the search indexes, in the fresh database."""
    step("manage.py migrate")
    manage("migrate", "--noinput")
    took("migrate")
    step("manage.py load_demo")
    manage("load_demo", extra_env={"KHLANG_LOG_LEVEL": "WARNING"})
    took("load_demo")
    step(f"generating {args.articles} knowledge articles (settings bench/load_settings.py: search AUTO_UPDATE off)")
    generating = time.monotonic()
    gen_env = {**env, "DJANGO_SETTINGS_MODULE": "load_settings", "KHLANG_LOG_LEVEL": "WARNING"}
    prepared = run_worker("generate-prepare", [], gen_env, timeout=300)
    say(f"      {args.generators} processes in parallel, tree positions from {prepared['first_pos']}")
    parts = [start_worker("generate", ["--n", str(args.articles), "--part", str(k), "--parts", str(args.generators),
                                       "--first-pos", str(prepared["first_pos"])], gen_env)
             for k in range(args.generators)]
    stack.children.extend(proc for proc, _ in parts)
    for proc, result in parts:
        proc.wait(timeout=1200)
        stack.children.remove(proc)
        if proc.returncode != 0:
            raise RuntimeError(f"article generation failed ({proc.returncode})")
        os.unlink(result)
    generated = run_worker("generate-finish", [], gen_env, timeout=600)
    if generated["tree_problems"]:
        raise RuntimeError(f"page tree has problems after generation: {generated}")
    report["setup"]["articles_per_s"] = args.articles / (time.monotonic() - generating)
    took("generate")
    step("manage.py update_index (once, every page" + (f"; the database and the engine at {args.engine})" if args.engine else ")"))
    manage("update_index", extra_env={"KHLANG_LOG_LEVEL": "WARNING", "KHLANG_SEARCH_TIMEOUT": "60", **engine_env})
    took("update_index")


def search_rows(args, stack, load, path, start_gunicorn, app_port, engine_env, varied_script):
    """Search on the database, then with --engine on the engine (gunicorn restarted with KHLANG_SEARCH_URL),
    then gunicorn back on the database. Per backend: one query with a session cookie (`sessionid=x`, still an
    anonymous reader) and without (both mostly served by the search service's per-version answer cache), and
    "varied": over 10 000 distinct queries (varied_search_queries), so every request ranks, counts facets anew."""
    def rows(prefix=""):
        load("search", f"{prefix}uncached", path, headers=[f"Cookie: {UNCACHED_COOKIE}"])
        load("search", f"{prefix}cached", path)
        load("search", f"{prefix}varied", path, script=varied_script)

    rows()
    if not args.engine:
        return
    for extra_env, mode in ((engine_env, "engine"), ({}, None)):
        stack.gunicorn.terminate()
        stack.gunicorn.wait(timeout=60)
        start_gunicorn(extra_env=extra_env)
        wait_for(f"http://127.0.0.1:{app_port}/healthz/")
        if mode:
            rows(f"{mode}/")


def staff_runs(args, report, stack, base, pages, manage, load, start_gunicorn, app_port):
    """Signed-in staff (bench/load_staff.py): a real session, its runs, cold-after-publish, gunicorn variants."""
    cookie = load_staff.staff_cookie(base)
    say(f"      signed in as {load_staff.STAFF_USER} through /admin/login/")
    load_staff.signed_in_runs(load, base, pages, cookie)
    say(f"[{time.strftime('%H:%M:%S')}] signed-in pages right after a publish, against warm ones ...")
    report["cold_after_publish"] = load_staff.cold_after_publish(base, pages, cookie, manage)
    if not args.gunicorn_variants:
        return

    def restart(extra_env):
        say(f"[{time.strftime('%H:%M:%S')}] gunicorn restarted with {extra_env}")
        stack.gunicorn.terminate()
        stack.gunicorn.wait(timeout=60)
        start_gunicorn(extra_env=extra_env)
        wait_for(f"http://127.0.0.1:{app_port}/healthz/")

    load_staff.gunicorn_variants(args.gunicorn_variants, restart, load, base, pages, cookie)
    restart({})


def counting_comparison(args, stack, base, path, tmp, access_log, write_site, start_gunicorn, app_port, env, load,
                        runs, manage):
    """The article cached (nginx) and uncached (app), as a browser, without and with access counting.

    Without: gunicorn with KHLANG_COUNT_READS=0 and nginx with `access_log off;`. With: the production set-up,
    the app's UPSERT per read and nginx's buffered access log in the khlang_cache format. Rounds alternate
    (without, with) so that other work on the machine weighs on both. Afterwards the log is imported with
    `manage.py import_access_log` and the counts are checked against the requests made.
    """
    say("")
    say("Access counting: the article cached and uncached as a browser, without and with counting")
    results = {"off": {"cached": [], "uncached": []}, "on": {"cached": [], "uncached": []}}
    reads_before = run_worker("reads", [], env, timeout=120)["reads"]
    requests_counted_by_app = 0
    requests_from_cache = 0
    for round_ in range(args.counting_rounds):
        for mode in ("off", "on"):
            counting = mode == "on"
            write_site(counting)
            subprocess.run([NGINX, "-s", "reload", "-c", str(tmp / "nginx.conf"), "-p", str(tmp)], check=True)
            stack.gunicorn.terminate()
            stack.gunicorn.wait(timeout=60)
            start_gunicorn(extra_env={"KHLANG_COUNT_READS": "1" if counting else "0"})
            wait_for(f"http://127.0.0.1:{app_port}/healthz/")
            time.sleep(2)  # nginx's old workers finish
            for kind, headers in (("cached", [BROWSER_UA]), ("uncached", [BROWSER_UA, f"Cookie: {UNCACHED_COOKIE}"])):
                load("article", f"{kind}/{mode}", path, headers=headers)
                result = runs.pop()  # kept apart from the main table
                result["round"] = round_ + 1
                results[mode][kind].append(result)
                if counting and kind == "uncached":
                    requests_counted_by_app += result["requests"]
                if counting and kind == "cached":
                    requests_from_cache += result["requests"]
    subprocess.run([NGINX, "-s", "reopen", "-c", str(tmp / "nginx.conf"), "-p", str(tmp)], check=True)  # flushes its buffer
    time.sleep(1)
    reads_app = run_worker("reads", [], env, timeout=120)["reads"] - reads_before
    size = access_log.stat().st_size if access_log.exists() else 0
    started = time.monotonic()
    imported = manage("import_access_log", str(access_log)).stdout.strip()
    import_s = time.monotonic() - started
    reads_all = run_worker("reads", [], env, timeout=120)["reads"] - reads_before
    say("      in-process cost of counting (django.test.Client, uncached article, with and without alternating)")
    cost = run_worker("counting-cost", [], env, timeout=600)
    return {"cost": cost, "results": results, "reads_app": reads_app, "reads_log": reads_all - reads_app, "import_s": import_s,
            "import_summary": imported, "log_bytes": size, "requests_uncached_on": requests_counted_by_app,
            "requests_cached_on": requests_from_cache}


def print_counting(report):
    c = report.get("counting")
    if not c:
        return
    say("")
    say("Access counting: article as a browser (User-Agent of a phone), without counting (gunicorn KHLANG_COUNT_READS=0,")
    say("nginx access_log off) and with it (the app's reads, written at most every KHLANG_READS_BUFFER_SECONDS; nginx's")
    say("buffered access log in the khlang_cache format)")
    say(f"  {'run':<22} {'round':>5} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for kind in ("cached", "uncached"):
        for mode in ("off", "on"):
            for r in c["results"][mode][kind]:
                say(f"  {kind + ' ' + ('with' if mode == 'on' else 'without'):<22} {r['round']:>5} {r['rps']:>9.1f} "
                    f"{ms(r['p50']):>8} {ms(r['p95']):>8} {ms(r['p99']):>8} {r['errors']:>7}")

    def mean(mode, kind, key):
        values = [r[key] for r in c["results"][mode][kind]]
        return sum(values) / len(values)

    share = mean("on", "cached", "rps") / mean("off", "cached", "rps")
    growth = mean("on", "uncached", "p95") / mean("off", "uncached", "p95") - 1
    verdict = "met" if share >= TARGET_COUNTING_CACHED_SHARE else "NOT met"
    say(f"  cached article with counting: {100 * share:.1f}% of the req/s without (mean of rounds; >= 90%): {verdict}")
    verdict = "met" if growth <= TARGET_COUNTING_P95_GROWTH else "NOT met"
    say(f"  uncached article p95 with counting: {100 * growth:+.1f}% (mean of rounds; <= +5%): {verdict}")
    cost = c["cost"]
    say(f"  in-process, uncached article, 200 requests each, alternating: with counting median {cost['with']['median']:.1f} ms, "
        f"p95 {cost['with']['p95']:.1f} ms; without median {cost['without']['median']:.1f} ms, p95 {cost['without']['p95']:.1f} ms "
        f"(median {100 * (cost['with']['median'] / cost['without']['median'] - 1):+.1f}%, "
        f"p95 {100 * (cost['with']['p95'] / cost['without']['p95'] - 1):+.1f}%); one write of a page's count (UPSERT) alone: "
        f"median {cost['upsert']['median']:.2f} ms, p95 {cost['upsert']['p95']:.2f} ms")
    say(f"  counted by the app: {c['reads_app']} reads for {c['requests_uncached_on']} uncached requests with counting "
        "(wrk's count includes requests cut off at the end of a run)")
    say(f"  nginx's log ({c['log_bytes'] / 1e6:.1f} MB) imported in {c['import_s']:.1f} s: {c['import_summary']}; "
        f"{c['reads_log']} reads for {c['requests_cached_on']} cached requests with counting")


def resilience(args, stack, base, path, tmp, gunicorn_log):
    duration = max(args.duration, 20)
    lua = tmp / "per_second.lua"
    lua.write_text(PER_SECOND_LUA)
    offset = log_offset(gunicorn_log)
    probe = []
    stop_probe = threading.Event()

    def prober():
        while not stop_probe.is_set():
            t = time.time()
            try:
                status = fetch(base + path, headers={"Cookie": UNCACHED_COOKIE}, timeout=5)[0]
            except OSError as error:
                status = f"error {type(error).__name__}"
            probe.append((t, status, 1000 * (time.time() - t), time.time()))
            stop_probe.wait(max(0.0, 0.2 - (time.time() - t)))

    result = {}
    holder = {}

    def run():
        holder["wrk"] = run_wrk(stack, base + path, lua, duration, args.threads, args.connections,
                                [f"Cookie: {UNCACHED_COOKIE}"])

    drain(base)
    wrk_thread = threading.Thread(target=run)
    probe_thread = threading.Thread(target=prober, daemon=True)
    t0 = time.time()
    say(f"[{time.strftime('%H:%M:%S')}] wrk article (uncached) {duration} s; PostgreSQL stop at ~8 s, start 3 s later")
    wrk_thread.start()
    probe_thread.start()
    time.sleep(8)
    events = {"wrk_start": t0}
    events["stop_begin"] = time.time()
    pg_ctl("stop")
    events["stop_end"] = time.time()
    say(f"      PostgreSQL stopped at +{events['stop_begin'] - t0:.1f} s (took {events['stop_end'] - events['stop_begin']:.1f} s)")
    time.sleep(3)
    events["start_begin"] = time.time()
    pg_ctl("start")
    events["start_end"] = time.time()
    say(f"      PostgreSQL started at +{events['start_begin'] - t0:.1f} s, accepting connections at "
        f"+{events['start_end'] - t0:.1f} s")
    wrk_thread.join(timeout=duration + 90)
    stop_probe.set()
    probe_thread.join(timeout=10)
    if "wrk" not in holder:
        raise RuntimeError("wrk did not finish during the resilience run")
    time.sleep(1)
    after = fetch(base + path, headers={"Cookie": UNCACHED_COOKIE})
    after_cached = fetch(base + path)
    result["after_status"] = after[0]
    result["after_cached_status"] = after_cached[0]
    result["wrk"] = holder["wrk"]
    result["events"] = events
    result["probe"] = probe
    text = log_since(gunicorn_log, offset)
    result["log_events"] = worker_events(text)
    errors = {}
    for line in text.splitlines():
        m = re.match(r"^django\.db\.utils\.(\w+Error): (.*)$", line.strip())
        if m:
            message = re.sub(r"\d{4,}", "N", m.group(2))[:140]
            errors[f"{m.group(1)}: {message}"] = errors.get(f"{m.group(1)}: {message}", 0) + 1
    result["db_errors"] = errors
    say(f"      afterwards: uncached article HTTP {after[0]}, cached article HTTP {after_cached[0]}")

    # Under load every worker notices the outage itself. Idle workers keep their persistent connections
    # (CONN_MAX_AGE=60) across a restart they did not see: the next requests must still succeed.
    say(f"[{time.strftime('%H:%M:%S')}] idle restart: 8 requests (both workers connect), PostgreSQL restarted "
        "with no traffic, then 10 requests one after another")
    drain(base)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:  # concurrent, so that both workers answer some
        before = list(pool.map(lambda _: fetch(base + path, headers={"Cookie": UNCACHED_COOKIE}, timeout=15)[0], range(8)))
    pg_ctl("stop")
    time.sleep(3)
    pg_ctl("start")
    offset = log_offset(gunicorn_log)
    after_idle = []
    for _ in range(10):
        t = time.monotonic()
        status = fetch(base + path, headers={"Cookie": UNCACHED_COOKIE}, timeout=15)[0]
        after_idle.append((status, 1000 * (time.monotonic() - t)))
    result["idle_restart"] = {"before": before, "after": after_idle,
                              "log_events": worker_events(log_since(gunicorn_log, offset))}
    say("      before: " + " ".join(map(str, before)) + "; after: " + " ".join(f"{s}/{ms:.0f}ms" for s, ms in after_idle))
    return result


# --------------------------------------------------------------------------- report


def ms(us):
    return f"{us / 1000:.1f}"


def print_report(args, report):
    if args.only_counting:
        print_counting(report)
        print_setup(report)
        return
    runs = report["runs"]
    info = report["info"]
    ceiling = next(r for r in runs if r["name"] == "static")["rps"]
    say("")
    say("=" * 100)
    say(f"Khlang load benchmark: nginx -> gunicorn (2 workers, sync) -> PostgreSQL, {info['articles']} live knowledge articles "
        f"({info['pages']} pages)")
    say(f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency --timeout={WRK_TIMEOUT}s through nginx; "
        f"uncached = cookie 'sessionid=x' (both page caches skipped; fragment caches apply), cached = anonymous (nginx's page cache), "
        f"app-cache = cookie 'django_language=th' (the app's page cache); caches warmed first")
    say("")
    labels = {
        "static": "static ceiling (/static/bench-article.html)",
        "home": "KM home /",
        "listing": "listing ?department=klang&type=explicit",
        "article": "article (demo article, see below)",
        "search": f"search ?q={SEARCH_WORD}",
    }
    head = f"{'page':<44} {'mode':<15} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} {'vs static':>9} {'recycles':>8}"
    say(head)
    say("-" * len(head))
    for r in runs:
        mode = r["mode"]
        if r["name"] == "search":
            mode = mode.replace("cached", "anon*").replace("unanon*", "session")
        say(f"{labels[r['name']]:<44} {mode:<15} {r['rps']:>8.1f} {ms(r['p50']):>8} {ms(r['p95']):>8} {ms(r['p99']):>8} "
            f"{r['errors']:>7} {100 * r['rps'] / ceiling:>8.1f}% {r['events']['recycled']:>8}")
    say("-" * len(head))
    say("errors = HTTP status >= 400 + socket errors (connect/read/write) + answers slower than wrk --timeout; vs static = req/s / static ceiling's req/s;")
    say("recycles = gunicorn workers restarted during the run (max_requests and max_requests_jitter in deploy/gunicorn.conf.py);")
    say("* /search is never cached (middleware NEVER list; no X-Accel-Expires for nginx), so its anonymous row is uncached too;")
    say("  search rows: session = cookie sessionid=x (not a login: still an anonymous reader), anon* = no cookie; "
        "engine/... = gunicorn with KHLANG_SEARCH_URL (--engine)")
    article = next((r for r in runs if r["name"] == "article" and r["mode"] == "uncached"), None)
    for r in runs:
        if r["name"] == "search" and article:
            say(f"  search {r['mode']}: {100 * r['rps'] / article['rps']:.0f} % of the uncached article's req/s "
                f"(target >= 40 %), p95 {ms(r['p95'])} ms (target <= 300 ms)")
    say(f"article: {info['article_title']} ({report['article_bytes']} bytes; {info['article_shape']})")
    say(f"listing filter matches {info['listing_matches']} articles (12 per page)")
    for r in runs:
        errs = {k: r[k] for k in ("status", "connect", "read", "write", "timeout") if r[k]}
        if errs:
            say(f"  error detail {r['name']}/{r['mode']}: {errs}")

    say("")
    say(f"CPU during each run, in cores of {os.cpu_count()} (app = gunicorn master+workers, db = PostgreSQL, "
        "others = everything else on this machine)")
    say(f"  {'page':<10} {'mode':<15} {'machine':>7} {'app':>6} {'db':>6} {'nginx':>6} {'wrk':>6} {'others':>7}")
    for r in runs:
        c = r["cpu"]
        say(f"  {r['name']:<10} {r['mode']:<15} {c['machine']:>7.2f} {c['app']:>6.2f} {c['db']:>6.2f} {c['nginx']:>6.2f} "
            f"{c['wrk']:>6.2f} {c['others']:>7.2f}")

    if args.only_search:
        print_setup(report)
        return
    say("")
    say("Targets")
    total_errors = sum(r["errors"] for r in runs)
    art_unc = next(r for r in runs if r["name"] == "article" and r["mode"] == "uncached")
    art_c = next(r for r in runs if r["name"] == "article" and r["mode"] == "cached")
    verdict = "met" if total_errors == 0 else f"NOT met ({total_errors} errors)"
    say(f"  zero errors in the load runs: {verdict}")
    p95 = art_unc["p95"] / 1000
    verdict = "met" if p95 <= TARGET_ARTICLE_P95_MS else f"NOT met, by {p95 - TARGET_ARTICLE_P95_MS:.1f} ms ({p95 / TARGET_ARTICLE_P95_MS:.2f}x)"
    say(f"  uncached article p95 {p95:.1f} ms <= {TARGET_ARTICLE_P95_MS} ms: {verdict}")
    share = art_c["rps"] / ceiling
    verdict = "met" if share >= TARGET_CACHED_SHARE else f"NOT met, short by {100 * (TARGET_CACHED_SHARE - share):.1f} points ({art_c['rps']:.0f} vs {TARGET_CACHED_SHARE * ceiling:.0f} req/s needed)"
    say(f"  cached article {art_c['rps']:.0f} req/s = {100 * share:.1f}% of the static ceiling {ceiling:.0f} req/s (>= 50%): {verdict}")

    if report["extras"]:
        say("")
        say("Supplementary runs (diagnosis only)")
        for r in report["extras"]:
            say(f"  {r['label']:<62} {r['rps']:>8.1f} req/s  p50 {ms(r['p50']):>7}  p95 {ms(r['p95']):>7}  "
                f"p99 {ms(r['p99']):>7} ms  errors {r['errors']}  recycles {r['events']['recycled']}  "
                f"cores app {r['cpu']['app']:.2f} others {r['cpu']['others']:.2f}  vs static {100 * r['rps'] / ceiling:.1f}%")

    print_counting(report)
    res = report["resilience"]
    ev = res["events"]
    t0 = ev["wrk_start"]
    w = res["wrk"]
    say("")
    say("Resilience: PostgreSQL stopped and started during a wrk run on the uncached article")
    say(f"  PostgreSQL stop  +{ev['stop_begin'] - t0:5.1f} s -> stopped +{ev['stop_end'] - t0:5.1f} s; "
        f"start +{ev['start_begin'] - t0:5.1f} s -> accepting connections +{ev['start_end'] - t0:5.1f} s")
    say(f"  wrk: {w['requests']} requests, {w['rps']:.1f} req/s, errors {w['errors']} "
        f"(non-2xx {w['status']}, socket: connect {w['connect']} read {w['read']} write {w['write']} timeout {w['timeout']})")
    say(f"  {'second':>6}  {'t (s)':>6}  {'2xx':>5}  {'5xx':>5}  {'other':>5}  {'probe (status ms)':<40} PostgreSQL")
    seconds = sorted(w["seconds"])
    first = int(t0)
    down_from, up_at = ev["stop_begin"], ev["start_end"]
    late_errors = 0
    last_error_second = None
    probe = res["probe"]
    for sec in range(first, (seconds[-1] if seconds else first) + 1):
        counts = w["seconds"].get(sec, {})
        ok = sum(n for s, n in counts.items() if 200 <= s < 400)
        five = sum(n for s, n in counts.items() if s >= 500)
        other = sum(counts.values()) - ok - five
        if five or other:
            last_error_second = sec
            if sec > int(up_at):  # a whole second after PostgreSQL accepted connections again
                late_errors += five + other
        if sec + 1 <= down_from:
            state = "up"
        elif sec < ev["stop_end"] and sec + 1 > down_from:
            state = "stopping"
        elif sec + 1 <= ev["start_begin"]:
            state = "DOWN"
        elif sec < up_at:
            state = "starting"
        else:
            state = "up"
        probes = " ".join(f"{p[1]}/{p[2]:.0f}" for p in probe if int(p[0]) == sec)[:40]
        say(f"  {sec - first:>6}  {sec - t0:>6.1f}  {ok:>5}  {five:>5}  {other:>5}  {probes:<40} {state}")
    first_ok = next((p for p in probe if p[0] >= up_at and p[1] == 200), None)
    errors_probe = [p for p in probe if p[1] != 200]
    if errors_probe:
        say(f"  probe: {len(errors_probe)} failed requests, first at +{errors_probe[0][0] - t0:.1f} s, "
            f"last at +{errors_probe[-1][0] - t0:.1f} s")
    if first_ok:
        say(f"  probe: first 200 after PostgreSQL was back at +{first_ok[0] - t0:.1f} s "
            f"({first_ok[0] - up_at:.2f} s after it accepted connections)")
    say(f"  errors in whole seconds after PostgreSQL accepted connections again: {late_errors}; "
        f"last second with errors: {'+' + str(last_error_second - first) + ' s' if last_error_second else 'none'}")
    say(f"  request after the run (gunicorn never restarted): uncached HTTP {res['after_status']}, "
        f"cached HTTP {res['after_cached_status']}")
    say(f"  gunicorn log during the run: {res['log_events']}")
    for message, n in sorted(res["db_errors"].items(), key=lambda x: -x[1]):
        say(f"    {n:>5} x {message}")
    idle = res.get("idle_restart")
    if idle:
        failed = sum(1 for status, _ in idle["after"] if status != 200)
        say("  idle restart (stale persistent connections): PostgreSQL restarted while both workers held idle "
            "connections; the next 10 requests: " + " ".join(f"{s}" for s, _ in idle["after"])
            + f" -> {failed} failed; server errors logged: {idle['log_events']['server_errors']}")
    after_up = [p for p in probe if p[0] >= up_at]
    say(f"  probe requests sent after PostgreSQL accepted connections again: {len(after_up)}, "
        f"failed: {sum(1 for p in after_up if p[1] != 200)}")
    say("  (Connection refused / shutting down / starting up = PostgreSQL not available; 'server closed the connection"
        " unexpectedly' / 'terminating connection' = queries in flight when the fast shutdown cut them off, or, if any"
        " appeared after the restart, stale persistent connections)")

    prof = report["profile"]
    say("")
    if "failed" in prof:
        say(f"Profile: FAILED ({prof['failed']})")
        print_setup(report)
        return
    for name, error in prof.get("errors", {}).items():
        say(f"Profile: {name} could not be requested in-process: {error[:300]}")
    say("Profile of uncached requests (in-process django.test.Client, cookie sessionid=x, production settings, idle server;")
    say("  cold = the fragment caches emptied before each request, as right after a publish)")
    say(f"  {'page':<10} {'median ms':>9} {'min ms':>7} {'queries':>7} {'SQL ms':>7} {'cold ms':>8} {'cold queries':>12}")
    for name, p in prof["pages"].items():
        say(f"  {name:<10} {p['median_ms']:>9.1f} {p['min_ms']:>7.1f} {p['queries']:>7} {p['sql_ms']:>7.1f}"
            f" {p['cold_median_ms']:>8.1f} {p['cold_queries']:>12}")
    say("  anonymous (cached) requests in-process: " + "; ".join(
        f"{name} {c['median_ms']:.1f} ms, {c['queries']} queries, X-Khlang-Cache={c['cache']}" for name, c in prof["cached"].items()))
    for name, p in prof["pages"].items():
        if p["repeated"]:
            say(f"  {name}: tables queried more than once:")
            for table, (n, where) in sorted(p["repeated"].items(), key=lambda x: -x[1][0]):
                say(f"      {n:>3}x {table}  e.g. WHERE {where}")
        say(f"  {name}: slowest statements: " + "; ".join(f"{q['ms']:.1f} ms {q['sql'][:110]}" for q in p["slowest"]))
    if "breakdown" not in prof:
        return
    say("  cProfile of 20 uncached article requests, ms per request (parts overlap: SQL runs inside view and templates):")
    for part, value in prof["breakdown"].items():
        say(f"    {value:7.1f}  {part}")
    say("  project functions by cumulative ms per request (calls per request):")
    for ms_, calls, where in prof["project_functions"]:
        say(f"    {ms_:7.1f}  {calls:5.1f}  {where}")
    print_setup(report)


def print_setup(report):
    setup = report["setup"]
    say("")
    say("Set-up times: " + ", ".join(f"{k} {v:.0f}" + (" s" if k != "articles_per_s" else "/s") for k, v in setup.items()))


if __name__ == "__main__":
    main()
