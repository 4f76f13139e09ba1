import pytest
from django.core.management import call_command
from wagtail.models import Page

from base.models import AgencySettings
from cop.models import CommunityPage, DialogueSummaryPage
from knowledge.models import BestPracticePage, Department, KnowledgeArticle, KnowledgeCategory, Person

pytestmark = pytest.mark.django_db

MINIMUMS = {
    Department: 5,
    KnowledgeCategory: 8,
    Person: 10,
    KnowledgeArticle: 30,
    BestPracticePage: 6,
    CommunityPage: 3,
    DialogueSummaryPage: 8,
}


def counts():
    return {model: model.objects.count() for model in [*MINIMUMS, Page]}


def test_demo_is_a_realistic_agency():
    for model, minimum in MINIMUMS.items():
        assert model.objects.count() >= minimum, model
    assert AgencySettings.objects.get().name.startswith("องค์การบริหารส่วนตำบล")
    assert KnowledgeArticle.objects.filter(knowledge_type="tacit").exists()
    assert KnowledgeArticle.objects.filter(knowledge_type="explicit").exists()
    assert len(set(DialogueSummaryPage.objects.values_list("technique", flat=True))) >= 5
    assert Person.objects.filter(public_consent=False).exists()
    assert all(page.live for page in KnowledgeArticle.objects.all())


def test_demo_loads_twice_without_duplicates():
    before = counts()
    call_command("load_demo", verbosity=0)
    assert counts() == before
    titles = list(KnowledgeArticle.objects.values_list("title", flat=True))
    assert len(titles) == len(set(titles))


def test_demo_has_a_directory_staff_only_knowledge_and_consent_records():
    from wagtail.models import PageViewRestriction

    from experts.models import ExpertDirectoryPage
    from knowledge.models import ConsentRecord

    assert ExpertDirectoryPage.objects.live().public().count() == 1
    internal = KnowledgeArticle.objects.live().not_public()
    assert internal.count() == 1
    assert PageViewRestriction.objects.get(page=internal.get()).restriction_type == PageViewRestriction.LOGIN
    assert internal.get().attachment_documents
    assert ConsentRecord.objects.filter(withdrawn_at=None).count() == Person.objects.filter(public_consent=True).count()
    assert ConsentRecord.objects.exclude(withdrawn_at=None).exists()
