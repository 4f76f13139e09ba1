from django import template

from base.addresses import current_base_url

register = template.Library()


@register.simple_tag
def site_base_url():
    """{% site_base_url as base_url %}: the site's address (base.addresses), for e-mails."""
    return current_base_url()
