"""Thai digits (๐–๙) are the same numbers as Arabic digits, wherever a reader types them."""

import re

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
ARABIC, THAI = "arabic", "thai"  # the two digit styles a page may use
TO_THAI = str.maketrans("0123456789", THAI_DIGITS)
TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")

# What in HTML is not text a reader sees: tags with their attributes (URLs, ids, values), comments,
# character references (&#39;) and the contents of script, style and textarea (code, user input).
NOT_TEXT = re.compile(r"<(script|style|textarea)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>|&#?\w+;", re.S | re.I)


def to_arabic_digits(text):
    return str(text).translate(TO_ARABIC) if text else ""


def to_thai_digits(value):
    return str(value).translate(TO_THAI)


def in_text_of_html(html, style):
    """The HTML with every digit of its text in one style (THAI or ARABIC); its markup untouched."""
    table = TO_THAI if style == THAI else TO_ARABIC
    parts, end = [], 0
    for markup in NOT_TEXT.finditer(html):
        parts += [html[end : markup.start()].translate(table), markup.group()]
        end = markup.end()
    parts.append(html[end:].translate(table))
    return "".join(parts)


def parse_int(value):
    """An integer from user input in Thai or Arabic digits, or None."""
    if value is None:
        return None
    text = to_arabic_digits(str(value)).strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None
