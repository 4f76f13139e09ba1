"""Importing nginx's access log: the reads nginx answered from its cache.

The format (deploy/nginx.conf.template, log_format khlang_cache) is nginx's `combined`
followed by the cache status as one more quoted field:

    203.0.113.7 - - [01/Dec/2026:10:00:00 +0700] "GET /path/ HTTP/1.1" 200 5120 "-" "Mozilla/5.0 …" "HIT"

Only HIT, STALE and UPDATING lines are counted: every other request reached the app, which
counted it already (readership.middleware). The client address is never read.
"""

import datetime
import hashlib
import os
import re
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from .counting import PageResolver, add_reads, counted_path, is_bot
from .models import ImportedAccessLog

# Answered from nginx's cache without reaching the app.
CACHE_ANSWERS = frozenset({b"HIT", b"STALE", b"UPDATING"})
LINE = re.compile(
    rb'^\S+ \S+ (?:\S+|"[^"]*") \[(\d\d/\w\w\w/\d{4}:\d\d):\d\d:\d\d ([+-]\d{4})\] '
    rb'"([^"]*)" (\d{3}) (?:\d+|-) "[^"]*" "([^"]*)" "([A-Z]*|-)"\s*$'
)
MONTHS = {name.encode(): number for number, name in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1)}
CHUNK = 1 << 20


@dataclass
class Summary:
    files: int = 0
    lines: int = 0
    counted: int = 0
    cache_hits: int = 0
    malformed: int = 0
    skipped_files: list = field(default_factory=list)
    already_imported: int = 0

    def add(self, other):
        for name in ("lines", "counted", "cache_hits", "malformed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def fingerprint(first_line):
    """The file's identity: its first line without the client address (which is not kept,
    even hashed)."""
    without_address = first_line.split(b" ", 1)[1] if b" " in first_line else first_line
    return hashlib.sha256(without_address).hexdigest()


class LineCounter:
    """Counts the reads in access-log lines; per-line verdicts that repeat are cached."""

    def __init__(self, resolver=None):
        self.resolver = resolver or PageResolver()
        self.dates = {}  # (b"01/Dec/2026:10", b"+0700") → the day in the site's time zone
        self.pages = {}  # raw request path → page id or None
        self.bots = {}  # user agent (bytes) → is a bot
        self.reads = Counter()  # (page_id, day) → reads

    def day(self, hour, offset):
        key = (hour, offset)
        if key not in self.dates:
            day, month, rest = hour.split(b"/")
            year, hh = rest.split(b":")
            sign = -1 if offset[:1] == b"-" else 1
            tz = datetime.timezone(sign * datetime.timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5])))
            moment = datetime.datetime(int(year), MONTHS[month], int(day), int(hh), tzinfo=tz)
            self.dates[key] = timezone.localtime(moment).date()
        return self.dates[key]

    def page(self, target):
        if target not in self.pages:
            try:
                path = target.decode("ascii")
            except UnicodeDecodeError:  # nginx escapes bytes it logs; a raw one is not a real request
                path = ""
            self.pages[target] = self.resolver.resolve(path) if path.startswith("/") and counted_path(path) else None
        return self.pages[target]

    def feed(self, lines, summary):
        """Count complete lines (bytes, without their newline)."""
        match = LINE.match
        for line in lines:
            summary.lines += 1
            found = match(line)
            if found is None:
                summary.malformed += 1
                continue
            hour, offset, request, status, user_agent, cache = found.groups()
            if cache not in CACHE_ANSWERS:
                continue
            summary.cache_hits += 1
            if status != b"200" or not request.startswith(b"GET "):
                continue
            parts = request.split(b" ")
            if len(parts) != 3 or (page_id := self.page(parts[1])) is None:
                continue
            bot = self.bots.get(user_agent)
            if bot is None:
                bot = self.bots[user_agent] = is_bot(user_agent.decode("utf-8", "replace"))
            if bot:
                continue
            try:
                day = self.day(hour, offset)
            except (KeyError, ValueError):  # an impossible date
                summary.malformed += 1
                continue
            self.reads[page_id, day] += 1
            summary.counted += 1


def import_file(path, counter):
    """Import what is new in one log file since the last import of the same file (by fingerprint).

    The new lines are read first, without holding anything; then the counts and the new position
    are saved in one short transaction, which checks that no other import moved the position in
    the meantime (else it saves nothing: the next run counts those lines). An interrupted import
    leaves nothing half-counted. Only complete lines are read; a line nginx is still writing waits
    for the next run.
    """
    summary = Summary()
    with open(path, "rb") as log:
        first = log.readline()
        if not first.endswith(b"\n"):
            return summary, None  # empty, or its first line not yet complete
        stat = os.fstat(log.fileno())
        key = fingerprint(first)
        known = ImportedAccessLog.objects.filter(fingerprint=key).first()
        saved = known.offset if known else 0
        start = saved if saved <= stat.st_size else 0  # truncated in place: read it anew
        if known and start >= stat.st_size:
            return summary, known
        log.seek(start)
        position = start
        counter.reads.clear()
        rest = b""
        while chunk := log.read(CHUNK):
            chunk = rest + chunk
            end = chunk.rfind(b"\n") + 1
            if end == 0:
                rest = chunk
                continue
            rest = chunk[end:]
            counter.feed(chunk[:end - 1].split(b"\n"), summary)
            position += end
    with transaction.atomic():
        record, _created = ImportedAccessLog.objects.select_for_update().get_or_create(
            fingerprint=key, defaults={"path": str(path), "inode": stat.st_ino}
        )
        if record.offset != saved:  # another import of this file ran meanwhile
            counter.reads.clear()
            return Summary(), record
        add_reads(counter.reads)
        counter.reads.clear()
        record.offset = position
        record.path = str(path)
        record.inode = stat.st_ino
        record.lines += summary.lines
        record.counted += summary.counted
        record.malformed += summary.malformed
        record.save()
    return summary, record


def import_logs(paths, resolver=None):
    """Import several logs (e.g. access.log.1, then access.log); returns a Summary."""
    counter = LineCounter(resolver)
    total = Summary()
    for path in paths:
        try:
            summary, record = import_file(path, counter)
        except OSError as error:
            total.skipped_files.append((str(path), error.strerror or str(error)))
            continue
        total.files += 1
        if record is not None and not summary.lines:
            total.already_imported += 1
        total.add(summary)
    return total
