"""Editorial review: who checks what, the two review steps, retirements, reminders.

The workflow "ประมวลและกลั่นกรองความรู้" is plain Wagtail: a Workflow of two custom
Tasks (see setup_roles). Correctness is checked by the reviewers of the page's
own department; the KM editors then refine it against a checklist.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.log_actions import log
from wagtail.models import Page, Task, TaskState

from .forms import RefinementChecklistForm, RequestChangesForm, ReviewCommentForm


class StaffMembership(models.Model):
    """The department a member of staff works in; reviewers check only its pages."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("ผู้ใช้"), on_delete=models.CASCADE,
        related_name="staff_membership",
    )
    department = models.ForeignKey(
        "knowledge.Department", verbose_name=_("ส่วนราชการ"), on_delete=models.CASCADE,
        related_name="staff_memberships",
    )

    panels = [FieldPanel("user"), FieldPanel("department")]

    class Meta:
        ordering = ["department", "user__username"]
        verbose_name = _("สังกัดของเจ้าหน้าที่")
        verbose_name_plural = pgettext_lazy("plural", "สังกัดของเจ้าหน้าที่")

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.get_username()} — {self.department}"


def department_id_under_review(page):
    """The department of the content in review, i.e. of the page's latest revision.

    An author may change the department in a draft of a live page, and that draft
    is what the reviewers read, so the live row's department is not the one to use.
    """
    if not hasattr(page, "_department_id_under_review"):
        latest = page.get_latest_revision_as_object()
        page._department_id_under_review = getattr(latest, "department_id", None)
    return page._department_id_under_review


class ReviewTask(Task):
    """A step done by members of some groups; only they may act or are emailed."""

    groups = models.ManyToManyField(
        Group, verbose_name=_("กลุ่มผู้ใช้"), related_name="+",
        help_text=_("สมาชิกของกลุ่มเหล่านี้ทำขั้นตอนนี้"),
    )

    admin_form_fields = Task.admin_form_fields + ["groups"]
    admin_form_widgets = {"groups": forms.CheckboxSelectMultiple}
    approve_form_class = ReviewCommentForm

    class Meta:
        abstract = True

    def reviewers(self, page):
        """The users who may act on this step for this page (emailed when it waits)."""
        return get_user_model().objects.filter(is_active=True, groups__in=self.groups.all()).distinct()

    def can_review(self, page, user):
        if not user.is_active:
            return False
        return user.is_superuser or self.reviewers(page).filter(pk=user.pk).exists()

    def review_actions(self):
        raise NotImplementedError

    def get_actions(self, obj, user):
        return self.review_actions() if self.can_review(obj, user) else []

    def user_can_access_editor(self, obj, user):
        return self.can_review(obj, user)

    def locked_for_user(self, obj, user):
        return not self.can_review(obj, user)

    def user_can_lock(self, obj, user):
        return self.can_review(obj, user)

    def get_form_for_action(self, action):
        return RequestChangesForm if action == "reject" else self.approve_form_class

    def get_task_states_user_can_moderate(self, user, **kwargs):
        in_progress = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if user.is_superuser:
            return in_progress
        # Most users (authors) are in none of the step's groups: one query, not one per page.
        if not user.is_active or not self.groups.filter(pk__in=user.groups.all()).exists():
            return TaskState.objects.none()
        ids = [
            state.pk
            for state in in_progress.select_related("workflow_state")
            if self.can_review(state.workflow_state.content_object, user)
        ]
        return TaskState.objects.filter(pk__in=ids)

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        page = task_state.workflow_state.content_object
        # The admin's action views check get_actions() and the form, but the page
        # editor passes the modal's data straight through: check both again here.
        if action_name not in {name for name, _label, _modal in self.get_actions(page, user)}:
            raise PermissionDenied
        form = self.get_form_for_action(action_name)(data=kwargs)
        if not form.is_valid():
            raise PermissionDenied(form.errors.as_text())
        return self.perform_action(task_state.specific, user, action_name, form.cleaned_data)

    def perform_action(self, task_state, user, action_name, data):
        return super().on_action(task_state, user, action_name, comment=data.get("comment", ""))


class DepartmentReviewTask(ReviewTask):
    """Correctness review by the reviewers of the page's own department."""

    class Meta:
        verbose_name = _("ตรวจความถูกต้องโดยส่วนราชการเจ้าของเรื่อง")
        verbose_name_plural = pgettext_lazy("plural", "ตรวจความถูกต้องโดยส่วนราชการเจ้าของเรื่อง")

    @classmethod
    def get_description(cls):
        return _("สมาชิกของกลุ่มที่เลือกซึ่งสังกัดส่วนราชการเดียวกับหน้านั้นตรวจความถูกต้อง")

    def start(self, workflow_state, user=None):
        # A section page (e.g. the library's introduction) belongs to no
        # department: there is no line of work to check it, so the step is skipped.
        page_class = workflow_state.content_object.specific_class
        if not any(field.name == "department" for field in page_class._meta.fields):
            return self.get_task_state_class().objects.create(
                workflow_state=workflow_state, task=self, status=TaskState.STATUS_SKIPPED,
                revision=workflow_state.content_object.get_latest_revision(), finished_at=timezone.now(),
            )
        return super().start(workflow_state, user=user)

    def reviewers(self, page):
        department_id = department_id_under_review(page)
        if department_id is None:
            return get_user_model().objects.none()
        return super().reviewers(page).filter(staff_membership__department_id=department_id)

    def review_actions(self):
        return [
            ("reject", _("ขอให้แก้ไข"), True),
            ("approve", _("ยืนยันความถูกต้อง"), False),
            ("approve", _("ยืนยันความถูกต้องพร้อมความเห็น"), True),
        ]


class RefinementTaskState(TaskState):
    """A refinement step, with the checklist as the editor left it."""

    CHECKLIST = ("standard_format", "one_vocabulary", "complete_content")

    standard_format = models.BooleanField(_("รูปแบบเอกสารเป็นมาตรฐาน"), default=False)
    one_vocabulary = models.BooleanField(_("ใช้ภาษาเดียวกัน"), default=False)
    complete_content = models.BooleanField(_("เนื้อหาสมบูรณ์"), default=False)

    class Meta:
        verbose_name = _("ผลการกลั่นกรอง")
        verbose_name_plural = pgettext_lazy("plural", "ผลการกลั่นกรอง")


class RefinementTask(ReviewTask):
    """Refinement by the KM editors: standard format, one vocabulary, complete content."""

    approve_form_class = RefinementChecklistForm
    task_state_class = RefinementTaskState

    class Meta:
        verbose_name = _("กลั่นกรองความรู้ตามรายการตรวจ")
        verbose_name_plural = pgettext_lazy("plural", "กลั่นกรองความรู้ตามรายการตรวจ")

    @classmethod
    def get_description(cls):
        return _("สมาชิกของกลุ่มที่เลือกกลั่นกรองความรู้ และอนุมัติได้เมื่อตรวจครบทุกรายการ")

    def review_actions(self):
        return [("reject", _("ขอให้แก้ไข"), True), ("approve", _("ผ่านการกลั่นกรอง"), True)]

    def perform_action(self, task_state, user, action_name, data):
        if action_name == "approve":
            for name in RefinementTaskState.CHECKLIST:
                setattr(task_state, name, data[name])
            # Saved by approve(); logged first so the history reads checklist → approve → publish.
            log(
                instance=task_state.revision.as_object(),
                action="review.refine",
                user=user,
                revision=task_state.revision,
                data={"checklist": {name: data[name] for name in RefinementTaskState.CHECKLIST}},
            )
        return super().perform_action(task_state, user, action_name, data)


def refined_pages():
    """Pages whose refinement was approved with the whole checklist ticked."""
    page_ids = (
        RefinementTaskState.objects.filter(
            status=TaskState.STATUS_APPROVED, **{name: True for name in RefinementTaskState.CHECKLIST}
        )
        .annotate(page_id=Cast("workflow_state__object_id", models.BigIntegerField()))
        .values("page_id")
    )
    return Page.objects.filter(pk__in=page_ids)


class Retirement(models.Model):
    """Knowledge that no longer works, taken off the site with a reason (not deleted).

    Its old URL answers 410 Gone with the reason; publishing the page again ends it.
    """

    page = models.OneToOneField(
        "wagtailcore.Page", verbose_name=_("หน้า"), on_delete=models.CASCADE, related_name="retirement"
    )
    reason = models.TextField(_("เหตุผลที่ปลดระวาง"))
    replacement = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("ความรู้ที่ใช้แทน"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    retired_at = models.DateTimeField(_("วันที่ปลดระวาง"), default=timezone.now)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ผู้ปลดระวาง"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("การปลดระวางความรู้")
        verbose_name_plural = pgettext_lazy("plural", "การปลดระวางความรู้")

    def __str__(self):
        return str(self.page)


class ReviewReminder(models.Model):
    """One reminder email about one overdue item; keeps owners from being nagged daily."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    recipient = models.EmailField(_("ผู้รับ"))
    sent_at = models.DateTimeField(_("ส่งเมื่อ"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("การเตือนให้ทบทวน")
        verbose_name_plural = pgettext_lazy("plural", "การเตือนให้ทบทวน")

    def __str__(self):
        return f"{self.recipient} {self.sent_at:%Y-%m-%d}"
