from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .forms import ImportForm
from .importer import Importer


def import_documents(request):
    """Upload several files at once; each becomes a draft in the review workflow."""
    library = Importer(kind="article").parent
    permissions = library.permissions_for_user(request.user) if library else None
    if permissions is None or not permissions.can_add_subpage():
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, can_publish=permissions.can_publish_subpage())
    outcomes = []
    if request.method == "POST" and form.is_valid():
        importer = Importer(
            kind=form.cleaned_data["kind"],
            department=form.cleaned_data["department"],
            category=form.cleaned_data["category"],
            publish=form.cleaned_data.get("publish", False),
            user=request.user,
        )
        # The rights that count are those on the section the files go to.
        if importer.check_parent() is not None:
            raise PermissionDenied
        section = importer.parent.permissions_for_user(request.user)
        if not section.can_add_subpage() or (importer.publish and not section.can_publish_subpage()):
            raise PermissionDenied
        for upload in form.cleaned_data["files"]:
            outcomes.append(importer.import_file(upload.name, upload.read()))
    return TemplateResponse(request, "imports/import_documents.html", {
        "form": form, "outcomes": outcomes, "page_title": _("นำเข้าเอกสาร"),
        "header_icon": "upload",
    })
