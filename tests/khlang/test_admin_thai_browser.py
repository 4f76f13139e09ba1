"""The admin in Thai, as our roles see it in a browser: screenshots and the rendered text."""

import re

import pytest
from django.core.management import call_command

from tests.conftest import SCREENSHOTS
from tests.khlang.test_admin_thai import KNOWN_ENGLISH
from tests.review.test_browser import Admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def english_in(text):
    return sorted({e for e in KNOWN_ENGLISH if re.search(rf"(?<![A-Za-z]){re.escape(e)}(?![A-Za-z])", text)})


def test_the_admin_speaks_thai_to_each_role(live_server, browser):
    call_command("load_demo", verbosity=0)
    from knowledge.models import KnowledgeArticle, KnowledgeIndexPage

    library = KnowledgeIndexPage.objects.get()
    article = KnowledgeArticle.objects.live().filter(department__code="klang").order_by("pk").first()
    browser.set_window_size(1280, 1000)
    admin = Admin(browser, live_server.url)
    By = admin.By
    screens = {
        "author.klang": [
            ("dashboard", "/admin/"),
            ("explorer", f"/admin/pages/{library.pk}/"),
            ("editor", f"/admin/pages/{article.pk}/edit/"),
            ("history", f"/admin/pages/{article.pk}/history/"),
            ("documents", "/admin/documents/"),
        ],
        "editor": [
            ("dashboard", "/admin/"),
            ("snippets", "/admin/snippets/knowledge/person/"),
            ("images", "/admin/images/"),
            ("site-history", "/admin/reports/site-history/"),
            ("guide", "/admin/guide/"),
        ],
        "reviewer.klang": [("dashboard", "/admin/"), ("account", "/admin/account/")],
    }
    english = {}
    for username, pages in screens.items():
        admin.login(username)
        for name, path in pages:
            browser.get(live_server.url + path)
            main = admin.wait.until(admin.EC.presence_of_element_located((By.TAG_NAME, "main")))
            admin.wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
            if name == "editor":
                # the status side panel: "Current page status", "Privacy and access", "Set schedule"
                toggle = admin.click("[data-side-panel-toggle='status']")
                admin.wait.until(lambda d, toggle=toggle: toggle.get_attribute("aria-expanded") == "true")
                admin.wait.until(lambda d: "ตั้งเวลาเผยแพร่" in d.find_element(By.TAG_NAME, "body").text)
            path_png = SCREENSHOTS / f"admin-th-{username.split('.')[0]}-{name}.png"
            browser.save_screenshot(str(path_png))
            found = english_in(browser.find_element(By.TAG_NAME, "body").text)
            if found:
                english[f"{username} {path}"] = found
            assert main.text.strip()
    assert not english, english
