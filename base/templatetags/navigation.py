from django import template
from wagtail.models import Site

register = template.Library()


@register.simple_tag(takes_context=True)
def site_root(context):
    site = Site.find_for_request(context["request"])
    return site.root_page.specific if site else None


@register.simple_tag(takes_context=True)
def site_sections(context):
    site = Site.find_for_request(context["request"])
    if not site:
        return []
    return site.root_page.get_children().live().public().in_menu()


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    trail = page.get_ancestors().filter(depth__gt=1) if page and page.depth > 2 else []
    return {"trail": trail, "page": page}
