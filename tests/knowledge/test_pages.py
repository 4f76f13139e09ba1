"""What a reader gets from each public page, on the demo agency site."""

import datetime
import re
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from cop.models import CommunityPage, DialogueSummaryPage
from home.models import StandardPage
from knowledge.models import BestPracticePage, KnowledgeArticle
from tests.review.helpers import article_form
from thai.digits import to_arabic_digits as shown  # pages show the agency's digit style, Arabic by default
from thai.labels import without_english_gloss

pytestmark = pytest.mark.django_db


def html(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_home_shows_agency_sections_and_latest(client, home):
    page = html(client, home.url)
    assert "องค์การบริหารส่วนตำบลดอนแก้วน้อย" in page  # agency name from site settings
    assert 'href="#main"' in page  # skip link
    assert 'lang="th"' in page
    for title in ["คลังองค์ความรู้", "แนวปฏิบัติที่ดี", "ชุมชนนักปฏิบัติ"]:
        assert title in page
    newest = KnowledgeArticle.objects.live().order_by("-first_published_at").first()
    assert newest.title in page
    assert page.count('role="search"') == 1  # the hero's box; the header's is left out here
    # each section shows its line of introduction, the plans' and the directory's too
    links = dict(re.findall(r'<a class="section-link"[^>]*><strong>([^<]*)</strong>(?:<span>([^<]*)</span>)?', page))
    for section in home.get_children().live().in_menu().specific():
        assert section.teaser and links[section.title].startswith(section.teaser[:20]), section.title


def test_article_renders_every_field(client, article):
    page = html(client, article.url)
    assert article.title in page
    assert article.summary in page
    # public pages show the Thai label alone: "ความรู้ชัดแจ้ง", not "ความรู้ชัดแจ้ง (Explicit)"
    assert without_english_gloss(article.get_knowledge_type_display()) in page
    assert article.get_knowledge_type_display() not in page
    assert str(article.department) in page
    assert str(article.category) in page
    assert "ปีงบประมาณ" in page and str(article.fiscal_year) in page
    first_heading = next(block.value for block in article.body if block.block_type == "heading")
    assert f"<h2>{first_heading}</h2>" in page
    if article.holder and article.holder.public_consent:
        assert article.holder.name in page
    for tag in article.tags.all():
        assert tag.name in page


def test_article_dates_are_buddhist_era(client, article):
    page = html(client, article.url)
    assert str(article.date.year + 543) in page
    assert f">{article.date.year}<" not in page


def test_attachments_show_type_and_size(client):
    article = next(a for a in KnowledgeArticle.objects.live() if a.attachments)
    page = html(client, article.url)
    document = article.attachments[0].value
    assert document.url in page
    assert "TXT" in page
    assert re.search(r"\d+(\.\d)?\s(ไบต์|bytes|KB)", page)


def test_related_items_are_listed(client):
    article = next(a for a in KnowledgeArticle.objects.live() if a.related)
    page = html(client, article.url)
    assert "ความรู้ที่เกี่ยวข้อง" in page
    assert article.related[0].value.title in page


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_more_related_items_cost_no_more_queries(client):
    article = next(a for a in KnowledgeArticle.objects.live() if a.related)
    others = list(KnowledgeArticle.objects.live().exclude(pk=article.pk).exclude(department=article.department)[:4])
    html(client, article.url)  # the parts a publish of the item keeps (menu, its route) are warm for both counts
    article.related = [("page", article.related[0].value)]
    article.save_revision().publish()
    one = count_queries(client, article.url)
    article.related = [("page", page) for page in others]
    article.save_revision().publish()
    assert count_queries(client, article.url) == one
    assert all(page.title in html(client, article.url) for page in others)


@pytest.mark.parametrize("shared", [True, False])
def test_knowledge_holder_without_consent_is_not_named(client, shared):
    """Without consent: the position if others hold it too, else only "staff" (a lone position names one)."""
    articles = KnowledgeArticle.objects.live().public().filter(holder__public_consent=False)
    article = next(a for a in articles if a.holder.position_is_shared == shared)
    page = html(client, article.url)
    assert article.holder.name not in page
    assert (article.holder.position in page) == shared
    assert ("บุคลากรของหน่วยงาน" in page) != shared


def test_best_practice_renders_results_table(client):
    practice = BestPracticePage.objects.live().first()
    page = html(client, practice.url)
    assert shown(practice.title) in page
    for result in practice.results.all():
        assert shown(result.indicator) in page
        assert shown(result.baseline) in page and shown(result.achieved) in page
    assert "ปัจจัยแห่งความสำเร็จ" in page
    assert "การนำไปใช้ต่อ" in page


def test_community_shows_roles_and_dialogues(client):
    community = CommunityPage.objects.live().first()
    page = html(client, community.url)
    assert community.goal.split()[0] in page
    for role in ["คุณเอื้อ", "คุณอำนวย", "คุณกิจ", "คุณลิขิต", "คุณประสาน"]:
        assert role in page
    for dialogue in DialogueSummaryPage.objects.child_of(community).live():
        assert shown(dialogue.title) in page


def test_dialogue_summary_names_only_consenting_participants(client):
    dialogue = DialogueSummaryPage.objects.filter(participants__person__public_consent=False).first()
    page = html(client, dialogue.url)
    for participant in dialogue.participants.all():
        if participant.person.public_consent:
            assert participant.person.name in page
        else:
            assert participant.person.name not in page
    assert without_english_gloss(dialogue.get_technique_display()) in page
    assert dialogue.get_technique_display() not in page
    for action in dialogue.actions.all():
        assert action.description in page
    for block in dialogue.knowledge_assets:
        assert block.value["title"] in page
    assert str(dialogue.participant_count) in page


def test_standard_page_renders(client, home):
    about = StandardPage.objects.child_of(home).get()
    page = html(client, about.url)
    assert about.title in page
    assert "<ol" in page  # the seven steps
    assert about.body[0].value in page


# listings -----------------------------------------------------------------


def listed_titles(client, url, **params):
    page = html(client, url, **params)
    return set(re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', page)), page


def test_listing_filters_combine(client, library):
    all_titles, _ = listed_titles(client, library.url)
    assert len(all_titles) == 12  # first page
    titles, page = listed_titles(client, library.url, department="klang", type="explicit")
    expected = KnowledgeArticle.objects.live().filter(department__code="klang", knowledge_type="explicit")
    assert titles == {a.title for a in expected}
    assert 0 < len(titles) < KnowledgeArticle.objects.live().filter(department__code="klang").count()
    assert f"พบ {expected.count()} รายการ" in page


def test_folded_filters_say_how_many_are_set(client, library):
    from experts.models import ExpertDirectoryPage

    assert "ตัวกรอง</summary>" in html(client, library.url)
    assert 'ตัวกรอง <span class="count">(2)</span>' in html(client, library.url, department="klang", year="", tag="ภาษี")
    directory = ExpertDirectoryPage.objects.get().url
    assert 'ตัวกรอง <span class="count">(1)</span>' in html(client, directory, q="ภาษี", page="1")


def test_listing_filter_by_category_tag_and_year(client, library):
    article = KnowledgeArticle.objects.live().exclude(tagged_items=None).first()
    tag = article.tags.first().name
    titles, _ = listed_titles(client, library.url, tag=tag)
    assert titles == {a.title for a in KnowledgeArticle.objects.live().filter(tags__name=tag)}

    titles, _ = listed_titles(client, library.url, category=article.category.slug, year=article.fiscal_year)
    expected = KnowledgeArticle.objects.live().filter(category=article.category, fiscal_year=article.fiscal_year)
    assert titles == {a.title for a in expected}


def test_thai_digit_year_filters_like_arabic(client, library):
    from thai.digits import to_thai_digits

    arabic, _ = listed_titles(client, library.url, year="2567")
    thai, page = listed_titles(client, library.url, year=to_thai_digits("2567"))
    assert arabic == thai and arabic
    assert '<option value="2567" selected>' in page


def test_listing_choices_follow_what_is_published(admin_client, library):
    """The year and tag choices are cached parts of the page: they still change with the content."""
    before = html(admin_client, library.url)
    assert '<option value="2580"' not in before and "คำสำคัญที่เพิ่งมี" not in before
    article = KnowledgeArticle(title="ความรู้ของปีงบประมาณใหม่", summary="ใหม่", body=[],
                               date=datetime.date(2037, 1, 5))
    library.add_child(instance=article)
    article.save_revision().publish()
    for tagged in KnowledgeArticle.objects.live()[:8]:  # enough to be among the popular tags
        tagged.tags.add("คำสำคัญที่เพิ่งมี")
        tagged.save_revision().publish()
    after = html(admin_client, library.url)
    assert '<option value="2580">' in after
    assert '<option value="คำสำคัญที่เพิ่งมี">' in after
    assert '<option value="2580" selected>' in html(admin_client, library.url, year="2580")
    assert '<option value="2580">' in html(admin_client, library.url)


def test_pagination_keeps_filter_state(client, library):
    page = html(client, library.url, type="explicit")
    assert 'href="?type=explicit&amp;page=2"' in page
    second, _ = listed_titles(client, library.url, type="explicit", page=2)
    first, _ = listed_titles(client, library.url, type="explicit")
    assert second and not (first & second)


def test_bad_filter_values_do_not_break_the_listing(client, library):
    for params in [{"year": "abc"}, {"department": "no-such"}, {"page": "9999"}, {"page": "x" * 500}]:
        assert client.get(library.url, params).status_code == 200


def test_best_practice_and_community_listings(client, home):
    from cop.models import CoPIndexPage
    from knowledge.models import BestPracticeIndexPage

    titles, _ = listed_titles(client, BestPracticeIndexPage.objects.get().url)
    assert titles == {shown(p.title) for p in BestPracticePage.objects.live()}
    titles, _ = listed_titles(client, CoPIndexPage.objects.get().url, status="dormant")
    assert titles == {shown(c.title) for c in CommunityPage.objects.live().filter(status="dormant")}


# what anonymous readers must never see -------------------------------------------


@pytest.fixture
def hidden_articles(library):
    draft = KnowledgeArticle(
        title="ร่างที่ยังไม่เผยแพร่", summary="ร่าง", body=[("paragraph", "<p>ร่าง</p>")], live=False
    )
    library.add_child(instance=draft)
    private = KnowledgeArticle(title="ความรู้ภายในเฉพาะเจ้าหน้าที่", summary="ภายใน", body=[])
    library.add_child(instance=private)
    private.save_revision().publish()
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    return draft, private


def test_drafts_and_private_items_stay_out_of_listings_feed_and_sitemap(client, library, home, hidden_articles):
    surfaces = [
        html(client, library.url, type="explicit"),
        html(client, library.url),
        html(client, home.url),
        client.get(reverse("feed_latest")).content.decode(),
        client.get(reverse("feed_latest_atom")).content.decode(),
        client.get(reverse("sitemap")).content.decode(),
    ]
    for draft_or_private in hidden_articles:
        for surface in surfaces:
            assert draft_or_private.title not in surface
            assert draft_or_private.slug not in surface
    assert client.get(hidden_articles[1].url).status_code == 302  # to login


# feeds, sitemap, robots --------------------------------------------------------


def test_feed_lists_newest_knowledge(client):
    response = client.get(reverse("feed_latest"))
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    titles = [item.findtext("title") for item in root.iter("item")]
    newest = KnowledgeArticle.objects.live().order_by("-first_published_at").first()
    assert titles[0] == newest.title
    links = [item.findtext("link") for item in root.iter("item")]
    assert all(link.startswith("http://testserver/") for link in links)


def test_atom_feed(client):
    response = client.get(reverse("feed_latest_atom"))
    assert response.status_code == 200
    assert b"http://www.w3.org/2005/Atom" in response.content


def test_sitemap_lists_live_pages_with_thai_urls(client, article):
    response = client.get(reverse("sitemap"))
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    paths = {urlsplit(loc.text).path for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert article.url in paths
    assert unquote(article.url) == f"/คลังองค์ความรู้/{article.slug}/"
    assert len(paths) >= 50


def test_robots_points_to_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_print_stylesheet_is_linked(client, article):
    assert 'media="print"' in html(client, article.url)


# Thai first, English by choice ---------------------------------------------------


def test_thai_by_default_even_for_english_browsers(client, home):
    page = client.get(home.url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="th"' in page
    assert "ข้ามไปยังเนื้อหาหลัก" in page


def test_language_switch_gives_english_ui(client, home):
    response = client.get(reverse("switch_language", args=["en"]), {"next": home.url})
    assert response.status_code == 302 and response["Location"] == home.url
    assert client.get(reverse("switch_language", args=["en"]), {"next": "https://evil.example/"})["Location"] == "/"
    page = client.get(home.url).content.decode()
    assert 'lang="en"' in page
    assert "Skip to main content" in page
    assert "ข้ามไปยังเนื้อหาหลัก" not in page
    assert "B.E. 25" in page


# readable Thai URLs -------------------------------------------------------------


def test_pages_are_served_at_thai_urls_with_marks(client, article):
    path = unquote(article.url)
    assert path == "/คลังองค์ความรู้/ขั้นตอนการรับชำระภาษีที่ดินและสิ่งปลูกสร้างด้วยโปรแกรม-ltax3000/"
    assert client.get(article.url).status_code == 200
    assert client.get(path).status_code == 200


def test_deep_paths_find_their_page_and_nothing_else(client):
    summary = DialogueSummaryPage.objects.live().first()  # home / CoP / community / summary
    community = summary.get_parent()
    assert summary.title in html(client, summary.url)
    assert community.title in html(client, community.url)
    assert client.get(community.url + "ไม่มีหน้านี้/").status_code == 404
    assert client.get(summary.url + "ต่อท้าย/").status_code == 404
    assert client.get(community.get_parent().url + "ไม่มีชุมชนนี้/" + summary.slug + "/").status_code == 404
    summary.unpublish()
    assert client.get(summary.url).status_code == 404


def test_a_very_long_path_is_a_cheap_404(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/" + "ก/" * 1500).status_code == 404
    assert len(queries) < 15
    page_queries = [query["sql"] for query in queries.captured_queries if 'FROM "wagtailcore_page"' in query["sql"]]
    assert page_queries and max(len(sql) for sql in page_queries) < 5000


def test_routing_cost_does_not_grow_with_depth(rf, article):
    """Wagtail's routing reads two rows per path level; ours finds the deepest page at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Page

    summary = DialogueSummaryPage.objects.live().first()
    assert summary.depth > article.depth

    def routing_queries(page):
        request = rf.get(page.url)
        with CaptureQueriesContext(connection) as queries:
            assert Page.find_for_request(request, request.path).pk == page.pk
        return len(queries)

    assert routing_queries(summary) == routing_queries(article)


def test_admin_creates_thai_slug_with_marks(admin_client, library):
    url = reverse("wagtailadmin_pages:add", args=("knowledge", "knowledgearticle", library.pk))
    form = admin_client.get(url)
    assert form.status_code == 200
    data = article_form(
        "ความรู้ฝังลึกเรื่องการซ่อมท่อประปา", None, knowledge_type="tacit", **{"action-publish": "publish"}
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    created = KnowledgeArticle.objects.get(title=data["title"])
    assert created.slug == "ความรู้ฝังลึกเรื่องการซ่อมท่อประปา"
    assert created.fiscal_year == 2568
    assert client_get_status(created.url) == 200


def client_get_status(url):
    from django.test import Client

    return Client().get(url).status_code
