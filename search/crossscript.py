"""Words typed in the other script: Thai written in English letters, English written in Thai.

People type "phasi thidin" or "bia yang cheep" for ภาษีที่ดิน and เบี้ยยังชีพ, and write an
English name in Thai letters ("สต๊อป", "เซอร์วิส"). Neither spelling is in the index, so
each is matched by sound against the index's own words:

- Latin to Thai: every Thai word of the vocabulary is romanized with PyThaiNLP's rule-based
  Royal Institute system (offline, no model), and the typed letters are split into the
  cheapest sequence of romanized words. A loose key (consonants only, each run of vowels
  one "V", aspiration ignored: ph/p, th/t, kh/k, ch/j) finds candidates; the distance
  between the normalised spellings (ee/i, oo/u, ay/ai …) picks among them.
- Thai to Latin: a Thai span is reduced to its consonant sounds (ส/ซ/ศ/ษ s, ร์ silent …)
  and compared with the same key of the English words of the vocabulary.
"""

import re

from .spelling import cheapest_split, chunks, edit_distance

_LATIN = re.compile(r"[a-z]+")
_THAI = re.compile(r"[\u0E00-\u0E7F]+")
MAX_PIECE = 16
PIECE_COST = 0.35  # per Thai word the typed letters are split into
ENGLISH_PIECE_COST = 0.3  # per English word of the index: an exact match beats a sound
LETTER_COST = 0.25  # per letter the spellings differ in, once the loose keys agree
MAX_LETTER_SLIPS = 1  # per piece: more and the sound is someone else's word

# How people spell Thai vowels in English letters, folded to the Royal Institute's spelling.
_SPELLINGS = [("ee", "i"), ("oo", "u"), ("ou", "u"), ("ay", "ai"), ("aw", "ao"), ("ey", "e"),
              ("uay", "uai"), ("oy", "oi"), ("j", "ch"), ("sh", "s"), ("dt", "t"), ("bp", "p")]
_ASPIRATED = [("ph", "p"), ("th", "t"), ("kh", "k"), ("ch", "c"), ("g", "k"), ("b", "p"), ("d", "t")]


def spelling(latin):
    """Latin letters with common ways of writing a Thai sound folded to one."""
    text = latin.lower()
    for typed, royin in _SPELLINGS:
        text = text.replace(typed, royin)
    return re.sub(r"(.)\1+", r"\1", text)  # doubled letters: "thiddin"


def loose_key(latin):
    """Consonants by sound class with each run of vowels one V: bia -> pV, cheep -> cVp."""
    text = spelling(latin)
    for aspirated, plain in _ASPIRATED:
        text = text.replace(aspirated, plain)
    text = re.sub(r"(?<=[aeiou])[yw]", "a", text)  # y, w closing a vowel are part of it
    return re.sub(r"[aeiou]+", "V", re.sub(r"(.)\1+", r"\1", text))


_romanized = {}  # Thai word -> its romanization, in this process


def romanizations(thai_words):
    """Thai word -> its Royal Institute romanization, in English letters only.

    Words romanized before, by any process, are read back from search.models.Romanization;
    the rest are romanized and kept there for the next process."""
    from pythainlp import __version__
    from pythainlp.transliterate import romanize

    from .models import Romanization

    scheme = f"royin/pythainlp {__version__}"
    missing = [word for word in thai_words if word not in _romanized]
    for chunk in chunks(missing):
        _romanized.update(Romanization.objects.filter(scheme=scheme, word__in=chunk).values_list("word", "latin"))
    new = {word: "".join(_LATIN.findall(romanize(word, engine="royin"))) for word in missing if word not in _romanized}
    Romanization.objects.bulk_create(
        [Romanization(scheme=scheme, word=word, latin=latin[:255]) for word, latin in new.items() if len(word) <= 255],
        batch_size=1000, ignore_conflicts=True,  # another worker may have kept the same word meanwhile
    )
    _romanized.update(new)
    return {word: _romanized[word] for word in thai_words}


class LatinToThai:
    """The Thai words of a vocabulary by the loose key of their romanization, and its English words."""

    def __init__(self, frequency):
        self.frequency = frequency
        self.latin = {word for word in frequency if _LATIN.fullmatch(word)}
        self.by_key = {}
        for word, roman in romanizations([word for word in frequency if _THAI.fullmatch(word)]).items():
            if len(roman) >= 2:
                self.by_key.setdefault(loose_key(roman), []).append((spelling(roman), word))

    def piece(self, typed):
        """(Thai word, letters apart) whose romanization sounds like `typed`, or None."""
        candidates = self.by_key.get(loose_key(typed))
        if not candidates:
            return None
        typed = spelling(typed)
        distance, _, word = min((edit_distance(typed, roman), -self.frequency[word], word)
                                for roman, word in candidates)
        return (word, distance) if distance <= MAX_LETTER_SLIPS else None

    def words(self, latin):
        """(words of the index, cost) the Latin letters most likely spell, or None: Thai words
        by sound, or English words of the index typed together."""
        text = latin.lower()
        if not _LATIN.fullmatch(text) or len(text) < 3:
            return None

        def word_at(start, end):
            typed = text[start:end]
            # English words of the index run together come first ("qrcode", "egp");
            # one letter only as a prefix like the e of e-GP
            if typed in self.latin and (len(typed) > 1 or start == 0):
                return typed, ENGLISH_PIECE_COST
            if len(typed) > 1 and (found := self.piece(typed)):
                return found[0], PIECE_COST + LETTER_COST * found[1]
            return None

        cost, words = cheapest_split(len(text), MAX_PIECE, word_at)
        if len(words) > 1 and len(words[0]) == 1 and _LATIN.fullmatch(words[1]):
            words = [f"{words[0]}-{words[1]}", *words[2:]]  # written e-GP: one word to the engine
        return (words, cost) if words else None


# Thai letters by the Latin consonant they sound like; vowels, tone marks and silenced
# letters (with ์) carry nothing. An initial อ is a vowel carrier.
_THAI_SOUNDS = {
    **dict.fromkeys("กขฃคฅฆ", "k"), "ง": "", **dict.fromkeys("จฉชฌ", "c"), **dict.fromkeys("ซสศษ", "s"),
    **dict.fromkeys("ดฎ", "t"), **dict.fromkeys("ตฏ", "t"), **dict.fromkeys("ถฐทฑฒธ", "t"),
    **dict.fromkeys("นณ", "n"), "บ": "p", "ป": "p", **dict.fromkeys("ผพภ", "p"), **dict.fromkeys("ฝฟ", "f"),
    "ม": "m", "ย": "", "ร": "r", "ล": "l", "ฬ": "l", "ว": "w", **dict.fromkeys("หฮ", ""), "อ": "",
}
# English letters by the Thai consonant sound they are written with.
_ENGLISH_SOUNDS = [("ph", "f"), ("th", "t"), ("ch", "c"), ("sh", "c"), ("ck", "k"), ("qu", "kw"),
                   ("x", "ks"), ("q", "k"), ("c(?=[eiy])", "s"), ("c", "k"), ("g", "k"), ("j", "c"),
                   ("v", "w"), ("z", "s"), ("b", "p"), ("d", "t"), ("h", ""), ("y", ""),
                   ("(?<=[aeiou])r(?![aeiou])", ""), ("[aeiou]", "")]
MIN_SOUNDS = 3  # shorter skeletons match too many words by chance


def thai_sounds(thai):
    """The consonant sounds of a Thai loanword: เซอร์วิส -> sws, สต๊อป -> stp."""
    thai = re.sub(r".์", "", thai)  # a letter under the silencer is not said
    return re.sub(r"(.)\1+", r"\1", "".join(_THAI_SOUNDS.get(c, "") for c in thai))


def english_sounds(latin):
    """The consonant sounds of an English word as Thai writes them: service -> sws, stop -> stp."""
    text = latin.lower()
    for pattern, sound in _ENGLISH_SOUNDS:
        text = re.sub(pattern, sound, text)
    return re.sub(r"(.)\1+", r"\1", text)


class ThaiToLatin:
    """The English words of a vocabulary by their consonant sounds."""

    def __init__(self, frequency):
        self.by_sounds = {}
        for word in sorted(frequency, key=frequency.get):
            if _LATIN.fullmatch(word) and len(word) >= 3:
                # PostgreSQL's vocabulary holds stems: servic is said as service
                for form in (word + "e", word):
                    sounds = english_sounds(form)
                    if len(sounds) >= MIN_SOUNDS:
                        self.by_sounds[sounds] = word  # the most frequent one wins

    def word(self, thai):
        sounds = thai_sounds(thai)
        return self.by_sounds.get(sounds) if len(sounds) >= MIN_SOUNDS else None
