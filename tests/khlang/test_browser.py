"""What a person sees in a real browser: Debian's headless Chromium via Selenium."""

from urllib.parse import urlencode

import pytest
from django.core.management import call_command

from tests.conftest import SCREENSHOTS

# serialized_rollback: each test gets the demo site back after a previous one's flush (see conftest).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def console_errors(driver):
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def sarabun_loaded(driver):
    return driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        document.fonts.ready.then(() => done(
            [...document.fonts].some(f => f.family.replace(/"/g, '') === 'Sarabun' && f.status === 'loaded')
            && document.fonts.check('16px Sarabun', 'ความรู้')
        ));
        """
    )


def test_reader_browses_home_listing_and_article(live_server, browser):
    call_command("load_demo", verbosity=0)
    from knowledge.models import KnowledgeArticle, KnowledgeIndexPage

    library = KnowledgeIndexPage.objects.get()
    article = KnowledgeArticle.objects.live().filter(department__code="klang").order_by("pk").first()
    from selenium.webdriver.common.by import By

    browser.get(live_server.url + "/")
    assert "คลังความรู้" in browser.title
    assert sarabun_loaded(browser)
    assert browser.find_element(By.CSS_SELECTOR, "a.skip-link").get_attribute("href").endswith("#main")
    browser.save_screenshot(str(SCREENSHOTS / "home.png"))
    assert console_errors(browser) == []

    query = urlencode({"department": "klang", "type": article.knowledge_type})
    browser.get(f"{live_server.url}{library.url}?{query}")
    cards = browser.find_elements(By.CSS_SELECTOR, ".card h3 a")
    assert article.title in [card.text for card in cards]
    assert browser.find_element(By.ID, "id_department").get_attribute("value") == "klang"
    browser.save_screenshot(str(SCREENSHOTS / "listing-filtered.png"))
    assert console_errors(browser) == []

    next(card for card in cards if card.text == article.title).click()
    assert browser.find_element(By.TAG_NAME, "h1").text == article.title
    assert sarabun_loaded(browser)
    body_font = browser.execute_script("return getComputedStyle(document.body).fontFamily")
    assert body_font.startswith('"Sarabun"') or body_font.startswith("Sarabun")
    browser.save_screenshot(str(SCREENSHOTS / "article.png"))
    assert console_errors(browser) == []
    assert all((SCREENSHOTS / name).stat().st_size > 10_000 for name in ["home.png", "listing-filtered.png", "article.png"])


def test_reader_uses_search_autocomplete_and_facets(live_server, browser):
    call_command("load_demo", verbosity=0)
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(live_server.url + "/")
    box = browser.find_element(By.ID, "site-search")
    assert box.get_attribute("role") == "combobox"
    box.send_keys("เบี้ยยั")
    listbox = WebDriverWait(browser, 10).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[role='listbox'] [role='option']"))
    )
    assert box.get_attribute("aria-expanded") == "true"
    options = [o.text for o in browser.find_elements(By.CSS_SELECTOR, "[role='listbox'] [role='option']")]
    assert "การลงทะเบียนขอรับเบี้ยยังชีพผู้สูงอายุรายใหม่" in options
    browser.save_screenshot(str(SCREENSHOTS / "search-autocomplete.png"))
    box.send_keys(Keys.ARROW_DOWN)
    assert box.get_attribute("aria-activedescendant") == listbox.get_attribute("id")
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(EC.title_contains(options[0][:10]))
    assert browser.find_element(By.TAG_NAME, "h1").text == options[0]

    browser.get(live_server.url + "/search/?q=" + "ภาษี")
    hits = browser.find_elements(By.CSS_SELECTOR, ".result h2 a")
    assert hits and browser.find_elements(By.CSS_SELECTOR, ".result mark")
    browser.find_element(By.CSS_SELECTOR, "details.search-filters summary").click()  # folded on a phone
    browser.find_element(By.XPATH, "//section[@class='facet'][h2='ประเภท']//a").click()
    assert "type=" in browser.current_url
    assert len(browser.find_elements(By.CSS_SELECTOR, ".result")) <= len(hits)
    browser.save_screenshot(str(SCREENSHOTS / "search-results.png"))
    assert console_errors(browser) == []
