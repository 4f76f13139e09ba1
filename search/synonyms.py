"""Synonyms editors maintain (SearchSynonym): each group's terms find one another.

A query holding one term of a group, e.g. "KM", also finds pages that say another,
e.g. "การจัดการความรู้", on every backend.
"""

import functools
import re

from thai.words import segment

_SEPARATORS = re.compile(r"[\n,;]+")


def split_terms(text):
    """The terms of a group as an editor wrote them: one a line (commas work too)."""
    return [term.strip() for term in _SEPARATORS.split(text or "") if term.strip()]


@functools.lru_cache(maxsize=1024)
def _phrases(text):
    phrases = []
    for term in split_terms(text):
        words = tuple(w for w in segment(term).split() if w.strip("-"))
        if words and words not in phrases:
            phrases.append(words)
    return tuple(phrases)


def synonym_groups():
    """Every group, as tuples of index words: [(("km",), ("การ", "จัดการ", "ความ", "รู้")), ...]."""
    from .models import SearchSynonym

    groups = [_phrases(text) for text in SearchSynonym.objects.values_list("terms", flat=True)]
    return [group for group in groups if len(group) > 1]


def find(words, groups):
    """(start, end, group) for each term of a group found in `words`, longest first, not overlapping."""
    found, taken = [], set()
    candidates = sorted(
        ((len(phrase), start, group, phrase) for group in groups for phrase in group for start in range(len(words))),
        key=lambda item: (-item[0], item[1]),
    )
    for length, start, group, phrase in candidates:
        span = set(range(start, start + length))
        if tuple(words[start:start + length]) == phrase and not span & taken:
            taken |= span
            found.append((start, start + length, group))
    return sorted(found, key=lambda item: item[0])
