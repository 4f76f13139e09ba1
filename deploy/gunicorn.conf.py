"""gunicorn settings for Khlang: `gunicorn -c deploy/gunicorn.conf.py khlang.wsgi`."""

import multiprocessing
import os

bind = os.environ.get("KHLANG_BIND", "127.0.0.1:8000")
# One process per core, four threads each (gthread): measured on 2 cores with
# `bench/load.py --gunicorn-variants 2:sync:1,3:sync:1,2:gthread:4,3:gthread:2` (README,
# "gunicorn settings"): a thread waiting for PostgreSQL leaves its core to another thread,
# while a third process on two cores only adds switching.
workers = int(os.environ.get("KHLANG_WORKERS", multiprocessing.cpu_count()))
threads = int(os.environ.get("KHLANG_THREADS", "4"))
worker_class = os.environ.get("KHLANG_WORKER_CLASS", "gthread" if threads > 1 else "sync")
timeout = 30  # nginx gives up after 60 s; a request this slow is a bug
graceful_timeout = 30
keepalive = 5
# Load the app once in the master and fork the workers from it: a recycled worker
# then starts in milliseconds instead of spending 1.5 s of CPU importing Django,
# Wagtail and PyThaiNLP while requests queue behind the other workers. (New code
# needs a restart of the service, not just a HUP.)
preload_app = True
# Recycle workers now and then so a slow leak never becomes an outage; the wide
# jitter keeps workers that share the load evenly from restarting together.
max_requests = 5000
max_requests_jitter = 2500
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("KHLANG_FORWARDED_ALLOW_IPS", "127.0.0.1")
raw_env = ["DJANGO_SETTINGS_MODULE=" + os.environ.get("DJANGO_SETTINGS_MODULE", "khlang.settings.production")]


def when_ready(server):
    """Load PyThaiNLP's dictionaries (2 s of CPU) once, in the master, for every worker it forks:
    the query's (build_query) and the snippets' (highlight: PyThaiNLP's general dictionary, which
    otherwise made each worker's first search after a start or a recycle take seconds)."""
    from search.highlight import highlight
    from search.query import build_query

    build_query("คลังความรู้ของหน่วยงาน")
    highlight("การจัดการความรู้ของหน่วยงาน", "การจัดการความรู้")


def worker_exit(server, worker):
    """A worker leaving (restart, max_requests, shutdown) writes the reads and searches it has not written yet."""
    from readership.counting import flush_reads
    from search.service import flush_searches

    flush_reads()
    flush_searches()
