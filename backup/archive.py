"""Backups of a Khlang site: one .tar.gz with the database, the media files and a manifest.

Used by ``manage.py backup`` and ``manage.py restore`` (backup/management/commands/); the database and media halves are in database.py and media.py.

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
import tarfile
import tempfile
import zlib
from pathlib import Path, PurePosixPath

import django
import wagtail
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from base.content_version import public_content_changed
from base.models import PublicContentVersion

from .database import (
    CHUNK,
    database_vendor,
    describe_database,
    dump_postgresql,
    dump_sqlite,
    restore_postgresql,
    restore_sqlite,
)
from .errors import BackupError
from .media import MEDIA_PREFIX, WORK_PREFIX, media_files, media_root, replace_media

FORMAT = "khlang-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database/db.sqlite3", "postgresql": "database/db.pgdump"}
SUPPORTED_VENDORS = tuple(DATABASE_FILES)
MAX_MANIFEST_BYTES = 64 * 1024 * 1024


class _Unwritable(Exception):
    """Writing an extracted file failed (a problem here, not in the archive)."""



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



def _public_content_version():
    """All three counters (base.models.PublicContentVersion): each must pass its old count after a restore."""
    try:
        return PublicContentVersion.current_versions()
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

    try:
        public_content_changed(above=previous_version)
    except django.db.Error:
        pass  # an older schema; `migrate` comes next anyway
    for cache in caches.all(initialized_only=False):
        cache.clear()

