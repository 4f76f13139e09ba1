"""{% load knowledge_people %}: links apps above knowledge offer beside a person (the
expert directory), through the `person_links` hook — knowledge never imports them."""

from django import template
from wagtail import hooks

from knowledge.models import PERSON_LINKS_HOOK

register = template.Library()


@register.inclusion_tag("knowledge/includes/person_links.html", takes_context=True)
def person_links(context, person):
    request = context.get("request")
    links = [link for fn in hooks.get_hooks(PERSON_LINKS_HOOK) for link in fn(person, request)]
    return {"links": links}
