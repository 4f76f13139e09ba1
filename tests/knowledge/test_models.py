import datetime

import pytest
from wagtail.models import Page

from cop.models import CommunityPage, CoPIndexPage, DialogueSummaryPage
from experts.models import ExpertDirectoryPage
from home.models import KMHomePage, StandardPage
from knowledge.models import (
    BestPracticeIndexPage,
    BestPracticePage,
    Department,
    KnowledgeArticle,
    KnowledgeIndexPage,
    Person,
)
from plan.models import KMPlanIndexPage, KMPlanPage

pytestmark = pytest.mark.django_db

ALLOWED = {
    KMHomePage: {KnowledgeIndexPage, BestPracticeIndexPage, CoPIndexPage, KMPlanIndexPage, ExpertDirectoryPage, StandardPage},
    KMPlanIndexPage: {KMPlanPage},
    KMPlanPage: set(),
    KnowledgeIndexPage: {KnowledgeArticle},
    BestPracticeIndexPage: {BestPracticePage},
    CoPIndexPage: {CommunityPage},
    CommunityPage: {DialogueSummaryPage},
    KnowledgeArticle: set(),
    BestPracticePage: set(),
    DialogueSummaryPage: set(),
    ExpertDirectoryPage: set(),
}


@pytest.mark.parametrize("parent, children", ALLOWED.items(), ids=lambda v: getattr(v, "__name__", ""))
def test_parent_child_rules(parent, children):
    assert set(parent.allowed_subpage_models()) == children


def test_dialogue_summary_only_lives_under_a_community():
    assert DialogueSummaryPage.allowed_parent_page_models() == [CommunityPage]
    assert not DialogueSummaryPage.can_exist_under(KnowledgeIndexPage.objects.get())
    assert DialogueSummaryPage.can_exist_under(CommunityPage.objects.first())


def test_indexes_are_unique(home):
    assert not KnowledgeIndexPage.can_create_at(home)
    assert not KMHomePage.can_create_at(Page.get_first_root_node())


def _new_article(library, **fields):
    article = KnowledgeArticle(
        title=fields.pop("title", "การทดสอบปีงบประมาณ"),
        summary="ทดสอบ",
        body=[("paragraph", "<p>เนื้อหา</p>")],
        **fields,
    )
    library.add_child(instance=article)
    return article


def test_fiscal_year_is_derived_from_the_date(library):
    article = _new_article(library, date=datetime.date(2024, 10, 1))
    assert article.fiscal_year == 2568
    article.date = datetime.date(2024, 9, 30)
    article.save()
    assert article.fiscal_year == 2567


def test_fiscal_year_can_be_set_explicitly(library):
    article = _new_article(library, date=datetime.date(2024, 10, 1), fiscal_year_override=2567)
    assert article.fiscal_year == 2567


def test_person_name_is_public_only_with_consent():
    klang = Department.objects.get(code="klang")
    person = Person.objects.create(name="นางทดสอบ ไม่ยินยอม", position="นักวิชาการตรวจสอบภายใน", department=klang)
    # the only one in that position: the position would name her
    assert person.public_name == "บุคลากรของหน่วยงาน"
    Person.objects.create(name="นายทดสอบ อีกคน", position="นักวิชาการตรวจสอบภายใน", department=klang)
    assert Person.objects.get(pk=person.pk).public_name == "นักวิชาการตรวจสอบภายใน"
    record = person.give_consent(note="หนังสือยินยอม")
    person.refresh_from_db()
    assert person.public_consent and person.public_name == "นางทดสอบ ไม่ยินยอม"
    assert person.current_consent() == record
    person.withdraw_consent()
    person.refresh_from_db()
    assert not person.public_consent and person.current_consent() is None
    assert person.consent_records.get().withdrawn_at is not None  # the history stays


def test_thai_slug_is_generated_with_marks(library):
    article = _new_article(library, title="ความรู้ฝังลึกของช่างชุมชน")
    assert article.slug == "ความรู้ฝังลึกของช่างชุมชน"
    twin = _new_article(library, title="ความรู้ฝังลึกของช่างชุมชน")
    assert twin.slug == "ความรู้ฝังลึกของช่างชุมชน-2"


def test_draft_pages_get_thai_slugs_too(library):
    draft = KnowledgeArticle(title="ร่างความรู้ฝังลึก", summary="ร่าง", body=[], live=False)
    library.add_child(instance=draft)
    assert draft.slug == "ร่างความรู้ฝังลึก"
