from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def facet_url(context, name, value):
    """The current search with a facet value switched on, or off if it is already on."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    if query.get(name) == str(value):
        query.pop(name)
    else:
        query[name] = value
    return "?" + query.urlencode()
