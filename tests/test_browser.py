"""What a person sees in a real browser: Debian's headless Chromium via Selenium."""

import os
import shutil
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.management import call_command

SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser():
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        if os.environ.get("CI"):
            pytest.fail("chromium and chromium-driver must be installed under CI")
        pytest.skip("Debian chromium/chromium-driver not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=412,915",
    ]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


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
    assert all(Path(SCREENSHOTS / name).stat().st_size > 10_000 for name in ["home.png", "listing-filtered.png", "article.png"])
