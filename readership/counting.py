"""Counting reads: who counts as a person, which paths are pages, and the one write that adds them.

Nothing here keeps anything about the reader: the user agent is looked at (is it a crawler?)
and forgotten; the address is never looked at.
"""

from functools import lru_cache
from urllib.parse import unquote

from crawleruseragents import is_crawler
from django.conf import settings
from django.db import connection, transaction
from wagtail.models import Page, Site

from base.count_buffer import CountBuffer

# Never pages a person reads: the admin (and so previews), search, the API, documents, static
# files and media, the site's own utilities, feeds and robots. (A page of the site cannot live
# under these: their URL patterns come before Wagtail's.)
NOT_COUNTED_PREFIXES = (
    "/admin/", "/django-admin/", "/search/", "/api/", "/documents/", "/static/", "/media/",
    "/_util/", "/language/", "/healthz/", "/feeds/",
)


@lru_cache(maxsize=8192)
def is_bot(user_agent):
    """A crawler by the crawler-user-agents list (monperrus/crawler-user-agents), or no user agent
    at all (scripts, monitors). Cached: a site sees far fewer user agents than requests."""
    user_agent = (user_agent or "").strip()
    if not user_agent or user_agent == "-":
        return True
    return is_crawler(user_agent)


def counted_path(path):
    return not path.startswith(NOT_COUNTED_PREFIXES)


def add_reads(counts):
    """Add {(page_id, date): reads} to the store, one UPSERT per row (SQLite and PostgreSQL)."""
    if not counts:
        return
    table = connection.ops.quote_name("readership_pagereadcount")
    sql = (
        f'INSERT INTO {table} ("page_id", "date", "count") VALUES (%s, %s, %s) '
        f'ON CONFLICT ("page_id", "date") DO UPDATE SET "count" = {table}."count" + excluded."count"'
    )
    rows = [(page_id, day, reads) for (page_id, day), reads in sorted(counts.items()) if reads]
    with connection.cursor() as cursor:
        if len(rows) == 1:
            cursor.execute(sql, rows[0])
        else:
            cursor.executemany(sql, rows)


def save_reads(counts):
    """Write counts at once. On PostgreSQL the commit does not wait for the write-ahead log to
    reach the disk (synchronous_commit off, for this transaction only): no reader waits for an
    fsync, and only a crash of the database server itself could lose the last fraction of a
    second of counts. Everything else the site writes keeps the server's setting."""
    with transaction.atomic():  # inside a request's transaction: a savepoint
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        add_reads(counts)


# The reads this process has counted and not yet written, when KHLANG_READS_BUFFER_SECONDS > 0 (base.count_buffer).
reads = CountBuffer(lambda counts: save_reads(counts), lambda: settings.KHLANG_READS_BUFFER_SECONDS, "reads")


def record_read(page_id, day):
    """Count one read (at once, or through the buffer). A failure to count never fails the page."""
    reads.add((page_id, day))


def flush_reads():
    """Write the buffered reads now (a process about to exit calls this)."""
    reads.flush()


class PageResolver:
    """Site-relative URL path (unquoted, e.g. "/คลังความรู้/ภาษีป้าย/") → live page id, for the
    default site, from one query. Paths the site does not serve as a page resolve to None."""

    def __init__(self):
        site = Site.objects.select_related("root_page").filter(is_default_site=True).first()
        self.ids = {}
        if site is None:
            return
        root = site.root_page.url_path
        for page_id, url_path in (
            Page.objects.live().filter(url_path__startswith=root).values_list("id", "url_path").iterator()
        ):
            self.ids["/" + url_path[len(root):]] = page_id

    def resolve(self, path):
        """A request path as sent (percent-encoded or not, with or without a query string)."""
        path = path.split("?", 1)[0].split("#", 1)[0]
        if "%" in path:
            try:
                path = unquote(path, errors="strict")
            except UnicodeDecodeError:
                return None
        return self.ids.get(path)


_resolver = {"version": None, "resolver": None}


def resolve_for_version(path, version):
    """resolve(path) with a resolver kept per process until the public content version changes
    (publishing, moving or unpublishing a page bumps it)."""
    if _resolver["version"] != version or _resolver["resolver"] is None:
        _resolver["resolver"] = PageResolver()
        _resolver["version"] = version
    return _resolver["resolver"].resolve(path)

