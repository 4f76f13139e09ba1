from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "khlang-tests-only"
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "test-output" / "media"  # noqa: F405
