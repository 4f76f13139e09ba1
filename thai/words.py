"""Thai word segmentation.

Thai is written without spaces between words, so a search index that splits
text on spaces finds almost nothing inside Thai running text. Indexed text and
queries both go through this segmenter: PyThaiNLP's `newmm` with its bundled ICU
word list (short dictionary words, so "ความรู้" becomes "ความ รู้" everywhere),
after Unicode normalisation, lowercasing and folding Thai digits into Arabic ones.
"""

import functools
import unicodedata

from .digits import to_arabic_digits

# Segmenting the same paragraphs again dominated indexing (a page is indexed on every
# save); whole attached documents are segmented but not cached, they would fill it.
SEGMENT_CACHE_MAX_CHARS = 5000


@functools.cache
def _tokenizer():
    from pythainlp.corpus import thai_icu_words
    from pythainlp.tokenize import Tokenizer

    return Tokenizer(custom_dict=thai_icu_words(), engine="newmm")


def normalize(text):
    """NFC, Arabic digits, lower case: lengths stay those of the input for Thai and ASCII text."""
    return to_arabic_digits(unicodedata.normalize("NFC", text or "")).lower()


def tokens(text):
    """Words of a text. Every text goes through the same segmenter, Thai or not,
    so a name like LTAX3000 splits the same way in documents and in queries."""
    return [t for t in _tokenizer().word_tokenize(normalize(text)) if t.strip()]


def segment(text):
    """Text with a space between every word, ready for a full-text index."""
    if len(text) > SEGMENT_CACHE_MAX_CHARS:
        return " ".join(tokens(text))
    return _segment_cached(text)


@functools.lru_cache(maxsize=4096)
def _segment_cached(text):
    return " ".join(tokens(text))


def segment_value(value):
    """Segment whatever a search field yields: text, lists of text, or other values."""
    if isinstance(value, str):
        return segment(value)
    if isinstance(value, (list, tuple)):
        return [segment_value(item) for item in value]
    return value


# Listings cut the same summaries on every request; segmenting them was a tenth of a listing.
@functools.lru_cache(maxsize=4096)
def truncate(text, limit, ellipsis="…"):
    """`text` cut to at most `limit` characters at a word boundary (Thai words too), with an ellipsis.

    Thai has no spaces between words, so cutting at a space (Django's truncatewords) or
    at any character (truncatechars: "ปีงบประมา…") breaks words; this cuts between the
    words PyThaiNLP finds. The text itself is not normalised.
    """
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    from pythainlp.tokenize import word_tokenize

    room, kept = limit - len(ellipsis), ""
    # PyThaiNLP's default dictionary, not the index's short ICU words: "ความรู้" is one
    # word to a reader, though the index splits it into "ความ รู้".
    for word in word_tokenize(text, engine="newmm"):
        if len(kept) + len(word) > room:
            break
        kept += word
    kept = kept.rstrip(" ,;:")
    return (kept or text[:room]) + ellipsis
