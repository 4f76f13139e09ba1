from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from thai.slugs import slugify, validate_slug


class ThaiSlugField(forms.CharField):
    """Slug input that keeps Thai vowel and tone marks (see thai.slugs)."""

    default_validators = [validate_slug]

    def to_python(self, value):
        value = super().to_python(value)
        return slugify(value, max_length=255) if value else ""


class KhlangPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"] = ThaiSlugField(
                label=_("ส่วนท้ายของที่อยู่เว็บ (slug)"),
                required=False,
                max_length=255,
                help_text=_(
                    "เว้นว่างไว้เพื่อสร้างจากชื่อเรื่องโดยอัตโนมัติ ภาษาไทยใช้ได้ "
                    "โดยคงสระและวรรณยุกต์ไว้ครบ"
                ),
            )

    def clean(self):
        cleaned_data = super().clean()
        # Correctness is checked by the reviewers of the page's department
        # (review.DepartmentReviewTask): without one, nobody could review it.
        submitting = self.data.get("action-submit") or self.data.get("action-restart-workflow")
        if submitting and "department" in self.fields and not cleaned_data.get("department"):
            self.add_error("department", _("โปรดเลือกส่วนราชการก่อนส่งตรวจ เพื่อให้หัวหน้าส่วนราชการนั้นตรวจความถูกต้อง"))
        return cleaned_data
