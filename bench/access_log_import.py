"""Access-log import speed: `import_access_log` on a generated nginx log (target: 1 000 000 lines ≤ 60 s).

    .venv/bin/python bench/access_log_import.py [--lines 1000000]

Runs in a throwaway SQLite database with the demo site. The log is in deploy/nginx.conf.template's
khlang_cache format: 70 % cache hits on the demo's pages (Thai paths, percent-encoded, some with a
query string), 12 % misses and bypasses (counted by the app, not here), 5 % crawlers, 4 % static
files and images, 3 % not found, 2 % search and API, 2 % HEAD, 1 % POST to the admin, 1 % malformed;
40 browser user agents, a day of timestamps. Printed beside it, measured in the same run, the
baseline: reading the same file and splitting every line into fields (no counting, no database),
the least any importer has to do. Then the same import again (must add nothing).
"""

import argparse
import io
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, unquote

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE / "bench"))

import benchlib  # noqa: E402

SEED = 2569

BROWSERS = [
    f"Mozilla/5.0 (Linux; Android {a}; SM-A{m}F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{c}.0 Mobile Safari/537.36"
    for a, m, c in [(11, 125, 118), (12, 135, 120), (13, 145, 122), (14, 155, 124), (13, 245, 123)]
] + [
    f"Mozilla/5.0 (iPhone; CPU iPhone OS {v}_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{v}.0 Mobile/15E148 Safari/604.1"
    for v in (15, 16, 17, 18)
] + [
    f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{c}.0.0.0 Safari/537.36"
    for c in range(100, 131)
]
BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "curl/8.5.0", "-",
]
MONTH = "Dec"


def make_log(path, lines, page_urls, rng):
    def when(i):
        seconds = i * 86400 // lines
        return f"01/{MONTH}/2026:{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d} +0700"

    def entry(i, method, target, status, agent, cache):
        address = f"203.0.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        return (f'{address} - - [{when(i)}] "{method} {target} HTTP/1.1" {status} {rng.randint(2000, 90000)} '
                f'"-" "{agent}" "{cache}"\n')

    with open(path, "w", encoding="ascii") as log:
        buffer = []
        for i in range(lines):
            r = rng.random()
            page = rng.choice(page_urls)
            if r < 0.70:
                target = page + (f"?page={rng.randint(2, 4)}" if rng.random() < 0.05 else "")
                buffer.append(entry(i, "GET", target, 200, rng.choice(BROWSERS), rng.choice(["HIT"] * 18 + ["STALE", "UPDATING"])))
            elif r < 0.82:
                buffer.append(entry(i, "GET", page, 200, rng.choice(BROWSERS), rng.choice(["MISS", "BYPASS", "EXPIRED"])))
            elif r < 0.87:
                buffer.append(entry(i, "GET", page, 200, rng.choice(BOTS), "HIT"))
            elif r < 0.91:
                buffer.append(entry(i, "GET", rng.choice(["/static/css/khlang.4f1c2a.css", "/media/images/a.width-400.webp"]),
                                    200, rng.choice(BROWSERS), "-"))
            elif r < 0.94:
                buffer.append(entry(i, "GET", page + "missing/", 404, rng.choice(BROWSERS), "MISS"))
            elif r < 0.96:
                buffer.append(entry(i, "GET", "/search/?q=%E0%B8%A0%E0%B8%B2%E0%B8%A9%E0%B8%B5", 200, rng.choice(BROWSERS), "-"))
            elif r < 0.98:
                buffer.append(entry(i, "HEAD", page, 200, rng.choice(BROWSERS), "HIT"))
            elif r < 0.99:
                buffer.append(entry(i, "POST", "/admin/login/", 302, rng.choice(BROWSERS), "-"))
            else:
                buffer.append(rng.choice(["\\x16\\x03\\x01 garbage\n", "203.0.113.9 - - [bad date] \"GET / HTTP/1.1\" 200\n"]))
            if len(buffer) >= 10000:
                log.write("".join(buffer))
                buffer.clear()
        log.write("".join(buffer))


def baseline(path):
    """Read the file and split each line into fields: the floor under any importer."""
    fields = 0
    with open(path, "rb") as log:
        for line in log:
            fields += len(line.split(b'"'))
    return fields


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="khlang-log-bench-") as tmp:
        tmp = Path(tmp)
        benchlib.demo_site_in_sqlite(tmp)
        from django.core.management import call_command
        from wagtail.models import Page

        from readership.models import PageReadCount

        pages = [quote(unquote(p.url)) for p in Page.objects.live().filter(depth__gte=2).specific() if p.url]
        log = tmp / "access.log"
        t = time.perf_counter()
        make_log(log, args.lines, pages, random.Random(SEED))
        made = time.perf_counter() - t
        size = log.stat().st_size

        t = time.perf_counter()
        baseline(log)
        base_s = time.perf_counter() - t

        out = io.StringIO()
        t = time.perf_counter()
        call_command("import_access_log", str(log), stdout=out)
        import_s = time.perf_counter() - t
        summary = out.getvalue().strip()
        counted = sum(PageReadCount.objects.values_list("count", flat=True))

        out2 = io.StringIO()
        t = time.perf_counter()
        call_command("import_access_log", str(log), stdout=out2)
        again_s = time.perf_counter() - t
        counted_again = sum(PageReadCount.objects.values_list("count", flat=True))

    print(f"log       : {args.lines} lines, {size / 1e6:.1f} MB, {len(pages)} distinct pages (generated in {made:.1f} s)")
    print(f"baseline  : {base_s:.2f} s  (read the file and split every line into fields)")
    print(f"import    : {import_s:.2f} s  = {args.lines / import_s:,.0f} lines/s, {import_s / base_s:.1f}x the baseline; target <= 60 s: "
          f"{'met' if import_s <= 60 else 'NOT met'}")
    print(f"result    : {summary}")
    print(f"again     : {again_s:.2f} s, reads in the database {counted} before and {counted_again} after (must not change)")
    benchlib.footer(started)


if __name__ == "__main__":
    main()
