"""Public text: summaries cut between Thai words, Thai-only labels."""

import pytest
from django.utils import translation

from thai.labels import without_english_gloss
from thai.words import truncate

SUMMARY = "สรุปผลการดำเนินงานตามแผนการจัดการความรู้ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ ของกองคลัง"


def test_truncate_cuts_between_thai_words():
    cut = truncate(SUMMARY, 40)
    assert len(cut) <= 40 and cut.endswith("…")
    kept = cut[:-1]
    assert SUMMARY.startswith(kept)
    # Django's truncatechars would end in "ปีงบประมา…"; ours ends on a whole word.
    assert kept.endswith(("ความรู้", "ประจำ", "ปี", "งบประมาณ", "แผน", "การ", "จัดการ", "ประจำปี"))
    assert not kept.endswith("ประมา")
    assert truncate("สั้น", 40) == "สั้น"
    assert truncate("", 10) == ""


@pytest.mark.parametrize("limit", range(5, 60, 7))
def test_truncate_never_splits_a_word(limit):
    from pythainlp.tokenize import word_tokenize

    cut = truncate(SUMMARY, limit)
    assert len(cut) <= limit
    boundaries, position = {0}, 0
    for word in word_tokenize(SUMMARY):
        position += len(word)
        boundaries.add(position)
    assert len(cut) - 1 in boundaries or len(cut) - 1 in {b - 1 for b in boundaries if SUMMARY[b - 1:b] == " "}


def test_public_labels_drop_the_english_gloss_in_thai_only():
    with translation.override("th"):
        assert without_english_gloss("ความรู้ฝังลึก (Tacit)") == "ความรู้ฝังลึก"
        assert without_english_gloss("ตลาดนัดความรู้ (Knowledge Market)") == "ตลาดนัดความรู้"
        assert without_english_gloss("อื่น ๆ") == "อื่น ๆ"
        assert without_english_gloss("แผน (ฉบับปรับปรุง)") == "แผน (ฉบับปรับปรุง)"
    with translation.override("en"):
        assert without_english_gloss("Knowledge market (Talat nat)") == "Knowledge market (Talat nat)"


@pytest.mark.django_db
def test_public_pages_show_thai_labels(client, library):
    html = client.get(library.url).content.decode()
    assert "ความรู้ฝังลึก" in html
    assert "(Tacit)" not in html and "(Explicit)" not in html
