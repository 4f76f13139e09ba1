"""Editors keep the plan in the admin; its form refuses targets that cannot be measured."""

import pytest
from django.urls import reverse

from plan.models import KMPlanIndexPage, KMPlanPage
from tests.review.helpers import PARAGRAPH, act

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


def test_the_sponsor_approves_the_plan_which_publishes_it(login, staff, django_user_model):
    editor, sponsor = login(staff["editor"]), login(django_user_model.objects.get(username="sponsor"))
    response = editor.post(add_url(), {**plan_form(2572, [{"measure": "items_published", "target_value": "12"}]),
                                       "action-submit": "submit"})
    assert response.status_code == 302
    plan = KMPlanPage.objects.get(fiscal_year=2572)
    assert not plan.live and plan.workflow_in_progress
    assert plan.current_workflow_task_state.task.name == "อนุมัติแผนโดยคุณเอื้อ"
    dashboard = reverse("plan_dashboard")

    # the KM working group writes the plan but does not approve it
    act(editor, plan, "approve", comment="")
    plan.refresh_from_db()
    assert not plan.live and plan.workflow_in_progress

    assert "อนุมัติแผนโดยคุณเอื้อ" in sponsor.get(reverse("wagtailadmin_home")).content.decode()  # awaiting the sponsor
    act(sponsor, plan, "approve", comment="เห็นชอบ")
    plan = KMPlanPage.objects.get(pk=plan.pk)
    assert plan.live and plan.approval.finished_by.username == "sponsor"
    assert "คุณเอื้ออนุมัติแผนนี้แล้ว (ประเสริฐ ปลัด อบต." in editor.get(dashboard, {"year": "2572"}).content.decode()

    # changed and published without the sponsor: the dashboard says the published plan is not approved
    plan.summary = "เพิ่มกิจกรรม"
    plan.save_revision(user=staff["editor"]).publish(user=staff["editor"])
    assert KMPlanPage.objects.get(pk=plan.pk).approval is None
    assert "แผนฉบับที่เผยแพร่ยังไม่ได้รับอนุมัติจากคุณเอื้อ" in editor.get(dashboard, {"year": "2572"}).content.decode()


def test_the_demo_plan_was_approved_by_the_sponsor():
    assert KMPlanPage.objects.get().approval.finished_by.username == "sponsor"
