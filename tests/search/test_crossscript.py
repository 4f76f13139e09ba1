"""Words typed in the other script: Thai in English letters, English in Thai letters."""

from unittest import mock

import pytest

from search import crossscript, spelling
from search.models import Romanization

# Romanizations are kept in the database (search.models.Romanization).
pytestmark = pytest.mark.django_db

VOCABULARY = spelling.Vocabulary({
    "เบี้ย": 3, "ยังชีพ": 2, "ยัง": 5, "ชีพ": 2, "ชอบ": 9, "ภาษี": 4, "ที่ดิน": 3,
    "วัน": 10, "one": 3, "stop": 3, "service": 4, "step": 1, "budget": 2,
})


def test_keys_fold_the_ways_thai_sounds_are_written():
    assert crossscript.spelling("cheep") == crossscript.spelling("chip") == "chip"
    assert crossscript.loose_key("phasi") == crossscript.loose_key("pasi")  # aspiration ignored
    assert crossscript.loose_key("thidin") == crossscript.loose_key("tidin")
    assert crossscript.loose_key("bia") != crossscript.loose_key("bin")
    assert crossscript.thai_sounds("เซอร์วิส") == crossscript.english_sounds("service")
    assert crossscript.thai_sounds("สต๊อป") == crossscript.english_sounds("stop")


def test_thai_typed_in_english_letters_becomes_the_thai_words_of_the_index():
    assert spelling.correct_part("phasi", VOCABULARY) == ["ภาษี"]
    assert spelling.correct_part("thidin", VOCABULARY) == ["ที่ดิน"]
    # typed as one word, it is split into the fewest words: ยังชีพ, not ยัง + ชีพ
    assert spelling.correct_part("biayangcheep", VOCABULARY) == ["เบี้ย", "ยังชีพ"]
    # cheep is how people write ชีพ (chip), not ชอบ (chop), however frequent ชอบ is
    assert spelling.correct_part("cheep", VOCABULARY) == ["ชีพ"]


def test_english_words_and_unknown_sounds_are_left_alone():
    assert spelling.correct_part("service", VOCABULARY) is None  # known
    assert spelling.correct_part("budgte", VOCABULARY) == ["budget"]  # a slip, not Thai
    assert spelling.correct_part("xqz", VOCABULARY) is None


def test_english_typed_in_thai_letters_becomes_the_english_words_of_the_index():
    assert spelling.correct_part("วันสต๊อปเซอร์วิส", VOCABULARY) == ["วัน", "stop", "service"]
    assert spelling.join_words(["วัน", "stop", "service"]) == "วัน stop service"
    assert spelling.join_words(["ภาษี", "ที่ดิน"]) == "ภาษีที่ดิน"


def test_stemmed_vocabulary_knows_english_words_by_their_stems():
    stems = spelling.Vocabulary({"servic": 3, "ภาษี": 4})
    assert spelling.knows_latin("service", stems, stems=True)
    assert not spelling.knows_latin("service", stems)
    assert spelling.correct_part("service", stems, stems=True) is None
    assert spelling.correct_part("phasi", stems, stems=True) == ["ภาษี"]
    assert spelling.correct_part("เซอร์วิส", stems, stems=True) == ["servic"]
    line = spelling.Vocabulary({"line": 3, "oa": 2})
    assert not spelling.knows_latin("lineoa", line, stems=True)  # oa is no English ending
    assert spelling.correct_part("lineoa", line, stems=True) == ["line", "oa"]


def test_a_thai_word_is_not_taken_for_english_by_chance():
    vocabulary = spelling.Vocabulary({"saraban": 2, "super": 1, "ดาว": 3})
    # ซุปเปอร์โน sounds s-p-n like saraban, but no single unknown word of it is English
    assert "saraban" not in (spelling.correct_part("ซุปเปอร์โนวาฟ", vocabulary) or [])
    assert crossscript.english_sounds("saraban") == "srpn"  # an r between vowels is said


def test_english_words_typed_together_are_split_into_the_index_words():
    vocabulary = spelling.Vocabulary({"qr": 2, "code": 2, "line": 3, "oa": 2, "e": 4, "gp": 2, "หน้า": 9, "อ้อย": 1})
    assert spelling.correct_part("qrcode", vocabulary) == ["qr", "code"]
    assert spelling.correct_part("egp", vocabulary) == ["e-gp"]  # e-GP typed without its hyphen
    # English words of the index beat Thai words that sound alike (หน้า อ้อย: na oi)
    assert spelling.correct_part("lineoa", vocabulary) == ["line", "oa"]
    assert spelling.correct_part("codee", vocabulary) != ["code", "e"]  # one letter only in front


def test_romanizations_are_kept_for_the_next_process():
    crossscript._romanized.clear()
    assert spelling.correct_part("phasi", spelling.Vocabulary({"ภาษี": 4, "ที่ดิน": 3})) == ["ภาษี"]
    kept = dict(Romanization.objects.values_list("word", "latin"))
    assert kept == {"ภาษี": "phasi", "ที่ดิน": "thidin"}

    # another process: nothing in memory, and nothing romanized again for the words kept
    crossscript._romanized.clear()
    with mock.patch("pythainlp.transliterate.romanize", side_effect=AssertionError("romanized again")):
        assert spelling.correct_part("thidin", spelling.Vocabulary({"ภาษี": 4, "ที่ดิน": 3})) == ["ที่ดิน"]
    # a new word is romanized once and kept beside them
    assert spelling.correct_part("biayangcheep", spelling.Vocabulary(VOCABULARY.frequency)) == ["เบี้ย", "ยังชีพ"]
    assert Romanization.objects.filter(word="เบี้ย").count() == 1
    assert Romanization.objects.count() == len({w for w in VOCABULARY.frequency if crossscript._THAI.fullmatch(w)} | {"ที่ดิน"})
