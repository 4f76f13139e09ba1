from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminPageChooser
from wagtail.models import Page

from knowledge.models import knowledge_item_models


class ReviewCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("ความเห็น"), required=False, widget=forms.Textarea({"rows": 3})
    )


class RequestChangesForm(forms.Form):
    """Sending a page back without saying why leaves its author guessing."""

    comment = forms.CharField(
        label=_("สิ่งที่ต้องแก้ไข"),
        widget=forms.Textarea({"rows": 4}),
        error_messages={"required": _("โปรดระบุสิ่งที่ผู้เขียนต้องแก้ไข")},
    )


def _ticked(label):
    return forms.BooleanField(
        label=label, error_messages={"required": _("ต้องตรวจรายการนี้ให้ครบก่อนอนุมัติ")}
    )


class RefinementChecklistForm(ReviewCommentForm):
    """Step 4 of the KM process: codify and refine. Every box must be ticked."""

    standard_format = _ticked(_("รูปแบบเอกสารเป็นมาตรฐาน"))
    one_vocabulary = _ticked(_("ใช้ภาษาเดียวกัน"))
    complete_content = _ticked(_("เนื้อหาสมบูรณ์"))

    field_order = ["standard_format", "one_vocabulary", "complete_content", "comment"]


class RetireForm(forms.Form):
    reason = forms.CharField(
        label=_("เหตุผลที่ปลดระวาง"),
        widget=forms.Textarea({"rows": 4}),
        help_text=_("แสดงต่อผู้อ่านที่เปิดที่อยู่เดิมของความรู้นี้"),
        error_messages={"required": _("โปรดระบุเหตุผลที่ปลดระวาง")},
    )
    replacement = forms.ModelChoiceField(
        label=_("ความรู้ที่ใช้แทน"),
        queryset=Page.objects.live(),
        required=False,
        help_text=_("ถ้ามี ผู้อ่านจะได้รับลิงก์ไปยังความรู้ฉบับนี้แทน"),
    )

    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.fields["replacement"].widget = AdminPageChooser(target_models=knowledge_item_models())

    def clean_replacement(self):
        replacement = self.cleaned_data["replacement"]
        if replacement and replacement.pk == self.page.pk:
            raise forms.ValidationError(_("ความรู้ที่ใช้แทนต้องไม่ใช่หน้าเดียวกัน"))
        return replacement
