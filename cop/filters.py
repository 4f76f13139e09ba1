import django_filters
from django.utils.translation import gettext_lazy as _

from knowledge.models import Department

from .models import CommunityPage


class CommunityFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("สถานะ"), choices=CommunityPage.STATUSES, empty_label=_("ทุกสถานะ")
    )
    department = django_filters.ModelChoiceFilter(
        label=_("ส่วนราชการ"), queryset=Department.objects.all(),
        to_field_name="code", empty_label=_("ทุกส่วนราชการ"),
    )

    class Meta:
        model = CommunityPage
        fields = []
