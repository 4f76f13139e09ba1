from django import template

register = template.Library()


@register.filter
def active_filters(filterset):
    """How many of a django-filter FilterSet's filters the reader has set (shown as ตัวกรอง (n))."""
    return sum(1 for name in filterset.filters if filterset.data.getlist(name) not in ([], [""]))
