"""Settings shared by every environment. See dev.py, test.py and production.py."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "khlang"

# The site's apps, by floor (README "Architecture"): each imports only apps on the floors
# below it. Above Wagtail's apps, so their templates override Wagtail's.
INSTALLED_APPS = [
    # the site: the home page, the demo agency
    "home",
    "demo",
    # managing knowledge: the fiscal-year KM plan and its indicators
    "plan",
    # search and access counts, over every kind of content
    "search",
    "readership",
    # work on content: the review workflow, document import; who knows what
    "review",
    "imports",
    "experts",
    # content
    "cop",
    "knowledge",
    # ground floor: Thai language, base page and settings, backups
    "backup",
    "base",
    "thai",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "axes",
]

MIDDLEWARE = [
    "khlang.middleware.reject_nul_characters",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "khlang.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "khlang.middleware.remember_request_address",
    "khlang.middleware.buddhist_era_in_admin",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # outside the page cache, so that pages it answers are counted too
    "readership.middleware.CountReadsMiddleware",
    "khlang.middleware.AnonymousPageCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # last: it answers locked-out logins
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "khlang.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "khlang.context_processors.fragment_cache",
            ],
        },
    },
]

WSGI_APPLICATION = "khlang.wsgi.application"

# SQLite by default; PostgreSQL (production) when DATABASE_URL is set.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{os.environ.get('KHLANG_SQLITE_PATH', BASE_DIR / 'db.sqlite3')}",
        conn_max_age=int(os.environ.get("KHLANG_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # locks an account+address out after repeated failures
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("KHLANG_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Thai first: the public site speaks Thai unless a visitor picks English.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
# The project's catalogues come before every app's: locale/th fills Wagtail's Thai gaps
# and sets our KM vocabulary (the compiled .mo files are committed).
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

WAGTAIL_I18N_ENABLED = False

# Security headers. The public site runs no inline script or style, so its
# Content-Security-Policy needs no 'unsafe-inline'; Wagtail's admin does, so it
# is left out of the policy (it is behind a login).
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin", "/django-admin"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}
PERMISSIONS_POLICY = {
    "accelerometer": [], "camera": [], "geolocation": [], "gyroscope": [], "magnetometer": [],
    "microphone": [], "payment": [], "usb": [],
}
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"  # Wagtail's preview frames the site itself
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("KHLANG_STATIC_ROOT", BASE_DIR / "static_collected"))
STATIC_URL = "/static/"

MEDIA_ROOT = Path(os.environ.get("KHLANG_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Page editor forms with many StreamField blocks exceed Django's default.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Khlang คลังความรู้"
# Avatars are Wagtail's own image, never fetched from gravatar.com: staff's browsers reach
# no other host, and their e-mail addresses' hashes leave nowhere.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The site's public address, e.g. https://km.example.go.th: links in e-mails and the admin's
# absolute links start with it. Unset, they use the address a request came in on, else the
# default Site's (set by `setup_site --base-url`); see base/addresses.py.
KHLANG_BASE_URL = os.environ.get("KHLANG_BASE_URL", "").rstrip("/")
WAGTAILADMIN_BASE_URL = KHLANG_BASE_URL

# Search: the Thai-aware database backend unless KHLANG_SEARCH_URL names an
# Elasticsearch/OpenSearch cluster. With an engine, the database index is kept
# too ("database"), so public search falls back to it when the engine is down.
KHLANG_SEARCH_URL = os.environ.get("KHLANG_SEARCH_URL", "")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database"}}
if KHLANG_SEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.engine",
            # opensearch2 | elasticsearch7 (the tested ones), elasticsearch8/9, opensearch3, or
            # elasticsearch | opensearch (the installed client's version)
            "ENGINE": os.environ.get("KHLANG_SEARCH_ENGINE", "opensearch2"),
            "URLS": KHLANG_SEARCH_URL.split(","),
            "INDEX_PREFIX": os.environ.get("KHLANG_SEARCH_INDEX_PREFIX", "khlang_"),
            # thai (built in) or icu_tokenizer (analysis-icu plugin)
            "THAI_TOKENIZER": os.environ.get("KHLANG_SEARCH_TOKENIZER", "thai"),
            # Publishing and searching must not hang on an unreachable engine.
            "TIMEOUT": float(os.environ.get("KHLANG_SEARCH_TIMEOUT", "2")),
            "OPTIONS": {"max_retries": 0, "retry_on_timeout": False},
        },
        "database": {"BACKEND": "search.backends.database"},
    }

WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "md"]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "imports.forms.DocumentForm"
# Only these open in the browser; everything else downloads (nothing uploaded runs as a page).
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf", "text/plain"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Documents go through Wagtail's view, which asks knowledge.attachments whether the reader may
# read a page that uses the document (never a direct or redirected link to the file).
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# import_documents refuses files larger than this.
KHLANG_IMPORT_MAX_BYTES = int(os.environ.get("KHLANG_IMPORT_MAX_BYTES", 20 * 1024 * 1024))

# Public pages (for anonymous readers) and parts of pages (for everyone) are cached this
# long; 0 turns both off. Changes show at once anyway: the keys hold the content version.
KHLANG_PAGE_CACHE_SECONDS = int(os.environ.get("KHLANG_PAGE_CACHE_SECONDS", "300"))
# nginx re-asks the content version this often even if no refresh reaches it (a lost refresh
# request shows old pages for at most this long).
KHLANG_CONTENT_VERSION_SECONDS = 10

# Access counts (readership/): nginx's access log(s) in the khlang_cache format
# (deploy/nginx.conf.template), comma-separated; the worker imports each (and its rotated
# PATH.1) every minute. Empty: reads nginx answers from its cache are not counted.
KHLANG_ACCESS_LOG = os.environ.get("KHLANG_ACCESS_LOG", "")
# The app counts the reads it serves (readership.middleware); 0 turns that off.
KHLANG_COUNT_READS = os.environ.get("KHLANG_COUNT_READS", "1") != "0"
# How long the KM dashboard reuses a sum of read counts (the worker imports nginx's log every minute).
KHLANG_ACCESS_COUNTS_SECONDS = 60
# 0: each read is written at once; N: a process writes its reads at most every N seconds (and
# when it exits), one UPSERT per page and day (production.py: 5).
KHLANG_READS_BUFFER_SECONDS = float(os.environ.get("KHLANG_READS_BUFFER_SECONDS", "0"))
# The same for searches counted for the editors' reports (search terms, searches that found nothing).
KHLANG_SEARCHES_BUFFER_SECONDS = float(os.environ.get("KHLANG_SEARCHES_BUFFER_SECONDS", "0"))
# "Most read" (home page, listings' sort order) looks at this many days, today included.
KHLANG_MOST_READ_DAYS = int(os.environ.get("KHLANG_MOST_READ_DAYS", "365"))

# Listing pages show this many items per page.
KHLANG_PAGE_SIZE = 12

# Page types replace Page.search_fields' title fields with Thai-segmenting ones
# (base.search_fields.PAGE_SEARCH_FIELDS), which this check cannot recognise.
SILENCED_SYSTEM_CHECKS = ["wagtailsearch.W001"]

# Email and editorial review -------------------------------------------------
# Reviewers, authors and knowledge owners are told by email. Development prints
# mail to the console; production sets KHLANG_EMAIL_BACKEND to Django's SMTP
# backend and the KHLANG_EMAIL_* variables.
EMAIL_BACKEND = os.environ.get("KHLANG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("KHLANG_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("KHLANG_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("KHLANG_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("KHLANG_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("KHLANG_EMAIL_USE_TLS", "") == "1"
EMAIL_USE_SSL = os.environ.get("KHLANG_EMAIL_USE_SSL", "") == "1"
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("KHLANG_FROM_EMAIL", "khlang@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Review tasks mail only the people who can act on them (see review/), never
# every superuser.
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
# An edit made while a page is in review sends it through every step again.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# Published knowledge is due for review this many months after publishing.
KHLANG_REVIEW_INTERVAL_MONTHS = int(os.environ.get("KHLANG_REVIEW_INTERVAL_MONTHS", "12"))
