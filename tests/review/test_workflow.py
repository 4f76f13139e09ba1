"""The review workflow through the Wagtail admin: author → department reviewer → KM editor."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import PageLogEntry, TaskState, WorkflowState

from knowledge.models import Department, KnowledgeArticle
from review.models import DepartmentReviewTask, RefinementTask, RefinementTaskState, refined_pages
from tests.review.helpers import CHECKLIST, act, article_form, submit_new_article, task_state_of

pytestmark = pytest.mark.django_db

BASE_URL = "http://testserver"  # the address the requests came in on (no KHLANG_BASE_URL in tests)


@pytest.fixture
def klang():
    return Department.objects.get(code="klang")


@pytest.fixture
def submitted(login, staff, library, klang):
    """A new กองคลัง article submitted by its author; the outbox starts empty after it."""
    page = submit_new_article(login(staff["author.klang"]), library, "วิธีตรวจรับพัสดุให้ครบถ้วน", klang)
    return page


def refused(response):
    """The admin answers PermissionDenied with a redirect home ("no permission"), or 403 to scripts."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_submission_waits_for_the_department_reviewers_only(submitted, staff):
    state = task_state_of(submitted)
    assert isinstance(state.task.specific, DepartmentReviewTask)
    assert not KnowledgeArticle.objects.get(pk=submitted.pk).live
    assert recipients() == ["reviewer.klang@example.org"]  # not reviewer.palad, not the editors, not admin
    message = mail.outbox[0]
    assert submitted.title in message.subject
    assert f"{BASE_URL}/admin/pages/{submitted.pk}/edit/" in message.body


def test_reviewer_of_another_department_sees_no_task_and_cannot_act(submitted, staff, login):
    other, own = login(staff["reviewer.palad"]), login(staff["reviewer.klang"])
    assert submitted.title not in other.get(reverse("wagtailadmin_home")).content.decode()
    assert submitted.title in own.get(reverse("wagtailadmin_home")).content.decode()

    # A crafted POST to the action URL, and through the page editor, is refused.
    assert refused(act(other, submitted, "approve"))
    assert refused(act(other, submitted, "approve", ajax=True))
    edit_url = reverse("wagtailadmin_pages:edit", args=[submitted.pk])
    response = other.post(edit_url, article_form(submitted.title, submitted.department, **{
        "action-workflow-action": "true", "workflow-action-name": "approve", "workflow-action-extra-data": "{}",
    }))
    assert refused(response)
    assert refused(other.get(edit_url))
    assert isinstance(task_state_of(submitted).task.specific, DepartmentReviewTask)
    assert task_state_of(submitted).status == TaskState.STATUS_IN_PROGRESS

    # The KM editors cannot skip the department's check either.
    assert refused(act(login(staff["editor"]), submitted, "approve"))


def test_on_action_itself_refuses_other_departments(submitted, staff):
    from django.core.exceptions import PermissionDenied

    state = task_state_of(submitted)
    with pytest.raises(PermissionDenied):
        state.task.specific.on_action(state, staff["reviewer.palad"], "approve")


def test_full_workflow_publishes_after_correctness_and_refinement(submitted, staff, login):
    mail.outbox.clear()
    assert act(login(staff["reviewer.klang"]), submitted, "approve").status_code == 302
    state = task_state_of(submitted)
    assert isinstance(state.task.specific, RefinementTask)
    assert recipients() == ["editor@example.org"]

    editor = login(staff["editor"])
    mail.outbox.clear()
    assert act(editor, submitted, "approve", comment="ดีมาก", **CHECKLIST).status_code == 302
    page = KnowledgeArticle.objects.get(pk=submitted.pk)
    assert page.live
    assert page.current_workflow_state is None
    assert recipients() == ["author.klang@example.org"]  # "approved", to the author only
    assert page.title in mail.outbox[0].subject

    refinement = RefinementTaskState.objects.get(workflow_state__object_id=str(page.pk))
    assert refinement.status == TaskState.STATUS_APPROVED
    assert refinement.finished_by == staff["editor"]
    assert refinement.standard_format and refinement.one_vocabulary and refinement.complete_content
    assert refined_pages().filter(pk=page.pk).exists()

    # Every step is in the page history, the checklist with its ticks.
    actions = list(PageLogEntry.objects.filter(page=page).order_by("timestamp", "pk").values_list("action", flat=True))
    assert actions.index("wagtail.workflow.start") < actions.index("review.refine") < actions.index("wagtail.publish")
    assert actions.count("wagtail.workflow.approve") == 2
    refine = PageLogEntry.objects.get(page=page, action="review.refine")
    assert refine.user == staff["editor"]
    assert refine.data["checklist"] == {"standard_format": True, "one_vocabulary": True, "complete_content": True}
    history = editor.get(reverse("wagtailadmin_pages:history", args=[page.pk])).content.decode()
    assert "ผ่านการกลั่นกรอง" in history and "รูปแบบเอกสารเป็นมาตรฐาน" in history


def test_refinement_needs_every_checklist_item(submitted, staff, login):
    act(login(staff["reviewer.klang"]), submitted, "approve")
    editor = login(staff["editor"])

    partly = {"standard_format": "on", "one_vocabulary": "on"}
    response = act(editor, submitted, "approve", ajax=True, **partly)
    assert response.status_code == 200
    assert "ต้องตรวจรายการนี้ให้ครบก่อนอนุมัติ" in response.json()["html"]
    act(editor, submitted, "approve", **partly)  # without JavaScript: nothing happens
    assert task_state_of(submitted).status == TaskState.STATUS_IN_PROGRESS

    # Nor through the page editor, which passes the modal's data straight on.
    response = editor.post(
        reverse("wagtailadmin_pages:edit", args=[submitted.pk]),
        article_form(submitted.title, submitted.department, **{
            "action-workflow-action": "true", "workflow-action-name": "approve",
            "workflow-action-extra-data": '{"standard_format": true, "comment": ""}',
        }),
    )
    assert refused(response)
    assert not KnowledgeArticle.objects.get(pk=submitted.pk).live

    # The modal offers the three boxes.
    form = editor.get(reverse(
        "wagtailadmin_pages:workflow_action", args=(submitted.pk, "approve", task_state_of(submitted).pk)
    ), HTTP_X_REQUESTED_WITH="XMLHttpRequest").json()["html"]
    for label in ["รูปแบบเอกสารเป็นมาตรฐาน", "ใช้ภาษาเดียวกัน", "เนื้อหาสมบูรณ์"]:
        assert label in form


@pytest.mark.parametrize("step", ["department", "refinement"])
def test_request_changes_needs_a_comment_and_tells_the_author(submitted, staff, login, step):
    reviewer = login(staff["reviewer.klang"])
    if step == "refinement":
        act(reviewer, submitted, "approve")
        reviewer = login(staff["editor"])
    mail.outbox.clear()

    response = act(reviewer, submitted, "reject", ajax=True, comment="   ")
    assert "โปรดระบุสิ่งที่ผู้เขียนต้องแก้ไข" in response.json()["html"]
    assert task_state_of(submitted).status == TaskState.STATUS_IN_PROGRESS
    assert mail.outbox == []

    comment = "ตัวเลขในตารางที่ ๒ ไม่ตรงกับระเบียบฉบับล่าสุด โปรดตรวจอีกครั้ง"
    assert act(reviewer, submitted, "reject", comment=comment).status_code == 302
    workflow_state = WorkflowState.objects.get(object_id=str(submitted.pk), status=WorkflowState.STATUS_NEEDS_CHANGES)
    assert workflow_state.current_task_state.comment == comment
    assert recipients() == ["author.klang@example.org"]
    message = mail.outbox[0]
    assert comment in message.body
    assert f"{BASE_URL}/admin/pages/{submitted.pk}/edit/" in message.body
    assert "ขอให้แก้ไข" in message.subject
    assert PageLogEntry.objects.filter(page_id=submitted.pk, action="wagtail.workflow.reject").exists()


def test_author_resubmits_after_changes_and_review_starts_again(submitted, staff, login, klang):
    act(login(staff["reviewer.klang"]), submitted, "reject", comment="เพิ่มขั้นตอนที่ ๓")
    author = login(staff["author.klang"])
    mail.outbox.clear()
    response = author.post(
        reverse("wagtailadmin_pages:edit", args=[submitted.pk]),
        article_form(submitted.title, klang, summary="ฉบับแก้ไข", **{"action-submit": "submit"}),
    )
    assert response.status_code == 302
    assert isinstance(task_state_of(submitted).task.specific, DepartmentReviewTask)
    assert recipients() == ["reviewer.klang@example.org"]


def test_an_edit_during_review_sends_the_page_through_review_again(submitted, staff, login):
    act(login(staff["reviewer.klang"]), submitted, "approve")
    page = KnowledgeArticle.objects.get(pk=submitted.pk)
    page.summary = "แก้ไขระหว่างกลั่นกรอง"
    page.save_revision(user=staff["editor"])

    act(login(staff["editor"]), submitted, "approve", **CHECKLIST)
    assert not KnowledgeArticle.objects.get(pk=submitted.pk).live
    assert isinstance(task_state_of(submitted).task.specific, DepartmentReviewTask)


def test_authors_cannot_publish_and_need_a_department_to_submit(staff, login, library):
    author = login(staff["author.klang"])
    url = reverse("wagtailadmin_pages:add", args=("knowledge", "knowledgearticle", library.pk))
    author.post(url, article_form("เผยแพร่เองไม่ได้", Department.objects.get(code="klang"), **{"action-publish": "1"}))
    assert not KnowledgeArticle.objects.get(title="เผยแพร่เองไม่ได้").live

    response = author.post(url, article_form("ไม่มีส่วนราชการ", None, **{"action-submit": "1"}))
    assert response.status_code == 200
    assert "โปรดเลือกส่วนราชการก่อนส่งตรวจ" in response.content.decode()
    assert not KnowledgeArticle.objects.filter(title="ไม่มีส่วนราชการ").exists()


def test_best_practices_and_dialogue_summaries_use_the_same_workflow():
    from cop.models import DialogueSummaryPage
    from knowledge.models import BestPracticePage

    for model in (KnowledgeArticle, BestPracticePage, DialogueSummaryPage):
        workflow = model.objects.first().get_workflow()
        assert workflow.name == "ประมวลและกลั่นกรองความรู้"
        assert [type(task.specific) for task in workflow.tasks] == [DepartmentReviewTask, RefinementTask]


def test_setup_roles_is_idempotent():
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from wagtail.models import GroupPagePermission, Task, Workflow, WorkflowPage

    def counts():
        return [m.objects.count() for m in (Group, GroupPagePermission, Task, Workflow, WorkflowPage)]

    before = counts()
    call_command("setup_roles", stdout=open("/dev/null", "w"))
    assert counts() == before


def test_a_section_page_without_department_goes_straight_to_refinement(library, staff):
    library.save_revision(user=staff["author.klang"])
    library.get_workflow().start(library, staff["author.klang"])
    assert isinstance(task_state_of(library).task.specific, RefinementTask)
    assert recipients() == ["editor@example.org"]


def test_administrators_assign_staff_to_departments(login, staff):
    from django.contrib.auth.models import Group

    from review.roles import ADMINISTRATORS

    admin_of_users = staff["author.palad"]
    admin_of_users.groups.set([Group.objects.get(name=ADMINISTRATORS)])
    client = login(admin_of_users)
    content = client.get(reverse("wagtailsnippets_review_staffmembership:list")).content.decode()
    assert "reviewer.klang" in content or "วิไล" in content
    assert client.get(reverse("wagtailsnippets_review_staffmembership:add")).status_code == 200


@pytest.mark.parametrize("model", ["departmentreviewtask", "refinementtask"])
def test_task_types_can_be_created_in_the_admin(admin_client, model):
    url = reverse("wagtailadmin_workflows:add_task", args=("review", model))
    content = admin_client.get(url).content.decode()
    assert "หัวหน้าส่วนราชการ (ผู้ตรวจความถูกต้อง)" in content  # the groups to choose from


def test_review_strings_have_english_translations():
    from django.utils import translation

    with translation.override("en"):
        assert translation.gettext("ถึงกำหนดทบทวน") == "Due for review"
        assert translation.gettext("รูปแบบเอกสารเป็นมาตรฐาน") == "Standard document format"
