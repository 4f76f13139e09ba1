"""Dates and digits the Thai way: {% load thai_format %}."""

from django import template

from thai.dates import format_date
from thai.digits import to_thai_digits
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
def thai_digits(value):
    return to_thai_digits(value)


@register.filter
def truncate_words(value, limit):
    """{{ text|truncate_words:180 }}: at most 180 characters, cut between (Thai) words."""
    return truncate(str(value or ""), int(limit))


@register.filter
def thai_label(value):
    """{{ page.get_knowledge_type_display|thai_label }}: "ความรู้ฝังลึก", not "ความรู้ฝังลึก (Tacit)"."""
    return without_english_gloss(value)
