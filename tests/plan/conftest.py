import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from wagtail.models import Page

from cop.models import CommunityPage, DialogueSummaryPage
from knowledge.models import Department, KnowledgeArticle
from plan.models import KMPlanIndexPage, KMPlanPage, PlanActivity

# A fiscal year far from the demo content, so every count below is exact.
YEAR = 2590  # 1 October 2589 – 30 September 2590 B.E. = 1 Oct 2046 – 30 Sep 2047
BANGKOK = datetime.timezone(datetime.timedelta(hours=7))


def bangkok(*args):
    return datetime.datetime(*args, tzinfo=BANGKOK)


@pytest.fixture
def klang(db):
    return Department.objects.get(code="klang")


@pytest.fixture
def palad(db):
    return Department.objects.get(code="palad")


@pytest.fixture
def publish_article(library, klang):
    """publish_article(title, moment, department=klang) → a live article first published at `moment`."""

    def publish(title, moment, department=klang, **fields):
        page = KnowledgeArticle(
            title=title, summary="สรุป", body=[("paragraph", "<p>เนื้อหา</p>")], department=department,
            date=timezone.localtime(moment).date(), **fields,
        )
        library.add_child(instance=page)
        page.save_revision().publish()
        Page.objects.filter(pk=page.pk).update(first_published_at=moment)
        return KnowledgeArticle.objects.get(pk=page.pk)

    return publish


@pytest.fixture
def community(db):
    return CommunityPage.objects.live().order_by("pk").first()


@pytest.fixture
def hold_meeting(community, klang):
    """hold_meeting(title, date, participants) → a live dialogue summary of that date."""

    def hold(title, date, participants, department=klang):
        page = DialogueSummaryPage(
            title=title, summary="สรุป", topic="ประเด็น", core_lessons="<p>แก่น</p>", date=date,
            participant_count=participants, department=department,
        )
        community.add_child(instance=page)
        page.save_revision().publish()
        return page

    return hold


@pytest.fixture
def plan_of_year(db):
    """plan_of_year(year, activities=[dict, ...]) → a live KM plan of that fiscal year."""

    def make(year, activities=()):
        index = KMPlanIndexPage.objects.get()
        plan = KMPlanPage(
            title=f"แผน {year}", fiscal_year=year, desired_state="เป้าหมาย",
            activities=[
                PlanActivity(
                    step=a.get("step", "km2"), activity=a.get("activity", a.get("measure", "กิจกรรม")),
                    indicator=a.get("indicator", "ตัวชี้วัด"), target=str(a.get("target_value", "")),
                    measure=a.get("measure", ""), responsible="คณะทำงาน KM",
                    target_value=None if a.get("target_value") is None else Decimal(a["target_value"]),
                    measured_value=None if a.get("measured_value") is None else Decimal(a["measured_value"]),
                    unit=a.get("unit", ""),
                )
                for a in activities
            ],
        )
        index.add_child(instance=plan)
        plan.save_revision().publish()
        return KMPlanPage.objects.get(pk=plan.pk)

    return make
