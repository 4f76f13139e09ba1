"""Server-side search latency and index build throughput at 1 000 and 10 000 articles.

    .venv/bin/python bench/search_latency.py                          # --pages 1000,10000 --backends sqlite,engine,pg
    .venv/bin/python bench/search_latency.py --pages 1000 --backends sqlite

For each backend and size, a fresh subprocess with a fresh database:
  1. migrate + load_demo (53 searchable demo pages), then N synthetic knowledge articles
     under the KnowledgeIndexPage, made of Thai sentences, steps and headings recombined
     from demo/content/*.yaml with random numbers (Thai or Arabic digits) and unique
     titles; search auto-update is off while creating (AUTO_UPDATE=False on every backend).
  2. `manage.py update_index --backend default` is timed: build throughput = indexed
     pages / s (the engine run indexes only the engine; its pages live in SQLite, copied
     from the SQLite run of the same size).
  3. 5 rounds of 20 warm-up queries (other words: they settle a freshly started engine's JIT),
     then 50 queries (single words, compounds, spaced phrases,
     questions, Thai and Arabic digits, English terms), each timed with time.perf_counter
     around search.service.search({"q": q}) in-process (backend ranking, facets,
     pagination, snippets, promotions: everything but template rendering); the share spent
     in the backend (service.ranked_ids), facets and snippets is measured by wrapping
     those functions. Then one timed run of search.service.suggest per prefix, and a
     cProfile of the slowest query.

Backends: sqlite (search.backends.database on SQLite), pg (same on PostgreSQL, via
scripts/postgres.sh on port 15433), engine (search.backends.engine, Elasticsearch 7.10.2
via search/engine/start.sh on port 9260, throwaway data).
Targets at 10 000 pages: p95 <= 50 ms on the engine, <= 150 ms on the database backends.
"""

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402

SEED = 20261121
TARGETS_MS = {"engine": 50, "sqlite": 150, "pg": 150}
LABELS = {"sqlite": "database/SQLite", "pg": "database/PostgreSQL", "engine": "engine/ES 7.10.2"}

# Different words from QUERIES: they warm the engine's JIT and the caches without answering for them.
WARMUP = ["บริการ", "ความรู้", "e-Saraban", "๒๕๖๗", "เยี่ยมบ้าน", "ประชาชน", "งบประมาณ", "โครงการ", "อาสาสมัคร",
          "ชุมชน", "เอกสาร", "ตรวจสอบ", "ป้าย", "เบิกจ่าย", "ครุภัณฑ์", "ไข้เลือดออก", "หนังสือราชการ", "รถดับเพลิง",
          "แผนพัฒนา", "2566"]
QUERIES = [
    # single words
    "ภาษี", "ผู้สูงอายุ", "ขยะ", "ถนน", "เด็ก", "ฎีกา", "คลอรีน", "ยุงลาย", "ประปา", "อุทกภัย",
    "พัสดุ", "ใบอนุญาต", "ร้องเรียน", "สารบรรณ", "นิทาน",
    # Thai compounds, spaced phrases and questions
    "ภาษีที่ดินและสิ่งปลูกสร้าง", "เบี้ยยังชีพผู้สูงอายุ", "ศูนย์พัฒนาเด็กเล็ก", "ผู้สูงอายุติดเตียง", "จัดซื้อจัดจ้าง",
    "คัดแยกขยะ", "ขออนุญาตก่อสร้าง", "ไฟป่าหน้าแล้ง", "ภาษี ค้างชำระ", "น้ำท่วม ถุงยังชีพ",
    "ซ่อม ถนนลูกรัง", "แจ้งซ่อม ไฟฟ้าสาธารณะ", "ผู้ดูแล หมดไฟ",
    "ขอรับเบี้ยยังชีพผู้สูงอายุต้องใช้เอกสารอะไรบ้าง", "ไฟไหม้หญ้าควรดับอย่างไร",
    # digits
    "ร้องเรียน ๑๕ วัน", "ร้องเรียน 15 วัน", "หมู่ที่ ๗", "หมู่ที่ 7", "ปีงบประมาณ ๒๕๖๘",
    "ปีงบประมาณ 2568", "๓๐ นาที", "30 นาที", "หลัก 3-2-1", "500,000 บาท",
    # English / technical
    "e-GP", "LTAX3000", "AAR", "QR Code", "LINE OA", "Peer Assist", "e-LAAS", "One Stop Service",
    "Google Drive", "NAS",
]
SUGGEST = ["ภาษีที่", "ผู้สูง", "e-G"]
WARMUP_ROUNDS = 5
assert len(QUERIES) == 50 and len(WARMUP) == 20 and not set(WARMUP) & set(QUERIES)


# synthetic Thai articles -------------------------------------------------------------


def text_pools():
    """Sentences, steps, headings, titles and tags from the demo YAML."""
    import yaml

    content = benchlib.BASE / "demo" / "content"
    load = lambda name: yaml.safe_load((content / name).read_text(encoding="utf-8"))  # noqa: E731
    pools = {"titles": [], "summaries": [], "paragraphs": [], "steps": [], "headings": [], "tags": set()}

    def add_text(kind, value):
        for paragraph in str(value).split("\n\n"):
            paragraph = " ".join(paragraph.split())
            if paragraph:
                pools[kind].append(paragraph)

    for a in load("articles.yaml"):
        pools["titles"].append(a["title"])
        add_text("summaries", a["summary"])
        pools["tags"].update(map(str, a.get("tags", [])))
        for block in a["body"]:
            (kind, value), = block.items()
            if kind == "heading":
                pools["headings"].append(value)
            elif kind == "paragraph":
                add_text("paragraphs", value)
            elif kind == "steps":
                pools["steps"] += [str(s) for s in value]
            elif kind == "callout":
                add_text("paragraphs", value["text"])
    for b in load("best_practices.yaml"):
        pools["titles"].append(b["title"])
        add_text("summaries", b["summary"])
        pools["tags"].update(map(str, b.get("tags", [])))
        for key in ("background", "lessons", "obstacles", "reuse"):
            add_text("paragraphs", b.get(key, ""))
        pools["steps"] += [str(s) for s in b["method"]]
    for c in load("communities.yaml"):
        add_text("summaries", c["summary"])
        for d in c["dialogues"]:
            pools["titles"].append(d["title"])
            add_text("summaries", d["summary"])
            pools["steps"] += [str(s) for s in d.get("lessons", [])]
            for asset in d.get("assets", []):
                add_text("paragraphs", asset["description"])
    pools["tags"] = sorted(pools["tags"])
    # Thai sentences are separated by spaces: recombine them across documents.
    pools["sentences"] = [s for p in pools["paragraphs"] + pools["summaries"] for s in p.split(" ") if len(s) > 12]
    return pools


UNITS = ["ราย", "ครัวเรือน", "วัน", "บาท", "เมตร", "ชุด", "หมู่บ้าน", "ครั้ง", "นาที", "เรื่อง"]


def number_phrase(rng):
    from thai.digits import to_thai_digits

    n = str(rng.choice([rng.randint(2, 60), rng.randint(100, 9999), rng.randint(2560, 2570)]))
    if rng.random() < 0.5:
        n = to_thai_digits(n)
    return f"จำนวน {n} {rng.choice(UNITS)}"


def sentence_run(rng, pools, lo, hi):
    parts = rng.sample(pools["sentences"], rng.randint(lo, hi))
    if rng.random() < 0.7:
        parts.insert(rng.randrange(len(parts) + 1), number_phrase(rng))
    return " ".join(parts)


def synthetic_article(rng, pools, i):
    from thai.digits import to_thai_digits

    number = str(i + 1)
    title = f"{rng.choice(pools['titles'])} กรณีที่ {to_thai_digits(number) if i % 2 else number}"
    body = [
        {"heading": rng.choice(pools["headings"])},
        {"paragraph": sentence_run(rng, pools, 4, 8) + "\n\n" + sentence_run(rng, pools, 3, 6)},
        {"steps": rng.sample(pools["steps"], rng.randint(3, 6))},
        {"heading": rng.choice(pools["headings"])},
        {"paragraph": sentence_run(rng, pools, 4, 8)},
    ]
    if rng.random() < 0.5:
        body.append({"callout": {"kind": rng.choice(["tip", "warning", "note"]), "text": sentence_run(rng, pools, 2, 4)}})
    return {
        "title": title,
        "summary": sentence_run(rng, pools, 2, 3)[:480],
        "body": body,
        "tags": rng.sample(pools["tags"], rng.randint(1, 3)),
    }


def create_articles(n, progress_every=500):
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from demo.management.commands.load_demo import body_blocks
    from knowledge.models import Department, KnowledgeArticle, KnowledgeCategory, KnowledgeIndexPage

    rng = random.Random(SEED)
    pools = text_pools()
    library = KnowledgeIndexPage.objects.get()
    departments = list(Department.objects.all())
    categories = list(KnowledgeCategory.objects.all())
    start = time.perf_counter()
    done = 0
    while done < n:
        with transaction.atomic():
            for i in range(done, min(n, done + progress_every)):
                data = synthetic_article(rng, pools, i)
                date = datetime.date(2022, 1, 1) + datetime.timedelta(days=rng.randint(0, 4 * 365))
                page = KnowledgeArticle(
                    title=data["title"],
                    summary=data["summary"],
                    knowledge_type=rng.choice([KnowledgeArticle.TACIT, KnowledgeArticle.EXPLICIT]),
                    category=rng.choice(categories),
                    department=rng.choice(departments),
                    date=date,
                    next_review_date=date + datetime.timedelta(days=730),
                    body=body_blocks(data["body"]),
                    first_published_at=timezone.now(),
                )
                page.tags.add(*data["tags"])
                library.add_child(instance=page)
        done = min(n, done + progress_every)
        rate = done / (time.perf_counter() - start)
        benchlib.log(f"    created {done}/{n} articles ({rate:.0f} pages/s)")
    return time.perf_counter() - start


# worker --------------------------------------------------------------------------------


def percentile(values, p):
    values = sorted(values)
    if not values:
        return 0.0
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def worker(backend, pages, save_db, load_db, result_path):
    if load_db:
        shutil.copyfile(load_db, os.environ["KHLANG_SQLITE_PATH"])
    benchlib.worker_django_setup()

    import cProfile
    import io
    import pstats

    from django.core.management import call_command
    from django.db import connection
    from wagtail.models import Page

    from search import service

    devnull = open(os.devnull, "w")
    result = {"backend": backend, "pages": pages, "vendor": connection.vendor}
    t0 = time.perf_counter()
    if not load_db:
        call_command("migrate", verbosity=0, stdout=devnull)
        call_command("load_demo", verbosity=0, stdout=devnull)
        benchlib.log(f"    migrate + load_demo: {time.perf_counter() - t0:.0f} s")
        result["create_s"] = create_articles(pages)
        result["create_pages_per_s"] = pages / result["create_s"]
        if save_db:
            connection.close()
            shutil.copyfile(os.environ["KHLANG_SQLITE_PATH"], save_db)
    result["total_pages"] = Page.objects.count()
    result["searchable_pages"] = service.visible_pages().count()

    benchlib.log(f"    update_index --backend default ({result['total_pages']} pages) ...")
    t = time.perf_counter()
    call_command("update_index", backend_name="default", verbosity=0, stdout=devnull)
    result["index_s"] = time.perf_counter() - t
    result["index_pages_per_s"] = result["total_pages"] / result["index_s"]
    if backend == "engine":
        from wagtail.search.backends import get_search_backend

        get_search_backend("default").refresh_indexes()
    benchlib.log(f"    indexed in {result['index_s']:.1f} s ({result['index_pages_per_s']:.0f} pages/s)")

    # where the time goes: wrap the service's parts (module globals that search() calls)
    parts = {}

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                parts[name] = parts.get(name, 0.0) + time.perf_counter() - t
        return wrapper

    for name in ("ranked_ids", "facet_counts", "filter_ids", "snippet", "promoted_pages"):
        setattr(service, name, timed(name, getattr(service, name)))

    for _ in range(WARMUP_ROUNDS):  # a freshly started engine's JIT needs ~100 queries to settle
        for q in WARMUP:
            service.search({"q": q})
    timings = []
    for q in QUERIES:
        parts.clear()
        cpu = time.process_time()
        t = time.perf_counter()
        outcome = service.search({"q": q})
        ms = 1000 * (time.perf_counter() - t)
        cpu_ms = 1000 * (time.process_time() - cpu)
        timings.append({
            "q": q, "ms": ms, "cpu_ms": cpu_ms, "total": outcome.total, "fallback": outcome.fallback, "relaxed": outcome.relaxed,
            "parts_ms": {k: 1000 * v for k, v in parts.items()},
        })
    result["queries"] = timings

    # The same queries for a signed-in member of staff (who may also find staff-only items):
    # each query alternately anonymous and signed in, so both see the same machine load.
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.get(username="author.klang")
    result["audiences"] = {"anonymous": [], "signed_in": []}
    for q in QUERIES:
        for audience, user in (("anonymous", None), ("signed_in", staff)):
            t = time.perf_counter()
            service.search({"q": q}, user)
            result["audiences"][audience].append(1000 * (time.perf_counter() - t))

    result["suggest"] = []
    for prefix in SUGGEST:
        t = time.perf_counter()
        titles, fallback = service.suggest(prefix)
        result["suggest"].append({"q": prefix, "ms": 1000 * (time.perf_counter() - t), "n": len(titles), "fallback": fallback})

    slowest = max(timings, key=lambda r: r["ms"])
    profiler = cProfile.Profile()
    profiler.enable()
    service.search({"q": slowest["q"]})
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(18)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    result["profile"] = {"q": slowest["q"], "lines": lines[:3] + lines[start:]}
    Path(result_path).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


# main ----------------------------------------------------------------------------------


def summarize(r):
    ms = [q["ms"] for q in r["queries"]]
    backend_ms = [q["parts_ms"].get("ranked_ids", 0.0) for q in r["queries"]]
    return {
        "p50": percentile(ms, 50), "p95": percentile(ms, 95), "max": max(ms),
        "b50": percentile(backend_ms, 50), "b95": percentile(backend_ms, 95),
        "c95": percentile([q["cpu_ms"] for q in r["queries"]], 95),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", default="1000,10000", help="comma-separated numbers of synthetic articles")
    parser.add_argument("--backends", default="sqlite,engine,pg", help="comma-separated subset of sqlite,engine,pg")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds allowed per backend and size")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--backend", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--save-db", help=argparse.SUPPRESS)
    parser.add_argument("--load-db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.backend, args.n, args.save_db, args.load_db, args.result)

    started = time.monotonic()
    sizes = [int(n) for n in args.pages.split(",") if n.strip()]
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if set(backends) - set(LABELS):
        parser.error(f"unknown backends {set(backends) - set(LABELS)}")
    # the engine reads pages from SQLite: create them once, in the SQLite run, when both run
    order = [b for b in ("sqlite", "engine", "pg") if b in backends]

    engine = benchlib.Engine() if "engine" in backends else None
    pg = benchlib.Postgres() if "pg" in backends else None
    prefix = f"benchlat_{uuid.uuid4().hex[:6]}_"
    seeds = tempfile.mkdtemp(prefix="khlang-bench-seed-")
    results = []
    try:
        for n in sizes:
            seed = os.path.join(seeds, f"pages-{n}.sqlite3")
            for backend in order:
                env = {"DATABASE_URL": None, "KHLANG_SEARCH_URL": None, "KHLANG_BENCH_SEARCH_BACKENDS": None,
                       "KHLANG_BENCH_AUTO_UPDATE": "0"}
                extra = ["--backend", backend, "--n", str(n)]
                if backend == "sqlite" and "engine" in order:
                    extra += ["--save-db", seed]
                if backend == "engine":
                    env["KHLANG_SEARCH_URL"] = engine.start()
                    env["KHLANG_SEARCH_INDEX_PREFIX"] = prefix
                    if os.path.exists(seed):
                        extra += ["--load-db", seed]
                if backend == "pg":
                    pg.start()
                    env["DATABASE_URL"] = pg.fresh_database(f"khlang_bench_latency_{n}_{os.getpid()}")
                benchlib.log(f"[{backend} / {n} pages] fresh database ...")
                t = time.monotonic()
                results.append(benchlib.run_worker(__file__, extra, env, timeout=args.timeout))
                benchlib.log(f"[{backend} / {n} pages] done in {time.monotonic() - t:.0f} s")
                if backend == "engine":
                    engine.delete_indices(prefix)
            if os.path.exists(seed):
                os.remove(seed)
    finally:
        shutil.rmtree(seeds, ignore_errors=True)
        if engine:
            engine.delete_indices(prefix)
            engine.stop()
        if pg:
            pg.stop()

    print("Search latency (server-side, in-process search.service.search; 50 queries after 5 x 20 warm-ups)")
    print()
    head = (f"{'backend':<20} {'pages':>6} {'total':>6} {'create/s':>9} {'build/s':>8} {'build s':>8} "
            f"{'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'backend p50':>11} {'backend p95':>11} {'cpu p95':>8} {'suggest ms':>14}")
    print(head)
    print("-" * len(head))
    for r in results:
        s = summarize(r)
        create = f"{r['create_pages_per_s']:.0f}" if "create_pages_per_s" in r else "(copy)"
        suggest = "/".join(f"{x['ms']:.0f}" for x in r["suggest"])
        print(f"{LABELS[r['backend']]:<20} {r['pages']:>6} {r['total_pages']:>6} {create:>9} {r['index_pages_per_s']:>8.0f} "
              f"{r['index_s']:>8.1f} {s['p50']:>7.1f} {s['p95']:>7.1f} {s['max']:>7.1f} {s['b50']:>11.1f} {s['b95']:>11.1f} {s['c95']:>8.1f} {suggest:>14}")
    print()
    print("Signed-in readers (search.service.search(params, user): also staff-only items), the same 50 queries,")
    print("each run anonymous then signed in, alternately:")
    print(f"{'backend':<20} {'pages':>6} {'anon p50':>9} {'anon p95':>9} {'staff p50':>10} {'staff p95':>10} {'p95 ratio':>10}")
    for r in results:
        anon, signed = r["audiences"]["anonymous"], r["audiences"]["signed_in"]
        print(f"{LABELS[r['backend']]:<20} {r['pages']:>6} {percentile(anon, 50):>9.1f} {percentile(anon, 95):>9.1f} "
              f"{percentile(signed, 50):>10.1f} {percentile(signed, 95):>10.1f} {percentile(signed, 95) / percentile(anon, 95):>10.2f}")
    print()
    print("pages = synthetic articles; total = all pages in the tree (incl. 53 searchable demo pages and index pages);")
    print("create/s = synthetic pages created per second (auto-update off); build/s = pages indexed per second by")
    print("update_index --backend default; backend p50/p95 = time inside service.ranked_ids (the search backend call,")
    print("the ids of at most MAX_HITS=300 hits); cpu p95 = CPU time of this Python process (SQLite runs")
    print("in-process; PostgreSQL and the engine work in their own processes); suggest = one run each of search.service.suggest for "
          + ", ".join(repr(p) for p in SUGGEST) + ".")

    print()
    print("Targets at 10 000 pages")
    for r in results:
        if r["pages"] != 10000:
            continue
        s = summarize(r)
        target = TARGETS_MS[r["backend"]]
        verdict = "met" if s["p95"] <= target else f"MISSED by {s['p95'] - target:.1f} ms ({s['p95'] / target:.1f}x)"
        print(f"  {LABELS[r['backend']]:<20} p95 {s['p95']:.1f} ms vs target {target} ms -> {verdict}")
        fb = [q["q"] for q in r["queries"] if q["fallback"]]
        if r["backend"] == "engine":
            print(f"  {'':<20} queries answered by the database fallback: {len(fb)} {fb if fb else ''}")

    for r in results:
        s = summarize(r)
        print()
        print(f"[{LABELS[r['backend']]} / {r['pages']} pages] slowest queries (ms total = backend + facets + snippets + rest; hits)")
        for q in sorted(r["queries"], key=lambda q: -q["ms"])[:6]:
            p = q["parts_ms"]
            facets = p.get("facet_counts", 0) + p.get("filter_ids", 0)
            rest = q["ms"] - p.get("ranked_ids", 0) - facets - p.get("snippet", 0)
            print(f"    {q['ms']:7.1f} = {p.get('ranked_ids', 0):6.1f} + {facets:6.1f} + {p.get('snippet', 0):6.1f} + {rest:5.1f}"
                  f"  hits={q['total']:<5} {'relaxed ' if q['relaxed'] else ''}{q['q']}")
        if r["pages"] == max(sizes):
            print(f"  cProfile of the slowest query {r['profile']['q']!r} (cumulative):")
            for line in r["profile"]["lines"]:
                print("    " + line[:150])
    benchlib.footer(started)


if __name__ == "__main__":
    main()
