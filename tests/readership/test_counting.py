"""Reads the app serves are counted at once; what is not a person reading a live page is not."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from wagtail import hooks

from readership.models import PageReadCount

from .helpers import BROWSER, GOOGLEBOT, reads, total_reads

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    return Client(HTTP_USER_AGENT=BROWSER)


def test_an_app_served_read_counts_at_once(reader, article):
    assert reads(article) == 0
    assert reader.get(article.url).status_code == 200
    assert reads(article) == 1
    reader.get(article.url)
    assert reads(article) == 2


def test_reads_from_the_apps_page_cache_count_too(reader, article):
    first = reader.get(article.url)
    second = reader.get(article.url)
    assert first["X-Khlang-Cache"] == "miss" and second["X-Khlang-Cache"] == "hit"
    assert reads(article) == 2


def test_signed_in_readers_count(login, staff, article):
    client = login(staff["author.klang"])
    client.defaults["HTTP_USER_AGENT"] = BROWSER
    assert client.get(article.url).status_code == 200
    assert reads(article) == 1


def test_home_and_listings_are_pages_too(reader, home, library):
    reader.get(home.url)
    reader.get(library.url, {"department": "klang"})
    assert reads(home) == 1 and reads(library) == 1


@pytest.mark.parametrize("agent", [GOOGLEBOT, "curl/8.5.0", "python-requests/2.32", "", "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"])
def test_bots_and_scripts_do_not_count(article, agent):
    assert Client(HTTP_USER_AGENT=agent).get(article.url).status_code == 200
    assert total_reads() == 0


def test_not_found_does_not_count(reader, library):
    assert reader.get(library.url + "no-such-item/").status_code == 404
    assert reader.get("/no-such-page/").status_code == 404
    assert total_reads() == 0


def test_head_does_not_count(reader, article):
    assert reader.head(article.url).status_code == 200
    # nginx asks the app with GET for a reader's HEAD; it says so in X-Khlang-Method
    assert reader.get(article.url, HTTP_X_KHLANG_METHOD="HEAD").status_code == 200
    assert total_reads() == 0


def test_search_api_feeds_and_admin_do_not_count(reader, admin_client, article):
    for url in ["/search/?q=ภาษี", "/api/search/?q=ภาษี", "/api/search/suggest/?q=ภา", "/feeds/latest/",
                "/sitemap.xml", "/robots.txt", "/privacy/"]:
        assert reader.get(url).status_code == 200, url
    admin_client.defaults["HTTP_USER_AGENT"] = BROWSER
    assert admin_client.get(f"/admin/pages/{article.pk}/").status_code == 200
    assert admin_client.get(f"/admin/pages/{article.pk}/edit/").status_code == 200
    assert total_reads() == 0


def test_previews_do_not_count(admin_client, article):
    admin_client.defaults["HTTP_USER_AGENT"] = BROWSER
    response = admin_client.get(f"/admin/pages/{article.pk}/edit/preview/")
    assert response.status_code in (200, 400)  # Wagtail's preview of the stored state
    assert admin_client.get(article.url, {"preview": "1"}).status_code == 200
    assert total_reads() == 0


def test_drafts_are_not_served_so_not_counted(reader, article):
    article.unpublish()
    assert reader.get(article.url).status_code == 404
    assert total_reads() == 0


def test_anonymous_pages_set_no_cookie(reader, article, home, library):
    for url in [home.url, library.url, article.url, article.url, "/privacy/"]:
        response = reader.get(url)
        assert response.status_code == 200
        assert not response.cookies, url
        assert "Set-Cookie" not in response
    assert reads(article) == 2


def test_nothing_about_the_reader_is_stored(reader, article):
    address, agent = "203.0.113.77", "Mozilla/5.0 UniqueReaderAgent/9.9"
    Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=address).get(article.url)
    assert reads(article) == 1
    with connection.cursor() as cursor:
        for table in ("readership_pagereadcount", "readership_importedaccesslog"):
            cursor.execute(f"SELECT * FROM {table}")
            text = repr(cursor.fetchall())
            assert address not in text and "UniqueReaderAgent" not in text
    columns = {f.name for model in (PageReadCount,) for f in model._meta.get_fields()}
    assert columns == {"id", "page", "date", "count"}


def test_count_accesses_hook_sums_days_per_page(article, library):
    day = datetime.date(2026, 3, 15)
    PageReadCount.objects.create(page=article, date=day, count=3)
    PageReadCount.objects.create(page=article, date=day + datetime.timedelta(days=1), count=4)
    PageReadCount.objects.create(page=library, date=day, count=2)
    PageReadCount.objects.create(page=library, date=day - datetime.timedelta(days=1), count=100)  # outside
    (count_accesses,) = hooks.get_hooks("count_accesses")
    assert count_accesses(day, day + datetime.timedelta(days=1)) == {article.pk: 7, library.pk: 2}
    assert count_accesses(day, day) == {article.pk: 3, library.pk: 2}
    assert count_accesses(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31)) == {}


def test_a_failure_to_count_never_fails_the_page(reader, article, monkeypatch):
    from django.db import DatabaseError

    from readership import counting

    def broken(counts):
        raise DatabaseError("the table is locked")

    monkeypatch.setattr(counting, "add_reads", broken)
    assert reader.get(article.url).status_code == 200


@pytest.fixture
def buffered(settings):
    from readership.counting import reads

    settings.KHLANG_READS_BUFFER_SECONDS = 60
    yield reads
    reads.flush()


def test_buffered_reads_are_written_by_a_later_read_or_on_exit(reader, article, library, buffered):
    for _ in range(3):
        assert reader.get(article.url).status_code == 200
    assert reads(article) == 0 and buffered.timer is not None  # in memory, a timer set to write them
    buffered.flush()  # as the process does when it exits (atexit, gunicorn's worker_exit)
    assert reads(article) == 3 and buffered.timer is None
    reader.get(article.url)
    buffered.since -= 61  # the interval has passed: the next read writes them all
    reader.get(library.url)
    assert reads(article) == 4 and reads(library) == 1


def test_buffered_reads_survive_a_failed_write(reader, article, buffered, monkeypatch):
    from django.db import DatabaseError

    from readership import counting

    reader.get(article.url)
    real = counting.add_reads

    def broken(counts):
        raise DatabaseError("the database is restarting")

    monkeypatch.setattr(counting, "add_reads", broken)
    buffered.flush()
    assert reads(article) == 0
    monkeypatch.setattr(counting, "add_reads", real)
    buffered.flush()
    assert reads(article) == 1


def test_gunicorn_workers_write_their_reads_when_they_leave(reader, article, buffered):
    import runpy

    from django.conf import settings

    worker_exit = runpy.run_path(str(settings.BASE_DIR / "deploy" / "gunicorn.conf.py"))["worker_exit"]
    reader.get(article.url)
    assert reads(article) == 0
    worker_exit(None, None)
    assert reads(article) == 1
