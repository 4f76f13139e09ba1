"""Caches never mix audiences: whatever is cached while signed-in staff read (the app's page
cache, every template fragment, nginx's page cache) is never served to an anonymous reader.

Each test fills the caches as staff first, with a staff-only item in view, then reads
the same URLs anonymously.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from wagtail.models import PageViewRestriction

from cop.models import CommunityPage, DialogueSummaryPage

pytestmark = pytest.mark.django_db

@pytest.fixture
def staff_only(article):
    article.date = datetime.date.today()  # first in the listing
    article.fiscal_year_override = 2501  # a year only this item has, in the listing's year menu
    article.save_revision().publish()
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    article.refresh_from_db()
    return article


def test_listing_and_its_fragments_filled_by_staff_never_reach_anonymous(client, login, staff, library, staff_only):
    reader = login(staff["author.klang"])
    for _ in range(2):  # the second read comes from the fragment caches
        html = reader.get(library.url).content.decode()
        assert staff_only.title in html and "2501" in html and "เฉพาะเจ้าหน้าที่" in html
    for _ in range(2):  # the first fills the app's page cache, the second reads it
        response = client.get(library.url)
        html = response.content.decode()
        assert "2501" not in html and "เฉพาะเจ้าหน้าที่" not in html
        assert staff_only.title not in html
    assert response["X-Khlang-Cache"] == "hit"


def test_staff_reads_are_never_kept_by_the_page_cache(client, login, staff, library, staff_only):
    response = login(staff["author.klang"]).get(library.url)
    assert "X-Khlang-Cache" not in response and "X-Accel-Expires" not in response
    assert client.get(library.url)["X-Khlang-Cache"] == "miss"  # staff filled nothing


def test_community_page_filled_by_staff(client, login, staff):
    dialogue = DialogueSummaryPage.objects.live().order_by("pk").first()
    community = CommunityPage.objects.get(pk=dialogue.get_parent().pk)
    PageViewRestriction.objects.create(page=dialogue, restriction_type=PageViewRestriction.LOGIN)
    assert dialogue.title in login(staff["editor"]).get(community.url).content.decode()
    assert dialogue.title not in client.get(community.url).content.decode()


def test_search_and_api_are_never_cached(client, login, staff, staff_only):
    reader = login(staff["author.klang"])
    marker = staff_only.url.split("/")[-2]  # its slug, in result links
    for url in (reverse("search"), reverse("api_search")):
        assert marker in reader.get(url, {"q": staff_only.title}).content.decode()
        assert marker not in client.get(url, {"q": staff_only.title}).content.decode()


def test_fragment_keys_differ_by_audience(rf, staff):
    from django.contrib.auth.models import AnonymousUser

    from khlang.context_processors import fragment_cache

    anonymous, signed_in = rf.get("/"), rf.get("/")
    anonymous.user, signed_in.user = AnonymousUser(), staff["editor"]
    public_key = str(fragment_cache(anonymous)["content_version"])
    staff_key = str(fragment_cache(signed_in)["content_version"])
    assert staff_key == public_key + "-signed-in"


def test_nginx_never_caches_or_serves_cached_pages_with_a_session():
    template = (settings.BASE_DIR / "deploy" / "nginx.conf.template").read_text()
    cookie = f"$cookie_{settings.SESSION_COOKIE_NAME}"
    for directive in ("proxy_cache_bypass", "proxy_no_cache"):
        # the page location's directive (the content version's own is keyed by no cookie at all)
        lines = re.findall(rf"^\s*{directive}\s+([^;]+);", template, re.MULTILINE)
        assert any(cookie in line.split() for line in lines), directive


@pytest.mark.slow
def test_nginx_page_cache_filled_by_staff_is_not_served_anonymously(stack):
    from tests.khlang.test_production import FIND_ARTICLE, fetch, manage

    make_private = (
        "from wagtail.models import PageViewRestriction\n"
        "PageViewRestriction.objects.get_or_create(page=article, restriction_type=PageViewRestriction.LOGIN)\n"
        "print(article.get_parent().url)"
    )
    listing = (  # the article's listing, filtered to the article (the listing's first page has others)
        stack["base"] + manage(stack["env"], "shell", "--no-imports", "-c", FIND_ARTICLE + make_private).stdout.strip()
        + "?tag=LTAX3000"
    )
    title = manage(stack["env"], "shell", "--no-imports", "-c", FIND_ARTICLE + "print(article.title)").stdout.strip()
    session = manage(stack["env"], "shell", "--no-imports", "-c", (
        "from django.contrib.auth import get_user_model\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "user = get_user_model().objects.get(username='author.klang')\n"
        "s = SessionStore()\n"
        "s['_auth_user_id'] = str(user.pk)\n"
        "s['_auth_user_backend'] = 'django.contrib.auth.backends.ModelBackend'\n"
        "s['_auth_user_hash'] = user.get_session_auth_hash()\n"
        "s.create()\n"
        "print(s.session_key)"
    )).stdout.strip()
    for _ in range(2):
        status, headers, body = fetch(listing, headers={"Cookie": f"sessionid={session}"})
        assert status == 200 and title in body.decode() and headers["X-Khlang-Edge-Cache"] == "BYPASS"
    for _ in range(2):
        status, headers, body = fetch(listing)
        assert status == 200 and title not in body.decode()
    assert headers["X-Khlang-Edge-Cache"] == "HIT"


def _production_stack():
    """test_production's gunicorn-behind-nginx fixture, shared here under its own name
    (a plain import would be shadowed by the test's argument, which ruff refuses)."""
    from tests.khlang.test_production import stack

    return stack


stack = _production_stack()
