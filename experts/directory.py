"""Who the directory shows to whom, and what it shows of each person.

Signed-in staff see every person, named. The public sees a person
- by name, with a current consent record (knowledge.ConsentRecord);
- as their position only, without consent, when at least
  Person.SHARED_POSITION_MINIMUM people hold that position in the same department
  (the position then names no one);
- not at all otherwise: a position held by one person names them as surely as their name.
Knowledge and CoP roles are listed only where the reader may read the page.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from wagtail.models import Page

from base.visibility import is_signed_in, readable_pages
from cop.models import CommunityMember, CommunityPage
from knowledge.models import BestPracticePage, ConsentRecord, KnowledgeArticle, Person


def shared_positions_q():
    """People whose position is shared by enough colleagues in their department."""
    shared = (
        Person.objects.exclude(position="").order_by().values("department_id", "position")
        .annotate(n=Count("pk")).filter(n__gte=Person.SHARED_POSITION_MINIMUM)
    )
    q = Q(pk__in=[])
    for row in shared:
        q |= Q(department_id=row["department_id"], position=row["position"])
    return q


def people_for(user):
    """Everyone this reader may find in the directory."""
    people = Person.objects.select_related("department").prefetch_related("expertise").order_by("name")
    if is_signed_in(user):
        return people
    return people.filter(Q(public_consent=True) | shared_positions_q())


def name_matches_q(words, user):
    """Search by name only among names this reader may see (a name search must not reveal a person)."""
    q = Q(name__icontains=words)
    return q if is_signed_in(user) else q & Q(public_consent=True)


@dataclass
class Entry:
    person: Person
    display_name: str
    named: bool  # shown with their name
    articles: list = field(default_factory=list)
    practices: list = field(default_factory=list)
    roles: list = field(default_factory=list)  # (role label, community page)
    consent_given: object = None  # for staff: when the current consent was given


def entries(people, user):
    """Directory entries for these people: what the reader may see of each, in a few queries."""
    ids = [person.pk for person in people]
    articles, practices, roles = {}, {}, {}
    for page in readable_pages(user, KnowledgeArticle.objects.live().filter(holder_id__in=ids)).order_by("title"):
        articles.setdefault(page.holder_id, []).append(page)
    for page in readable_pages(user, BestPracticePage.objects.live().filter(contact_id__in=ids)).order_by("title"):
        practices.setdefault(page.contact_id, []).append(page)
    communities = {
        page.pk: page for page in readable_pages(user, CommunityPage.objects.live().filter(members__person_id__in=ids))
    }
    labels = dict(CommunityMember.ROLES)
    for member in CommunityMember.objects.filter(person_id__in=ids, community_id__in=communities).order_by("sort_order"):
        roles.setdefault(member.person_id, []).append((labels[member.role], communities[member.community_id]))
    signed_in = is_signed_in(user)
    consents = {}
    if signed_in:
        for person_id, given_at in (
            ConsentRecord.objects.filter(person_id__in=ids, withdrawn_at=None)
            .order_by("given_at").values_list("person_id", "given_at")
        ):
            consents[person_id] = timezone.localdate(given_at)  # the latest wins
    return [
        Entry(
            person=person,
            display_name=person.name if (signed_in or person.public_consent) else person.position,
            named=signed_in or person.public_consent,
            articles=articles.get(person.pk, []),
            practices=practices.get(person.pk, []),
            roles=roles.get(person.pk, []),
            consent_given=consents.get(person.pk),
        )
        for person in people
    ]


def directory_page():
    """The live, public directory page, if the site has one (for links from person cards)."""
    from .models import ExpertDirectoryPage

    return Page.objects.type(ExpertDirectoryPage).live().public().first()
