from urllib.parse import urlencode

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def facet_toggle_url(context, name, value):
    """The current search with a facet value switched on, or off if it is already on, from page one.

    What Django's {% querystring name=value page=None %} gives (whose parameter names are written in
    the template; a facet's name is a variable), without its deep copy of request.GET for each of a
    page's forty-odd facet links.
    """
    current = context["request"].GET
    params = dict(current.lists())  # in order; assigning an existing name keeps its place
    params.pop("page", None)
    if current.get(name) == str(value):
        params.pop(name, None)
    else:
        params[name] = [value]
    if not params and not current:
        return ""
    return "?" + urlencode([(key, item) for key, values in params.items() for item in values])
