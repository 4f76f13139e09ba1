"""Editors keep the plan in the admin; its form refuses targets that cannot be measured."""

import pytest
from django.urls import reverse

from plan.models import KMPlanIndexPage, KMPlanPage
from tests.review.helpers import PARAGRAPH

pytestmark = pytest.mark.django_db


def plan_form(year, activities):
    data = {
        "title": f"แผน {year}", "slug": "", "fiscal_year": str(year), "summary": "", "desired_state": "เป้าหมาย KM",
        "measurable_unit": "", "monitoring": PARAGRAPH,
        "comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0", "comments-MIN_NUM_FORMS": "0", "comments-MAX_NUM_FORMS": "",
    }
    for name in ("focus_areas", "knowledge_needs"):
        data.update({f"{name}-TOTAL_FORMS": "0", f"{name}-INITIAL_FORMS": "0", f"{name}-MIN_NUM_FORMS": "0", f"{name}-MAX_NUM_FORMS": "1000"})
    data.update({"activities-TOTAL_FORMS": str(len(activities)), "activities-INITIAL_FORMS": "0",
                 "activities-MIN_NUM_FORMS": "0", "activities-MAX_NUM_FORMS": "1000"})
    for n, activity in enumerate(activities):
        fields = {"step": "km2", "activity": f"กิจกรรม {n}", "indicator": "ตัวชี้วัด", "target": "เป้าหมาย",
                  "responsible": "คณะทำงาน KM", "status": "planned", "evidence-count": "0", "ORDER": str(n), "id": "",
                  "DELETE": "", "method": "", "starts": "", "ends": "", "measure": "", "target_value": "",
                  "measured_value": "", "unit": "", "responsible_department": "", "note": "", **activity}
        data.update({f"activities-{n}-{key}": value for key, value in fields.items()})
    return data


def add_url():
    return reverse("wagtailadmin_pages:add", args=("plan", "kmplanpage", KMPlanIndexPage.objects.get().pk))


def test_editor_adds_a_plan_with_measured_activities(login, staff):
    editor = login(staff["editor"])
    assert editor.get(add_url()).status_code == 200
    response = editor.post(add_url(), plan_form(2571, [
        {"measure": "items_published", "target_value": "12"},
        {"step": "cm1", "measure": "manual", "target_value": "80", "measured_value": "72.5", "unit": "ร้อยละ"},
    ]))
    assert response.status_code == 302, response.content.decode()[:3000]
    plan = KMPlanPage.objects.get(fiscal_year=2571)
    assert [a.measure for a in plan.activities.all()] == ["items_published", "manual"]
    assert [a.process for a in plan.activities.all()] == ["km", "cm"]


@pytest.mark.parametrize("activities, message", [
    ([{"measure": "items_published", "target_value": "12"}, {"measure": "items_published", "target_value": "5"}],
     "ตัวชี้วัดนี้มีเป้าหมายในกิจกรรม"),
    ([{"measure": "exchange_meetings"}], "กิจกรรมที่วัดผลต้องมีค่าเป้าหมายเป็นตัวเลข"),
    ([{"starts": "2026-05-01", "ends": "2026-04-01"}], "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"),
])
def test_plan_form_refuses_what_cannot_be_measured(login, staff, activities, message):
    response = login(staff["editor"]).post(add_url(), plan_form(2572, activities))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not KMPlanPage.objects.filter(fiscal_year=2572).exists()


def test_one_plan_per_fiscal_year(login, staff):
    response = login(staff["editor"]).post(add_url(), plan_form(2569, []))
    assert response.status_code == 200
    assert not KMPlanPage.objects.filter(fiscal_year=2569).exclude(title__contains="๒๕๖๙").exists()
