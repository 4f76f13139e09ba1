"""The directory's search and filters; each keeps its state in the URL and they combine (AND)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from knowledge.models import Department

from .directory import name_matches_q


def expertise_tags(request=None):
    """Every expertise some person has (read when the form is built, once models are loaded)."""
    return Tag.objects.filter(knowledge_personexpertise_items__isnull=False).distinct().order_by("name")


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("ชื่อหรือความเชี่ยวชาญ"), method="search")
    department = django_filters.ModelChoiceFilter(
        label=_("ส่วนราชการ"), queryset=Department.objects.all(),
        to_field_name="code", empty_label=_("ทุกส่วนราชการ"),
    )
    expertise = django_filters.ModelChoiceFilter(
        label=_("ความเชี่ยวชาญ"), field_name="expertise",
        queryset=expertise_tags,
        to_field_name="name", empty_label=_("ทุกความเชี่ยวชาญ"),
    )

    def search(self, queryset, name, value):
        words = " ".join(value.split())[:100]
        if not words:
            return queryset
        user = getattr(self.request, "user", None)
        return queryset.filter(
            name_matches_q(words, user) | Q(position__icontains=words) | Q(expertise__name__icontains=words)
        ).distinct()
