"""Backups: `manage.py backup` and `manage.py restore`, run for real.

The commands replace a whole database, which the test database (a transaction,
or SQLite in memory) cannot stand for. So each test works on a scratch site:
its own database — a SQLite file, or, when DATABASE_URL is a PostgreSQL URL (the
second run of scripts/test.sh), a new database on that PostgreSQL server — and
its own media folder, set up like a real installation with `manage.py migrate`
and `load_demo`. The commands run as `manage.py` subprocesses, as cron or an
administrator runs them, and the site's state is read back through
`manage.py shell`. Every run tests its own database vendor; nothing is skipped.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import textwrap
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import django
import pytest
import wagtail

pytestmark = pytest.mark.slow

BASE_DIR = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = DATABASE_URL.startswith(("postgres://", "postgresql://", "pgsql://"))
VENDOR = "postgresql" if ON_POSTGRES else "sqlite"
MARK = "KHLANG-TEST-JSON:"

# An uploaded document: bytes that are not text, and a Thai title.
DOC_TITLE = "คู่มือสำรองข้อมูล (ทดสอบ)"
DOC_BYTES = b"%PDF-1.4\n" + bytes(range(256)) * 64 + "ไฟล์แนบภาษาไทย\n".encode()
IMAGE_TITLE = "ภาพทดสอบการสำรองข้อมูล"
REVISED_SUMMARIES = ["ฉบับแก้ไขครั้งที่ 1", "ฉบับแก้ไขครั้งที่ 2", "ฉบับร่างครั้งที่ 3 (ยังไม่เผยแพร่)"]
DRAFT_TITLE = "ร่างความรู้ระหว่างการกลั่นกรอง (ทดสอบสำรองข้อมูล)"

# Code run inside the scratch site (`manage.py shell -c`): helpers first.
PRELUDE = f"""
import hashlib, json, os
from pathlib import Path
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry, Revision, TaskState, WorkflowState
from backup.database import count_rows

def emit(value):
    print({MARK!r} + json.dumps(value, ensure_ascii=False, default=str))

def digest(field):
    try:
        with field.storage.open(field.name, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except FileNotFoundError:
        return "missing"

def media():
    root = Path(settings.MEDIA_ROOT)
    return {{
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*")) if path.is_file()
    }} if root.exists() else {{}}

def snapshot():
    with connection.cursor() as cursor:
        counts = count_rows(cursor)
    return {{
        "counts": counts,
        "tables": sorted(connection.introspection.table_names()),
        "pages": [[p.id, p.title, p.url_path, p.live, p.has_unpublished_changes, p.latest_revision_id, p.live_revision_id]
                  for p in Page.objects.order_by("id")],
        "revisions": [[r.id, r.object_id, r.user_id, r.created_at.isoformat(), r.content]
                      for r in Revision.page_revisions.order_by("id")],
        "documents": [[d.id, d.title, d.file.name, d.file_size, digest(d.file)]
                      for d in get_document_model().objects.order_by("id")],
        "images": [[i.id, i.title, i.file.name, i.width, i.height, digest(i.file),
                    sorted([r.filter_spec, r.file.name, digest(r.file)] for r in i.renditions.all())]
                   for i in get_image_model().objects.order_by("id")],
        "workflow_states": [[w.id, w.object_id, w.workflow.name, w.status, w.current_task_state_id,
                             w.requested_by.username, w.created_at.isoformat()]
                            for w in WorkflowState.objects.order_by("id")],
        "task_states": [[t.id, t.workflow_state_id, t.task.name, t.status, t.revision_id,
                         t.finished_by.username if t.finished_by else None, t.comment]
                        for t in TaskState.objects.order_by("id")],
        "page_log": [[e.id, e.action, e.page_id, e.user_id, e.timestamp.isoformat()]
                     for e in PageLogEntry.objects.order_by("id")],
        "users": sorted(get_user_model().objects.values_list("username", flat=True)),
        "media": media(),
    }}
"""

# What the backup must keep beyond the demo site: an uploaded document with its
# file, an image with a rendition, a page with several revisions and a draft
# with workflow history (submitted, first step approved, second step in progress).
ADD_CONTENT = f"""
import io
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from knowledge.models import Department, KnowledgeArticle, KnowledgeIndexPage

users = get_user_model().objects
admin, author, reviewer = (users.get(username=name) for name in ("admin", "author.klang", "reviewer.klang"))

document = get_document_model()(title={DOC_TITLE!r}, uploaded_by_user=admin)
document.file.save("คู่มือ-สำรองข้อมูล.pdf", ContentFile({DOC_BYTES!r}), save=False)
document.file_size = len({DOC_BYTES!r})
document.save()

buffer = io.BytesIO()
PILImage.new("RGB", (64, 48), (180, 40, 40)).save(buffer, "PNG")
image = get_image_model()(
    title={IMAGE_TITLE!r}, uploaded_by_user=admin, file=ImageFile(buffer, name="backup-test.png"),
)
image.save()
image.get_rendition("fill-32x24")

article = KnowledgeArticle.objects.live().order_by("pk").first()
for number, summary in enumerate({REVISED_SUMMARIES!r}):
    article.summary = summary
    revision = article.save_revision(user=admin, log_action=True)
    if number < 2:
        revision.publish(user=admin)

draft = KnowledgeArticle(
    title={DRAFT_TITLE!r}, summary="ร่างของผู้เขียน", body=[("paragraph", "<p>ขั้นตอนที่ใช้จริง</p>")],
    department=Department.objects.get(code="klang"), owner=author, live=False,
)
KnowledgeIndexPage.objects.get().add_child(instance=draft)
draft.save_revision(user=author)
draft.get_workflow().start(draft, author)
state = Page.objects.get(pk=draft.pk).current_workflow_task_state
state.task.specific.on_action(state, reviewer, "approve", comment="ข้อมูลถูกต้อง")
emit({{"ids": {{"article": article.pk, "draft": draft.pk, "document": document.pk}}, "snapshot": snapshot()}})
"""

# Wipe the site after the backup: pages, revisions, documents, images, media; add strays.
WIPE = """
import shutil
from django.db import connection
for child in Page.objects.get(depth=2).get_children():
    child.delete()
Revision.objects.all().delete()
get_document_model().objects.all().delete()
get_image_model().objects.all().delete()
get_user_model().objects.create_user("intruder", password="x" * 12)
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE stray_after_backup (id integer)")
root = Path(settings.MEDIA_ROOT)
for entry in root.iterdir():
    shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
(root / "stray-after-backup.txt").write_text("not in the backup")
emit(snapshot())
"""

# A small change, so that a restore that should have been refused would show.
MARK_SITE = """
Page.objects.filter(depth=2).update(title="เปลี่ยนหลังสำรองข้อมูล")
(Path(settings.MEDIA_ROOT) / "marker-after-backup.txt").write_text("marker")
emit(snapshot())
"""

# After a restore: the restored database takes new rows (sequences), needs no
# migration, and serves its pages.
AFTER_RESTORE = """
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
executor = MigrationExecutor(connection)
unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
highest = [get_user_model().objects.order_by("-id").first().id, get_document_model().objects.order_by("-id").first().id]
user = get_user_model().objects.create_user("after.restore", password="x" * 12)
document = get_document_model().objects.create(title="หลังกู้คืน")
new_ids = [user.id, document.id]
user.delete()
document.delete()
integrity = "ok"
if connection.vendor == "sqlite":
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        integrity = cursor.fetchone()[0]
from thai.digits import to_arabic_digits  # pages show the agency's digit style, Arabic by default
client = Client()
pages = {}
for page in Page.objects.live().filter(depth__in=[2, 3]).specific():
    response = client.get(page.url)
    pages[page.url] = [response.status_code, to_arabic_digits(page.title) in response.content.decode()]
article = Page.objects.get(pk=ARTICLE).specific
article_html = client.get(article.url).content.decode()
emit({"unapplied": len(unapplied), "highest": highest, "new_ids": new_ids, "integrity": integrity,
      "pages": pages, "article": [to_arabic_digits(article.title) in article_html,
                                  to_arabic_digits(article.summary) in article_html, article.summary]})
"""


# The scratch site ------------------------------------------------------------------------


def pg_settings(url):
    return dj_database_url.parse(url)


def pg_tool_env(url):
    from backup.database import pg_env

    return pg_env(pg_settings(url))


def create_pg_database(server_url):
    """A new, empty database on the server of ``server_url``; returns its URL."""
    name = f"khlang_backup_test_{uuid.uuid4().hex[:10]}"
    assert shutil.which("createdb"), "createdb (Debian's postgresql-client) is needed for the PostgreSQL backup tests"
    subprocess.run(["createdb", name], env=pg_tool_env(server_url), check=True, capture_output=True)
    return urlsplit(server_url)._replace(path=f"/{name}").geturl()


def drop_pg_database(url):
    name = pg_settings(url)["NAME"]
    subprocess.run(["dropdb", "--if-exists", "--force", name], env=pg_tool_env(url), capture_output=True)


class ScratchSite:
    """A site with its own database and media folder, driven through manage.py."""

    def __init__(self, folder, vendor, database_url=None):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.vendor = vendor
        self.media_root = self.folder / "media"
        self.backup_dir = self.folder / "backups"
        self.sqlite_path = self.folder / "db.sqlite3"
        self.database_url = database_url
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("KHLANG_", "DJANGO_", "DATABASE_URL"))}
        env.update({
            "DJANGO_SETTINGS_MODULE": "khlang.settings.dev",
            "KHLANG_MEDIA_ROOT": str(self.media_root),
            "KHLANG_BACKUP_DIR": str(self.backup_dir),
            "KHLANG_SQLITE_PATH": str(self.sqlite_path),
            "KHLANG_DB_CONN_MAX_AGE": "0",
            "KHLANG_PAGE_CACHE_SECONDS": "0",
            "PYTHONUNBUFFERED": "1",
        })
        if database_url:
            env["DATABASE_URL"] = database_url
        self.env = env

    def manage(self, *args, stdin="", env=None):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env={**self.env, **(env or {})},
            input=stdin, capture_output=True, text=True, timeout=900,
        )

    def ok(self, *args, **kwargs):
        result = self.manage(*args, **kwargs)
        assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        return result

    def run(self, code):
        """Run code in the site (after PRELUDE); returns what it emit()ted."""
        result = self.ok("shell", "-v", "0", "-c", PRELUDE + textwrap.dedent(code))
        lines = [line for line in result.stdout.splitlines() if line.startswith(MARK)]
        assert lines, result.stdout + result.stderr
        return json.loads(lines[-1][len(MARK):])

    def snapshot(self):
        return self.run("emit(snapshot())")

    def restore(self, archive, *args, stdin=""):
        return self.manage("restore", str(archive), *args, stdin=stdin)

    def backup(self, *args):
        result = self.ok("backup", *args)
        return Path(re.search(r"^Backup written: (.+)$", result.stdout, re.M).group(1)), result.stdout


def make_site(site, demo=True):
    """Install the site: migrate, and load the demo agency."""
    site.ok("migrate", "--noinput", "-v", "0")
    if demo:
        site.ok("load_demo", "-v", "0")
    return site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The demo site plus the extra content, backed up: (site, archive, snapshot at backup time, backup output)."""
    database_url = create_pg_database(DATABASE_URL) if VENDOR == "postgresql" else None
    try:
        site = make_site(ScratchSite(tmp_path_factory.mktemp("backup-site"), VENDOR, database_url))
        added = site.run(ADD_CONTENT)
        site.ids, before = added["ids"], added["snapshot"]
        archive, output = site.backup()  # into $KHLANG_BACKUP_DIR
        yield site, archive, before, output
    finally:
        if database_url:
            drop_pg_database(database_url)


def read_manifest(archive):
    with tarfile.open(archive, "r:gz") as tar:
        return json.load(tar.extractfile("manifest.json"))


# The archive -------------------------------------------------------------------------------------


def test_backup_writes_one_archive_with_database_media_and_manifest(site):
    site, archive, before, output = site
    assert archive.parent == site.backup_dir
    assert re.fullmatch(r"khlang-backup-\d{8}-\d{6}\.tar\.gz", archive.name)
    assert oct(archive.stat().st_mode & 0o777) == oct(0o600)  # it holds password hashes
    assert [p.name for p in site.backup_dir.iterdir()] == [archive.name]  # no work files left behind

    manifest = read_manifest(archive)
    assert manifest["format"] == "khlang-backup" and manifest["format_version"] == 1
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", manifest["created_at"])
    assert manifest["versions"]["django"] == django.get_version()
    assert manifest["versions"]["wagtail"] == wagtail.__version__
    assert manifest["database"]["vendor"] == VENDOR
    assert manifest["counts"] == before["counts"]
    counts = manifest["counts"]
    assert set(counts) >= {"pages", "page_revisions", "documents", "images", "workflow_states", "users"}
    assert counts["pages"] > 50 and counts["documents"] >= 4 and counts["images"] == 1
    # the demo plan's approval by คุณเอื้อ, and the draft's review under way
    assert counts["workflow_states"] == 2 and counts["task_states"] == 3

    # A SHA-256 of every file in the archive, and nothing unlisted.
    found = {}
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name != "manifest.json":
                found[member.name] = hashlib.sha256(tar.extractfile(member).read()).hexdigest()
        database = tar.extractfile(manifest["database"]["file"]).read()
    assert found == {name: entry["sha256"] for name, entry in manifest["files"].items()}
    assert {name.removeprefix("media/") for name in found if name.startswith("media/")} == set(before["media"])
    media = {name.removeprefix("media/"): digest for name, digest in found.items() if name.startswith("media/")}
    assert media == before["media"]
    assert any(name.startswith("images/") for name in media)  # the rendition too
    assert hashlib.sha256(DOC_BYTES).hexdigest() in media.values()

    # The database dump is the vendor's own format.
    if VENDOR == "sqlite":
        assert database.startswith(b"SQLite format 3\x00")
    else:
        assert database.startswith(b"PGDMP")

    # The command prints where the archive is and the counts.
    assert f"Backup written: {archive}" in output
    for name, value in counts.items():
        assert re.search(rf"^\s+{name}\s+{value}$", output, re.M), output


# Back up, wipe, restore --------------------------------------------------------------------------


def test_wipe_then_restore_brings_everything_back(site):
    site, archive, before, _ = site
    wiped = site.run(WIPE)
    assert wiped["counts"]["pages"] == 2 and wiped["counts"]["documents"] == 0 and wiped["counts"]["images"] == 0
    assert wiped["counts"]["page_revisions"] == 0 and wiped["counts"]["workflow_states"] == 0
    assert wiped["media"] == {"stray-after-backup.txt": hashlib.sha256(b"not in the backup").hexdigest()}
    assert "stray_after_backup" in wiped["tables"] and "intruder" in wiped["users"]

    result = site.restore(archive, "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Restored {archive}" in result.stdout
    for name, value in before["counts"].items():
        assert re.search(rf"^\s+{name}\s+{value}$", result.stdout, re.M), result.stdout

    after = site.snapshot()
    assert after["pages"] == before["pages"]  # titles, url paths, live state, revision pointers
    assert after["revisions"] == before["revisions"]  # count and content
    assert after["documents"] == before["documents"]  # titles and file bytes
    assert after["images"] == before["images"]
    assert after["workflow_states"] == before["workflow_states"]
    assert after["task_states"] == before["task_states"]
    assert after["page_log"] == before["page_log"]  # the workflow history in the page log
    assert after["users"] == before["users"]
    assert after["media"] == before["media"]  # the stray file is gone, no work folders remain
    assert after["tables"] == before["tables"]  # the table made after the backup is gone
    assert after == before

    # The pieces the issue names, spelled out.
    article = next(p for p in after["pages"] if p[0] == site.ids["article"])
    revisions = [r for r in after["revisions"] if r[1] == str(site.ids["article"])]
    assert [r[4]["summary"] for r in revisions[-3:]] == REVISED_SUMMARIES
    assert article[4] is True  # the third revision is still an unpublished draft
    document = next(d for d in after["documents"] if d[0] == site.ids["document"])
    assert document[1] == DOC_TITLE and document[4] == hashlib.sha256(DOC_BYTES).hexdigest()
    [workflow] = [w for w in after["workflow_states"] if w[1] == str(site.ids["draft"])]
    assert workflow[3] == "in_progress"
    assert [t[3] for t in after["task_states"] if t[1] == workflow[0]] == ["approved", "in_progress"]
    assert next(p for p in after["pages"] if p[0] == site.ids["draft"])[1] == DRAFT_TITLE

    check = site.run(f"ARTICLE = {site.ids['article']}\n" + AFTER_RESTORE)
    assert check["unapplied"] == 0
    assert all(new > old for new, old in zip(check["new_ids"], check["highest"], strict=True))  # sequences restored
    assert check["integrity"] == "ok"
    assert len(check["pages"]) > 3 and all(status == [200, True] for status in check["pages"].values()), check["pages"]
    assert check["article"] == [True, True, REVISED_SUMMARIES[1]]  # the live revision, as published


def test_restore_onto_a_new_server(site, tmp_path):
    """Disaster recovery: a fresh installation whose database is empty (not even migrated)
    and whose media folder does not exist yet."""
    site, archive, before, _ = site
    database_url = create_pg_database(DATABASE_URL) if VENDOR == "postgresql" else None
    try:
        new = ScratchSite(tmp_path / "new-server", VENDOR, database_url)
        result = new.restore(archive, "--yes")
        assert result.returncode == 0, result.stdout + result.stderr
        assert "needs migrations" not in result.stdout
        assert new.snapshot() == before
    finally:
        if database_url:
            drop_pg_database(database_url)


# Refusals ------------------------------------------------------------------------------------------


def damaged_copies(archive, folder):
    """A truncated archive, one with flipped bytes, and a well-formed one whose media was altered."""
    data = archive.read_bytes()
    truncated = folder / "truncated.tar.gz"
    truncated.write_bytes(data[: len(data) // 2])
    flipped = folder / "flipped.tar.gz"
    middle = len(data) // 2
    flipped.write_bytes(data[:middle] + bytes(b ^ 0xFF for b in data[middle:middle + 64]) + data[middle + 64:])
    unpacked = folder / "unpacked"
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(unpacked, filter="data")
    victim = next(p for p in sorted((unpacked / "media").rglob("*")) if p.is_file())
    victim.write_bytes(victim.read_bytes() + b"tampered")
    tampered = folder / "tampered.tar.gz"
    with tarfile.open(tampered, "w:gz") as tar:
        for name in ["database", "media", "manifest.json"]:
            tar.add(unpacked / name, arcname=name)
    return {"truncated": truncated, "flipped": flipped, "tampered": tampered}


def test_a_corrupt_archive_is_refused_and_nothing_changes(site, tmp_path):
    site, archive, before, _ = site
    marked = site.run(MARK_SITE)
    assert marked != before

    messages = {
        "truncated": ["is damaged or truncated"],
        # a flipped byte breaks the compressed stream, its CRC, or (in a stored block) a checksum
        "flipped": ["is damaged or truncated", "does not match its SHA-256 checksum"],
        "tampered": ["does not match its SHA-256 checksum"],
    }
    for kind, damaged in damaged_copies(archive, tmp_path).items():
        result = site.restore(damaged, "--yes")
        assert result.returncode != 0, (kind, result.stdout)
        assert any(message in result.stderr for message in messages[kind]), (kind, result.stderr)
        assert "othing was changed" in result.stderr, (kind, result.stderr)
        assert "Replacing" not in result.stdout

    # Answering anything but "yes" at the prompt cancels, too.
    result = site.restore(archive, stdin="no\n")
    assert result.returncode != 0 and "Restore cancelled" in result.stderr
    assert "Type 'yes' to continue" in result.stdout and "REPLACES" in result.stdout

    assert site.snapshot() == marked  # database and media untouched

    # The good archive still restores (and puts the site back for the other tests).
    assert site.restore(archive, "--yes").returncode == 0
    assert site.snapshot() == before


def test_bad_input_gives_a_clear_error(site, tmp_path):
    """Refused before the database is opened: these run in the test process, where any
    database access would fail the test (no django_db mark)."""
    from django.conf import settings
    from django.core.management import CommandError, call_command

    site, archive, before, _ = site
    (tmp_path / "notes.txt").write_text("ไม่ใช่ไฟล์สำรองข้อมูล")
    (tmp_path / "photo.tar.gz").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    with tarfile.open(tmp_path / "other.tar.gz", "w:gz") as tar:
        tar.add(BASE_DIR / "README.md", arcname="README.md")
    cases = {
        tmp_path / "missing.tar.gz": "No such backup archive",
        tmp_path: "is not a file",
        tmp_path / "notes.txt": "not gzip-compressed",
        tmp_path / "photo.tar.gz": "not gzip-compressed",
        tmp_path / "other.tar.gz": "has no manifest.json",
    }
    for path, message in cases.items():
        with pytest.raises(CommandError, match=message):
            call_command("restore", str(path), yes=True, verbosity=0)
    with pytest.raises(CommandError, match="ARCHIVE"):
        call_command("restore")
    with pytest.raises(CommandError, match="must be a folder or a new .tar.gz"):
        call_command("backup", output=str(tmp_path / "notes.txt"), verbosity=0)
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", output=str(archive), verbosity=0)
    with pytest.raises(CommandError, match="must not be written inside MEDIA_ROOT"):
        call_command("backup", output=str(Path(settings.MEDIA_ROOT) / "backups"), verbosity=0)

    # From the shell: the message on stderr, a non-zero exit code, no traceback.
    result = site.restore(tmp_path / "notes.txt", "--yes")
    assert result.returncode == 1
    assert result.stderr.startswith("CommandError: ") and "not gzip-compressed" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_archive_of_another_database_vendor_is_refused(site, tmp_path):
    site, archive, before, _ = site
    if VENDOR == "sqlite":
        # This SQLite backup into a site on PostgreSQL: refused before any connection is made
        # (the server named here does not exist).
        other = ScratchSite(tmp_path, "postgresql", "postgres://khlang@127.0.0.1:9/khlang_nowhere")
        result = other.restore(archive, "--yes")
        assert result.returncode != 0
        assert "is a backup of a SQLite database, but this site uses PostgreSQL" in result.stderr, result.stderr
        assert "Nothing was changed" in result.stderr
        assert not other.media_root.exists()
        return

    # On PostgreSQL: this PostgreSQL backup into a SQLite site, and a SQLite backup into this site.
    sqlite_site = make_site(ScratchSite(tmp_path / "sqlite", "sqlite"), demo=False)
    sqlite_archive, _ = sqlite_site.backup("--output", str(tmp_path / "sqlite-site.tar.gz"))
    sqlite_bytes = sqlite_site.sqlite_path.read_bytes()
    result = sqlite_site.restore(archive, "--yes")
    assert result.returncode != 0
    assert "is a backup of a PostgreSQL database, but this site uses SQLite" in result.stderr, result.stderr
    assert sqlite_site.sqlite_path.read_bytes() == sqlite_bytes
    assert not sqlite_site.media_root.exists()

    marked = site.run(MARK_SITE)
    result = site.restore(sqlite_archive, "--yes")
    assert result.returncode != 0
    assert "is a backup of a SQLite database, but this site uses PostgreSQL" in result.stderr, result.stderr
    assert site.snapshot() == marked
    assert site.restore(archive, "--yes").returncode == 0
    assert site.snapshot() == before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_commands_on_the_test_database_itself(settings, tmp_path):
    """In this process, on pytest's own test database: on SQLite an in-memory database, which
    the commands copy through Django's open connection (a file database is opened by name),
    on PostgreSQL the test database, with the site's connection open meanwhile."""
    import io

    from django.core.management import call_command
    from wagtail.models import Page

    from base.models import PublicContentVersion

    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "documents").mkdir(parents=True)
    (tmp_path / "media" / "documents" / "แนบ.txt").write_text("ไฟล์แนบ")
    archive = tmp_path / "backups" / "test-db.tar.gz"
    out = io.StringIO()
    call_command("backup", output=str(archive), stdout=out)
    assert f"Backup written: {archive}" in out.getvalue()
    assert read_manifest(archive)["database"]["vendor"] == VENDOR

    home = Page.objects.get(depth=2)
    pages = list(Page.objects.order_by("pk").values_list("pk", "title", "url_path"))
    version = PublicContentVersion.current()
    Page.objects.filter(pk=home.pk).update(title="เปลี่ยนแล้ว")
    Page.objects.filter(depth__gt=3).delete()
    (tmp_path / "media" / "documents" / "แนบ.txt").unlink()
    (tmp_path / "media" / "stray.txt").write_text("stray")

    out = io.StringIO()
    call_command("restore", str(archive), yes=True, stdout=out)
    assert list(Page.objects.order_by("pk").values_list("pk", "title", "url_path")) == pages
    files = sorted(p.relative_to(tmp_path / "media").as_posix() for p in (tmp_path / "media").rglob("*") if p.is_file())
    assert files == ["documents/แนบ.txt"]
    assert PublicContentVersion.current() > version  # pages cached before the restore are not served
