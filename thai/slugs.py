"""URL slugs that keep Thai vowel and tone marks.

Ours because Django's and Wagtail's slugify drop combining marks, so
"ความรู้ฝังลึก" became "ความรฝงลก", a different and misleading word.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SLUG_MAX_LENGTH = 80


# Letters, digits and combining marks (Thai vowels and tone marks are marks, Mn).
def _keeps(char):
    return unicodedata.category(char)[0] in "LNM" or char in "-_"


def slugify(text, max_length=SLUG_MAX_LENGTH):
    text = unicodedata.normalize("NFC", str(text)).lower()
    text = "".join(c if _keeps(c) else " " for c in text)
    slug = re.sub(r"[\s_-]+", "-", text).strip("-")
    if len(slug) > max_length:
        cut = slug.rfind("-", 0, max_length + 1)
        if cut < max_length // 2:
            cut = max_length
            # never separate a consonant from its vowel or tone marks
            while cut < len(slug) and unicodedata.category(slug[cut]) == "Mn":
                cut += 1
        slug = slug[:cut].strip("-")
    return slug


def validate_slug(value):
    if not value or not all(_keeps(c) for c in value) or value != value.strip("-"):
        raise ValidationError(
            _("ใช้ได้เฉพาะตัวอักษร ตัวเลข สระ วรรณยุกต์ และขีดกลาง (-)"), code="invalid"
        )
