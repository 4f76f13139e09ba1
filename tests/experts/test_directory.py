"""The expert directory (ทำเนียบผู้รู้): who knows what, names only with consent.

The public sees a person by name with a current consent record, as a position when
at least two people share it in the department, and not at all otherwise; signed-in
staff see everyone. Knowledge and CoP roles follow the reader's access.
"""

import pytest
from wagtail.models import PageViewRestriction

from cop.models import CommunityMember
from experts.models import ExpertDirectoryPage
from knowledge.models import BestPracticePage, KnowledgeArticle, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(db):
    return ExpertDirectoryPage.objects.live().get()


def html(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def people(key):
    return Person.objects.get(email=f"{key}@example.org")


def test_public_directory_names_only_with_consent(client, directory):
    page = html(client, directory.url)
    chatchai, jintana, pimchanok, wichai = map(people, ["chatchai", "jintana", "pimchanok", "wichai"])
    assert chatchai.public_consent and chatchai.name in page
    assert chatchai.expertise.first().name in page
    # without consent, sharing a position: shown as that position, never named
    assert not jintana.public_consent and jintana.position == pimchanok.position
    assert jintana.name not in page and pimchanok.name not in page
    assert f'id="person-{jintana.pk}"' in page and jintana.position in page
    # consent withdrawn, alone in the position: not in the public directory at all
    assert not wichai.public_consent and wichai.consent_records.get().withdrawn_at
    assert wichai.name not in page and f'id="person-{wichai.pk}"' not in page
    assert wichai.position not in page


def test_staff_see_everyone(login, staff, directory):
    page = html(login(staff["author.klang"]), directory.url)
    for person in Person.objects.all():
        assert person.name in page, person
    assert "ไม่เผยแพร่ชื่อต่อสาธารณะ" in page
    assert "ยินยอมให้เผยแพร่ชื่อเมื่อ 1 ตุลาคม 2567" in page  # somchai's record, in the Buddhist era


def test_knowledge_and_roles_of_a_person(client, directory):
    chatchai = people("chatchai")
    held = KnowledgeArticle.objects.live().filter(holder=chatchai)
    assert held.exists()
    page = html(client, directory.url, q=chatchai.name)
    for article in held:
        assert article.title in page
    member = CommunityMember.objects.filter(person=chatchai).select_related("community").first()
    assert member.community.title in page and str(member.get_role_display()) in page
    contact = BestPracticePage.objects.live().exclude(contact=None).first()
    assert contact.title in html(client, directory.url, q=contact.contact.expertise.first().name)


def test_staff_only_knowledge_is_listed_for_staff_only(client, login, staff, directory):
    pimchanok = people("pimchanok")
    internal = KnowledgeArticle.objects.get(holder=pimchanok)
    assert PageViewRestriction.objects.filter(page=internal).exists()
    assert internal.title not in html(client, directory.url)
    assert internal.title in html(login(staff["author.klang"]), directory.url, q=pimchanok.name)


def test_search_by_expertise_or_name(client, directory):
    page = html(client, directory.url, q="e-GP")
    assert people("kanokwan").name in page and people("chatchai").name not in page
    page = html(client, directory.url, q="นายฉัตรชัย")
    assert people("chatchai").name in page and people("kanokwan").name not in page


def test_a_name_search_never_reveals_a_person_without_consent(client, login, staff, directory):
    jintana = people("jintana")
    page = html(client, directory.url, q=jintana.name)
    assert f'id="person-{jintana.pk}"' not in page and "พบ 0 รายการ" in page
    assert f'id="person-{jintana.pk}"' in html(login(staff["editor"]), directory.url, q=jintana.name)


def test_filters_by_department_and_expertise_combine(client, directory):
    page = html(client, directory.url, department="klang")
    assert people("chatchai").name in page and people("somchai").name not in page
    page = html(client, directory.url, department="klang", expertise="e-GP")
    assert people("kanokwan").name in page and people("chatchai").name not in page
    assert "พบ 1 รายการ" in page


def test_linked_from_home_and_from_person_cards(client, home, directory):
    assert directory.url in html(client, home.url)
    article = KnowledgeArticle.objects.live().public().filter(holder=people("chatchai")).first()
    assert f'{directory.url}?department=klang#person-{people("chatchai").pk}' in html(client, article.url)


@pytest.mark.parametrize("change", ["unpublish", "restrict"])
def test_person_cards_stop_linking_to_a_directory_taken_off_the_public_site(change, client, login, staff, directory):
    """The directory's address is kept per structure version (experts.wagtail_hooks.directory_url)."""
    article = KnowledgeArticle.objects.live().public().filter(holder=people("chatchai")).first()
    link = f'{directory.url}?department=klang#person-{people("chatchai").pk}'
    reader = login(staff["author.klang"])
    for who in (client, reader):
        assert link in html(who, article.url)  # fills the caches
    if change == "unpublish":
        directory.unpublish()
    else:
        PageViewRestriction.objects.create(page=directory, restriction_type=PageViewRestriction.LOGIN)
    for who in (client, reader):
        assert f"#person-{people('chatchai').pk}" not in html(who, article.url)
