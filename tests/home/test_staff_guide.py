"""The staff guide in the admin's help menu: Thai, each reader's own roles first, every link opens."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from search.models import SearchSynonym

pytestmark = pytest.mark.django_db

GUIDE = reverse("staff_guide")


def sections(page):
    """[(section id, marked as the reader's own, [links])] in the page's order."""
    return [
        (name, "บทบาทของคุณ" in body, re.findall(r'href="(/admin/[^"]*)"', body))
        for name, body in re.findall(r'<section id="(\w+)"(.*?)</section>', page, re.S)
    ]


@pytest.mark.parametrize("username, own", [
    ("author.klang", ["authors"]), ("reviewer.klang", ["reviewers"]), ("editor", ["editors", "sponsors"]),
    ("sponsor", ["sponsors"]),
])
def test_each_role_finds_its_part_first_and_its_links_open(login, username, own):
    client = login(get_user_model().objects.get(username=username))
    page = client.get(GUIDE).content.decode()
    parts = sections(page)
    assert [name for name, _mine, _links in parts][:len(own)] == own
    assert [name for name, mine, _links in parts if mine] == own
    assert len(parts) == 5  # every role's part is there, the others' after
    for name, _mine, links in parts:
        if name in own:
            assert links
            for link in links:
                assert client.get(link, follow=True).status_code == 200, (username, link)


def test_the_help_menu_offers_the_guide_not_wagtails_english_pages(login, staff):
    home = login(staff["author.klang"]).get(reverse("wagtailadmin_home")).content.decode()
    # the sidebar's menus are JSON in the page, Thai escaped
    assert json.dumps("คู่มือการใช้งานคลังความรู้") in home and f'"url": "{GUIDE}"' in home
    assert f'href="{GUIDE}"' in home  # beside the account link
    assert "wagtail.org" not in home


def test_km_editors_keep_synonyms_and_read_the_unanswered_searches(login, staff):
    editor = login(staff["editor"])
    # one search menu; no second "ข้อมูลอ้างอิง" (Wagtail's Snippets) beside knowledge's
    sidebar = editor.get(reverse("wagtailadmin_home")).content.decode()
    assert json.dumps("การค้นหา") in sidebar and '"name": "snippets"' not in sidebar
    assert sidebar.count(json.dumps("ข้อมูลอ้างอิง")) == 1
    response = editor.post(reverse("wagtailsnippets_search_searchsynonym:add"), {"terms": "EOC\nศูนย์ปฏิบัติการฉุกเฉิน"})
    assert response.status_code == 302 and SearchSynonym.objects.filter(terms__startswith="EOC").exists()
    assert editor.get(reverse("search_unanswered_report")).status_code == 200
    author = login(staff["author.klang"])
    assert author.get(reverse("search_unanswered_report")).status_code in (302, 403)
    assert author.get(reverse("wagtailsnippets_search_searchsynonym:list")).status_code in (302, 403)
