"""Backups of a Khlang site: one .tar.gz with the database, the media files and a manifest.

Used by ``manage.py backup`` and ``manage.py restore`` (home/management/commands/).

Archive layout::

    database/db.sqlite3 | database/db.pgdump   the database (SQLite online-backup copy, or pg_dump custom format)
    media/...                                  every file under MEDIA_ROOT
    manifest.json                              versions, database vendor, row counts, SHA-256 of every file above

The database is dumped with each vendor's own consistent tools: SQLite's online
backup API (a consistent copy while the site runs) and PostgreSQL's pg_dump
(Debian's postgresql-client), which runs in a snapshot that the row counts in
the manifest are taken from too. A restore checks every checksum before it
changes anything, then replaces the whole database and MEDIA_ROOT's contents.
"""

import hashlib
import io
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from pathlib import Path, PurePosixPath

import django
import wagtail
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

FORMAT = "khlang-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DATABASE_FILES = {"sqlite": "database/db.sqlite3", "postgresql": "database/db.pgdump"}
SUPPORTED_VENDORS = tuple(DATABASE_FILES)
# Working folders a backup or restore makes inside MEDIA_ROOT; never backed up or replaced.
WORK_PREFIX = ".khlang-"
CHUNK = 1024 * 1024
MAX_MANIFEST_BYTES = 64 * 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why (and what was left unchanged)."""


class _Unwritable(Exception):
    """Writing an extracted file failed (a problem here, not in the archive)."""


# Row counts ----------------------------------------------------------------------------------


def _count_sql():
    """name → SQL counting the key tables; plain SQL, so it runs on a raw sqlite3 copy too."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    def table(model):
        return '"{}"'.format(model._meta.db_table)

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
    result = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
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


# Media ----------------------------------------------------------------------------------------


def media_root():
    return Path(settings.MEDIA_ROOT)


def media_files(root):
    """(path, archive name) of every regular file under MEDIA_ROOT, in a stable order."""
    if not root.is_dir():
        return []
    found = []
    for folder, dirs, files in os.walk(root):
        relative = Path(folder).relative_to(root)
        if relative == Path("."):
            dirs[:] = [d for d in dirs if not d.startswith(WORK_PREFIX)]
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if os.path.isfile(path):  # follows symlinks to files; skips sockets and the like
                found.append((path, MEDIA_PREFIX + (relative / name).as_posix().removeprefix("./")))
    return found


class _HashingReader:
    """A file object that hashes what tarfile reads from it."""

    def __init__(self, raw):
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        data = self.raw.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def _tarinfo(name, size, mtime, mode=0o644):
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(mtime)
    info.mode = mode
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def _add_file(tar, path, name, checksums):
    with open(path, "rb") as raw:
        size = os.fstat(raw.fileno()).st_size
        reader = _HashingReader(raw)
        try:
            tar.addfile(_tarinfo(name, size, os.path.getmtime(path)), reader)
        except OSError as error:
            raise BackupError(
                f"{path} changed while it was being backed up ({error}); run the backup again."
            ) from error
    checksums[name] = {"sha256": reader.sha256.hexdigest(), "size": reader.size}


# Backup ---------------------------------------------------------------------------------------


def default_backup_dir():
    return Path(os.environ.get("KHLANG_BACKUP_DIR") or Path(settings.BASE_DIR) / "backups")


def archive_path(output=None, now=None):
    """The archive to write: ``output`` may name a folder (created) or a .tar.gz file."""
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    target = Path(output) if output else default_backup_dir()
    if target.name.endswith((".tar.gz", ".tgz")) and not target.is_dir():
        if target.exists():
            raise BackupError(f"{target} already exists; choose another name or a folder.")
        folder, path = target.parent, target
    else:
        if target.exists() and not target.is_dir():
            raise BackupError(f"--output must be a folder or a new .tar.gz file name, not the existing file {target}.")
        folder = target
        path = folder / f"khlang-backup-{stamp}.tar.gz"
        number = 1
        while path.exists():
            path = folder / f"khlang-backup-{stamp}-{number}.tar.gz"
            number += 1
    root = media_root().resolve()
    if folder.resolve() == root or root in folder.resolve().parents:
        raise BackupError(
            f"Backups must not be written inside MEDIA_ROOT ({root}): the web server publishes it and a "
            "restore replaces it. Choose another folder with --output or KHLANG_BACKUP_DIR."
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"Cannot create the backup folder {folder}: {error}") from error
    if not os.access(folder, os.W_OK):
        raise BackupError(f"Cannot write to the backup folder {folder}.")
    return path


def create_backup(output=None, log=lambda message: None):
    """Write the archive; returns (its path, the manifest)."""
    vendor = database_vendor()
    if vendor not in SUPPORTED_VENDORS:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    created = timezone.now()
    path = archive_path(output, created)
    folder = path.parent
    root = media_root()
    with tempfile.TemporaryDirectory(prefix=".khlang-backup-", dir=folder) as work:
        db_file = Path(work) / "database"
        log(f"Dumping the database ({describe_database()})…")
        server_version = None
        try:
            if vendor == "sqlite":
                counts = dump_sqlite(db_file)
                server_version = sqlite3.sqlite_version
            else:
                counts, server_version = dump_postgresql(db_file)
        except django.db.Error as error:
            raise BackupError(f"Could not read the database (is it migrated?): {error}") from error
        files = media_files(root)
        log(f"Adding {len(files)} media files from {root}…")
        fd, partial = tempfile.mkstemp(prefix=".khlang-backup-", suffix=".tar.gz.partial", dir=folder)  # mode 0600
        try:
            with os.fdopen(fd, "wb") as out:
                with tarfile.open(fileobj=out, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT) as tar:
                    checksums = {}
                    _add_file(tar, db_file, DATABASE_FILES[vendor], checksums)
                    for file_path, name in files:
                        _add_file(tar, file_path, name, checksums)
                    manifest = {
                        "format": FORMAT,
                        "format_version": FORMAT_VERSION,
                        "created_at": timezone.localtime(created).isoformat(),
                        "versions": {
                            "django": django.get_version(),
                            "wagtail": wagtail.__version__,
                            "python": platform.python_version(),
                        },
                        "database": {
                            "vendor": vendor,
                            "file": DATABASE_FILES[vendor],
                            "format": "sqlite3 database file" if vendor == "sqlite" else "pg_dump --format=custom",
                            "name": str(connection.settings_dict.get("NAME")),
                            "server_version": server_version,
                        },
                        "media_root": str(root),
                        "counts": counts,
                        "files": checksums,
                    }
                    data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
                    tar.addfile(_tarinfo(MANIFEST, len(data), created.timestamp()), io.BytesIO(data))
                out.flush()
                os.fsync(out.fileno())
            if path.exists():
                raise BackupError(f"{path} appeared while the backup was being written; nothing was overwritten.")
            os.replace(partial, path)
        finally:
            if os.path.exists(partial):
                os.unlink(partial)
    return path, manifest


# Reading and verifying an archive -------------------------------------------------------------


def _safe_name(member):
    name = member.name
    parts = PurePosixPath(name).parts
    if name.startswith("/") or "\\" in name or any(part in ("..", "") for part in parts):
        raise BackupError(f"unsafe entry name {name!r}")
    if not (member.isfile() or member.isdir()):
        raise BackupError(f"unexpected entry {name!r} (links and special files are never written by backup)")
    return name


def _iterate(path, on_file):
    """Walk the archive, calling on_file(member, fileobj) for each file; returns the manifest bytes.

    Damaged or truncated archives raise BackupError.
    """
    manifest = None
    seen = set()
    read_any = False
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            for member in tar:
                read_any = True
                name = _safe_name(member)
                if member.isdir():
                    continue
                if name in seen:
                    raise BackupError(f"the entry {name!r} appears twice")
                seen.add(name)
                fileobj = tar.extractfile(member)
                if name == MANIFEST:
                    if member.size > MAX_MANIFEST_BYTES:
                        raise BackupError("manifest.json is implausibly large")
                    manifest = fileobj.read()
                    if len(manifest) != member.size:
                        raise EOFError("manifest.json is cut short")
                else:
                    on_file(member, fileobj)
            # Read to the end of the gzip stream, so that its CRC is checked and nothing follows.
            while tar.fileobj.read(CHUNK):
                pass
    except _Unwritable as error:
        raise BackupError(
            f"Could not unpack {path}: cannot write {error} ({error.__cause__}). Nothing was changed."
        ) from error
    except BackupError as error:
        raise BackupError(f"{path} is not a usable Khlang backup: {error}. Nothing was changed.") from error
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        if not read_any:
            raise BackupError(
                f"{path} is not a Khlang backup archive (a .tar.gz written by `manage.py backup`): {error}. "
                "Nothing was changed."
            ) from error
        raise BackupError(
            f"{path} is damaged or truncated ({error}). Nothing was changed."
        ) from error
    if manifest is None:
        raise BackupError(
            f"{path} has no {MANIFEST}: it is truncated or not a Khlang backup. Nothing was changed."
        )
    return manifest


def _check_gzip(path):
    path = Path(path)
    if not path.exists():
        raise BackupError(f"No such backup archive: {path}")
    if not path.is_file():
        raise BackupError(f"{path} is not a file; give the path of a khlang-backup-….tar.gz archive.")
    with open(path, "rb") as handle:
        magic = handle.read(2)
    if magic != b"\x1f\x8b":
        raise BackupError(
            f"{path} is not a Khlang backup archive: it is not gzip-compressed "
            "(a backup is a .tar.gz written by `manage.py backup`). Nothing was changed."
        )


def _hash_stream(fileobj, write=None):
    digest = hashlib.sha256()
    size = 0
    while chunk := fileobj.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if write:
            write(chunk)
    return digest.hexdigest(), size


def _parse_manifest(path, data):
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{path}: manifest.json is not valid JSON ({error}). Nothing was changed.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(
            f"{path} is not a Khlang backup (its manifest is not a {FORMAT} manifest). Nothing was changed."
        )
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            f"{path} has backup format version {version!r}; this Khlang reads version {FORMAT_VERSION} "
            "and older. Restore it with a newer Khlang. Nothing was changed."
        )
    files = manifest.get("files")
    database = manifest.get("database") or {}
    if (
        not isinstance(files, dict)
        or database.get("vendor") not in SUPPORTED_VENDORS
        or database.get("file") not in files
    ):
        raise BackupError(f"{path}: its manifest is incomplete (files or database missing). Nothing was changed.")
    for name, entry in files.items():
        if not (name == database["file"] or name.startswith(MEDIA_PREFIX)):
            raise BackupError(f"{path}: the manifest lists an unexpected file {name!r}. Nothing was changed.")
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
            raise BackupError(f"{path}: the manifest has no checksum for {name!r}. Nothing was changed.")
    return manifest


def _compare(path, manifest, found):
    expected = manifest["files"]
    problems = []
    for name in sorted(set(expected) - set(found)):
        problems.append(f"{name} is missing")
    for name in sorted(set(found) - set(expected)):
        problems.append(f"{name} is not in the manifest")
    for name in sorted(set(found) & set(expected)):
        digest, size = found[name]
        if digest != expected[name]["sha256"] or ("size" in expected[name] and size != expected[name]["size"]):
            problems.append(f"{name} does not match its SHA-256 checksum")
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise BackupError(
            f"{path} failed verification: {'; '.join(problems[:5])}{more}. The archive is corrupt; nothing was changed."
        )


def verify_archive(path):
    """Read the whole archive and check every file against the manifest; returns the manifest.

    Writes nothing anywhere.
    """
    _check_gzip(path)
    found = {}

    def on_file(member, fileobj):
        found[member.name] = _hash_stream(fileobj)

    manifest = _parse_manifest(path, _iterate(path, on_file))
    _compare(path, manifest, found)
    return manifest


def extract_archive(path, manifest, db_dest, media_dest):
    """Write the database dump to db_dest and the media under media_dest, checking every checksum again."""
    found = {}
    db_name = manifest["database"]["file"]

    def on_file(member, fileobj):
        if member.name not in manifest["files"]:
            raise BackupError(f"{member.name!r} is not in the manifest (did the archive change?)")
        if member.name == db_name:
            target = Path(db_dest)
        else:
            target = Path(media_dest, *PurePosixPath(member.name).relative_to("media").parts)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            out = open(target, "wb")
        except OSError as error:
            raise _Unwritable(str(target)) from error

        def write(chunk):
            try:
                out.write(chunk)
            except OSError as error:
                raise _Unwritable(str(target)) from error

        with out:
            found[member.name] = _hash_stream(fileobj, write)  # reading errors: a damaged archive
        os.utime(target, (member.mtime, member.mtime))

    _iterate(path, on_file)
    _compare(path, manifest, found)


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


def replace_media(staged, root):
    """Swap MEDIA_ROOT's contents for the staged files (renames within MEDIA_ROOT, undone on error)."""
    old = Path(tempfile.mkdtemp(prefix=f"{WORK_PREFIX}replaced-", dir=root))
    moved_out, moved_in = [], []
    try:
        for entry in sorted(root.iterdir()):
            if entry.name.startswith(WORK_PREFIX):
                continue
            os.rename(entry, old / entry.name)
            moved_out.append(entry.name)
        for entry in sorted(staged.iterdir()):
            os.rename(entry, root / entry.name)
            moved_in.append(entry.name)
    except OSError as error:
        for name in moved_in:
            os.rename(root / name, staged / name)
        for name in moved_out:
            os.rename(old / name, root / name)
        old.rmdir()
        raise BackupError(f"Could not replace the media files in {root}: {error}") from error
    staged.rmdir()
    shutil.rmtree(old, ignore_errors=True)


def _public_content_version():
    try:
        from home.models import PublicContentVersion

        return PublicContentVersion.current()
    except django.db.Error:
        return 0


def restore_backup(path, manifest, log=lambda message: None):
    """Replace the database and MEDIA_ROOT's contents with the (verified) archive's."""
    vendor = database_vendor()
    root = media_root()
    try:
        root.mkdir(parents=True, exist_ok=True)
        staged = Path(tempfile.mkdtemp(prefix=f"{WORK_PREFIX}restore-", dir=root))
    except OSError as error:
        raise BackupError(f"Cannot write to MEDIA_ROOT {root}: {error}. Nothing was changed.") from error
    cache_version = _public_content_version()
    try:
        with tempfile.TemporaryDirectory(prefix="khlang-restore-") as work:
            dump = Path(work) / Path(manifest["database"]["file"]).name
            log("Unpacking the archive…")
            extract_archive(path, manifest, dump, staged)
            log(f"Replacing the database ({describe_database()})…")
            connections.close_all()
            if vendor == "sqlite":
                restore_sqlite(dump)
            else:
                restore_postgresql(dump)
        connections.close_all()
        log(f"Replacing the media files in {root}…")
        try:
            replace_media(staged, root)
        except BackupError as error:
            raise BackupError(
                f"The database WAS restored, but the media files were not: {error}. "
                f"Fix the problem and run the restore again."
            ) from error
    finally:
        if staged.exists():
            shutil.rmtree(staged, ignore_errors=True)
    _after_restore(cache_version)


def _after_restore(previous_version):
    """Readers must not get pages cached before the restore, nor Wagtail cached site roots."""
    from django.core.cache import caches

    from home.signal_handlers import public_content_changed

    try:
        public_content_changed(above=previous_version)
    except django.db.Error:
        pass  # an older schema; `migrate` comes next anyway
    for cache in caches.all(initialized_only=False):
        cache.clear()


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
