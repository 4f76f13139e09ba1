"""Snippets of text around a query's words, with the words marked."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from thai.words import normalize

from .query import query_groups

_THAI = re.compile(r"[\u0E00-\u0E7F]")


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
