"""Every indicator computed exactly from records, with the fiscal year's boundaries in Bangkok time."""

import datetime
import json
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail import hooks
from wagtail.models import PageViewRestriction, TaskState

from plan.indicators import measure_year
from review.models import RefinementTaskState
from review.retirement import retire
from search.models import UnansweredQuery
from tests.review.helpers import CHECKLIST, act, submit_new_article
from thai.dates import fiscal_year

from .conftest import YEAR, bangkok

pytestmark = pytest.mark.django_db


def value(year, key, **kwargs):
    return measure_year(year, **kwargs)[key].value


def test_publication_belongs_to_the_fiscal_year_of_its_bangkok_moment(publish_article):
    publish_article("เริ่มปี", bangkok(YEAR - 544, 10, 1, 0, 10))  # 1 Oct 2589, 00:10 (30 Sep 17:10 UTC)
    publish_article("สิ้นปี", bangkok(YEAR - 543, 9, 30, 23, 30))  # 30 Sep 2590, 23:30
    publish_article("ก่อนปี", bangkok(YEAR - 544, 9, 30, 23, 59))  # 30 Sep 2589: the year before
    publish_article("หลังปี", bangkok(YEAR - 543, 10, 1, 0, 0))  # 1 Oct 2590: the year after

    assert value(YEAR, "items_published") == 2
    assert value(YEAR - 1, "items_published") == 1
    assert value(YEAR + 1, "items_published") == 1
    indicators = measure_year(YEAR)
    assert dict(indicators.published_by_type)["องค์ความรู้"] == 2
    assert [(row.department, row.published) for row in indicators.by_department] == [("กองคลัง", 2)]
    assert indicators["items_published"].previous == 1


def test_published_counts_live_items_only_and_marks_staff_only_ones(publish_article, staff, palad):
    moment = bangkok(YEAR - 543, 3, 1, 10)
    publish_article("สาธารณะ", moment)
    private = publish_article("เฉพาะเจ้าหน้าที่", moment, department=palad)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    retired = publish_article("ปลดระวาง", moment)
    retire(retired, staff["editor"], "ใช้ไม่ได้แล้ว")
    draft = publish_article("ถอนการเผยแพร่", moment)
    draft.unpublish()

    indicators = measure_year(YEAR)
    assert indicators["items_published"].value == 2
    assert indicators["items_published"].staff_only == 1
    assert {row.department: row.published for row in indicators.by_department} == {"กองคลัง": 1, "สำนักปลัด": 1}
    # retired today, which is in another fiscal year than YEAR
    assert indicators["items_retired"].value == 0
    assert value(fiscal_year(timezone.now()), "items_retired") >= 1


def test_meetings_participants_and_active_communities_by_meeting_date(hold_meeting, community):
    hold_meeting("วงแรกของปี", datetime.date(YEAR - 544, 10, 1), 12)
    hold_meeting("วงสุดท้ายของปี", datetime.date(YEAR - 543, 9, 30), 8)
    hold_meeting("วงปีถัดไป", datetime.date(YEAR - 543, 10, 1), 30)

    indicators = measure_year(YEAR)
    assert indicators["exchange_meetings"].value == 2
    assert indicators["meeting_participants"].value == 20
    assert indicators["active_communities"].value == 1
    assert [(row.department, row.meetings) for row in indicators.by_department] == [("กองคลัง", 2)]
    assert value(YEAR + 1, "exchange_meetings") == 1


def test_items_refined_need_the_whole_checklist_in_the_year(login, staff, library, klang):
    def through_refinement(title, moment, checklist_complete=True):
        page = submit_new_article(login(staff["author.klang"]), library, title, klang)
        assert act(login(staff["reviewer.klang"]), page, "approve").status_code == 302
        assert act(login(staff["editor"]), page, "approve", comment="", **CHECKLIST).status_code == 302
        state = RefinementTaskState.objects.get(workflow_state__object_id=str(page.pk))
        fields = {"finished_at": moment}
        if not checklist_complete:
            fields["complete_content"] = False
        RefinementTaskState.objects.filter(pk=state.pk).update(**fields)
        assert state.status == TaskState.STATUS_APPROVED

    through_refinement("กลั่นกรองต้นปี", bangkok(YEAR - 544, 10, 1, 0, 5))
    through_refinement("กลั่นกรองปลายปี", bangkok(YEAR - 543, 9, 30, 23, 55))
    through_refinement("ไม่ครบรายการ", bangkok(YEAR - 543, 5, 1, 9), checklist_complete=False)
    through_refinement("ปีก่อน", bangkok(YEAR - 544, 9, 30, 23, 55))
    assert value(YEAR, "items_refined") == 2
    assert value(YEAR - 1, "items_refined") == 1


def test_overdue_retired_and_unanswered_searches(publish_article, staff):
    moment = bangkok(YEAR - 543, 1, 10, 9)
    year_end = datetime.date(YEAR - 543, 9, 30)
    after_the_year = datetime.date(YEAR - 543, 10, 5)
    last_day = datetime.date(YEAR - 543, 9, 30)
    baseline = value(YEAR, "items_overdue_review", today=after_the_year)
    publish_article("เลยกำหนด", moment, next_review_date=year_end)
    publish_article("ยังไม่ถึง", moment, next_review_date=year_end + datetime.timedelta(days=1))
    # Counted as of the year's end for a past year, as of today within it.
    assert value(YEAR, "items_overdue_review", today=after_the_year) == baseline + 1
    assert value(YEAR, "items_overdue_review", today=last_day) == baseline
    assert value(YEAR + 1, "items_overdue_review", today=datetime.date(YEAR - 542, 10, 5)) == baseline + 2

    UnansweredQuery.objects.create(query_string="ภาษีป้าย", date=datetime.date(YEAR - 544, 10, 1), hits=3)
    UnansweredQuery.objects.create(query_string="ขยะ", date=datetime.date(YEAR - 543, 9, 30), hits=2)
    UnansweredQuery.objects.create(query_string="ถนน", date=datetime.date(YEAR - 543, 10, 1), hits=7)
    assert value(YEAR, "searches_without_results") == 5

    item = publish_article("จะปลดระวาง", moment)
    retirement = retire(item, staff["editor"], "ล้าสมัย").retirement
    type(retirement).objects.filter(pk=retirement.pk).update(retired_at=bangkok(YEAR - 543, 9, 30, 23, 59))
    assert value(YEAR, "items_retired") == 1
    assert value(YEAR + 1, "items_retired") == 0


def test_accesses_come_from_the_counting_app_through_its_hook(publish_article, palad):
    article = publish_article("อ่านบ่อย", bangkok(YEAR - 543, 1, 1, 9), department=palad)
    seen = []

    def count_accesses(first_day, last_day):
        seen.append((first_day, last_day))
        return {article.pk: 40, 999_999_999: 2}

    assert value(YEAR, "accesses") == 0
    cache.clear()  # sums of read counts are reused for a minute
    with hooks.register_temporarily("count_accesses", count_accesses):
        indicators = measure_year(YEAR)
    assert indicators["accesses"].value == 42
    assert seen[0] == (datetime.date(YEAR - 544, 10, 1), datetime.date(YEAR - 543, 9, 30))
    assert {row.department: row.accesses for row in indicators.by_department}["สำนักปลัด"] == 40


def test_targets_from_the_plan_lower_is_better_and_manual_values(publish_article, plan_of_year):
    publish_article("หนึ่ง", bangkok(YEAR - 543, 2, 1, 9))
    plan = plan_of_year(YEAR, [
        {"measure": "items_published", "target_value": "2"},
        {"measure": "searches_without_results", "target_value": "10"},
        {"measure": "manual", "indicator": "ร้อยละของบุคลากรที่ทราบเป้าหมาย KM", "target_value": "80",
         "measured_value": "85", "unit": "ร้อยละ"},
    ])
    indicators = measure_year(YEAR, plan=plan)
    published = indicators["items_published"]
    assert (published.value, published.target, published.met, published.percent_of_target) == (1, 2, False, 50)
    searches = indicators["searches_without_results"]
    assert (searches.value, searches.target, searches.met) == (0, 10, True)
    assert indicators["exchange_meetings"].target is None and indicators["exchange_meetings"].met is None
    [manual] = indicators.manual
    assert (manual.label, manual.value, manual.target, manual.met) == ("ร้อยละของบุคลากรที่ทราบเป้าหมาย KM", 85, 80, True)


def test_a_year_without_plan_has_values_without_targets_and_a_far_year_is_all_zeros():
    no_plan = measure_year(2568)
    assert not no_plan.has_plan
    assert all(indicator.target is None for indicator in no_plan.indicators)
    assert no_plan["items_published"].value > 0  # the demo's items of that year
    far = measure_year(2700)
    assert {indicator.key: indicator.value for indicator in far.indicators} == dict.fromkeys(
        [indicator.key for indicator in far.indicators], 0
    )


def test_km_indicators_json_keeps_the_names_other_tools_read(publish_article, plan_of_year):
    publish_article("หนึ่ง", bangkok(YEAR - 543, 2, 1, 9))
    plan_of_year(YEAR, [{"measure": "items_published", "target_value": "12"}])
    out = StringIO()
    call_command("km_indicators", "--year", "๒๕๙๐", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["year"] == YEAR
    for key in ["items_published", "items_refined", "exchange_meetings", "accesses", "items_overdue_review",
                "items_retired", "searches_without_results", "meeting_participants", "active_communities"]:
        assert key in data["indicators"]
    assert data["indicators"]["items_published"] == {"value": 1, "target": 12, "met": False}

    table = StringIO()
    call_command("km_indicators", "--year", str(YEAR), stdout=table)
    assert "items_published            1 / 12" in table.getvalue()


@pytest.mark.parametrize("year", ["abc", "2026x", "99"])
def test_km_indicators_refuses_a_year_that_is_not_a_buddhist_era_number(year):
    with pytest.raises(CommandError, match="ปีงบประมาณ พ.ศ."):
        call_command("km_indicators", "--year", year, stdout=StringIO())


def test_reads_the_site_counts_are_the_accesses_indicator(client, article):
    year = fiscal_year(timezone.now())
    before = measure_year(year)
    for _ in range(3):
        assert client.get(article.url, HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) Mobile").status_code == 200
    # Sums of read counts are reused for a minute (KHLANG_ACCESS_COUNTS_SECONDS) ...
    assert measure_year(year)["accesses"].value == before["accesses"].value
    cache.clear()  # ... as if that minute had passed.
    after = measure_year(year)
    assert after["accesses"].value == before["accesses"].value + 3
    department = article.department.name
    by_department = {row.department: row.accesses for row in after.by_department}
    assert by_department[department] == {row.department: row.accesses for row in before.by_department}.get(department, 0) + 3
    out = StringIO()
    call_command("km_indicators", "--year", str(year), "--json", stdout=out)
    assert json.loads(out.getvalue())["indicators"]["accesses"]["value"] == after["accesses"].value
