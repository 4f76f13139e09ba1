"""What people see of the counts: "most read" on the home page and in listings, the admin report,
the privacy note."""

import datetime

import pytest
from django.utils import timezone

from knowledge.models import BestPracticePage, KnowledgeArticle
from readership.models import PageReadCount
from thai.dates import fiscal_year
from thai.digits import to_arabic_digits

pytestmark = pytest.mark.django_db


def give_reads(page, count, days_ago=0):
    PageReadCount.objects.create(page=page, date=timezone.localdate() - datetime.timedelta(days=days_ago), count=count)


def titles_in_order(html, pages):
    positions = {page.title: html.find(to_arabic_digits(page.title)) for page in pages}  # the page's digit style
    assert all(p >= 0 for p in positions.values()), positions
    return [title for title, _p in sorted(positions.items(), key=lambda x: x[1])]


def test_home_shows_the_most_read_knowledge_in_order(client, home):
    articles = list(KnowledgeArticle.objects.live().order_by("pk")[:3])
    practice = BestPracticePage.objects.live().first()
    give_reads(articles[2], 50)
    give_reads(practice, 30)
    give_reads(articles[0], 10, days_ago=3)
    give_reads(articles[1], 1000, days_ago=400)  # older than KHLANG_MOST_READ_DAYS
    html = client.get(home.url).content.decode()
    assert "อ่านมากที่สุด" in html
    section = html[html.index("most-read-heading"):html.index("latest-heading")]
    assert titles_in_order(section, [articles[0], practice, articles[2]]) == [
        articles[2].title, practice.title, articles[0].title]
    assert articles[1].title not in section


def test_home_has_no_most_read_section_before_any_read(client, home):
    assert "most-read-heading" not in client.get(home.url).content.decode()


def test_listing_sorts_by_most_read(client, library):
    articles = list(library.listed_items()[:4])
    give_reads(articles[3], 9)
    give_reads(articles[1], 5)
    give_reads(articles[1], 2, days_ago=1)
    give_reads(articles[2], 3)
    html = client.get(library.url, {"sort": "most_read"}).content.decode()
    assert '<option value="most_read" selected>' in html
    assert titles_in_order(html, articles[1:]) == [articles[3].title, articles[1].title, articles[2].title]
    newest_first = client.get(library.url).content.decode()
    assert '<option value="" selected>' in newest_first
    assert titles_in_order(newest_first, articles[:4]) == [a.title for a in articles[:4]]


def test_most_read_combines_with_filters_and_pages(client, library):
    klang = [a for a in library.listed_items() if a.department and a.department.code == "klang"]
    give_reads(klang[-1], 7)
    html = client.get(library.url, {"sort": "most_read", "department": "klang"}).content.decode()
    first_card = html.index('class="card-list"')
    assert html.find(klang[-1].title, first_card) < min(
        html.find(a.title, first_card) for a in klang[:-1] if html.find(a.title, first_card) > 0)
    assert client.get(library.url, {"sort": "most_read", "page": "2"}).status_code == 200
    assert client.get(library.url, {"sort": "no-such-order"}).status_code == 200


def test_every_listing_offers_most_read(client, home):
    for section in home.get_children().live().specific():
        if hasattr(section, "sort_orders"):
            html = client.get(section.url).content.decode()
            assert 'name="sort"' in html and "อ่านมากที่สุด" in html, section


def test_admin_report_by_month_of_the_fiscal_year(admin_client, article, library):
    this_year = fiscal_year(timezone.localdate())
    first = datetime.date(this_year - 543 - 1, 10, 1)  # 1 October: the first month of the fiscal year
    PageReadCount.objects.create(page=article, date=first, count=4)
    PageReadCount.objects.create(page=article, date=first + datetime.timedelta(days=40), count=6)  # November
    PageReadCount.objects.create(page=library, date=first + datetime.timedelta(days=3), count=2)
    PageReadCount.objects.create(page=library, date=first - datetime.timedelta(days=1), count=99)  # last fiscal year
    response = admin_client.get("/admin/reports/readership/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"ปีงบประมาณ {this_year}" in html
    assert "ต.ค." in html and "ก.ย." in html
    assert html.index(article.title) < html.index(library.title)  # most read first
    rows = response.context["object_list"]
    assert [(r["page_id"], r["total"], r["m10"], r["m11"]) for r in rows] == [(article.pk, 10, 4, 6), (library.pk, 2, 2, 0)]
    previous = admin_client.get("/admin/reports/readership/", {"year": this_year - 1})
    assert [(r["page_id"], r["total"], r["m9"]) for r in previous.context["object_list"]] == [(library.pk, 99, 99)]
    export = admin_client.get("/admin/reports/readership/", {"export": "csv"})
    assert export.status_code == 200 and article.title in b"".join(export.streaming_content).decode()


def test_the_report_is_in_the_reports_menu(admin_client):
    assert "/admin/reports/readership/" in admin_client.get("/admin/").content.decode()


def test_privacy_note_is_linked_from_every_page(client, home):
    assert 'href="/privacy/"' in client.get(home.url).content.decode()
    html = client.get("/privacy/").content.decode()
    assert "คุกกี้" in html and "ไอพี" in html
