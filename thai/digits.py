"""Thai digits (๐–๙) are the same numbers as Arabic digits, wherever a reader types them."""

import re

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
ARABIC, THAI = "arabic", "thai"  # the two digit styles a page may use
TO_THAI = str.maketrans("0123456789", THAI_DIGITS)
TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")

# What in HTML is not text a reader sees: tags with their attributes (URLs, ids, values), comments,
# character references (&#39;) and the contents of script, style and textarea (code, user input).
NOT_TEXT = re.compile(
    r"(<script\b.*?</script\s*>|<style\b.*?</style\s*>|<textarea\b.*?</textarea\s*>|<!--.*?-->|<[^>]*>|&#?\w+;)",
    re.S | re.I,
)
FOREIGN_DIGITS = {THAI: re.compile("[0-9]"), ARABIC: re.compile(f"[{THAI_DIGITS}]")}


def to_arabic_digits(text):
    return str(text).translate(TO_ARABIC) if text else ""


def to_thai_digits(value):
    return str(value).translate(TO_THAI)


def in_text_of_html(html, style):
    """The HTML with every digit of its text in one style (THAI or ARABIC); its markup untouched."""
    style = THAI if style == THAI else ARABIC
    foreign, table = FOREIGN_DIGITS[style], (TO_THAI if style == THAI else TO_ARABIC)
    if not foreign.search(html):
        return html
    parts = NOT_TEXT.split(html)  # text, markup, text, markup, …, text
    # str.translate is slow on Thai text: only the parts that need it.
    parts[::2] = [text.translate(table) if foreign.search(text) else text for text in parts[::2]]
    return "".join(parts)


def parse_int(value):
    """An integer from user input in Thai or Arabic digits, or None."""
    if value is None:
        return None
    text = to_arabic_digits(str(value)).strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None
