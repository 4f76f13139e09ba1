from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from . import thai


class ThaiSlugField(forms.CharField):
    """Slug input that keeps Thai vowel and tone marks (see thai.slugify)."""

    default_validators = [thai.validate_slug]

    def to_python(self, value):
        value = super().to_python(value)
        return thai.slugify(value, max_length=255) if value else ""


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
