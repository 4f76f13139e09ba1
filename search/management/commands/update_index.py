"""Wagtail's update_index, with a progress bar for long rebuilds."""

from wagtail.search.management.commands.update_index import Command as WagtailUpdateIndex

BAR_WIDTH = 30


class Command(WagtailUpdateIndex):
    def queryset_chunks(self, qs, chunk_size=200):
        self._total = qs.count()
        self._chunk_size = chunk_size
        yield from super().queryset_chunks(qs, chunk_size)

    def print_iter_progress(self, iterable):
        for done_chunks, value in enumerate(iterable, start=1):
            yield value
            done = min(done_chunks * self._chunk_size, self._total)
            filled = BAR_WIDTH * done // max(self._total, 1)
            self.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{self._total}", ending="")
            self.stdout.flush()
