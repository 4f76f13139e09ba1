from django import template
from django.template.defaulttags import querystring

register = template.Library()


@register.simple_tag(takes_context=True)
def facet_toggle_url(context, name, value):
    """The current search with a facet value switched on, or off if it is already on.

    Django's {% querystring %} names its parameters in the template; a facet's name is a variable.
    """
    switched_on = context["request"].GET.get(name) == str(value)
    return querystring(context, **{name: None if switched_on else value, "page": None})
