"""Thai digits (๐–๙) are the same numbers as Arabic digits, wherever a reader types them."""

from pythainlp.util import arabic_digit_to_thai_digit, thai_digit_to_arabic_digit

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"


def to_arabic_digits(text):
    return thai_digit_to_arabic_digit(text) if text else ""


def to_thai_digits(value):
    text = str(value)
    return arabic_digit_to_thai_digit(text) if text else ""


def parse_int(value):
    """An integer from user input in Thai or Arabic digits, or None."""
    if value is None:
        return None
    text = to_arabic_digits(str(value)).strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None
