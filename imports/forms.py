from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

from knowledge.models import Department, KnowledgeCategory

from .importer import TYPES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.md,.docx,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f] or super().clean(None)


class ImportForm(forms.Form):
    files = MultipleFileField(
        label=_("ไฟล์"), help_text=_("เลือกได้หลายไฟล์: .txt .md .docx .pdf ไฟล์ละไม่เกิน 20 MB")
    )
    kind = forms.ChoiceField(
        label=_("นำเข้าเป็น"),
        choices=[(key, model._meta.verbose_name) for key, model in TYPES.items() if key != "cop_summary"],
    )
    department = forms.ModelChoiceField(label=_("ส่วนราชการ"), queryset=Department.objects.all())
    category = forms.ModelChoiceField(label=_("หมวดหมู่"), queryset=KnowledgeCategory.objects.all(), required=False)
    publish = forms.BooleanField(
        label=_("เผยแพร่ทันที (สำหรับเอกสารที่ผ่านการอนุมัติแล้วเท่านั้น)"), required=False
    )

    def __init__(self, *args, can_publish=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_publish:
            del self.fields["publish"]


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form, refusing files whose content does not match their name."""

    def clean_file(self):
        from .validation import check_file_content

        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            upload.seek(0)
            check_file_content(upload.name, upload.read())
            upload.seek(0)
        return upload
