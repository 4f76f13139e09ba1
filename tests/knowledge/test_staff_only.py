"""Staff-only knowledge in listings, and attachments that follow their page."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.models import PageViewRestriction

from base.visibility import readable_pages
from knowledge.attachments import pages_using

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_only(article):
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    return article


def test_listing_shows_staff_only_items_to_staff_only(client, login, staff, library, staff_only):
    anonymous = client.get(library.url)
    assert staff_only.title not in anonymous.content.decode()
    assert "เฉพาะเจ้าหน้าที่" not in anonymous.content.decode()
    signed_in = login(staff["author.klang"]).get(library.url, {"department": staff_only.department.code})
    html = signed_in.content.decode()
    assert staff_only.title in html and "เฉพาะเจ้าหน้าที่" in html
    assert staff_only.pk in {p.pk for p in library.listed_items(staff["author.klang"])}
    assert staff_only.pk not in {p.pk for p in library.listed_items()}


def test_staff_only_page_itself(client, login, staff, staff_only):
    response = client.get(staff_only.url)
    assert response.status_code == 302 and "/_util/login/" in response["Location"]
    assert login(staff["author.klang"]).get(staff_only.url).status_code == 200


def document_url(document):
    return reverse("wagtaildocs_serve", args=[document.pk, document.filename])


def test_attachment_follows_its_page(client, login, staff, staff_only):
    document = staff_only.attachment_documents[0]
    assert staff_only.pk in set(pages_using(document).values_list("pk", flat=True))
    response = client.get(document_url(document))
    assert response.status_code == 302 and "/_util/login/" in response["Location"]
    reader = login(staff["author.klang"])
    response = reader.get(document_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode().startswith(staff_only.title)


def test_attachment_of_a_public_page_is_public(client, article):
    assert client.get(document_url(article.attachment_documents[0])).status_code == 200


def test_attachment_of_a_draft_or_nothing_is_not_served(client, login, staff, article):
    document = article.attachment_documents[0]
    article.unpublish()
    assert client.get(document_url(document)).status_code == 404
    orphan = Document(title="ไฟล์ที่ไม่ได้แนบกับหน้าใด")
    orphan.file.save("orphan.txt", ContentFile("ลับ".encode()), save=False)
    orphan.save()
    assert client.get(document_url(orphan)).status_code == 404
    # editors (admin users) still get both, to preview drafts
    assert login(staff["editor"]).get(document_url(orphan)).status_code == 200


def test_attachment_text_still_finds_the_page_for_staff(client, login, staff, staff_only):
    from imports.attachments import attachment_texts

    (_title, text), = attachment_texts(staff_only)
    word = text.split("\n")[-1].split(" ", 1)[1][:12]
    from search import service

    staff_ids = {hit.page.pk for hit in service.search({"q": word}, staff["author.klang"]).page}
    anonymous_ids = {hit.page.pk for hit in (service.search({"q": word}).page or [])}
    assert staff_only.pk in staff_ids
    assert staff_only.pk not in anonymous_ids
    assert staff_only.pk not in set(readable_pages(None, type(staff_only).objects.live()).values_list("pk", flat=True))


def test_demo_staff_only_item_never_on_a_public_surface(client, login, staff, home):
    from knowledge.models import KnowledgeArticle

    internal = KnowledgeArticle.objects.live().not_public().get()
    first_words = internal.title[:20]
    surfaces = [home.url, reverse("feed_latest"), reverse("feed_latest_atom"), reverse("sitemap"),
                reverse("api_search") + "?q=ฎีกา", reverse("api_search_suggest") + "?q=แนวทางภายใน"]
    reader = login(staff["editor"])
    for url in surfaces:  # staff first: whatever they fill in a cache must not reach the public
        reader.get(url)
    for url in surfaces:
        response = client.get(url)
        assert response.status_code == 200, url
        assert first_words not in response.content.decode(), url
    # staff find it where they search
    assert first_words in reader.get(reverse("api_search"), {"q": "ฎีกา"}).content.decode()
