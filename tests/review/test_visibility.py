"""Anonymous readers never see drafts, items in review, private or retired items.

One test per public surface: the page itself, listings, the home page's latest
and featured items, the RSS and Atom feeds, the sitemap.
"""

import re
from urllib.parse import quote

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from home.models import FeaturedItem
from knowledge.models import BestPracticeIndexPage, BestPracticePage, Department, KnowledgeArticle
from review.retirement import retire
from tests.review.helpers import article_form, submit_new_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden(library, home, staff, login):
    """Knowledge in every state a reader must not see, also chosen as featured on the home page.

    Returns {state: (page, secret)} where `secret` is text only that state's page has.
    """
    klang = Department.objects.get(code="klang")
    author = login(staff["author.klang"])
    live = list(KnowledgeArticle.objects.live().order_by("pk")[:3])

    draft = KnowledgeArticle(
        title="ร่างเรื่องการเบิกจ่ายที่ยังไม่เผยแพร่", summary="ร่าง", body=[], department=klang, live=False
    )
    library.add_child(instance=draft)
    draft.save_revision(user=staff["author.klang"])

    in_review = submit_new_article(author, library, "บันทึกการตรวจรับงานจ้างที่รอตรวจ", klang)

    changed = live[0]
    changed_title = "ฉบับแก้ไขที่ยังรอหัวหน้าตรวจ"
    response = author.post(
        reverse("wagtailadmin_pages:edit", args=[changed.pk]),
        article_form(changed_title, klang, **{"action-submit": "submit"}),
    )
    assert response.status_code == 302
    changed.refresh_from_db()
    assert changed.get_latest_revision_as_object().title == changed_title
    assert changed.workflow_in_progress

    private = live[1]
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    retired = live[2]
    retire(retired, staff["editor"], "ล้าสมัย")
    retired_practice = BestPracticePage.objects.live().order_by("pk").first()
    retire(retired_practice, staff["editor"], "ล้าสมัย")

    states = {
        "draft": (draft, draft.title),
        "in review": (in_review, in_review.title),
        "changes in review": (changed, changed_title),
        "private": (private, private.title),
        "retired": (retired, retired.title),
        "retired best practice": (retired_practice, retired_practice.title),
    }
    for order, (page, _secret) in enumerate(states.values()):
        FeaturedItem.objects.create(home=home, page=page, sort_order=10 + order)
    return states


def assert_hidden(content, hidden):
    for state, (page, secret) in hidden.items():
        assert secret not in content, state
        if state != "changes in review":  # that page's published version stays public
            assert page.slug not in content and quote(page.slug) not in content, state


def all_listing_pages(client, url):
    """Every page of a paginated listing, concatenated."""
    pages, number = [], 1
    while True:
        response = client.get(url, {"page": number})
        assert response.status_code == 200
        pages.append(response.content.decode())
        if f"page={number + 1}" not in pages[-1]:
            return "".join(pages)
        number += 1


def test_the_pages_themselves(client, hidden, staff):
    assert client.get(hidden["draft"][0].url or "/x/").status_code == 404
    in_review = hidden["in review"][0]
    assert client.get(f"/คลังองค์ความรู้/{in_review.slug}/").status_code == 404

    changed, changed_title = hidden["changes in review"]
    response = client.get(changed.url)
    assert response.status_code == 200 and changed_title not in response.content.decode()

    private = hidden["private"][0]
    response = client.get(private.url)
    assert response.status_code == 302 and "login" in response.url
    client.force_login(staff["author.palad"])  # "logged-in users only": any member of staff
    assert client.get(private.url).status_code == 200
    client.logout()

    for state in ("retired", "retired best practice"):
        page = hidden[state][0]
        response = client.get(f"{page.get_parent().url}{page.slug}/")
        assert response.status_code == 410
        assert page.summary not in response.content.decode()


def test_listings(client, hidden, library):
    content = all_listing_pages(client, library.url)
    assert KnowledgeArticle.objects.live().public().order_by("-date").first().title in content
    assert_hidden(content, hidden)
    assert_hidden(all_listing_pages(client, BestPracticeIndexPage.objects.get().url), hidden)


def test_home_page_latest_and_featured(client, hidden, home):
    content = client.get(home.url).content.decode()
    assert KnowledgeArticle.objects.live().public().order_by("-first_published_at").first().title in content
    assert_hidden(content, hidden)


@pytest.mark.parametrize("feed", ["feed_latest", "feed_latest_atom"])
def test_feeds(client, hidden, feed):
    response = client.get(reverse(feed))
    assert response.status_code == 200
    content = response.content.decode()
    assert re.search(r"<(item|entry)>", content)
    assert_hidden(content, hidden)


def test_sitemap(client, hidden):
    content = client.get(reverse("sitemap")).content.decode()
    assert "<loc>" in content
    assert_hidden(content, hidden)
