from django import template

from home import thai

register = template.Library()


@register.filter
def be_date(value):
    """5 มกราคม 2568"""
    return thai.format_date(value)


@register.filter
def be_date_short(value):
    """5 ม.ค. 2568"""
    return thai.format_date(value, short=True)


@register.filter
def thai_digits(value):
    return thai.to_thai_digits(value)


@register.filter
def filesize_th(num_bytes):
    """Human file size with units readers know: 2.4 MB, 310 KB."""
    if num_bytes is None:
        return ""
    size = float(num_bytes)
    for unit in ("B", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (keeps filter state)."""
    query = context["request"].GET.copy()
    for name, value in changes.items():
        query.pop(name, None)
        if value not in (None, ""):
            query[name] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"
