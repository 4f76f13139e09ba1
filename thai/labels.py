"""Labels for public pages: Thai only."""

import re

from django.utils import translation

# "ความรู้ฝังลึก (Tacit)" → "ความรู้ฝังลึก": the English gloss helps staff in the admin,
# public pages in Thai show the Thai term alone.
_ENGLISH_GLOSS = re.compile(r"\s*\([A-Za-z][A-Za-z .'-]*\)\s*$")


def without_english_gloss(label):
    """The label without a trailing English gloss in brackets, when the page is in Thai."""
    label = str(label)
    if not (translation.get_language() or "").startswith("th"):
        return label
    return _ENGLISH_GLOSS.sub("", label)
