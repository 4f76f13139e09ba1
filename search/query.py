"""Search queries in Thai: cleaning, words, the query sent to a backend, highlights.

Queries are segmented exactly as indexed text is (thai.words), and a query typed
without spaces is matched as a phrase first.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

from modelsearch.query import And, Fuzzy, Or, Phrase, PlainText

from thai.words import normalize, segment

MAX_QUERY_LENGTH = 200
# Characters that carry no meaning in a query and would confuse an engine's
# query syntax: everything but letters, marks, digits, spaces and hyphens.
_NOISE = re.compile(r"[^\w\s\u0E00-\u0E7F-]|_")


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


def _typed_parts(query):
    return _NOISE.sub(" ", normalize(query)).split()


def _words_with_meaning(parts):
    """Each index word of the parts, in order, with whether it carries meaning.

    Function words are recognised with PyThaiNLP's general dictionary, whose
    words are longer, so the parts of a word like ผู้สูงอายุ (ผู้ สูง อายุ in
    the index) are all kept.
    """
    found = []
    for part in parts:
        # characters of words that carry meaning, by the general dictionary's words
        meaningful, position = set(), 0
        for word in _coarse_tokenizer().word_tokenize(part):
            if word not in _stopwords():
                meaningful.update(range(position, position + len(word)))
            position += len(word)
        # the index's own words (its split of an unknown word can differ: อปพร, not อป พร)
        position = 0
        for word in segment(part).split():
            start = part.find(word, position)
            position = start + len(word) if start >= 0 else position
            if word.strip("-"):
                found.append((word, start < 0 or bool(meaningful & set(range(start, start + len(word))))))
    return found


def content_words(query):
    """The words that carry meaning: function words such as ที่, อย่างไร dropped."""
    found = _words_with_meaning(_typed_parts(query))
    kept = [w for w, meaningful in found if meaningful]
    return list(dict.fromkeys(kept or [w for w, _ in found]))


def build_query(query, operator="and"):
    """A search query that requires the meaningful words and ranks phrases first.

    Each part the reader typed without spaces ("พัฒนางาน") is also sought as a
    phrase, so exact matches rank first; requiring words rather than the whole
    phrase still finds documents whose segmentation differs slightly, and a
    natural question ("ขอเบี้ยยังชีพอย่างไร") is not defeated by its question
    words. With operator="or" any meaningful word is enough.
    """
    plan = plan_query(query)
    if plan is None:
        return None
    return (plan.any_words() or plan.all_words()) if operator == "or" else plan.all_words()


def _alternative(words):
    return PlainText(words[0]) if len(words) == 1 else Phrase(" ".join(words))


@dataclass(frozen=True)
class QueryPlan:
    """What a query asks for, worked out once: the backends rank in two tiers from it.

    First the pages holding every concept (a concept is a word, or a group of
    synonyms: any of them will do), then the pages holding any of them or a
    fallback word. A misspelt part is replaced by its correction; the words
    typed are kept as fallback words.
    """

    text: str
    concepts: tuple  # of tuples of alternatives; an alternative is a tuple of words
    phrases: tuple = ()  # typed parts of several words, lifting exact matches
    fallback: tuple = ()  # words that only widen the second tier
    suggestion: str = ""  # the query as corrected, when a part was misspelt

    def _required(self):
        simple = [c[0][0] for c in self.concepts if len(c) == 1 and len(c[0]) == 1]
        grouped = [self.concept_query(c) for c in self.concepts if not (len(c) == 1 and len(c[0]) == 1)]
        return ([PlainText(" ".join(simple), operator="and")] if simple else []) + grouped

    def every_word(self):
        """Pages with every concept: what all_words() matches, without the phrases that only rank."""
        required = self._required()
        return required[0] if len(required) == 1 else And(required)

    def all_words(self):
        required = self._required()
        words = self.every_word()
        if not self.phrases:
            return words
        # The words are required; a phrase only adds to the score of pages that have it.
        return And([*required, Or([*(Phrase(" ".join(p)) for p in self.phrases), words])])

    def concept_query(self, concept):
        """The query for one concept: any of its alternatives."""
        return Or([_alternative(a) for a in concept]) if len(concept) > 1 else _alternative(concept[0])

    def adjacent_pairs(self):
        """Each two words typed next to each other, in the order typed (พัฒนา งาน, งาน บริการ)."""
        return list(dict.fromkeys(pair for phrase in self.phrases for pair in zip(phrase, phrase[1:], strict=False)))

    def any_words(self, fuzzy=False):
        """Pages with any concept or fallback word; None when that is the first tier again."""
        alternatives = list(dict.fromkeys([a for c in self.concepts for a in c] + [(w,) for w in self.fallback]))
        if len(self.concepts) < 2 and not self.fallback and not fuzzy:
            return None
        queries = [_alternative(a) for a in alternatives]
        if fuzzy:  # the engine also forgives a slip in longer words
            queries += [Fuzzy(a[0]) for a in alternatives if len(a) == 1 and len(a[0]) >= 5]
        return queries[0] if len(queries) == 1 else Or(queries)


def plan_query(query):
    """The QueryPlan of a query, or None when it has no words."""
    from . import spelling, synonyms

    if not query_groups(query):
        return None
    parts = spelling.join_romanized(_typed_parts(query))
    groups = synonyms.synonym_groups()
    corrected_parts, suggestion_parts, fallback = [], [], []
    for part in parts:
        words = [w for w in segment(part).split() if w.strip("-")]
        correction = None if synonyms.find(words, groups) else spelling.correct(part)
        if correction:
            fallback += words
            part = spelling.join_words(correction)
        corrected_parts.append(part)
        suggestion_parts.append(part)
    found = _words_with_meaning(corrected_parts)
    every = [w for w, _ in found]
    concepts, spans = [], {start: (end, group) for start, end, group in synonyms.find(every, groups)}
    skip_until = 0
    for position, (word, meaningful) in enumerate(found):
        if position < skip_until:
            continue
        if position in spans:
            skip_until, group = spans[position]
            concepts.append(tuple(group))
        elif meaningful:
            concepts.append(((word,),))
    if not concepts:
        concepts = [((w,),) for w in every]
    concepts = tuple(dict.fromkeys(concepts))
    phrases = []
    for part in corrected_parts:
        words = tuple(w for w in segment(part).split() if w.strip("-"))
        if len(words) > 1 and words not in phrases:
            phrases.append(words)
    known = {w for c in concepts for a in c for w in a}
    return QueryPlan(
        text=query,
        concepts=concepts,
        phrases=tuple(phrases),
        fallback=tuple(dict.fromkeys(w for w in fallback if w not in known)),
        suggestion=" ".join(suggestion_parts) if fallback else "",
    )


def autocomplete_query(query):
    """Words of a half-typed query; the backend treats the last one as a prefix."""
    return " ".join(w for group in query_groups(query) for w in group)
