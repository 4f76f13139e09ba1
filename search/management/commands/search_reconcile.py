"""Repair the search engine's index after it was down or slow.

Applies the updates the engine refused (search.models.PendingIndexUpdate) and,
with --full, compares every index with the database: indexes what is missing
and removes what should no longer be there.
"""

from importlib import import_module

from django.core.management.base import BaseCommand, CommandError
from modelsearch.index import get_indexed_models
from wagtail.search.backends import get_search_backends_with_name

from search.backends.engine import JournalFailuresMixin
from search.models import PendingIndexUpdate


class Command(BaseCommand):
    help = "Apply index updates the search engine missed; --full also compares each index with the database."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="compare every index with the database")

    def handle(self, *args, full=False, **options):
        engines = [(name, backend) for name, backend in get_search_backends_with_name()
                   if isinstance(backend, JournalFailuresMixin)]
        if not engines:
            self.stdout.write("No search engine is configured (KHLANG_SEARCH_URL); nothing to reconcile.")
            return
        failures = 0
        for name, backend in engines:
            failures += self.replay_journal(name, backend)
            if full:
                failures += self.compare(name, backend)
        if failures:
            raise CommandError(f"{failures} updates could not be applied; is the engine up?")

    def replay_journal(self, name, backend):
        done = failed = 0
        for pending in PendingIndexUpdate.objects.select_related("content_type"):
            model = pending.content_type.model_class()
            obj = model.get_indexed_objects().filter(pk=pending.object_id).first() if model else None
            try:
                if obj is not None and pending.action == PendingIndexUpdate.INDEX:
                    super(JournalFailuresMixin, backend).add(obj.specific if hasattr(obj, "specific") else obj)
                elif model is not None:
                    self.remove(backend, model, pending.object_id)
            except Exception as error:  # the engine is still unreachable
                failed += 1
                self.stderr.write(f"{name}: {model.__name__ if model else '?'} {pending.object_id}: {error}")
                continue
            pending.delete()
            done += 1
        self.stdout.write(f"{name}: applied {done} pending updates, {failed} still pending")
        return failed

    def compare(self, name, backend):
        failed = 0
        for root in [m for m in get_indexed_models() if not m._meta.parents]:
            index = backend.get_index_for_model(root)
            # Page.get_indexed_objects() holds only plain Page rows: each subclass indexes its own.
            models = [m for m in get_indexed_models() if issubclass(m, root)]
            expected = {
                str(pk): model for model in models for pk in model.get_indexed_objects().values_list("pk", flat=True)
            }
            try:
                self.ensure_index(index, models)
                present = self.indexed_ids(backend, index)
            except Exception as error:
                self.stderr.write(f"{name}: cannot read {index.name}: {error}")
                failed += 1
                continue
            missing, extra = set(expected) - present, present - set(expected)
            for model in models:
                wanted = [pk for pk in missing if expected[pk] is model]
                if wanted:
                    objs = list(model.get_indexed_objects().filter(pk__in=wanted))
                    super(JournalFailuresMixin, backend).add_bulk(model, objs)
            for object_id in extra:
                self.remove(backend, root, object_id)
            self.stdout.write(f"{name}: {index.name}: {len(missing)} added, {len(extra)} removed")
        return failed

    @staticmethod
    def ensure_index(index, models):
        """An engine that lost its data (a new or rebuilt cluster) gets the index and its Thai mappings back."""
        if index.exists():
            return
        index.put()
        for model in models:
            index.add_model(model)

    @staticmethod
    def indexed_ids(backend, index):
        if not backend.es.indices.exists(index=index.name):
            return set()
        index.refresh()  # see every write acknowledged so far
        # The client package's own scroll helper (it also clears the scroll at the end).
        scan = import_module(f"{type(backend.es).__module__.split('.')[0]}.helpers").scan
        hits = scan(backend.es, index=index.name, query={"query": {"match_all": {}}, "_source": False}, size=1000, scroll="2m")
        return {hit["_id"] for hit in hits}

    @staticmethod
    def remove(backend, model, object_id):
        index = backend.get_index_for_model(model)
        try:
            backend.es.delete(index=index.name, id=object_id)
        except backend.NotFoundError:
            pass


