"""Django settings for the benchmarks in bench/: the project's base settings, run like
production (DEBUG off, so no query log grows during a run).

Environment (set by the bench scripts for their worker subprocesses):
  KHLANG_BENCH_SEARCH_BACKENDS  JSON replacing WAGTAILSEARCH_BACKENDS (e.g. plain Wagtail defaults)
  KHLANG_BENCH_AUTO_UPDATE=0    index nothing on save (bulk page creation; update_index afterwards)
Everything else comes from khlang/settings/base.py (KHLANG_SQLITE_PATH, DATABASE_URL,
KHLANG_SEARCH_URL, KHLANG_SEARCH_INDEX_PREFIX, KHLANG_MEDIA_ROOT, ...).
"""

import json
import os

from khlang.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "khlang-bench-only"
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if os.environ.get("KHLANG_BENCH_SEARCH_BACKENDS"):
    WAGTAILSEARCH_BACKENDS = json.loads(os.environ["KHLANG_BENCH_SEARCH_BACKENDS"])
if os.environ.get("KHLANG_BENCH_AUTO_UPDATE") == "0":
    WAGTAILSEARCH_BACKENDS = {name: {**config, "AUTO_UPDATE": False} for name, config in WAGTAILSEARCH_BACKENDS.items()}  # noqa: F405

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"elastic_transport": {"level": "ERROR"}, "elasticsearch": {"level": "ERROR"}},
}
