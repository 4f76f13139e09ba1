"""The site's address for links that leave the browser: e-mails, the admin's absolute links.

In order: the KHLANG_BASE_URL setting (from the environment), else the address the
current request came in on (remembered by khlang.middleware.remember_request_address),
else the default Site's root URL (which `setup_site --base-url` sets), for mail sent
outside any request (the background worker, management commands).
"""

from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError
from wagtail.models import Site

_request_base_url = ContextVar("khlang_request_base_url", default="")


def remember_request(request):
    """Note the address `request` came in on; returns the token to forget it with."""
    return _request_base_url.set(f"{request.scheme}://{request.get_host()}")


def forget_request(token):
    _request_base_url.reset(token)


def current_base_url():
    """The site's address without a trailing slash, e.g. https://km.example.go.th."""
    configured = getattr(settings, "KHLANG_BASE_URL", "")
    if configured:
        return configured.rstrip("/")
    if _request_base_url.get():
        return _request_base_url.get()
    try:
        site = Site.objects.filter(is_default_site=True).first()
    except DatabaseError:  # before the first migrate
        site = None
    return site.root_url if site else ""


def absolute_url(path):
    """`path` (e.g. a reverse() result) on the site's address."""
    return current_base_url() + path
