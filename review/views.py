import django_filters
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page

from knowledge.models import Department
from thai.dates import format_date

from .cycle import due_for_review, review_contact
from .forms import RetireForm
from .retirement import is_retirable, retire


def can_retire(page, user):
    return page.live and is_retirable(page) and page.permissions_for_user(user).can_unpublish()


class RetireView(WagtailAdminTemplateMixin, FormView):
    """Retire a knowledge item: unpublish it with a reason and, maybe, a replacement."""

    template_name = "review/admin/retire.html"
    form_class = RetireForm
    page_title = _("ปลดระวางความรู้")
    header_icon = "no-view"

    def dispatch(self, request, page_id):
        self.page = get_object_or_404(Page, pk=page_id).specific
        if not can_retire(self.page, request.user):
            raise PermissionDenied
        return super().dispatch(request, page_id)

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "page": self.page}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            page=self.page,
            action_url=reverse("review_retire", args=[self.page.pk]),
            submit_button_label=_("ปลดระวาง"),
            media=context["form"].media,
        )
        return context

    def form_valid(self, form):
        retire(self.page, self.request.user, form.cleaned_data["reason"], form.cleaned_data["replacement"])
        messages.success(
            self.request,
            _("ปลดระวาง '%(title)s' แล้ว ที่อยู่เดิมจะแจ้งผู้อ่านว่าความรู้นี้ถูกปลดระวาง")
            % {"title": self.page.get_admin_display_title()},
        )
        return redirect("wagtailadmin_explore", self.page.get_parent().pk)


class DueForReviewFilterSet(WagtailFilterSet):
    department = django_filters.ModelChoiceFilter(
        label=_("ส่วนราชการ"),
        queryset=Department.objects.all(),
        empty_label=_("ทุกส่วนราชการ"),
        method="filter_department",
    )

    class Meta:
        model = Page
        fields = []

    def filter_department(self, queryset, name, value):
        return queryset.filter(review_department=value.pk) if value else queryset


class DueForReviewView(ReportView):
    """Live knowledge past its next-review date, by department, with who answers for it."""

    page_title = _("ถึงกำหนดทบทวน")
    header_icon = "time"
    model = Page
    any_permission_required = ["publish"]
    filterset_class = DueForReviewFilterSet
    index_url_name = "review_due"
    index_results_url_name = "review_due_results"
    columns = [
        TitleColumn("title", label=_("ชื่อเรื่อง"), url_name="wagtailadmin_pages:edit"),
        Column("review_department_name", label=_("ส่วนราชการ")),
        Column("review_date", label=_("กำหนดทบทวน"), accessor=lambda page: format_date(page.review_date)),
        Column("review_owner", label=_("ผู้รับผิดชอบ")),
        Column("type_label", label=_("ประเภท"), accessor=lambda page: page.specific_class._meta.verbose_name),
    ]

    def get_queryset(self):
        self.queryset = due_for_review().order_by("review_department_order", "review_date", "title")
        return super().get_queryset()

    def decorate_paginated_queryset(self, object_list):
        pages = list(object_list)  # fills the queryset's cache, which the table reads
        specific = Page.objects.filter(pk__in=[page.pk for page in pages]).specific().in_bulk()
        departments = Department.objects.in_bulk({page.review_department for page in pages} - {None})
        for page in pages:
            item = specific[page.pk]
            contact = review_contact(item)
            page.review_department_name = departments.get(page.review_department, "")
            if contact:
                page.review_owner = contact.name
            elif item.owner_id:
                page.review_owner = item.owner.get_full_name() or item.owner.get_username()
            else:
                page.review_owner = ""
        return object_list
