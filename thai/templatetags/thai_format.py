"""Dates and digits the Thai way: {% load thai_format %}."""

from django import template
from django.utils.safestring import mark_safe

from thai.dates import format_date
from thai.digits import in_text_of_html
from thai.labels import without_english_gloss
from thai.words import truncate

register = template.Library()


@register.filter
def be_date(value):
    """5 มกราคม 2568"""
    return format_date(value)


@register.filter
def be_date_short(value):
    """5 ม.ค. 2568"""
    return format_date(value, short=True)


@register.filter
def truncate_words(value, limit):
    """{{ text|truncate_words:180 }}: at most 180 characters, cut between (Thai) words."""
    return truncate(str(value or ""), int(limit))


@register.filter
def thai_label(value):
    """{{ page.get_knowledge_type_display|thai_label }}: "ความรู้ฝังลึก", not "ความรู้ฝังลึก (Tacit)"."""
    return without_english_gloss(value)


class DigitsNode(template.Node):
    def __init__(self, nodelist, style):
        self.nodelist, self.style = nodelist, style

    def render(self, context):
        return mark_safe(in_text_of_html(self.nodelist.render(context), self.style.resolve(context)))


@register.tag
def digits(parser, token):
    """{% digits "thai" %}…{% enddigits %}: every digit a reader sees inside in one style, "thai" or "arabic".

    One pass over the rendered page, so dates, counts, addresses and authors' text agree; URLs,
    attributes and scripts keep their digits.
    """
    try:
        _, style = token.split_contents()
    except ValueError:
        raise template.TemplateSyntaxError("{% digits style %} takes one argument") from None
    nodelist = parser.parse(("enddigits",))
    parser.delete_first_token()
    return DigitsNode(nodelist, parser.compile_filter(style))
