"""WCAG 2.1 A and AA with axe-core in headless Chromium: every public template, an author's admin, the keyboard."""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.conftest import SCREENSHOTS
from tests.review.test_browser import Admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"phone": (375, 812), "desktop": (1280, 900)}

# Violations in Wagtail's own admin markup, which we cannot change: (rule, CSS selector, why).
WAGTAIL_ADMIN_EXCEPTIONS = [
    ("aria-input-field-name", ".Draftail-Editor [role='textbox']",
     "Draftail (rich text in a StreamField block) names its editable box by nothing; the block's label is in its header"),
    ("label", ".ui-autocomplete-input",
     "the tag field (jQuery tag-it): the <label> is for the hidden input that holds the tags, not the one typed in"),
    ("label", "#HandsontableCopyPaste", "Handsontable (the table block) adds an off-screen textarea for the clipboard"),
    ("scrollable-region-focusable", ".w-minimap__list", "the editor's minimap: its links leave the tab order while it is closed"),
]


def axe_violations(driver, exceptions=()):
    """[(rule, selector, help)] for every WCAG 2.1 A/AA violation on the loaded page, but the exceptions."""
    driver.set_script_timeout(120)
    driver.execute_script(AXE.read_text())
    return driver.execute_async_script(
        """
        const [tags, exceptions, done] = arguments;
        const excused = (rule, node) => exceptions.some(([r, css]) => {
            const element = node.target.length === 1 && document.querySelector(node.target[0]);
            return r === rule && element && element.matches(css);
        });
        axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
          .then(r => done(r.violations.flatMap(v => v.nodes.filter(n => !excused(v.id, n))
                                                     .map(n => [v.id, n.target.join(' '), v.help]))))
          .catch(e => done([['axe-error', '', String(e)]]));
        """,
        WCAG_21_AA,
        [[rule, css] for rule, css, _ in exceptions],
    )


def public_pages():
    """Every public template, by name → path (the demo agency's content)."""
    from cop.models import CommunityPage, CoPIndexPage, DialogueSummaryPage
    from experts.models import ExpertDirectoryPage
    from knowledge.models import BestPracticePage, KnowledgeArticle, KnowledgeIndexPage
    from plan.models import KMPlanPage
    from review.retirement import retire

    def first(model):
        return model.objects.live().public().order_by("pk").first()

    article, retired = KnowledgeArticle.objects.live().public().order_by("pk")[:2]
    retired_url = retired.url
    retire(retired, get_user_model().objects.get(username="editor"), "ล้าสมัยแล้ว", replacement=article)
    return {
        "home": "/",
        "library": first(KnowledgeIndexPage).url,
        "article": article.url,
        "case-study": first(BestPracticePage).url,
        "communities": first(CoPIndexPage).url,
        "community": first(CommunityPage).url,
        "dialogue-summary": first(DialogueSummaryPage).url,
        "km-plan": first(KMPlanPage).url,
        "expert-directory": first(ExpertDirectoryPage).url,
        "search-results": "/search/?q=ภาษี",
        "zero-results": "/search/?q=ไม่มีคำนี้ในคลังแน่นอน",
        "404": "/ไม่มีหน้านี้/",
        "410": retired_url,
    }


def other_hosts(browser, live_server):
    """Hosts other than the site's that the page fetched anything from (fonts, scripts, images …)."""
    hosts = browser.execute_script("return performance.getEntriesByType('resource').map(e => new URL(e.name).host)")
    return set(hosts) - {urlsplit(live_server.url).netloc}


def test_public_pages_have_no_axe_violations_at_phone_and_desktop(live_server, browser):
    call_command("load_demo", verbosity=0)
    pages = public_pages()
    violations = {}
    for width, size in WIDTHS.items():
        browser.set_window_size(*size)
        for name, path in pages.items():
            browser.get(live_server.url + path)
            assert browser.find_element("tag name", "main")
            assert not other_hosts(browser, live_server), name
            found = axe_violations(browser)
            if found:
                violations[f"{name} ({width})"] = found
            if width == "phone" or name in {"home", "article", "search-results"}:
                browser.save_screenshot(str(SCREENSHOTS / f"axe-{name}-{width}.png"))
    (SCREENSHOTS.parent / "axe-public.json").write_text(json.dumps(violations, ensure_ascii=False, indent=1))
    assert not violations, violations


def test_an_authors_admin_screens_have_no_axe_violations(live_server, browser):
    call_command("load_demo", verbosity=0)
    from knowledge.models import KnowledgeArticle, KnowledgeIndexPage

    library = KnowledgeIndexPage.objects.get()
    article = KnowledgeArticle.objects.live().filter(department__code="klang").order_by("pk").first()
    author = get_user_model().objects.get(username="author.klang")
    article.save_revision(user=author)
    review = article.get_workflow().start(article, author)  # so the editor and history show a review under way
    browser.set_window_size(*WIDTHS["desktop"])
    admin = Admin(browser, live_server.url)
    admin.login("author.klang")
    screens = {
        "dashboard": "/admin/",
        "explorer": f"/admin/pages/{library.pk}/",
        "editor": f"/admin/pages/{article.pk}/edit/",
        "history": f"/admin/pages/{article.pk}/history/",
        "workflow-history": f"/admin/pages/{article.pk}/workflow_history/",
        "workflow-detail": f"/admin/pages/{article.pk}/workflow_history/detail/{review.pk}/",
        "documents": "/admin/documents/",
        "images": "/admin/images/",
    }
    violations = {}
    for name, path in screens.items():
        browser.get(live_server.url + path)
        admin.wait.until(admin.EC.presence_of_element_located((admin.By.TAG_NAME, "main")))
        admin.wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
        assert not other_hosts(browser, live_server), name
        found = axe_violations(browser, WAGTAIL_ADMIN_EXCEPTIONS)
        if found:
            violations[name] = found
        browser.save_screenshot(str(SCREENSHOTS / f"axe-admin-{name}.png"))
    (SCREENSHOTS.parent / "axe-admin.json").write_text(json.dumps(violations, ensure_ascii=False, indent=1))
    assert not violations, violations


def test_search_autocomplete_and_filters_with_the_keyboard_only(live_server, browser):
    call_command("load_demo", verbosity=0)
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    from knowledge.models import KnowledgeIndexPage

    wait = WebDriverWait(browser, 10)
    keys = ActionChains(browser)

    def focused():
        return browser.switch_to.active_element

    def tab_until(test, limit=40):
        for _ in range(limit):
            keys.send_keys(Keys.TAB).perform()
            if test(focused()):
                return focused()
        raise AssertionError("never reached with Tab")

    browser.set_window_size(*WIDTHS["desktop"])
    browser.get(live_server.url + "/")
    first = tab_until(lambda e: True)
    assert "skip-link" in first.get_attribute("class")  # the first stop skips the navigation
    box = tab_until(lambda e: e.get_attribute("id") == "site-search")
    keys.send_keys("เบี้ยยั").perform()
    wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[role='listbox'] [role='option']")))
    option = browser.find_elements(By.CSS_SELECTOR, "[role='listbox'] [role='option']")[0]
    title = option.text
    keys.send_keys(Keys.ARROW_DOWN).perform()
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    keys.send_keys(Keys.ENTER).perform()
    wait.until(EC.title_contains(title[:10]))
    assert browser.find_element(By.TAG_NAME, "h1").text == title

    # The library's filters: Tab to the department, choose with an arrow key, Tab on to "กรอง", Enter.
    browser.get(live_server.url + KnowledgeIndexPage.objects.get().url)
    select = tab_until(lambda e: e.get_attribute("id") == "id_department")
    keys.send_keys(Keys.ARROW_DOWN).perform()
    chosen = select.get_attribute("value")
    assert chosen
    # (textContent: Selenium calls the content of a <details> hidden even where a wide screen shows it)
    tab_until(lambda e: e.get_attribute("type") == "submit" and e.get_attribute("textContent").strip() == "กรอง")
    keys.send_keys(Keys.ENTER).perform()
    wait.until(EC.url_contains(f"department={chosen}"))
    assert browser.find_element(By.ID, "id_department").get_attribute("value") == chosen
    assert browser.find_elements(By.CSS_SELECTOR, ".card h3 a")
    browser.save_screenshot(str(SCREENSHOTS / "keyboard-filtered.png"))

    # The search page's facets are links: Tab reaches one, Enter follows it.
    browser.get(live_server.url + "/search/?q=ภาษี")
    facet = tab_until(lambda e: e.tag_name == "a" and "type=" in (e.get_attribute("href") or ""))
    href = facet.get_attribute("href")
    keys.send_keys(Keys.ENTER).perform()
    wait.until(EC.url_to_be(href))
    assert browser.find_elements(By.CSS_SELECTOR, ".result")
    browser.save_screenshot(str(SCREENSHOTS / "keyboard-facet.png"))
