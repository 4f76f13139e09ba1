"""In-process cost of varied searches (bench/load.py's "varied" row), one at a time, on a kept load database.

    DATABASE_URL=postgres://postgres@127.0.0.1:15462/khlang_load .venv/bin/python bench/search_varied.py
    ... --engine http://127.0.0.1:9412          # the engine (indexed by bench/load.py --engine, prefix khlang_load_)
    ... --profile 20                            # cProfile of 20 searches, the project's costliest functions

Each search is a distinct query (bench/search_queries.yaml's queries alone, then pairs, as the load's Lua
script asks them), anonymous, through django.test.Client on /search/: no answer is cached yet, so every
request plans, ranks, counts facets and builds snippets (what depends only on the content version stays kept). Prints the median and 90th percentile
wall time, SQL time and statements per search, and the slowest statement shapes. Production settings; the
machine is shared, so absolute times are noisy: compare runs made one after the other.
"""

import argparse
import os
import re
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))


def queries(n):
    import yaml

    typed = list(dict.fromkeys(q["q"] for q in yaml.safe_load((BENCH / "search_queries.yaml").read_text("utf-8"))))
    pairs = [f"{a} {b}" for a in typed for b in typed if a != b]
    every = typed + pairs[:: max(1, len(pairs) // n)]
    return every[:n]


def children(parent):
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            found.append(int(stat.parent.name))
    return found


def servers(args):
    """{name: function giving the pids now} of the servers whose CPU is counted."""
    found = {}
    if args.pg_data:
        postmaster = int(Path(args.pg_data, "postmaster.pid").read_text().split()[0])
        found["PostgreSQL"] = lambda: [postmaster, *children(postmaster)]
    if args.engine_pid:
        found["engine"] = lambda: [args.engine_pid]
    return found


def cpu_ms(pids):
    """CPU (user + system, and of their ended children: PostgreSQL's parallel workers) of the processes, in ms."""
    total = 0
    for pid in pids():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return 1000 * total / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--searches", type=int, default=60)
    parser.add_argument("--engine", metavar="URL")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile N more searches")
    parser.add_argument("--pg-data", metavar="DIR",
                        help="the PostgreSQL server's data folder: its CPU per search (every backend and parallel worker)")
    parser.add_argument("--engine-pid", type=int, metavar="PID", help="the engine's process: its CPU per search")
    args = parser.parse_args()
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("KHLANG_SSL_REDIRECT", "0")
    os.environ.setdefault("KHLANG_READS_BUFFER_SECONDS", "0")
    if args.engine:
        os.environ.update(KHLANG_SEARCH_URL=args.engine, KHLANG_SEARCH_INDEX_PREFIX="khlang_load_")
    os.environ["DJANGO_SETTINGS_MODULE"] = "khlang.settings.production"
    import warnings

    import django

    django.setup()
    warnings.simplefilter("ignore")
    import logging

    logging.getLogger("opensearch").setLevel(logging.WARNING)  # not a line per request
    logging.getLogger("elastic_transport").setLevel(logging.WARNING)
    from django.conf import settings
    from django.test.utils import override_settings

    # no collectstatic here: static URLs unhashed (the page is rendered the same otherwise)
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": static}).enable()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    asked = queries(args.searches + args.profile + 3)

    def get(q):
        response = client.get("/search/?q=" + urllib.parse.quote(q))
        assert response.status_code == 200, (q, response.status_code)

    for q in asked[:3]:  # warm: dictionaries, spelling vocabulary, connections
        get(q)
    times, sql, counts, shapes = [], [], [], {}
    cpu_before = {name: cpu_ms(pids) for name, pids in servers(args).items()}
    for q in asked[3: 3 + args.searches]:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            get(q)
            times.append(1000 * (time.perf_counter() - started))
        sql.append(1000 * sum(float(c["time"]) for c in captured.captured_queries))
        counts.append(len(captured.captured_queries))
        for c in captured.captured_queries:
            text = re.sub(r"\s+", " ", c["sql"])
            key = re.sub(r"'[^']*'|\b\d+\b", "?", text)[:150]
            n, ms = shapes.get(key, (0, 0.0))
            shapes[key] = (n + 1, ms + 1000 * float(c["time"]))
    n = len(times)
    server_cpu = {name: (cpu_ms(pids) - cpu_before[name]) / n for name, pids in servers(args).items()}

    def p90(values):
        return sorted(values)[int(0.9 * (len(values) - 1))]

    print(f"{n} varied searches on {'the engine ' + args.engine if args.engine else connection.vendor}, "
          f"each asked once")
    print(f"  wall ms: median {statistics.median(times):.1f}, p90 {p90(times):.1f}")
    print(f"  SQL ms:  median {statistics.median(sql):.1f}, p90 {p90(sql):.1f}; "
          f"statements: median {statistics.median(counts):.0f}")
    for name, ms in server_cpu.items():
        print(f"  {name} CPU ms per search: {ms:.1f}")
    print("  statement shapes by SQL time per search:")
    for key, (count, ms) in sorted(shapes.items(), key=lambda item: -item[1][1])[:8]:
        print(f"    {ms / n:6.1f} ms  {count / n:4.1f}x  {key}")
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for q in asked[3 + args.searches:]:
            get(q)
        profiler.disable()
        stats = pstats.Stats(profiler)
        rows = []
        root = str(BENCH.parent)
        for (filename, line, func), v in stats.stats.items():
            if filename.startswith(root) and "/.venv/" not in filename and "/bench/" not in filename:
                rows.append((1000 * v[3] / args.profile, 1000 * v[2] / args.profile,
                             f"{os.path.relpath(filename, root)}:{line}({func})"))
        print(f"  project functions, cumulative / own ms per search ({args.profile} searches):")
        for cumulative, own, name in sorted(rows, reverse=True)[:25]:
            print(f"    {cumulative:7.1f} {own:6.1f}  {name}")
        stats.sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
