"""import_access_log: reads nginx answered from its cache, counted once, whatever happens to the log."""

import datetime
import os
from io import StringIO
from urllib.parse import quote, unquote

import pytest
from django.core.management import CommandError, call_command

from readership.models import ImportedAccessLog

from .helpers import BROWSER, GOOGLEBOT, reads, total_reads

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 1)


def line(path, status=200, cache="HIT", method="GET", agent=BROWSER, when="01/Dec/2026:10:00:00 +0700",
         address="203.0.113.7"):
    return f'{address} - - [{when}] "{method} {path} HTTP/1.1" {status} 5120 "-" "{agent}" "{cache}"\n'


def run(*paths, **options):
    out = StringIO()
    call_command("import_access_log", *map(str, paths), stdout=out, **options)
    return out.getvalue()


def logged(url):
    return quote(unquote(url))  # as nginx logs it: percent-encoded UTF-8


@pytest.fixture
def url(article):
    assert "%E0%B8" in logged(article.url)  # Thai slugs
    return logged(article.url)


def test_a_log_counts_only_its_cache_hits(tmp_path, article, library, url):
    log = tmp_path / "access.log"
    log.write_text(
        line(url)  # counted
        + line(url, cache="STALE") + line(url, cache="UPDATING")  # counted: answered from the cache
        + line(url, cache="MISS") + line(url, cache="BYPASS") + line(url, cache="EXPIRED")  # the app counted these
        + line(url, cache="-")
        + line(url + "?page=2")  # counted: the same page
        + line(logged(library.url)) + line(logged(library.url) + "?department=klang")
        + line(url, method="HEAD") + line(url, method="POST")
        + line(url, status=304) + line(url, status=404) + line("/no-such-page/")
        + line(url, agent=GOOGLEBOT) + line(url, agent="-")
        + line("/search/?q=x") + line("/static/css/khlang.css") + line("/documents/1/a.pdf")
        + line("/admin/") + line("/api/search/?q=x") + line("/feeds/latest/")
    )
    output = run(log)
    assert reads(article, DAY) == 4
    assert reads(library, DAY) == 2
    assert total_reads() == 6
    assert "นับเป็นการอ่าน 6" in output and "บรรทัดรูปแบบผิด 0" in output


def test_reimporting_adds_nothing(tmp_path, article, url):
    log = tmp_path / "access.log"
    log.write_text(line(url) * 3)
    run(log)
    run(log)
    assert reads(article, DAY) == 3
    with log.open("a") as f:  # nginx goes on writing: only the new lines count
        f.write(line(url) * 2)
    run(log)
    run(log)
    assert reads(article, DAY) == 5


def test_a_line_being_written_waits_for_the_next_run(tmp_path, article, url):
    log = tmp_path / "access.log"
    whole = line(url)
    log.write_text(whole + whole[:30])
    run(log)
    assert reads(article, DAY) == 1
    with log.open("a") as f:
        f.write(whole[30:])
    run(log)
    assert reads(article, DAY) == 2


def test_a_rotated_log_adds_nothing_and_its_last_lines_are_not_lost(tmp_path, article, url):
    log, rotated = tmp_path / "access.log", tmp_path / "access.log.1"
    log.write_text(line(url) * 2)
    run(log)
    with log.open("a") as f:  # written after the last import, just before the rotation
        f.write(line(url))
    os.rename(log, rotated)  # logrotate renames; nginx reopens a new file
    log.write_text(line(url, when="01/Dec/2026:10:05:00 +0700") * 4)
    run(rotated, log, missing_ok=True)
    assert reads(article, DAY) == 2 + 1 + 4
    run(rotated, log)  # and again, with the next rotation's names
    os.rename(rotated, tmp_path / "access.log.2")
    os.rename(log, rotated)
    run(rotated, tmp_path / "access.log", missing_ok=True)
    assert reads(article, DAY) == 7
    assert ImportedAccessLog.objects.count() == 2


def test_a_copy_elsewhere_is_recognised(tmp_path, article, url):
    log = tmp_path / "access.log"
    log.write_text(line(url) * 2)
    run(log)
    copy = tmp_path / "archive" / "access.log-20261201"
    copy.parent.mkdir()
    copy.write_bytes(log.read_bytes())
    run(copy)
    assert reads(article, DAY) == 2


def test_malformed_lines_are_skipped_and_counted(tmp_path, article, url):
    log = tmp_path / "access.log"
    log.write_bytes(
        line(url).encode()
        + b"garbage\n"
        + b'203.0.113.7 - - [01/Dec/2026:10:00:00 +0700] "GET / HTTP/1.1" 200 512 "-" "x"\n'  # no cache status
        + b"\xff\xfe binary \x00\n"
        + line(url, when="99/Foo/2026:10:00:00 +0700").encode()
        + line(url).encode()
    )
    output = run(log)
    assert reads(article, DAY) == 2
    assert "บรรทัดรูปแบบผิด 4" in output
    assert ImportedAccessLog.objects.get().malformed == 4


def test_days_are_counted_in_bangkok_time(tmp_path, article, url):
    log = tmp_path / "access.log"
    log.write_text(line(url, when="30/Nov/2026:18:30:00 +0000"))  # 01:30 on 1 December in Bangkok
    run(log)
    assert reads(article, DAY) == 1


def test_no_address_or_user_agent_is_stored(tmp_path, url):
    log = tmp_path / "access.log"
    log.write_text(line(url, address="198.51.100.99", agent="Mozilla/5.0 SecretAgent/1.0"))
    run(log)
    record = ImportedAccessLog.objects.get()
    stored = " ".join(str(getattr(record, f.attname)) for f in ImportedAccessLog._meta.fields)
    assert "198.51.100.99" not in stored and "SecretAgent" not in stored


def test_a_missing_file_fails_unless_allowed(tmp_path, article, url):
    log = tmp_path / "access.log"
    log.write_text(line(url))
    with pytest.raises(CommandError):
        run(tmp_path / "access.log.1", log)
    assert reads(article, DAY) == 1  # the readable one was imported all the same
    run(tmp_path / "access.log.1", log, missing_ok=True)
    assert reads(article, DAY) == 1


def test_the_worker_imports_the_configured_log(tmp_path, settings, article, url):
    log = tmp_path / "access.log"
    log.write_text(line(url) * 2)
    settings.KHLANG_ACCESS_LOG = str(log)
    call_command("run_scheduler", "--once", stdout=StringIO(), stderr=StringIO())
    assert reads(article, DAY) == 2


def test_two_imports_of_one_log_at_once_count_it_once(tmp_path, article, url, monkeypatch):
    from readership import access_log

    log = tmp_path / "access.log"
    log.write_text(line(url) * 3)
    feed = access_log.LineCounter.feed
    other_ran = []

    def feed_while_another_import_runs(self, lines, summary):
        if not other_ran:
            other_ran.append(True)
            access_log.import_logs([log])  # e.g. an administrator by hand while the worker runs
        return feed(self, lines, summary)

    monkeypatch.setattr(access_log.LineCounter, "feed", feed_while_another_import_runs)
    run(log)
    run(log)
    assert other_ran and reads(article, DAY) == 3
