"""Search queries in Thai: cleaning, words, the query sent to a backend, highlights.

Queries are segmented exactly as indexed text is (thai.words), and a query typed
without spaces is matched as a phrase first.
"""

import functools
import re
import unicodedata

from modelsearch.query import And, Or, Phrase, PlainText

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
