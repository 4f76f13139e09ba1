"""Highlights fall on whole words, the same on every backend."""

import re

import pytest

from search.highlight import highlight
from tests.search.helpers import api, publish_article, refresh

pytestmark = pytest.mark.django_db

MARKED = re.compile(r"<mark>(.*?)</mark>")


def marked_words(snippet):
    return MARKED.findall(str(snippet))


def test_no_mark_inside_a_word():
    snippet = str(highlight("ประสบการณ์ในโครงการวงเรียนรู้ เรื่องการจัดการความรู้ขององค์กร", "การจัดการความรู้"))
    assert "ประสบ<mark>" not in snippet and "โครง<mark>" not in snippet and "เรียน<mark>" not in snippet
    assert "ประสบการณ์ในโครงการวงเรียนรู้" in snippet
    assert marked_words(snippet) == ["การ", "จัดการ", "ความ", "รู้"]


def test_the_readers_words_are_marked_alone_but_function_words_only_in_a_phrase():
    snippet = str(highlight("เพิ่มพูนความรู้ให้ การประชุมของหน่วยงานที่จัดการงาน", "การจัดการความรู้"))
    assert marked_words(snippet) == ["ความ", "รู้"]  # การ, จัดการ alone are function words


def test_a_query_of_function_words_still_marks_them():
    assert marked_words(highlight("การประชุมที่ห้อง", "ที่")) == ["ที่"]


def test_prefix_of_a_compound_is_a_word_of_the_index():
    assert marked_words(highlight("ระบบจัดเก็บภาษีที่ดิน", "ภาษี")) == ["ภาษี"]


def test_digits_compare_folded_and_text_is_escaped():
    snippet = str(highlight("ระบบจัดเก็บภาษีที่ดินปี ๒๕๖๘ <script>", "ภาษีที่ดิน 2568"))
    assert "<mark>ภาษี</mark><mark>ที่ดิน</mark>" in snippet
    assert "<mark>๒๕๖๘</mark>" in snippet
    assert marked_words(highlight("ปี 2568", "๒๕๖๘")) == ["2568"]
    assert "&lt;script&gt;" in snippet


def test_latin_words_are_whole_too():
    snippet = str(highlight("ระบบ e-GP และ egpx กับ LTAX3000", "e-gp ltax3000"))
    assert marked_words(snippet) == ["e-GP", "LTAX", "3000"]


def test_snippet_starts_near_the_first_whole_word():
    text = "โครงการ " * 200 + "ความรู้ที่ต้องการ " + "ท้าย " * 200
    snippet = str(highlight(text, "ความรู้"))
    assert snippet.startswith("…") and snippet.endswith("…")
    assert marked_words(snippet) == ["ความ", "รู้"]


def test_api_marks_whole_words_on_every_backend(client, library, backend):
    publish_article(
        library, "บันทึกประสบการณ์โครงการวงเรียนรู้",
        "ประสบการณ์จากโครงการวงเรียนรู้ของชุมชน เป็นเรื่องการจัดการความรู้ในหน่วยงาน",
        summary="ประสบการณ์จากโครงการวงเรียนรู้",
    )
    refresh(backend)
    data = api(client, q="การจัดการความรู้")
    hit = next(r for r in data["results"] if r["title"] == "บันทึกประสบการณ์โครงการวงเรียนรู้")
    assert "ประสบการณ์จากโครงการวงเรียนรู้" in hit["highlight"]
    assert marked_words(hit["highlight"]) == ["การ", "จัดการ", "ความ", "รู้"]
    for result in data["results"]:
        for before in ("ประสบ<mark>", "โครง<mark>", "เรียน<mark>"):
            assert before not in result["highlight"]
