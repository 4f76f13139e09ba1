"""bench/load.py's runs for signed-in staff (issue 15), kept apart from its other runs.

  * the tools it needs (wrk, nginx), installed as scripts/test.sh installs its own;
  * a real session of a staff user (the admin's login form, as a browser signs in) and a
    "signed-in" run of the article, home, listing and search with it;
  * the cost of each page right after a publish (every fragment cold) against its warm cost;
  * gunicorn's worker count, class and threads compared on the signed-in article and listing
    (--gunicorn-variants);
  * the summary: each figure as a share of the static ceiling of the same run, the targets,
    the command, the commit and the machine's core count.
"""

import os
import re
import shutil
import statistics
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import benchlib

STAFF_USER = "author.klang"
# the demo staff's password (demo/management/commands/load_demo.py; not imported: Django is not set up here)
DEMO_STAFF_PASSWORD = os.environ.get("KHLANG_DEMO_STAFF_PASSWORD", "khlang-demo-staff")
# shares of the static ceiling's req/s (issue 15)
TARGET_SHARES = {("article", "uncached"): 0.01, ("home", "uncached"): 0.01, ("listing", "uncached"): 0.005,
                 ("article", "cached"): 0.5}
TARGET_COLD = 3
DEFAULT_VARIANTS = "2:sync:1,3:sync:1,2:gthread:4,3:gthread:2"


def ensure_tools(*tools):
    """wrk and nginx from Debian, as scripts/test.sh installs what the tests need (apt-get: root or sudo)."""
    packages = {"wrk": "wrk", "nginx": "nginx"}
    missing = [packages[tool] for tool in tools if not shutil.which(tool) and not os.path.exists(f"/usr/sbin/{tool}")]
    if missing:
        benchlib.log(f"installing {', '.join(missing)} with scripts/system-packages.sh")
        subprocess.run(["bash", str(benchlib.BASE / "scripts" / "system-packages.sh"), *missing], check=True)


def ports_from_environment():
    """KHLANG_LOAD_PORTS=18800-18899: the ports gunicorn and nginx may take (a shared machine)."""
    first, _, last = os.environ.get("KHLANG_LOAD_PORTS", "").partition("-")
    return range(int(first), int(last) + 1) if first and last else None


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def set_cookies(headers):
    """name → value of a response's Set-Cookie headers (read by hand: production marks them Secure,
    which a cookie jar would not send back over this plain-HTTP test stack)."""
    return dict(re.match(r"([^=]+)=([^;]*)", value).groups() for value in headers.get_all("Set-Cookie") or [])


def staff_cookie(base):
    """Sign in as the demo author through the admin's login form; the Cookie header of that session."""
    opener = urllib.request.build_opener(NoRedirect)
    with opener.open(base + "/admin/login/", timeout=30) as response:
        cookies = set_cookies(response.headers)
        form = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode({"username": STAFF_USER, "password": DEMO_STAFF_PASSWORD,
                                   "csrfmiddlewaretoken": token, "next": "/admin/"}).encode()
    request = urllib.request.Request(base + "/admin/login/", data=data, headers={
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), "Referer": base + "/admin/login/"})
    try:
        response = opener.open(request, timeout=30)
    except urllib.error.HTTPError as answer:  # the 302 to /admin/ that signing in answers
        response = answer
    cookies.update(set_cookies(response.headers))
    if not cookies.get("sessionid"):
        raise RuntimeError(f"could not sign in as {STAFF_USER} (HTTP {response.status})")
    return "Cookie: " + "; ".join(f"{name}={value}" for name, value in cookies.items())


def timed_get(url, cookie):
    name, value = cookie.split(": ", 1)
    start = time.perf_counter()
    status, headers, _ = fetch_raw(url, {name: value})
    if status != 200 or headers.get("X-Khlang-Cache") or headers.get("X-Khlang-Edge-Cache") == "HIT":
        raise RuntimeError(f"signed-in {url}: HTTP {status}, cached {headers}")
    return (time.perf_counter() - start) * 1000


def fetch_raw(url, headers):
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        return response.status, dict(response.headers), None


def signed_in_runs(load, base, pages, cookie):
    for path in pages.values():  # each worker's fragments and routes warm
        for _ in range(6):
            timed_get(base + path, cookie)
    for name, path in pages.items():
        load(name, "signed-in", path, headers=[cookie])


def cold_after_publish(base, pages, cookie, manage, rounds=3):
    """Each page's first signed-in request right after a publish (content version bumped: every
    fragment and route cold) against the median of warm ones, on an idle server."""
    publish = ("from knowledge.models import KnowledgeArticle\n"
               "a = KnowledgeArticle.objects.live().order_by('-pk').first()\n"
               "a.save_revision().publish()")
    costs = {name: {"cold": [], "warm": []} for name in pages}
    for _ in range(rounds):
        for name, path in pages.items():
            manage("shell", "--no-imports", "-c", publish)
            costs[name]["cold"].append(timed_get(base + path, cookie))
            for _ in range(2):  # the other worker's cold request
                timed_get(base + path, cookie)
            costs[name]["warm"].extend(timed_get(base + path, cookie) for _ in range(8))
    return {name: {"cold_ms": statistics.median(c["cold"]), "warm_ms": statistics.median(c["warm"])}
            for name, c in costs.items()}


def gunicorn_variants(variants, restart, load, base, pages, cookie):
    """Each "workers:class:threads" variant restarted and loaded with the signed-in article and listing."""
    results = []
    for variant in variants.split(","):
        workers, worker_class, threads = variant.split(":")
        restart({"KHLANG_WORKERS": workers, "KHLANG_WORKER_CLASS": worker_class, "KHLANG_THREADS": threads})
        signed_in_runs(lambda *a, **k: None, base, pages, cookie)  # warm only
        for name in ("article", "listing"):
            load(name, f"signed-in/{variant}", pages[name], headers=[cookie])
            results.append({"variant": variant, "name": name})
    return results


def commit():
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=benchlib.BASE, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=benchlib.BASE,
                           capture_output=True, text=True).stdout.strip()
    return result.stdout.strip() + (" (with uncommitted changes)" if dirty else "")


def server_cpu_ms(run):
    cpu = run.get("cpu") or {}
    return 1000 * sum(cpu.get(part, 0) for part in ("app", "db", "nginx")) / run["rps"] if run["rps"] else 0


def print_ratios(report):
    """Every run as a share of the static ceiling of the same run, with issue 15's targets."""
    runs = report["runs"]
    ceiling = next(r for r in runs if r["name"] == "static")["rps"]
    say = benchlib.log
    say("")
    say("=" * 100)
    say(f"Shares of the static ceiling ({ceiling:,.0f} req/s in this run), issue 15's targets; "
        f"commit {commit()}, {os.cpu_count()} cores")
    say("share = req/s / the static ceiling's req/s; server CPU = the CPU that gunicorn, PostgreSQL and nginx spent "
        "per request (from /proc, so other work on the machine does not inflate it)")
    say(f"{'page':<10} {'mode':<24} {'req/s':>9} {'p95 ms':>8} {'share':>8} {'server CPU ms':>14} {'target':>8}")
    for r in runs:
        target = TARGET_SHARES.get((r["name"], r["mode"]))
        share = r["rps"] / ceiling
        verdict = "" if target is None else f"{target:>7.1%} {'met' if share >= target else 'MISSED'}"
        say(f"{r['name']:<10} {r['mode']:<24} {r['rps']:>9.1f} {r['p95'] / 1000:>8.1f} {share:>8.2%} "
            f"{server_cpu_ms(r):>14.2f} {verdict}")
    for name, c in report.get("cold_after_publish", {}).items():
        ratio = c["cold_ms"] / c["warm_ms"]
        say(f"signed-in {name:<8} right after a publish {c['cold_ms']:7.1f} ms, warm {c['warm_ms']:6.1f} ms: "
            f"{ratio:.1f}x (target <= {TARGET_COLD}x: {'met' if ratio <= TARGET_COLD else 'MISSED'})")
    if report.get("staff_failed"):
        say(f"signed-in runs FAILED: {report['staff_failed']}")
    say(f"command: cd {benchlib.BASE} && {benchlib.command_line()}")


if __name__ == "__main__":  # print the summary again from a run's saved report
    import json
    import sys

    print_ratios(json.loads(open(sys.argv[1] if len(sys.argv) > 1 else "/tmp/khlang-load-logs/report.json").read()))
