"""Thai text for search: word segmentation, digit folding, queries and highlights.

Thai is written without spaces between words, so search engines that split on
spaces find almost nothing inside Thai running text. Indexed text and queries
are both segmented with PyThaiNLP's `newmm` and its bundled ICU word list (short
dictionary words, so "ความรู้" becomes "ความ รู้" in documents and queries
alike), Thai digits are folded into Arabic ones, and a query typed without
spaces is matched as a phrase first.
"""

import functools
import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe
from modelsearch.query import And, Or, Phrase, PlainText

from home.thai import to_arabic_digits

MAX_QUERY_LENGTH = 200
# Characters that carry no meaning in a query and would confuse an engine's
# query syntax: everything but letters, marks, digits, spaces and hyphens.
_NOISE = re.compile(r"[^\w\s\u0E00-\u0E7F-]|_")
_THAI = re.compile(r"[\u0E00-\u0E7F]")


@functools.cache
def _tokenizer():
    from pythainlp.corpus import thai_icu_words
    from pythainlp.tokenize import Tokenizer

    return Tokenizer(custom_dict=thai_icu_words(), engine="newmm")


def normalize(text):
    return to_arabic_digits(unicodedata.normalize("NFC", text or "")).lower()


def tokens(text):
    """Words of a text. Every text goes through the same segmenter, Thai or not,
    so a name like LTAX3000 splits the same way in documents and in queries."""
    return [t for t in _tokenizer().word_tokenize(normalize(text)) if t.strip()]


def segment(text):
    """Text with a space between every word, ready for a full-text index.

    Cached for texts of paragraph size: a page is indexed on every save (draft,
    revision, workflow step), and segmenting the same paragraphs again dominated
    that cost; whole attached documents would only fill the cache.
    """
    if len(text) > SEGMENT_CACHE_MAX_CHARS:
        return " ".join(tokens(text))
    return _segment_cached(text)


SEGMENT_CACHE_MAX_CHARS = 5000


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


def clean_query(raw):
    """A query a person typed, made safe: bounded, no control or syntax characters."""
    text = (raw or "").replace("\x00", " ")
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C" or c in " \t")
    text = " ".join(text.split())[:MAX_QUERY_LENGTH]
    return text


def query_groups(query):
    """The words of each space-separated part of a query, e.g. 'ความรู้ e-GP' -> [['ความ','รู้'], ['e-gp']]."""
    groups = []
    for part in _NOISE.sub(" ", normalize(query)).split():
        words = [w for w in segment(part).split() if w.strip("-")]
        if words:
            groups.append(words)
    return groups


@functools.cache
def _stopwords():
    from pythainlp.corpus import thai_stopwords

    return thai_stopwords()


# Terms of the KM trade, kept whole when deciding which query words are function words.
KM_TERMS = {
    "คุณเอื้อ", "คุณอำนวย", "คุณกิจ", "คุณลิขิต", "คุณประสาน", "ขุมความรู้", "แก่นความรู้",
    "หัวปลา", "ตลาดนัดความรู้", "ชุมชนนักปฏิบัติ", "ถอดบทเรียน", "สุนทรียสนทนา",
}


@functools.cache
def _coarse_tokenizer():
    from pythainlp.corpus import thai_words
    from pythainlp.tokenize import Tokenizer

    return Tokenizer(custom_dict=set(thai_words()) | KM_TERMS, engine="newmm")


def content_words(query):
    """The words that carry meaning: function words such as ที่, อย่างไร dropped.

    Function words are recognised with PyThaiNLP's general dictionary, whose
    words are longer, so the parts of a word like ผู้สูงอายุ (ผู้ สูง อายุ in
    the index) are all kept.
    """
    kept, every = [], []
    for part in _NOISE.sub(" ", normalize(query)).split():
        for word in _coarse_tokenizer().word_tokenize(part):
            pieces = [w for w in segment(word).split() if w.strip("-")]
            every += pieces
            if word not in _stopwords():
                kept += pieces
    return list(dict.fromkeys(kept or every))


def build_query(query, operator="and"):
    """A search query that requires the meaningful words and ranks phrases first.

    Each part the reader typed without spaces ("พัฒนางาน") is also sought as a
    phrase, so exact matches rank first; requiring words rather than the whole
    phrase still finds documents whose segmentation differs slightly, and a
    natural question ("ขอเบี้ยยังชีพอย่างไร") is not defeated by its question
    words. With operator="or" any meaningful word is enough (the fallback when
    nothing matches every word).
    """
    groups = query_groups(query)
    if not groups:
        return None
    words = PlainText(" ".join(content_words(query)), operator=operator)
    phrases = [Phrase(" ".join(group)) for group in groups if len(group) > 1]
    if not phrases:
        return words
    # The words are required; a phrase only adds to the score of pages that have it.
    return And([words, Or([*phrases, words])])


def autocomplete_query(query):
    """Words of a half-typed query; the backend treats the last one as a prefix."""
    return " ".join(w for group in query_groups(query) for w in group)


def highlight(text, query, width=220):
    """A snippet of `text` around the query's words, with the words in <mark>."""
    text = " ".join((text or "").split())
    words = sorted({w for group in query_groups(query) for w in group if len(w) > 1 or _THAI.match(w)}, key=len, reverse=True)
    if not text:
        return ""
    folded = normalize(text)  # same length as text: digit folding and lowercasing keep lengths
    if len(folded) != len(text):
        folded = text.lower()
    if not words:
        return escape(_trim(text, 0, width))
    pattern = re.compile("|".join(re.escape(w) for w in words))
    first = pattern.search(folded)
    start = max(0, (first.start() if first else 0) - width // 4)
    end = min(len(text), start + width)
    snippet = []
    cursor = start
    for match in pattern.finditer(folded, start, end):
        snippet.append(escape(text[cursor:match.start()]))
        snippet.append(f"<mark>{escape(text[match.start():match.end()])}</mark>")
        cursor = match.end()
    snippet.append(escape(text[cursor:end]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + "".join(snippet) + suffix)


def _trim(text, start, width):
    end = start + width
    return text[start:end] + ("…" if end < len(text) else "")
