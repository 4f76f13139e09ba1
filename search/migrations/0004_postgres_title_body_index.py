"""Index the search entries' title || body on PostgreSQL.

Searches match that combination (a word may be in the title and another in the
body); modelsearch indexes the two columns apart, which such a match cannot use.
"""

from django.db import migrations

TABLE = "wagtailsearch_indexentry"
INDEX = "search_indexentry_title_body_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} USING gin ((title || body))")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_pendingindexupdate"), ("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(create_index, drop_index)]
