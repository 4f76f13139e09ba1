from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "django-insecure-khlang-development-only"
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
