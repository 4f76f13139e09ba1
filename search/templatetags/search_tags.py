from django import template

from home.templatetags.thai_tags import query_with

register = template.Library()


@register.simple_tag(takes_context=True)
def facet_url(context, name, value):
    """The current search with a facet value switched on, or off if it is already on."""
    switched_on = context["request"].GET.get(name) == str(value)
    return query_with(context, **{name: None if switched_on else value, "page": None})
