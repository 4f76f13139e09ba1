from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Department, KnowledgeCategory, Person


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    list_display = ["name", "code"]
    ordering = ["sort_order", "name"]


class KnowledgeCategoryViewSet(SnippetViewSet):
    model = KnowledgeCategory
    icon = "folder-open-inverse"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    list_display = ["name", "position", "department", "public_consent"]
    list_filter = ["department", "public_consent"]
    search_fields = ["name", "position"]


class ReferenceDataGroup(SnippetViewSetGroup):
    menu_label = _("ข้อมูลอ้างอิง")
    menu_icon = "list-ul"
    menu_order = 300
    items = (DepartmentViewSet, KnowledgeCategoryViewSet, PersonViewSet)


register_snippet(ReferenceDataGroup)


@hooks.register("before_serve_document")
def attachments_follow_their_page(document, request):
    from .attachments import check_document_access

    return check_document_access(document, request)
