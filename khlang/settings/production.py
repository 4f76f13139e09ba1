"""Production: every secret and address comes from the environment.

Required: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL. See README "Production".
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name, default):
    return os.environ.get(name, "1" if default else "0").lower() in ("1", "true", "yes", "on")


DEBUG = False

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("Set SECRET_KEY in the environment (50 random characters; see README).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS in the environment, e.g. km.example.go.th")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS") or [f"https://{host}" for host in ALLOWED_HOSTS]

# TLS ends at nginx, which tells Django the original scheme.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("KHLANG_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^_util/content-version/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("KHLANG_HSTS_SECONDS", 60 * 60 * 24 * 365))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KHLANG_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("KHLANG_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
# Wagtail's live preview frames the site in the admin, so frames are allowed from
# the same origin (X_FRAME_OPTIONS, CSP frame-ancestors) rather than denied.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W019"]  # noqa: F405

# Several app servers share nothing but the database, the search cluster and media
# storage: sessions live in the database, media on a shared mount (KHLANG_MEDIA_ROOT).
CACHES = {
    "default": {
        "BACKEND": os.environ.get("KHLANG_CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": os.environ.get("KHLANG_CACHE_LOCATION", "khlang"),
        "TIMEOUT": 300,
    }
}
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # Each worker keeps whole pages and parts of pages: room for a few thousand
    # (Django's default of 300 would evict them all the time).
    CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": 3000}

# The nginx servers whose page caches must be refreshed when content changes
# (deploy/nginx.conf.template), e.g. KHLANG_FRONTEND_CACHES=http://10.0.0.5,http://10.0.0.6
WAGTAILFRONTENDCACHE = {
    f"nginx-{number}": {"BACKEND": "khlang.frontend_cache.NginxRefreshBackend", "LOCATION": location}
    for number, location in enumerate(env_list("KHLANG_FRONTEND_CACHES"), start=1)
}

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The login lockout counts the client's address as nginx saw it.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_REAL_IP", "REMOTE_ADDR"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KHLANG_LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "WARNING"}},
}

# Access counts: each app process writes the reads it served at most every 5 seconds, one
# UPSERT per page and day, and whatever is left when it exits (README "Access counts").
KHLANG_READS_BUFFER_SECONDS = float(os.environ.get("KHLANG_READS_BUFFER_SECONDS", "5"))
# Searches counted for the editors' reports, likewise (search.service.record).
KHLANG_SEARCHES_BUFFER_SECONDS = float(os.environ.get("KHLANG_SEARCHES_BUFFER_SECONDS", "5"))
