"""Refreshing nginx's copy of the public content version (deploy/nginx.conf.template).

A Wagtail frontend-cache backend. Wagtail's HTTPBackend sends PURGE, which plain
nginx cannot act on, and Debian's ngx_cache_purge module crashes its nginx 1.22;
a GET marked X-Khlang-Refresh makes nginx fetch the version afresh and keep it.
"""

import logging
from urllib.error import URLError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

from wagtail.contrib.frontend_cache.backends.base import BaseBackend

logger = logging.getLogger("wagtail.frontendcache")


class NginxRefreshBackend(BaseBackend):
    def __init__(self, params):
        super().__init__(params)
        self.location = params["LOCATION"].rstrip("/")
        self.timeout = params.get("TIMEOUT", 2)

    def purge(self, url):
        parts = urlsplit(url)
        request = Request(self.location + parts.path, headers={"Host": parts.netloc, "X-Khlang-Refresh": "1"})
        try:
            with urlopen(request, timeout=self.timeout):  # noqa: S310 (LOCATION comes from settings)
                pass
        except (URLError, OSError) as error:
            logger.error("Could not refresh %s at %s: %s", url, self.location, error)
