"""Shared helpers for the bench/ scripts: machine facts, the exact command line,
throwaway PostgreSQL and search engine on bench-only ports, worker subprocesses."""

import datetime
import json
import os
import platform
import shlex
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
BENCH = BASE / "bench"

PG_PORT = int(os.environ.get("KHLANG_BENCH_PG_PORT", "15433"))
PG_DATA = os.environ.get("KHLANG_BENCH_PG_DATA", "/tmp/khlang-bench-pg")
ENGINE_PORT = int(os.environ.get("KHLANG_BENCH_ENGINE_PORT", "9260"))


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def command_line():
    exe = os.path.relpath(sys.executable, BASE) if sys.executable.startswith(str(BASE)) else sys.executable
    script = os.path.relpath(os.path.abspath(sys.argv[0]), BASE)
    return " ".join([exe, script, *map(shlex.quote, sys.argv[1:])])


def machine():
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip() or str(os.cpu_count())
    return f"nproc={nproc}, RAM={mem_kb / 1024 / 1024:.1f} GiB, CPU={cpu or platform.processor()}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def versions():
    out = []
    for name in ("django", "wagtail", "modelsearch", "pythainlp", "elasticsearch", "psycopg2", "ir_measures"):
        try:
            from importlib.metadata import version

            dist = {"psycopg2": "psycopg2-binary", "ir_measures": "ir-measures"}.get(name, name)
            out.append(f"{name} {version(dist)}")
        except Exception:
            pass
    return ", ".join(out)


SKIP_DIRS = {".venv", ".git", "bench", "test-output", "media", "static_collected", "node_modules", "__pycache__",
             ".pytest_cache", "target", "data", "run"}


def code_fingerprint():
    """A short hash of the product's source (.py, .yaml, .html, requirements.txt; not bench/),
    with the newest modification time, so a report says which code it measured."""
    import hashlib

    digest = hashlib.sha256()
    newest = 0.0
    count = 0
    for root, dirs, files in os.walk(BASE):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in sorted(files):
            if name.endswith((".py", ".yaml", ".html")) or name == "requirements.txt":
                path = Path(root) / name
                digest.update(str(path.relative_to(BASE)).encode())
                digest.update(path.read_bytes())
                newest = max(newest, path.stat().st_mtime)
                count += 1
    # UTC: django.setup() may change the process time zone (TIME_ZONE) between two calls
    when = datetime.datetime.fromtimestamp(newest, datetime.UTC).isoformat(timespec="seconds")
    return f"{digest.hexdigest()[:12]} ({count} files, newest change {when})"


STARTING_CODE = code_fingerprint()
STARTING_LOAD = os.getloadavg()


def footer(started_at):
    elapsed = time.monotonic() - started_at
    ending_code = code_fingerprint()
    print()
    print(f"command : cd {BASE} && {command_line()}")
    print(f"date    : {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}")
    print(f"machine : {machine()}")
    print("load    : 1/5/15-min load average at start {:.2f}/{:.2f}/{:.2f}, at end {:.2f}/{:.2f}/{:.2f} "
          "(other work on this machine competes for the same cores)".format(*STARTING_LOAD, *os.getloadavg()))
    print(f"versions: {versions()}")
    print(f"code    : {STARTING_CODE}")
    if ending_code != STARTING_CODE:
        print(f"WARNING : the product code changed during the run; now {ending_code}")
    print(f"runtime : {elapsed:.0f} s ({elapsed / 60:.1f} min)")


# services ------------------------------------------------------------------------


def _port_open(port):
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


class Engine:
    """The project's Elasticsearch (search/engine/start.sh) on a bench-only port, throwaway data."""

    def __init__(self, port=ENGINE_PORT):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.started = False

    def healthy(self):
        try:
            with urllib.request.urlopen(f"{self.url}/_cluster/health", timeout=3) as r:
                return json.load(r).get("status") in ("green", "yellow")
        except Exception:
            return False

    def start(self):
        if self.started:
            return self.url
        if self.healthy():
            log(f"engine already running at {self.url}; using it (and leaving it running)")
            return self.url
        env = {**os.environ, "KHLANG_ENGINE_PORT": str(self.port), "KHLANG_ENGINE_DATA": "tmp"}
        log(f"starting engine on port {self.port} ...")
        out = subprocess.run([str(BASE / "search/engine/start.sh")], env=env, capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(f"engine did not start: {out.stderr[-2000:]}")
        self.started = True
        return out.stdout.strip().splitlines()[-1]

    def delete_indices(self, prefix):
        request = urllib.request.Request(f"{self.url}/{prefix}*", method="DELETE")
        try:
            urllib.request.urlopen(request, timeout=30).read()
        except urllib.error.HTTPError as e:
            log(f"could not delete indices {prefix}*: {e}")

    def stop(self):
        if self.started:
            env = {**os.environ, "KHLANG_ENGINE_PORT": str(self.port)}
            subprocess.run([str(BASE / "search/engine/stop.sh")], env=env, capture_output=True, text=True)
            log(f"engine on port {self.port} stopped")


class Postgres:
    """scripts/postgres.sh on a bench-only port and data directory; one fresh database per run."""

    def __init__(self, port=PG_PORT, data=PG_DATA):
        self.port = port
        self.data = data
        self.started = False
        self.databases = []

    def _env(self):
        return {**os.environ, "KHLANG_PG_PORT": str(self.port), "KHLANG_PG_DATA": self.data}

    def start(self):
        if self.started:
            return
        if _port_open(self.port):
            log(f"PostgreSQL already listening on {self.port}; using it (and leaving it running)")
            return
        log(f"starting PostgreSQL on port {self.port} ({self.data}) ...")
        out = subprocess.run([str(BASE / "scripts/postgres.sh"), "start"], env=self._env(), capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(f"PostgreSQL did not start: {out.stderr[-2000:]}")
        self.started = True

    def _admin(self, sql):
        import psycopg2

        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres")
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(sql)
        conn.close()

    def fresh_database(self, name):
        self._admin(f'DROP DATABASE IF EXISTS "{name}"')
        self._admin(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
        self.databases.append(name)
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self):
        for name in self.databases:
            try:
                self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except Exception as e:
                log(f"could not drop {name}: {e}")
        if self.started:
            subprocess.run([str(BASE / "scripts/postgres.sh"), "stop"], env=self._env(), capture_output=True, text=True)
            log(f"PostgreSQL on port {self.port} stopped")


# workers -------------------------------------------------------------------------


def run_worker(script, args, env, timeout=None):
    """Run `script --worker ...` in a fresh interpreter; returns the JSON it writes."""
    with tempfile.TemporaryDirectory(prefix="khlang-bench-") as tmp:
        out = Path(tmp) / "result.json"
        full_env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "KHLANG_SQLITE_PATH": str(Path(tmp) / "db.sqlite3"),
            "KHLANG_MEDIA_ROOT": str(Path(tmp) / "media"),
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        for key in [k for k, v in full_env.items() if v is None]:
            del full_env[key]
        cmd = [sys.executable, str(script), "--worker", "--result", str(out), *args]
        proc = subprocess.run(cmd, env=full_env, cwd=BASE, timeout=timeout)
        if proc.returncode != 0:
            raise RuntimeError(f"worker failed ({proc.returncode}): {' '.join(args)}")
        return json.loads(out.read_text(encoding="utf-8"))


def worker_django_setup(before_setup=None):
    """In a worker: make the project and bench settings importable, optionally patch, then django.setup()."""
    for path in (str(BASE), str(BENCH)):
        if path not in sys.path:
            sys.path.insert(0, path)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_settings")
    if before_setup:
        before_setup()
    import django

    django.setup()


def demo_site_in_sqlite(tmp):
    """In this process: the demo agency in a throwaway SQLite database under tmp (development settings)."""
    import io

    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "khlang.settings.dev",
        "KHLANG_SQLITE_PATH": str(Path(tmp) / "db.sqlite3"),
        "KHLANG_MEDIA_ROOT": str(Path(tmp) / "media"),
        "KHLANG_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    })
    if str(BASE) not in sys.path:
        sys.path.insert(0, str(BASE))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
