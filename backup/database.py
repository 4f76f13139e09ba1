"""The database half of a backup: row counts, and each vendor's own consistent dump and restore.

SQLite: the online backup API (a consistent copy while the site runs). PostgreSQL:
pg_dump and pg_restore from Debian's postgresql-client, in one snapshot.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection, connections

from .errors import BackupError

CHUNK = 1024 * 1024


# Row counts ----------------------------------------------------------------------------------


def _count_sql():
    """name → SQL counting the key tables; plain SQL, so it runs on a raw sqlite3 copy too."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    def table(model):
        return f'"{model._meta.db_table}"'

    page = apps.get_model("wagtailcore", "Page")
    revision = apps.get_model("wagtailcore", "Revision")
    content_type = apps.get_model("contenttypes", "ContentType")
    base_type = revision._meta.get_field("base_content_type").column
    return {
        "pages": f"SELECT COUNT(*) FROM {table(page)}",
        # Revision.page_revisions: revisions whose base content type is wagtailcore.Page
        "page_revisions": (
            f'SELECT COUNT(*) FROM {table(revision)} WHERE "{base_type}" = '
            f"(SELECT id FROM {table(content_type)} WHERE app_label = 'wagtailcore' AND model = 'page')"
        ),
        "documents": f"SELECT COUNT(*) FROM {table(get_document_model())}",
        "images": f"SELECT COUNT(*) FROM {table(get_image_model())}",
        "workflow_states": f"SELECT COUNT(*) FROM {table(apps.get_model('wagtailcore', 'WorkflowState'))}",
        "task_states": f"SELECT COUNT(*) FROM {table(apps.get_model('wagtailcore', 'TaskState'))}",
        "users": f"SELECT COUNT(*) FROM {table(get_user_model())}",
    }


def count_rows(cursor):
    """Counts of the key tables through any DB-API cursor (Django's, sqlite3's, psycopg's)."""
    counts = {}
    for name, sql in _count_sql().items():
        cursor.execute(sql)
        counts[name] = cursor.fetchone()[0]
    return counts


def current_counts():
    connections["default"].close()
    with connection.cursor() as cursor:
        return count_rows(cursor)


# Database ----------------------------------------------------------------------------------


def database_vendor():
    return connection.vendor


def describe_database():
    if connection.vendor == "sqlite":
        return f"SQLite {connection.settings_dict['NAME']}"
    sd = connection.settings_dict
    return f"PostgreSQL database {sd.get('NAME')!r} on {sd.get('HOST') or 'the local socket'}"


def pg_env(settings_dict=None):
    """The environment for pg_dump/pg_restore/psql: DATABASE_URL's parameters as PG* variables.

    Variables the settings leave empty are inherited, as libpq (and so Django) would.
    """
    sd = settings_dict or connection.settings_dict
    options = sd.get("OPTIONS") or {}
    env = os.environ.copy()
    values = {
        "PGHOST": sd.get("HOST"),
        "PGPORT": sd.get("PORT"),
        "PGUSER": sd.get("USER"),
        "PGPASSWORD": sd.get("PASSWORD"),
        "PGDATABASE": sd.get("NAME"),
        "PGSERVICE": options.get("service"),
        "PGPASSFILE": options.get("passfile"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
        "PGCONNECT_TIMEOUT": options.get("connect_timeout"),
        "PGAPPNAME": "khlang-backup",
    }
    env.update({name: str(value) for name, value in values.items() if value not in (None, "")})
    return env


def require_tool(name):
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"{name} was not found. Install Debian's PostgreSQL client tools: apt-get install postgresql-client "
            "(their major version must be at least the server's)."
        )
    return path


def _run(command, env, what):
    result = subprocess.run(command, env=env, capture_output=True)
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip()
        raise BackupError(f"{what} failed (exit code {result.returncode}): {detail}")
    return result.stdout


def _sqlite_is_in_memory():
    return connection.is_in_memory_db()


def dump_sqlite(dest):
    """Copy the live SQLite database to ``dest`` with the online backup API; returns its counts."""
    name = connection.settings_dict["NAME"]
    copy = sqlite3.connect(dest)
    try:
        if _sqlite_is_in_memory():
            # The test database lives only in this process: copy it through Django's own connection.
            connection.ensure_connection()
            connection.connection.backup(copy)
        else:
            if not os.path.isfile(name):
                raise BackupError(f"The SQLite database {name} does not exist.")
            source = sqlite3.connect(name, timeout=60)
            try:
                source.backup(copy)  # one step: a consistent copy, writers wait meanwhile
            finally:
                source.close()
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, whatever the live mode
        counts = count_rows(copy.cursor())
    except sqlite3.Error as error:
        raise BackupError(f"Could not back up the SQLite database {name} (is it migrated?): {error}") from error
    finally:
        copy.close()
    return counts


def dump_postgresql(dest):
    """pg_dump --format=custom into ``dest``, counting rows in the very snapshot pg_dump dumps."""
    pg_dump = require_tool("pg_dump")
    env = pg_env()
    try:
        raw = connection.get_new_connection(connection.get_connection_params())
    except connection.Database.Error as error:
        raise BackupError(f"Could not connect to the {describe_database()}: {error}") from error
    try:
        raw.autocommit = False
        cursor = raw.cursor()
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = count_rows(cursor)
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
        # pg_dump reads the snapshot this transaction exported, so it dumps what was counted.
        _run(
            [pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", f"--file={dest}"],
            env,
            "pg_dump",
        )
        raw.rollback()
    except connection.Database.Error as error:
        raise BackupError(f"Could not read the {describe_database()} (is it migrated?): {error}") from error
    finally:
        raw.close()
    return counts, server_version


# Restore --------------------------------------------------------------------------------------

# Empties the public schema, keeping the schema itself (its owner and grants), inside the
# restore's transaction. Extension objects are left alone; the dump recreates the rest.
PG_EMPTY_PUBLIC_SCHEMA = r"""
SET client_min_messages = warning;
BEGIN;
SET LOCAL lock_timeout = '60s';
SET LOCAL search_path = pg_catalog;
DO $khlang$
DECLARE
    item record;
BEGIN
    FOR item IN
        SELECT c.oid, c.relkind, format('%I.%I', n.nspname, c.relname) AS name
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = c.oid AND d.deptype = 'e')
          -- identity sequences belong to their column and go with its table
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'i')
        ORDER BY c.relkind = 'S', c.relname
    LOOP
        IF EXISTS (SELECT 1 FROM pg_class WHERE oid = item.oid) THEN
            EXECUTE format('DROP %s %s CASCADE',
                CASE item.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                    WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
                item.name);
        END IF;
    END LOOP;
    FOR item IN
        SELECT p.oid, p.prokind, p.oid::regprocedure::text AS name
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public'
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                          AND d.objid = p.oid AND d.deptype = 'e')
    LOOP
        IF EXISTS (SELECT 1 FROM pg_proc WHERE oid = item.oid) THEN
            EXECUTE format('DROP %s %s CASCADE',
                CASE item.prokind WHEN 'a' THEN 'AGGREGATE' WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END,
                item.name);
        END IF;
    END LOOP;
    FOR item IN
        SELECT t.oid, t.typtype, format('%I.%I', n.nspname, t.typname) AS name
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = 'public' AND t.typtype IN ('d', 'e', 'r', 'c')
          AND (t.typtype <> 'c' OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass
                          AND d.objid = t.oid AND d.deptype = 'e')
    LOOP
        IF EXISTS (SELECT 1 FROM pg_type WHERE oid = item.oid) THEN
            EXECUTE format('DROP %s %s CASCADE', CASE item.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, item.name);
        END IF;
    END LOOP;
    FOR item IN
        SELECT c.oid, format('%I.%I', n.nspname, c.cfgname) AS name
        FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace WHERE n.nspname = 'public'
    LOOP
        EXECUTE format('DROP TEXT SEARCH CONFIGURATION IF EXISTS %s CASCADE', item.name);
    END LOOP;
    FOR item IN
        SELECT d.oid, format('%I.%I', n.nspname, d.dictname) AS name
        FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace WHERE n.nspname = 'public'
    LOOP
        EXECUTE format('DROP TEXT SEARCH DICTIONARY IF EXISTS %s CASCADE', item.name);
    END LOOP;
END
$khlang$;
RESET search_path;
"""


def _is_public_schema_entry(line):
    """TOC lines that would create or comment the public schema, which the restore keeps."""
    return " SCHEMA - public " in f"{line} " or " COMMENT - SCHEMA public " in f"{line} "


def restore_postgresql(dump):
    """Replace the database with the dump in ONE transaction: empty the public schema, then the
    dump's SQL (pg_restore --no-owner --no-privileges) through psql. COMMIT is sent only once
    pg_restore has finished without error, so any failure leaves the database as it was.

    (pg_restore would wrap large objects in transactions of their own; Django and Wagtail
    never create any.)"""
    pg_restore = require_tool("pg_restore")
    psql = require_tool("psql")
    env = pg_env()
    toc = _run([pg_restore, "--list", str(dump)], env, "pg_restore --list").decode("utf-8", "replace")
    work = Path(dump).parent
    listing = work / "restore.list"
    listing.write_text("\n".join(line for line in toc.splitlines() if not _is_public_schema_entry(line)) + "\n")
    restore_cmd = [pg_restore, "--no-owner", "--no-privileges", f"--use-list={listing}", "--file=-", str(dump)]
    psql_cmd = [psql, "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1"]
    with open(work / "psql.err", "w+b") as psql_err, open(work / "pg_restore.err", "w+b") as restore_err:
        loader = subprocess.Popen(psql_cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=psql_err, env=env)
        reader = subprocess.Popen(restore_cmd, stdout=subprocess.PIPE, stderr=restore_err, env=env)
        committed = False
        try:
            loader.stdin.write(PG_EMPTY_PUBLIC_SCHEMA.encode("utf-8"))
            shutil.copyfileobj(reader.stdout, loader.stdin, CHUNK)
            if reader.wait() == 0:
                loader.stdin.write(b"\nCOMMIT;\n")
                committed = True
        except BrokenPipeError:
            pass  # psql stopped at an error; it says which below
        finally:
            if reader.poll() is None:
                reader.kill()
            reader.wait()
            try:
                loader.stdin.close()  # without COMMIT, psql's exit rolls everything back
            except BrokenPipeError:
                pass
            loader.wait()
        psql_err.seek(0)
        restore_err.seek(0)
        errors = (restore_err.read() + psql_err.read()).decode("utf-8", "replace").strip()
    if reader.returncode != 0 or loader.returncode != 0 or not committed:
        detail = errors or f"pg_restore exit code {reader.returncode}, psql exit code {loader.returncode}"
        raise BackupError(
            f"Restoring the PostgreSQL database failed and was rolled back; the database is unchanged: {detail}"
        )


def restore_sqlite(dump):
    """Copy the dumped file over the live database with the online backup API."""
    name = connection.settings_dict["NAME"]
    source = sqlite3.connect(dump)
    try:
        if _sqlite_is_in_memory():
            connection.ensure_connection()
            source.backup(connection.connection)
        else:
            connections.close_all()
            target = sqlite3.connect(name, timeout=60)
            try:
                source.backup(target)
            finally:
                target.close()
    except sqlite3.Error as error:
        raise BackupError(f"Restoring the SQLite database {name} failed: {error}") from error
    finally:
        source.close()


def migration_notes():
    """Warnings about the restored schema compared with this code's migrations."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    notes = []
    loader = executor.loader
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)  # squashed migrations' originals
    unknown = set(loader.applied_migrations) - known
    if unknown:
        notes.append(
            f"The backup has {len(unknown)} migrations this code does not know (it was made by a newer "
            "Khlang); run this code's newer version."
        )
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        notes.append("The restored database needs migrations: run `python manage.py migrate`.")
    return notes
