"""Staff-only knowledge (Wagtail privacy "signed-in users"): signed-in staff find it in search,
the JSON API and suggestions, marked as staff-only; anonymous readers never do.

The index holds the staff-only page either way; who sees it is decided at query time,
so these run on the database backend and on the real engine.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from base.visibility import readable_pages, staff_only_ids
from knowledge.models import KnowledgeArticle
from search import service
from tests.search.helpers import api, publish_article, refresh, titles

pytestmark = pytest.mark.django_db

STAFF_WORD = "ระเบียบเบิกค่าเช่าบ้านข้าราชการภายใน"
GROUP_WORD = "แฟ้มวินัยข้าราชการลับเฉพาะ"


@pytest.fixture
def restricted(library):
    """A staff-only article, a group-restricted one and a password-protected one."""
    staff_only = publish_article(library, "คู่มือภายในการเบิกค่าเช่าบ้าน", STAFF_WORD)
    PageViewRestriction.objects.create(page=staff_only, restriction_type=PageViewRestriction.LOGIN)
    group_only = publish_article(library, "บันทึกวินัยเฉพาะกลุ่ม", GROUP_WORD + " " + STAFF_WORD)
    restriction = PageViewRestriction.objects.create(page=group_only, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="คณะกรรมการวินัย"))
    password = publish_article(library, "เอกสารมีรหัสผ่าน", STAFF_WORD + " รหัสผ่าน")
    PageViewRestriction.objects.create(page=password, restriction_type=PageViewRestriction.PASSWORD, password="x1")
    return {"staff_only": staff_only, "group": group_only, "password": password}


def test_readable_pages_follow_wagtail_privacy(restricted, staff):
    pages = KnowledgeArticle.objects.live()
    anonymous = set(readable_pages(None, pages).values_list("pk", flat=True))
    signed_in = set(readable_pages(staff["author.klang"], pages).values_list("pk", flat=True))
    superuser = set(readable_pages(staff["admin"], pages).values_list("pk", flat=True))
    ours = {page.pk for page in restricted.values()}
    assert not ours & anonymous
    assert (signed_in - anonymous) & ours == {restricted["staff_only"].pk}
    assert (superuser - anonymous) & ours == {restricted["staff_only"].pk, restricted["group"].pk}
    assert signed_in - anonymous == superuser - anonymous - {restricted["group"].pk}  # e.g. the demo's own
    staff["author.klang"].groups.add(Group.objects.get(name="คณะกรรมการวินัย"))
    assert restricted["group"].pk in set(readable_pages(staff["author.klang"], pages).values_list("pk", flat=True))
    assert staff_only_ids(list(pages)) == set(KnowledgeArticle.objects.live().values_list("pk", flat=True)) - anonymous


def test_staff_find_staff_only_items_marked_anonymous_never(client, login, staff, backend, restricted):
    refresh(backend)
    public = api(client, q=STAFF_WORD)
    assert "คู่มือภายในการเบิกค่าเช่าบ้าน" not in titles(public)
    assert all(result["staff_only"] is False for result in public["results"])

    signed_in = api(login(staff["author.klang"]), q=STAFF_WORD)
    by_title = {result["title"]: result for result in signed_in["results"]}
    assert by_title["คู่มือภายในการเบิกค่าเช่าบ้าน"]["staff_only"] is True
    assert "บันทึกวินัยเฉพาะกลุ่ม" not in by_title  # a group the author is not in
    assert "เอกสารมีรหัสผ่าน" not in by_title
    # facets count what the reader may see
    assert sum(option["count"] for option in signed_in["facets"]["type"]) == signed_in["total"]

    page = login(staff["author.klang"]).get(reverse("search"), {"q": STAFF_WORD})
    assert "เฉพาะเจ้าหน้าที่" in page.content.decode()
    assert "คู่มือภายในการเบิกค่าเช่าบ้าน" not in client.get(reverse("search"), {"q": STAFF_WORD}).content.decode()


def test_suggestions_follow_the_reader(client, login, staff, backend, restricted):
    refresh(backend)
    url = reverse("api_search_suggest")
    anonymous = [s["title"] for s in client.get(url, {"q": "คู่มือภายใน"}).json()["suggestions"]]
    signed_in = [s["title"] for s in login(staff["editor"]).get(url, {"q": "คู่มือภายใน"}).json()["suggestions"]]
    assert "คู่มือภายในการเบิกค่าเช่าบ้าน" not in anonymous
    assert "คู่มือภายในการเบิกค่าเช่าบ้าน" in signed_in


def test_promotions_of_staff_only_pages_only_for_staff(restricted, staff):
    SearchPromotion.objects.create(query=Query.get("ค่าเช่าบ้าน"), page=restricted["staff_only"], sort_order=0)
    assert service.search({"q": "ค่าเช่าบ้าน"}).promoted == []
    promoted = service.search({"q": "ค่าเช่าบ้าน"}, staff["editor"]).promoted
    assert [p.page_id for p in promoted] == [restricted["staff_only"].pk]
