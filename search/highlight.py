"""Snippets of text around a query's words, with the words marked.

Marks fall on whole words as the index segmented them (thai.words), never on a
piece of a word: for the query การจัดการความรู้, "การ" inside ประสบการณ์ or
โครงการ is not a word of the text, and "รู้" at the end of เรียนรู้ is only half
of the reader's word ความรู้. So the query is split into the words a reader
means (PyThaiNLP's general dictionary: การ จัดการ ความรู้), each written as the
index's words (ความรู้ → ความ รู้), and a run of the text's index words is
marked when it spells one of them, or several in a row. Function words (การ,
ที่, ของ) are marked only inside a longer run. Digits compare folded (๒๕๖๘ =
2568). Every backend gets its marks from here, so they are the same everywhere.
"""

import functools
import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe

from thai.words import normalize, segment

from .query import query_groups

_NON_SPACE = re.compile(r"\S+")
_THAI_OR_DIGIT = re.compile(r"[\u0E00-\u0E7F0-9]")
# Phrases longer than this many reader's words are matched only as parts; it bounds the work.
MAX_PHRASE_WORDS = 8


@functools.cache
def _stopwords():
    from pythainlp.corpus import thai_stopwords

    return thai_stopwords()


@functools.lru_cache(maxsize=4096)
def _reader_words(text):
    """Words as a Thai reader sees them (ความรู้ is one), from PyThaiNLP's general dictionary."""
    from pythainlp.tokenize import word_tokenize

    return [w for w in word_tokenize(text, engine="newmm") if w.strip()]


def _index_words(text):
    return tuple(w for w in segment(text).split() if w.strip("-"))


@functools.lru_cache(maxsize=256)
def query_terms(query):
    """What may be marked: tuples of index words (ความรู้ → ("ความ", "รู้"))."""
    terms = {}
    for group in query_groups(query):
        spelled = [_index_words(word) for word in _reader_words("".join(group))]
        spelled = [(words, "".join(words) in _stopwords()) for words in spelled if words]
        for first in range(len(spelled)):
            for last in range(first + 1, min(len(spelled), first + MAX_PHRASE_WORDS) + 1):
                run = spelled[first:last]
                words = tuple(w for words, _ in run for w in words)
                terms[words] = terms.get(words, True) and all(stop for _, stop in run)
        terms.setdefault(tuple(group), False)  # the part as typed, whatever the dictionary says
    only_function_words = all(terms.values())  # then mark them
    return frozenset(
        words for words, stop in terms.items()
        if (only_function_words or not stop) and (len(words) > 1 or len(words[0]) > 1 or _THAI_OR_DIGIT.match(words[0]))
    )


def _chunk_words(chunk):
    """(word, start, end) of the index's words in a text without spaces, or None if they
    do not spell it exactly (a character the segmenter changes)."""
    words, position = [], 0
    for word in segment(chunk).split():
        if chunk.startswith(word, position):
            if word.strip("-"):
                words.append((word, position, position + len(word)))
            position += len(word)
        else:
            return None
    return words if position == len(chunk) else None


def _marks(folded, terms, start=0):
    """(start, end) of each marked word from `start` on, in order, lazily."""
    longest = max(map(len, terms))
    needles = {"".join(words) for words in terms}
    for chunk in _NON_SPACE.finditer(folded, folded.rfind(" ", 0, start) + 1):
        text = chunk.group()
        if not any(needle in text for needle in needles):
            continue  # the common case: no need to segment
        words = _chunk_words(text) or [(text, 0, len(text))]
        spelled = [w for w, _, _ in words]
        i = 0
        while i < len(words):
            for size in range(min(longest, len(words) - i), 0, -1):
                if tuple(spelled[i:i + size]) in terms:
                    for _, word_start, word_end in words[i:i + size]:
                        yield chunk.start() + word_start, chunk.start() + word_end
                    i += size
                    break
            else:
                i += 1


def highlight(text, query, width=220):
    """A snippet of `text` around the query's words, with the words in <mark>."""
    text = unicodedata.normalize("NFC", " ".join((text or "").split()))
    if not text:
        return ""
    terms = query_terms(query)
    folded = normalize(text)  # same length as text: digit folding and lowercasing keep lengths
    if len(folded) != len(text):
        folded = text
    first = next(_marks(folded, terms), None) if terms else None
    start = max(0, first[0] - width // 4) if first else 0
    end = min(len(text), start + width)
    snippet, cursor = [], start
    for mark_start, mark_end in _marks(folded, terms, start) if first else []:
        if mark_start < start:
            continue
        if mark_end > end:
            break
        snippet.append(escape(text[cursor:mark_start]))
        snippet.append(f"<mark>{escape(text[mark_start:mark_end])}</mark>")
        cursor = mark_end
    snippet.append(escape(text[cursor:end]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + "".join(snippet) + suffix)
