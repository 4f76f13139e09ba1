"""What the sponsor and a citizen see of the KM plan, in headless Chromium (screenshots to look at)."""

import pytest

from plan.models import KMPlanPage
from tests.conftest import SCREENSHOTS
from tests.review.test_browser import Admin
from thai.digits import to_arabic_digits as shown  # pages show the agency's digit style, Arabic by default

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_sponsor_reads_the_dashboard_and_a_citizen_the_plan_on_a_phone(live_server, browser):
    plan = KMPlanPage.objects.get(fiscal_year=2569)
    admin = Admin(browser, live_server.url)
    admin.login("sponsor")
    browser.find_element(admin.By.CSS_SELECTOR, "a[href='/admin/km-plan/']")  # in the sponsor's menu
    browser.get(live_server.url + "/admin/km-plan/?year=2569")
    charts = browser.find_elements(admin.By.CSS_SELECTOR, ".km-chart")
    assert len(charts) == 3 and all(chart.is_displayed() for chart in charts)
    bars = browser.find_elements(admin.By.CSS_SELECTOR, ".km-chart rect")
    assert any(float(bar.get_attribute("width")) > 0 for bar in bars)
    table = browser.find_element(admin.By.CSS_SELECTOR, "table.km-indicators")
    assert "ความรู้ที่เผยแพร่" in table.text
    browser.save_screenshot(str(SCREENSHOTS / "km-dashboard-phone.png"))
    browser.set_window_size(1280, 1000)
    browser.save_screenshot(str(SCREENSHOTS / "km-dashboard-desktop.png"))

    browser.set_window_size(412, 915)
    browser.delete_all_cookies()
    browser.get(live_server.url + plan.url)
    assert shown(plan.title) in browser.find_element(admin.By.TAG_NAME, "h1").text
    # Wide tables scroll inside their own box; the page itself never scrolls sideways on a phone.
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert "ยังไม่มีในคลัง" in browser.find_element(admin.By.CSS_SELECTOR, "table.km-map").text
    browser.save_screenshot(str(SCREENSHOTS / "km-plan-page-phone.png"))
