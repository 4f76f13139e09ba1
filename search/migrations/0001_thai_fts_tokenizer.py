"""Rebuild SQLite's full-text table so Thai vowel and tone marks stay in words.

FTS5's default unicode61 tokenizer treats combining marks (Unicode category M)
as separators: ข้าว and ข่าว both became ข + าว. Counting marks as word
characters keeps them whole. PostgreSQL needs no change.
"""

from django.db import migrations

TABLE = "wagtailsearch_indexentry"
TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"


def rebuild_fts_table(apps, schema_editor, tokenize):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [f"{TABLE}_fts"])
        if not cursor.fetchone():
            return  # SQLite without FTS5: modelsearch uses its plain fallback
        cursor.execute(f"DROP TABLE {TABLE}_fts")
        options = f", tokenize=\"{tokenize}\"" if tokenize else ""
        cursor.execute(f"CREATE VIRTUAL TABLE {TABLE}_fts USING fts5(autocomplete, body, title{options})")
        cursor.execute(
            f"INSERT INTO {TABLE}_fts(rowid, title, body, autocomplete) "
            f"SELECT id, title, body, autocomplete FROM {TABLE}"
        )


class Migration(migrations.Migration):
    dependencies = [("wagtailsearch", "0010_add_text_fields")]

    operations = [
        migrations.RunPython(
            lambda apps, editor: rebuild_fts_table(apps, editor, TOKENIZER),
            lambda apps, editor: rebuild_fts_table(apps, editor, None),
        ),
    ]
