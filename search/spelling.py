"""Spelling correction for Thai and English queries, from the index's own words.

The vocabulary is every word of the database index (SQLite: an fts5vocab table over
the FTS index; PostgreSQL: ts_stat over the index vectors) less the words that occur
only in pages an anonymous reader may not see (drafts, private and staff-only pages,
other indexed models): "did you mean" must never reveal them. It is rebuilt when the
public content version or the index changes.

A typed part that contains a word the vocabulary lacks is re-segmented into known
words, allowing for what Thai typists confuse (ค/ฅ, ซ/ส/ศ/ษ, ท/ธ/ฑ, tone marks, ใ/ไ …)
and for one or two slips of the keyboard.
"""

import functools
import re
import threading
from collections import Counter
from dataclasses import dataclass

from thai.words import segment

# Letters Thai writers swap without noticing, folded to one; marks whose omission or
# doubling is a common slip, dropped. Comparing these "skeletons" makes ค/ฅ, ซ/ส,
# ศ/ษ/ส, ท/ธ/ฑ, ต/ฏ, ณ/น, ล/ฬ, ะ/ั, ใ/ไ and missing tone marks equivalent.
_FOLD = str.maketrans({
    "ฅ": "ค", "ฆ": "ค", "ซ": "ส", "ศ": "ส", "ษ": "ส", "ธ": "ท", "ฑ": "ท", "ฒ": "ท",
    "ฏ": "ต", "ฎ": "ด", "ณ": "น", "ฬ": "ล", "ภ": "พ", "ฃ": "ข", "ฐ": "ถ", "ญ": "ย",
    "ั": "ะ", "ใ": "ไ", "่": None, "้": None, "๊": None, "๋": None, "์": None, "็": None,
})
_THAI_RUN = re.compile(r"[\u0E00-\u0E7F]+")
_WORD = re.compile(r"(?:[^\W_]|[\u0E00-\u0E7F])+")
_LATIN_PART = re.compile(r"[a-z]+")
_LATIN_END = re.compile(r"[a-z0-9]$")
_LATIN_START = re.compile(r"[a-z0-9]")
# what PostgreSQL's English stemmer takes off a word, roughly: service -> servic, taxes -> tax
_ENGLISH_ENDINGS = ("e", "s", "es", "ed", "ing", "y", "er", "ers", "ly", "ion", "ions", "ies", "al", "ment")
MAX_WORD = 20
WORD_COST = 0.35  # per word: a correction into fewer, longer words is preferred
VARIANT_COST = 0.3  # same skeleton (tone mark, equivalent letter)
EDIT_COST = 0.8  # per slip of the keyboard
UNKNOWN_COST = 1.5
LOANWORD_COST = 0.6  # a Thai spelling of an English word of the index


def skeleton(word):
    return word.translate(_FOLD)


def _deletes(word):
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def edit_distance(a, b):
    """Damerau-Levenshtein distance (adjacent swaps count one)."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if previous2 and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def allowed_edits(word):
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


@dataclass(eq=False)
class Vocabulary:
    frequency: dict  # word -> number of public index entries with it

    def __contains__(self, word):
        return word in self.frequency

    # The indexes below are built on first use: the vocabulary is read again after every
    # publish, and a search whose words are all known (most) needs none of them.
    @functools.cached_property
    def by_skeleton(self):
        """skeleton -> its most frequent word"""
        return {skeleton(word): word for word in sorted(self.frequency, key=self.frequency.get)}

    @functools.cached_property
    def by_delete(self):
        """skeleton, whole or less one letter -> words"""
        index = {}
        for word in self.frequency:
            key = skeleton(word)
            if len(key) >= 4:
                for deleted in _deletes(key) | {key}:
                    index.setdefault(deleted, set()).add(word)
        return index

    @functools.cached_property
    def latin_to_thai(self):
        from .crossscript import LatinToThai

        return LatinToThai(self.frequency)

    @functools.cached_property
    def thai_to_latin(self):
        from .crossscript import ThaiToLatin

        return ThaiToLatin(self.frequency)

    def closest(self, word):
        """(known word, cost) nearest to `word`, or None."""
        if word in self.frequency:
            return word, 0.0
        key = skeleton(word)
        if key in self.by_skeleton:
            return self.by_skeleton[key], VARIANT_COST
        limit = allowed_edits(key)
        if not limit:
            return None
        candidates = set()
        for deleted in _deletes(key) | {key}:
            candidates |= self.by_delete.get(deleted, set())
        scored = [(edit_distance(key, skeleton(c)), -self.frequency[c], c) for c in candidates]
        scored = [s for s in scored if s[0] <= limit]
        if not scored:
            return None
        distance, _, best = min(scored)
        return best, EDIT_COST * distance


def correct_part(part, vocabulary, stems=False):
    """The words of a typed part, corrected; None when every word is known (or nothing better).

    stems: the vocabulary holds English stems (PostgreSQL), so an English word is known when
    its stem is, and is replaced only by Thai words it spells in English letters.
    """
    words = segment(part).split()

    def known(word):
        if word in vocabulary or not _WORD.fullmatch(word):
            return True
        return stems and not _THAI_RUN.fullmatch(word) and knows_latin(word, vocabulary, stems)

    if not vocabulary.frequency or all(known(w) for w in words):
        return None
    corrected = []
    for word in words:
        if known(word):
            corrected.append(word)
        elif _THAI_RUN.fullmatch(word):
            corrected.append(word)  # re-segmented with its Thai neighbours below
        else:
            corrected += _latin_correction(word, vocabulary, stems)
    corrected = _correct_thai_runs(corrected, vocabulary)
    return corrected if corrected != words else None


def knows_latin(word, vocabulary, stems=False):
    """Whether a word other than Thai is known (when the vocabulary holds stems: by its stem)."""
    if word in vocabulary:
        return True
    if not stems:
        return False
    if not _LATIN_PART.fullmatch(word):
        return True  # digits and codes: PostgreSQL's vocabulary cannot tell
    return any(word.removesuffix(ending) in vocabulary for ending in _ENGLISH_ENDINGS if word.endswith(ending))


def _latin_correction(word, vocabulary, stems=False):
    """A word of English letters: the nearest known word, or the Thai words it spells."""
    found = None if stems else vocabulary.closest(word)
    thai = vocabulary.latin_to_thai.words(word) if _LATIN_PART.fullmatch(word) else None
    if thai and (not found or thai[1] < found[1]):
        return thai[0]
    return [found[0] if found else word]


def join_words(words):
    """Corrected words as one typed part: Thai run together, English kept apart (วัน stop service)."""
    text = ""
    for word in words:
        text += " " + word if text and (_LATIN_END.search(text) or _LATIN_START.match(word)) else word
    return text


def join_romanized(parts):
    """Adjacent typed parts of English letters the vocabulary lacks, as one part when together
    they spell Thai words: "bia yang cheep" is เบี้ย ยังชีพ, and ยังชีพ is one word of the index."""
    vocabulary, stems = public_vocabulary(), _holds_stems()
    joined, run = [], []
    for part in [*parts, None]:
        if part and _LATIN_PART.fullmatch(part) and not knows_latin(part, vocabulary, stems):
            run.append(part)
            continue
        if len(run) > 1 and vocabulary.frequency and vocabulary.latin_to_thai.words("".join(run)):
            run = ["".join(run)]
        joined += run
        run = []
        if part:
            joined.append(part)
    return joined


def _correct_thai_runs(words, vocabulary):
    """Each run of adjacent Thai words holding an unknown one, re-segmented into known words."""
    out, run = [], []
    for word in [*words, ""]:
        if word and _THAI_RUN.fullmatch(word):
            run.append(word)
            continue
        if run:
            out += _best_segmentation(run, vocabulary) if any(w not in vocabulary for w in run) else run
            run = []
        if word:
            out.append(word)
    return out


def _best_segmentation(tokens, vocabulary):
    """The cheapest split of the run's text into known (or nearly known) words."""
    text = "".join(tokens)
    # the segmenter's own tokens are always a way through, unknown ones at a price
    spans, position = {}, 0
    for token in tokens:
        spans[(position, position + len(token))] = (token, 0.0 if token in vocabulary else UNKNOWN_COST)
        position += len(token)

    def word_at(start, end):
        token = spans.get((start, end))
        options = [token, vocabulary.closest(text[start:end])]
        if token and token[1]:  # an unknown word of the segmenter's may be English in Thai letters
            options.append(_loanword(token[0], vocabulary))
        options = [option for option in options if option]
        if not options:
            return None
        word, cost = min(options, key=lambda option: option[1])
        return word, cost + WORD_COST

    return cheapest_split(len(text), MAX_WORD, word_at)[1] or tokens


def cheapest_split(length, longest, word_at):
    """(cost, words) of the cheapest way through positions 0..length, where word_at(start, end)
    gives (word, cost) for the text between them or None; (inf, []) when there is none."""
    best = [(0.0, [])] + [(float("inf"), [])] * length
    for start in range(length):
        cost_here, words_here = best[start]
        if cost_here == float("inf"):
            continue
        for end in range(start + 1, min(length, start + longest) + 1):
            found = word_at(start, end)
            if found and cost_here + found[1] < best[end][0]:
                best[end] = (cost_here + found[1], [*words_here, found[0]])
    return best[-1]


def _loanword(thai, vocabulary):
    """(English word of the vocabulary, cost) a Thai spelling sounds like: สต๊อป -> stop."""
    word = vocabulary.thai_to_latin.word(thai)
    return (word, LOANWORD_COST) if word else None


# the vocabulary of public pages, cached per content version and index state -------------

_cache = {}
_lock = threading.Lock()


def public_vocabulary():
    return _current()[1]


def _current():
    """(cache key, vocabulary)."""
    from django.db import connection

    key = (connection.alias, connection.settings_dict.get("NAME"), *_index_state())
    cached = _cache.get("vocabulary")
    if cached and cached[0] == key:
        return cached
    with _lock:  # one thread builds it (seconds at 10 000 pages); the others wait for it, not build it again
        cached = _cache.get("vocabulary")
        if not (cached and cached[0] == key):
            _cache["vocabulary"] = (key, Vocabulary(_public_word_counts()))
    return _cache["vocabulary"]


def forget():
    _cache.clear()


def _index_state():
    from django.db.models import Count, Max
    from wagtail.search.models import IndexEntry

    from base.models import PublicContentVersion
    from base.request_memo import remembered

    # every part of a query checks it: once per request is enough (base.request_memo)
    state = remembered("search-index-state", lambda: IndexEntry.objects.aggregate(count=Count("id"), last=Max("id")))
    return PublicContentVersion.current(), state["count"], state["last"]


def _public_word_counts():
    """Words of the index with the number of public entries holding each."""
    from django.db import connection
    from wagtail.search.models import IndexEntry

    public = _public_entry_ids()
    if connection.vendor == "postgresql":
        every = _postgres_counts("SELECT title || body FROM wagtailsearch_indexentry")
        hidden = Counter()
        for chunk in chunks(IndexEntry.objects.exclude(pk__in=public).values_list("pk", flat=True)):
            ids = ",".join(str(int(pk)) for pk in chunk)
            hidden.update(_postgres_counts(f"SELECT title || body FROM wagtailsearch_indexentry WHERE id IN ({ids})"))
    elif connection.vendor == "sqlite":
        every = _sqlite_counts()
        hidden = Counter()
        hidden_texts = IndexEntry.objects.exclude(pk__in=public).values_list("title", "body", "autocomplete")
        for texts in hidden_texts.iterator():
            hidden.update({w.lower() for w in _WORD.findall(" ".join(texts))})
    else:
        return {}
    return {word: count - hidden[word] for word, count in every.items() if count > hidden[word]}


def chunks(values, size=5000):
    values = list(values)
    return [values[i:i + size] for i in range(0, len(values), size)]


def _postgres_counts(statement):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT word, ndoc FROM ts_stat(%s)", [statement])
        return Counter(dict(cursor.fetchall()))


def _sqlite_counts():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.khlang_vocabulary "
            "USING fts5vocab(main, 'wagtailsearch_indexentry_fts', 'row')"
        )
        cursor.execute("SELECT term, doc FROM temp.khlang_vocabulary")
        return Counter(dict(cursor.fetchall()))


def _public_entry_ids():
    """Index entries of the pages an anonymous reader may find."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.search.models import IndexEntry

    from .service import CONTENT_TYPES, visible_pages

    types = ContentType.objects.get_for_models(*CONTENT_TYPES.values(), for_concrete_models=True).values()
    pages = [str(pk) for pk in visible_pages().values_list("pk", flat=True)]
    return IndexEntry.objects.filter(content_type__in=types, object_id__in=pages).values("pk")


@functools.lru_cache(maxsize=2048)
def _correct_cached(part, key, vocabulary, stems):
    return correct_part(part, vocabulary, stems)


def _holds_stems():
    from django.db import connection

    return connection.vendor == "postgresql"


def correct(part):
    """The words of `part` corrected against the public vocabulary, or None."""

    key, vocabulary = _current()
    if not vocabulary.frequency:
        return None
    return _correct_cached(part, key, vocabulary, _holds_stems())
