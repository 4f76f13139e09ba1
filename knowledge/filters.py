"""Listing filters. Each filter keeps its state in the URL and they combine (AND)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from thai.digits import to_arabic_digits
from thai.labels import without_english_gloss

from .models import BestPracticePage, Department, KnowledgeArticle, KnowledgeCategory


class ThaiDigitsIntegerField(forms.IntegerField):
    """Accepts ๒๕๖๘ as well as 2568."""

    def to_python(self, value):
        return super().to_python(to_arabic_digits(value) if isinstance(value, str) else value)


class FiscalYearFilter(django_filters.NumberFilter):
    field_class = ThaiDigitsIntegerField


class KnowledgeFilter(django_filters.FilterSet):
    """Filters shared by every kind of knowledge item."""

    category = django_filters.ModelChoiceFilter(
        label=_("หมวดหมู่"), queryset=KnowledgeCategory.objects.all(),
        to_field_name="slug", empty_label=_("ทุกหมวดหมู่"),
    )
    department = django_filters.ModelChoiceFilter(
        label=_("ส่วนราชการ"), queryset=Department.objects.all(),
        to_field_name="code", empty_label=_("ทุกส่วนราชการ"),
    )
    year = FiscalYearFilter(label=_("ปีงบประมาณ"), field_name="fiscal_year")
    tag = django_filters.CharFilter(label=_("คำสำคัญ"), field_name="tags__name", distinct=True)

    def fiscal_years(self):
        """The years present in the unfiltered listing, newest first."""
        years = self.queryset.exclude(fiscal_year=None).order_by("-fiscal_year")
        return years.values_list("fiscal_year", flat=True).distinct()

    def popular_tags(self, limit=20):
        from django.db.models import Count

        return (
            self.queryset.values_list("tags__name", flat=True)
            .exclude(tags__name=None)
            .annotate(n=Count("pk"))
            .order_by("-n", "tags__name")[:limit]
        )


class ArticleFilter(KnowledgeFilter):
    type = django_filters.ChoiceFilter(
        label=_("ประเภทความรู้"), field_name="knowledge_type",
        choices=lambda: [(value, without_english_gloss(label)) for value, label in KnowledgeArticle.KNOWLEDGE_TYPES],
        empty_label=_("ทุกประเภท"),
    )

    class Meta:
        model = KnowledgeArticle
        fields = []


class BestPracticeFilter(KnowledgeFilter):
    class Meta:
        model = BestPracticePage
        fields = []
