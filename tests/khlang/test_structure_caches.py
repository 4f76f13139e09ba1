"""Finer cache keys (issue 15): publishing an item keeps the parts every page shares, the
routes of sections and every user bar; everything else that could change them still does,
at once.

base.content_version keeps three counters: `version` (any change readers could see),
`structure` (all of those but publishing a live item) and `staff` (what the Wagtail user
bar offers: users, groups, permissions, workflows).
"""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission, Page, PageViewRestriction

from base.models import AgencySettings, PublicContentVersion

pytestmark = pytest.mark.django_db


def versions():
    return PublicContentVersion.current_versions()


def test_publishing_an_item_bumps_the_content_version_only(article):
    before = versions()
    article.summary = "สรุปใหม่"
    article.save_revision().publish()
    after = versions()
    assert after.version > before.version
    assert after.structure == before.structure and after.staff == before.staff


@pytest.mark.parametrize("change", ["section", "unpublish", "move", "slug", "delete", "restriction", "settings"])
def test_every_other_change_bumps_the_structure_version(
    change, home, library, article, django_capture_on_commit_callbacks
):
    before = versions()
    if change == "section":
        library.save_revision().publish()
    elif change == "unpublish":
        article.unpublish()
    elif change == "move":
        Page.objects.filter(pk=article.pk).update(slug="moved-item")  # Page.move validates with Django's slug rule
        Page.objects.get(pk=article.pk).specific.move(library, pos="last-child")
    elif change == "slug":
        with django_capture_on_commit_callbacks(execute=True):  # Wagtail says so once committed
            article.slug = "ที่อยู่ใหม่"
            article.save_revision().publish()
    elif change == "delete":
        article.delete()
    elif change == "restriction":
        PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    elif change == "settings":
        settings = AgencySettings.for_site(home.get_site())
        settings.name = "ชื่อใหม่"
        settings.save()
    assert versions().structure > before.structure


def test_a_draft_or_a_lock_bumps_nothing(article, staff):
    before = versions()
    article.save_revision()
    article.locked, article.locked_by = True, staff["editor"]
    article.save(update_fields=["locked", "locked_by"])
    assert versions() == before


def test_menu_breadcrumbs_and_footer_show_a_change_at_once(client, login, staff, home, library, article):
    reader = login(staff["author.klang"])
    for who in (client, reader):
        who.get(article.url)  # fills the fragments
    library.title = "คลังใหม่ของหน่วยงาน"
    library.save_revision().publish()
    settings = AgencySettings.for_site(home.get_site())
    settings.email = "km@example.go.th"
    settings.save()
    article.title = "ชื่อเรื่องใหม่ของความรู้"
    article.save_revision().publish()
    for who in (client, reader):
        html = who.get(article.url).content.decode()
        assert html.count("คลังใหม่ของหน่วยงาน") >= 2  # the menu and the trail
        assert '<span aria-current="page">ชื่อเรื่องใหม่ของความรู้</span>' in html
        assert "km@example.go.th" in html


def test_an_item_published_again_is_served_as_published(client, login, staff, article):
    reader = login(staff["author.klang"])
    for who in (client, reader):
        who.get(article.url)  # fills the routes
    article.summary = "สรุปที่เพิ่งเผยแพร่"
    article.save_revision().publish()
    for who in (client, reader):
        assert "สรุปที่เพิ่งเผยแพร่" in who.get(article.url).content.decode()


def test_a_section_published_again_is_served_as_published(login, staff, library):
    reader = login(staff["author.klang"])
    reader.get(library.url)
    library.intro = "<p>คำนำใหม่ของคลัง</p>"
    library.save_revision().publish()
    assert "คำนำใหม่ของคลัง" in reader.get(library.url).content.decode()


def test_an_item_with_a_new_slug_leaves_its_old_path_at_once(client, article):
    old_url = article.url
    assert client.get(old_url).status_code == 200
    article.slug = "ที่อยู่ใหม่"
    article.save_revision().publish()
    article.refresh_from_db()
    assert client.get(old_url).status_code == 404
    assert client.get(article.url).status_code == 200


def test_a_route_kept_for_an_item_is_not_used_once_it_is_offline(client, article):
    """Under the structure version the route names the page; the page itself is read live."""
    from base.routing import ItemRoute, load_item

    item = ItemRoute(article._meta.label, article.pk, article.url_path, [])
    assert load_item(item) == article
    Page.objects.filter(pk=article.pk).update(live=False)  # without signals: the check itself
    assert load_item(item) is None


# the user bar --------------------------------------------------------------------------


def userbar_key(rf, user, page):
    from base.templatetags.staff_bar import userbar_key

    request = rf.get(page.url)
    request.user = user
    return userbar_key(request, page, "bottom-right")


def test_a_publish_keeps_every_user_bar(rf, staff, article, library):
    author = staff["author.klang"]
    before = userbar_key(rf, author, article), userbar_key(rf, author, library)
    article.summary = "สรุปใหม่"
    article.save_revision().publish()
    assert (userbar_key(rf, author, article), userbar_key(rf, author, library)) == before


def test_the_user_bar_is_kept_per_user_and_page(rf, staff, article):
    author, editor = staff["author.klang"], staff["editor"]
    assert userbar_key(rf, author, article) != userbar_key(rf, editor, article)
    assert userbar_key(rf, author, article) != userbar_key(rf, author, article.get_parent())
    before = userbar_key(rf, author, article)
    article.owner = editor  # an author may edit the pages they own
    article.save_revision().publish()
    assert userbar_key(rf, author, article) != before


@pytest.mark.parametrize("change", ["groups", "permissions", "workflow", "user"])
def test_the_user_bar_follows_permissions_and_workflows(change, rf, staff, article):
    author = staff["author.klang"]
    before = userbar_key(rf, author, article)
    if change == "groups":
        author.groups.add(Group.objects.create(name="กลุ่มใหม่"))
    elif change == "permissions":
        GroupPagePermission.objects.filter(group__in=author.groups.all()).delete()
    elif change == "workflow":
        article.save_revision(user=author)
        article.get_workflow().start(article, author)  # a reviewer may edit during their task
    elif change == "user":
        author.is_active = False
        author.save()
    assert userbar_key(rf, author, article) != before


def test_a_user_bar_shows_a_lost_permission_at_once(login, staff, article):
    author = staff["author.klang"]
    reader = login(author)
    edit_link = f"/admin/pages/{article.pk}/edit/"
    assert edit_link in reader.get(article.url).content.decode()
    assert edit_link in reader.get(article.url).content.decode()  # from the cache
    GroupPagePermission.objects.filter(group__in=author.groups.all()).delete()
    assert edit_link not in reader.get(article.url).content.decode()


def test_after_a_restore_no_counter_returns_to_a_count_of_before(db):
    """A restore brings back older counts (backup.archive bumps above the ones it replaced)."""
    from base.models import Versions

    before_restore = Versions(version=40, structure=30, staff=20)
    PublicContentVersion.objects.update_or_create(pk=1, defaults={"version": 5, "structure": 4, "staff": 3})
    PublicContentVersion.bump(above=before_restore)
    after = versions()
    assert after.version > 40 and after.structure > 30 and after.staff > 20


def a_card_follows_its_page(page, new_title, url, readers):
    """A new title of a page shown as a card, then its unpublishing, show at once to every reader."""
    page.title = new_title
    page.save_revision().publish()
    for who in readers:
        assert new_title in who.get(url).content.decode()
    page.unpublish()
    for who in readers:
        assert new_title not in who.get(url).content.decode()


def test_related_cards_follow_the_pages_they_show(client, login, staff):
    """An article's related cards are kept per structure version and each related page as last
    published (KnowledgeItemPage.chosen_state): publishing the article keeps them, publishing
    or unpublishing a related page shows at once."""
    from knowledge.models import KnowledgeArticle

    article = next(a for a in KnowledgeArticle.objects.live().public() if a.related)
    related = KnowledgeArticle.objects.get(pk=article.related[0].value.pk)
    reader = login(staff["author.klang"])
    for who in (client, reader):
        assert related.title in who.get(article.url).content.decode()
    article.save_revision().publish()
    a_card_follows_its_page(related, "ชื่อใหม่ของความรู้ที่เกี่ยวข้อง", article.url, (client, reader))


def test_publishing_an_article_keeps_its_related_cards(article):
    from knowledge.models import KnowledgeArticle

    article = next(a for a in KnowledgeArticle.objects.live().public() if a.related)
    before = KnowledgeArticle.objects.get(pk=article.pk).related_state
    article.save_revision().publish()
    assert KnowledgeArticle.objects.get(pk=article.pk).related_state == before != []


def test_home_cards_follow_the_items_they_show(client, login, staff, home):
    """The home page's lists are kept per structure version and what they show, each item as last
    published (KMHomePage.lists_state): publishing an item not on them keeps their cards (no card
    query runs); publishing or unpublishing one on them shows at once, for both audiences."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from knowledge.models import KnowledgeArticle, published_knowledge

    home = home.specific
    shown = {pk for state in home.lists_state() for pk, _published in state}
    on_it = KnowledgeArticle.objects.get(pk=next(iter(shown & set(KnowledgeArticle.objects.values_list("pk", flat=True)))))
    elsewhere = published_knowledge().type(KnowledgeArticle).exclude(pk__in=shown).first()
    reader = login(staff["author.klang"])
    for who in (client, reader):
        assert on_it.title in who.get(home.url).content.decode()
    elsewhere.save_revision().publish()
    with CaptureQueriesContext(connection) as captured:
        assert reader.get(home.url).status_code == 200
    assert not any("summary" in query["sql"] for query in captured)  # no card was read
    a_card_follows_its_page(on_it, "ชื่อใหม่ของความรู้บนหน้าแรก", home.url, (client, reader))


def test_an_articles_person_card_and_listing_links_follow_their_rows(client, login, staff):
    """The holder's card and the listing the facts link to are kept per structure version: a
    publish of the article reads neither again, an edit of the person shows at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from knowledge.models import KnowledgeArticle

    article = next(a for a in KnowledgeArticle.objects.live().public() if a.holder_id and a.holder.public_consent)
    reader = login(staff["author.klang"])
    for who in (client, reader):
        assert article.holder.public_name in who.get(article.url).content.decode()
    article.save_revision().publish()
    with CaptureQueriesContext(connection) as captured:
        html = reader.get(article.url).content.decode()
    assert article.get_parent().url + "?department=" in html
    statements = " ".join(q["sql"] for q in captured)
    assert "knowledge_personexpertise" not in statements
    assert statements.count('FROM "wagtailcore_page"') == 1  # the article itself; not its parent
    person = article.holder
    person.position = "ตำแหน่งใหม่ของผู้รู้"
    person.save()
    for who in (client, reader):
        assert "ตำแหน่งใหม่ของผู้รู้" in who.get(article.url).content.decode()


def test_listing_cards_follow_the_items_they_show(client, login, staff, library):
    """A listing's page of cards is kept per structure version, count and what it shows (each
    item as last published): a publish of an item not on it re-reads the count and the page's
    ids only; one on it, a new item or an unpublish shows at once, for both audiences."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from knowledge.models import KnowledgeArticle

    listed = KnowledgeArticle.objects.child_of(library).live().public().order_by("-date", "-pk")
    first, unlisted = listed[0], listed.last()  # on the first page, and far from it
    reader = login(staff["author.klang"])
    for who in (client, reader):
        assert first.title in who.get(library.url).content.decode()
    unlisted.save_revision().publish()
    with CaptureQueriesContext(connection) as captured:
        assert reader.get(library.url).status_code == 200
    assert not [q["sql"] for q in captured if '."summary"' in q["sql"]]  # no card was read
    a_card_follows_its_page(first, "ชื่อใหม่ของความรู้ในรายการ", library.url, (client, reader))


def test_dialogue_summaries_produced_cards_follow_the_pages_they_show(client, login, staff, article):
    """A dialogue summary's "produced" cards are kept as an article's related cards are
    (per structure version and each page as last published)."""
    from cop.models import DialogueSummaryPage

    summary = DialogueSummaryPage.objects.live().public().first()
    summary.produced = [("page", article)]
    summary.save_revision().publish()
    summary = DialogueSummaryPage.objects.get(pk=summary.pk)
    produced = article
    reader = login(staff["author.klang"])
    for who in (client, reader):
        assert produced.title in who.get(summary.url).content.decode()
    summary.save_revision().publish()
    assert DialogueSummaryPage.objects.get(pk=summary.pk).produced_state == summary.produced_state
    a_card_follows_its_page(produced, "ชื่อใหม่ขององค์ความรู้จากการเสวนา", summary.url, (client, reader))
