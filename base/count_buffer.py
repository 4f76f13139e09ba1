"""Counts kept in memory and written together: reads of pages (readership), searches (search).

A write per request (an UPSERT, a commit waiting for the disk) costs more than the request's
own work on a cached page or a search. A CountBuffer adds counts in memory and writes them
all at once: by the first count after `seconds()` seconds, by a timer thread when no count
comes, and when the process exits (atexit here; gunicorn's worker_exit in
deploy/gunicorn.conf.py calls flush too): a graceful restart loses nothing. With 0 seconds
(the default, and in development and tests) every count is written at once. A write that
fails keeps its counts for the next one.
"""

import atexit
import logging
import threading
import time
from collections import Counter

from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)


class CountBuffer:
    def __init__(self, write, seconds, what="counts"):
        """write({key: n}) writes counts (raising DatabaseError if it cannot); seconds() is the interval."""
        self._write, self.seconds, self.what = write, seconds, what
        self.counts = Counter()
        self.lock = threading.Lock()
        self.since = None
        self.timer = None
        atexit.register(self.flush)

    def add(self, key, n=1):
        seconds = self.seconds()
        if seconds <= 0:
            return self.write(Counter({key: n}))
        with self.lock:
            self.counts[key] += n
            if self.since is None:
                self.since = time.monotonic()
            due = time.monotonic() - self.since >= seconds
            if not due and self.timer is None:
                self.timer = threading.Timer(seconds, self.flush_from_timer)
                self.timer.daemon = True
                self.timer.start()
        if due:
            self.flush()

    def flush(self):
        with self.lock:
            counts, self.counts, self.since = self.counts, Counter(), None
            if self.timer is not None:
                self.timer.cancel()
                self.timer = None
        if counts and not self.write(counts):
            with self.lock:
                self.counts.update(counts)
                self.since = self.since or time.monotonic()

    def flush_from_timer(self):
        with self.lock:
            self.timer = None
        try:
            self.flush()
        finally:
            connections.close_all()  # this thread's own connection

    def write(self, counts):
        try:
            self._write(counts)
            return True
        except DatabaseError:  # e.g. a page deleted this very moment (foreign key), the database restarting
            logger.warning("could not write %s %s", sum(counts.values()), self.what, exc_info=True)
            return False
