"""Search on a phone, in Debian's headless Chromium at a phone's width (tests/conftest.py):
results first, the facets folded into a "ตัวกรอง" <details> after them, one search box."""

from urllib.parse import quote

import pytest
from django.core.management import call_command

from tests.conftest import SCREENSHOTS

# serialized_rollback: each test gets the demo site back after a previous one's flush (see conftest).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FACET_LINKS = "details.search-filters .facet a"


def visible(elements):
    """The elements a reader sees (the browser's checkVisibility: it knows a closed <details>
    whose content is styled visible; Selenium's is_displayed calls all of it hidden)."""
    return [e for e in elements if e.parent.execute_script("return arguments[0].checkVisibility()", e)]


def test_search_on_a_phone_shows_results_first_and_folds_the_filters(live_server, browser):
    call_command("load_demo", verbosity=0)
    from selenium.webdriver.common.by import By

    # headless Chromium keeps windows at least 500 px wide: emulate a phone's screen
    phone = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", phone)
    # the home page too shows one search box: its own, with suggestions, on the first screen
    browser.get(live_server.url + "/")
    boxes = visible(browser.find_elements(By.CSS_SELECTOR, "input[type=search], input[name=q]"))
    assert [box.get_attribute("id") for box in boxes] == ["site-search"]
    assert boxes[0].get_attribute("role") == "combobox"
    assert boxes[0].location["y"] < browser.execute_script("return window.innerHeight")
    browser.save_screenshot(str(SCREENSHOTS / "home-phone.png"))
    # elsewhere the header's box is there, and the header still leaves most of the first screen to the page
    browser.get(browser.find_element(By.CSS_SELECTOR, "a.section-link").get_attribute("href"))
    header = browser.find_element(By.CSS_SELECTOR, ".site-header")
    assert header.size["height"] <= 0.3 * browser.execute_script("return window.innerHeight")
    nav = browser.find_element(By.CSS_SELECTOR, ".site-nav ul")
    assert browser.execute_script("return arguments[0].scrollWidth > arguments[0].clientWidth", nav)  # scrolls sideways
    # that section is the library: its filters fold too, and the first item is on the first screen
    listing_url = browser.current_url
    listing_filters = browser.find_element(By.CSS_SELECTOR, "details.listing-filters")
    assert listing_filters.get_attribute("open") is None and not visible(browser.find_elements(By.ID, "id_department"))
    assert browser.find_element(By.CSS_SELECTOR, ".card").location["y"] < browser.execute_script("return window.innerHeight")
    browser.save_screenshot(str(SCREENSHOTS / "listing-phone.png"))
    browser.get(listing_url + "?department=klang&year=")
    assert browser.find_element(By.CSS_SELECTOR, "details.listing-filters summary").text == "ตัวกรอง (1)"

    url = f"{live_server.url}/search/?q={quote('ความรู้')}"
    browser.get(url)
    assert browser.execute_script("return window.innerWidth") <= 420
    results = browser.find_elements(By.CSS_SELECTOR, ".result")
    filters = browser.find_element(By.CSS_SELECTOR, "details.search-filters")
    assert results
    # results come first, in the page and on the screen; the first one on the first screen
    assert browser.execute_script(
        "return !!(arguments[0].compareDocumentPosition(arguments[1]) & Node.DOCUMENT_POSITION_FOLLOWING)",
        results[-1], filters,
    )
    assert results[0].location["y"] < filters.location["y"]
    assert results[0].location["y"] < browser.execute_script("return window.innerHeight")
    # the filters are folded: closed, their links hidden
    assert filters.get_attribute("open") is None
    assert browser.find_elements(By.CSS_SELECTOR, FACET_LINKS) and not visible(browser.find_elements(By.CSS_SELECTOR, FACET_LINKS))
    # one search box on screen: the page's, not the header's too
    boxes = visible(browser.find_elements(By.CSS_SELECTOR, "input[type=search], input[name=q]"))
    assert [box.get_attribute("id") for box in boxes] == ["page-search"]
    browser.save_screenshot(str(SCREENSHOTS / "search-phone.png"))

    # the filter opens without script of ours, and a facet works
    summary = filters.find_element(By.TAG_NAME, "summary")
    assert summary.text.startswith("ตัวกรอง")
    browser.execute_script("arguments[0].scrollIntoView()", summary)
    summary.click()
    assert filters.get_attribute("open") is not None
    type_link = browser.find_element(By.XPATH, "//details[contains(@class,'search-filters')]//section[@class='facet'][h2='ประเภท']//a")
    assert visible([type_link])
    browser.save_screenshot(str(SCREENSHOTS / "search-phone-filters.png"))
    type_link.click()
    assert "type=" in browser.current_url
    assert browser.find_element(By.CSS_SELECTOR, "details.search-filters summary").text.startswith("ตัวกรอง (1)")

    # on a wide screen the facets are a sidebar, shown without opening anything
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {**phone, "width": 1366, "height": 900, "mobile": False})
    browser.get(url)
    assert visible(browser.find_elements(By.CSS_SELECTOR, FACET_LINKS))
    filters = browser.find_element(By.CSS_SELECTOR, "details.search-filters")
    assert filters.location["x"] < browser.find_element(By.CSS_SELECTOR, ".result").location["x"]
    browser.save_screenshot(str(SCREENSHOTS / "search-desktop.png"))
    browser.get(listing_url)
    assert visible(browser.find_elements(By.ID, "id_department"))
    assert not visible(browser.find_elements(By.CSS_SELECTOR, "details.listing-filters summary"))
    assert all((SCREENSHOTS / name).stat().st_size > 10_000 for name in ["search-phone.png", "search-phone-filters.png"])
