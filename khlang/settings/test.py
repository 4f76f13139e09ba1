from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "khlang-tests-only"
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "test-output" / "media"  # noqa: F405
# Tests choose their search backend themselves (tests/test_search.py); the
# engine, when the test script started one, is at KHLANG_TEST_SEARCH_URL.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database"}}
