"""Search quality: two-tier ranking, spelling correction ("did you mean"), synonyms.

Each test runs on the database backend (SQLite, or PostgreSQL with DATABASE_URL)
and on the real engine (KHLANG_TEST_SEARCH_URL).
"""

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from knowledge.models import KnowledgeArticle
from search import spelling
from search.models import SearchSynonym
from tests.search.helpers import api, publish_article, refresh, titles

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_vocabulary():
    spelling.forget()  # test databases roll back; the cached vocabulary must not outlive one
    yield
    spelling.forget()


def test_pages_with_some_words_rank_below_pages_with_every_word(client, backend, library):
    both = publish_article(library, "ว่าวจุฬาและว่าวปักเป้า", "การแข่งว่าวจุฬากับปลาทูนึ่งริมทุ่ง")
    kite = publish_article(library, "ว่าวจุฬาของหมู่บ้าน", "ว่าวจุฬาตัวใหญ่ที่สุด " * 5)
    fish = publish_article(library, "ปลาทูแม่กลอง", "ปลาทูนึ่งหน้างอคอหัก " * 5)
    refresh(backend)
    data = api(client, q="ว่าวจุฬา ปลาทู")
    found = titles(data)
    assert found[0] == both.title
    assert set(found[1:3]) == {kite.title, fish.title}  # kept, not dropped, but below
    assert data["relaxed"] is False


def test_misspelt_thai_finds_the_page_and_offers_the_correction(client, backend, library):
    page = publish_article(library, "การดูแลระบบประปาหมู่บ้าน", "ล้างถังกรองและเติมคลอรีนทุกสัปดาห์")
    refresh(backend)
    data = api(client, q="ประปาหมู่บาน")  # ้ forgotten
    assert page.title in titles(data)
    assert data["suggestion"] == "ประปาหมู่บ้าน"
    html = client.get(reverse("search"), {"q": "เติมคลอลีน"}).content.decode()  # ร/ล slip
    assert "หรือคุณหมายถึง" in html and "คลอรีน" in html
    assert page.title in html
    assert api(client, q="ประปาหมู่บ้าน")["suggestion"] == ""  # nothing to correct


def test_synonyms_an_editor_keeps_expand_the_query(client, backend, library):
    page = publish_article(library, "วงเรียนรู้ของศูนย์ปฏิบัติการฉุกเฉิน", "ศูนย์สั่งการเหตุฉุกเฉินของตำบล")
    refresh(backend)
    assert page.title not in titles(api(client, q="EOC"))
    SearchSynonym.objects.create(terms="EOC\nศูนย์ปฏิบัติการฉุกเฉิน")
    assert page.title in titles(api(client, q="EOC"))
    assert SearchSynonym.objects.filter(terms__contains="การจัดการความรู้").exists()  # starter groups


def test_did_you_mean_never_reveals_words_of_drafts_or_private_pages(client, backend, library):
    secret = "ซุปเปอร์โนวา" + "ฟ" * 2  # a made-up word, only in hidden pages
    draft = KnowledgeArticle(title="ร่าง", summary=secret, body=[("paragraph", f"<p>{secret}</p>")], live=False)
    library.add_child(instance=draft)
    draft.save_revision()
    private = publish_article(library, "ภายใน", f"เรื่อง{secret}", summary=secret)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    publish_article(library, "เรื่องทั่วไป", "ดาวเคราะห์และดาวฤกษ์")
    refresh(backend)
    vocabulary = spelling.public_vocabulary()
    assert "ดาวเคราะห์" in vocabulary or "ดาว" in vocabulary
    assert not any(secret[:6] in word for word in vocabulary.frequency)
    typo = secret[:-1]
    data = api(client, q=typo)
    assert secret not in data["suggestion"] and data["total"] == 0
    assert secret not in client.get(reverse("search"), {"q": typo}).content.decode()


def test_vocabulary_corrects_with_thai_equivalences():
    vocabulary = spelling.Vocabulary({"ภาษี": 3, "ที่ดิน": 2, "ฎีกา": 2, "คอมพิวเตอร์": 1, "procurement": 1})
    assert spelling.correct_part("ภาษีที่ดิน", vocabulary) is None  # every word known
    # and no index of near spellings was built for it: the first search after a publish stays cheap
    assert "by_delete" not in vocabulary.__dict__ and "by_skeleton" not in vocabulary.__dict__
    assert vocabulary.closest("ฏีกา")[0] == "ฎีกา"
    assert vocabulary.closest("ภาสี") == ("ภาษี", spelling.VARIANT_COST)  # ศ/ษ/ส are one
    assert vocabulary.closest("คอมพิวเตอ")[0] == "คอมพิวเตอร์"
    assert vocabulary.closest("procurment")[0] == "procurement"
    assert vocabulary.closest("xyz") is None


def test_thai_typed_in_english_letters_finds_the_thai_page(client, backend, library):
    page = publish_article(library, "กล้วยหอมทองปลอดสาร", "ปลูกกล้วยหอมทองในแปลงรวมของชุมชน")
    publish_article(library, "ตลาดนัดสินค้าชุมชน", "มีกล้วยไข่และผักสดขายทุกเช้า")
    refresh(backend)
    data = api(client, q="kluay hom")
    assert titles(data)[0] == page.title
    assert data["suggestion"].startswith("กล้วย")  # the homophones of hom are a toss-up


def test_english_name_typed_in_thai_letters_finds_the_page(client, backend, library):
    page = publish_article(library, "จุดบริการ One Stop Service ที่ศาลากลาง", "ยื่นคำขอทุกเรื่องได้ที่โต๊ะเดียว")
    refresh(backend)
    data = api(client, q="วันสต๊อปเซอร์วิส")
    assert page.title in titles(data)  # it says neither วัน nor สต๊อป nor เซอร์วิส
    assert "stop servic" in data["suggestion"]  # PostgreSQL knows the stem: servic


def test_pages_with_more_of_the_rarer_words_lead_the_second_tier(client, backend, library):
    # No page has every word. A common word, even in titles, must not outrank two rarer words in a
    # body (PostgreSQL's ts_rank knows no document frequency: it put the titles first).
    stuffed = [publish_article(library, f"ตลาดชุมชนและชุมชนเข้มแข็ง {n}", "ชุมชนช่วยกันดูแลตลาดชุมชน") for n in range(3)]
    both_rare = publish_article(library, "บันทึกงานวัด", "แข่งว่าวจุฬาริมทุ่งแล้วกินปลาทูนึ่งด้วยกัน")
    one_rare = publish_article(library, "ของฝากประจำถิ่น", "ปลาทูนึ่งจากแม่ค้าในชุมชน")
    refresh(backend)
    data = api(client, q="ชุมชน ว่าวจุฬา ปลาทู")
    assert data["relaxed"] is True
    assert titles(data)[:2] == [both_rare.title, one_rare.title]
    assert {page.title for page in stuffed} <= set(titles(data))  # kept, below


def test_a_word_in_a_title_outranks_a_rare_word_in_a_body_in_the_second_tier(client, backend, library):
    # ถังขยะ: a page about ขยะ (its title) before a page that mentions a ถัง of water, in its body.
    waste = publish_article(library, "คัดแยกขยะในหมู่บ้าน", "แยกขวดพลาสติกออกจากเศษอาหาร")
    tank = publish_article(library, "ดูแลรถบรรทุกน้ำ", "ล้างถังน้ำของรถทุกเดือน")
    publish_article(library, "ขยะอันตรายจากครัวเรือน", "ถ่านไฟฉายและหลอดไฟ")
    refresh(backend)
    found = titles(api(client, q="ถังขยะเปียก"))
    assert found.index(waste.title) < found.index(tank.title)
