"""Dates and digits the Thai way: {% load thai_format %}."""

from django import template

from thai.dates import format_date
from thai.digits import to_thai_digits

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
