from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from .models import ConsentRecord, Department, KnowledgeCategory, Person


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


class PersonIndexView(IndexView):
    """Finds people by name, position or expertise: "who knows about e-GP?" is the usual question.

    A substring match rather than the search index: the index would only autocomplete names.
    """

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        words = self.search_query
        return queryset.filter(
            Q(name__icontains=words) | Q(position__icontains=words) | Q(expertise__name__icontains=words)
        ).distinct()


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    index_view_class = PersonIndexView
    list_display = ["name", "position", "department", "public_consent"]
    list_filter = ["department", "public_consent"]
    search_fields = ["name", "position", "expertise__name"]


class ConsentRecordViewSet(SnippetViewSet):
    model = ConsentRecord
    icon = "tick-inverse"
    list_display = ["person", "given_at", "recorded_by", "withdrawn_at", "withdrawn_by"]
    list_filter = ["withdrawn_at"]
    search_fields = ["person__name", "note"]


class ReferenceDataGroup(SnippetViewSetGroup):
    menu_label = _("ข้อมูลอ้างอิง")
    menu_icon = "list-ul"
    menu_order = 300
    items = (DepartmentViewSet, KnowledgeCategoryViewSet, PersonViewSet, ConsentRecordViewSet)


register_snippet(ReferenceDataGroup)


@hooks.register("after_create_snippet")
def record_who_recorded_consent(request, instance):
    if isinstance(instance, ConsentRecord) and instance.recorded_by_id is None:
        instance.recorded_by = request.user
        instance.save()


@hooks.register("after_edit_snippet")
def record_who_recorded_withdrawal(request, instance):
    if isinstance(instance, ConsentRecord) and instance.withdrawn_at and instance.withdrawn_by_id is None:
        instance.withdrawn_by = request.user
        instance.save()


@hooks.register("before_serve_document")
def attachments_follow_their_page(document, request):
    from .attachments import check_document_access

    return check_document_access(document, request)
