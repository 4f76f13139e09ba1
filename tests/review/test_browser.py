"""The review workflow in a real browser: three people, three logins, one published article."""

import pytest
from django.core.management import call_command

from tests.conftest import SCREENSHOTS

PASSWORD = "khlang-demo-staff"

# serialized_rollback: start from the migrated database (site, home page) even when an
# earlier transactional test emptied it.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


class Admin:
    """One person at a time in the Wagtail admin."""

    def __init__(self, driver, base_url):
        from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as EC
        from selenium.webdriver.support.ui import WebDriverWait

        self.driver, self.base_url, self.By, self.EC = driver, base_url, By, EC
        # Actions reload the page: elements found before a reload go stale.
        self.wait = WebDriverWait(
            driver, 20, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)
        )

    def login(self, username):
        self.driver.delete_all_cookies()
        self.driver.get(self.base_url + "/admin/login/")
        self.driver.find_element(self.By.ID, "id_username").send_keys(username)
        self.driver.find_element(self.By.ID, "id_password").send_keys(PASSWORD)
        self.driver.find_element(self.By.CSS_SELECTOR, "form button[type=submit]").click()
        self.wait.until(self.EC.url_to_be(self.base_url + "/admin/"))

    def click(self, css):
        element = self.wait.until(self.EC.element_to_be_clickable((self.By.CSS_SELECTOR, css)))
        element.click()
        return element

    def click_text(self, container, tag, text):
        button = self.wait.until(lambda d: next(
            (b for b in container.find_elements(self.By.TAG_NAME, tag) if b.text.strip() == text and b.is_displayed()),
            None,
        ))
        button.click()

    def task_row(self, title):
        panel = self.wait.until(self.EC.presence_of_element_located((self.By.ID, "awaiting-review-section")))
        return next(row for row in panel.find_elements(self.By.CSS_SELECTOR, "tbody tr") if title in row.text)

    def shot(self, name):
        path = SCREENSHOTS / f"workflow-{name}.png"
        self.driver.save_screenshot(str(path))
        return path


def test_submit_review_refine_and_publish_in_the_browser(live_server, browser):
    call_command("load_demo", verbosity=0)
    from django.contrib.auth import get_user_model

    from knowledge.models import Department, KnowledgeArticle, KnowledgeIndexPage
    from review.models import RefinementTask

    author = get_user_model().objects.get(username="author.klang")
    library = KnowledgeIndexPage.objects.get()
    title = "การตรวจรับพัสดุด้วยแบบตรวจสอบสามขั้น"
    draft = KnowledgeArticle(
        title=title, summary="ร่างของผู้เขียน", body=[("paragraph", "<p>ขั้นตอนที่ใช้จริงในกองคลัง</p>")],
        department=Department.objects.get(code="klang"), owner=author, live=False,
    )
    library.add_child(instance=draft)
    draft.save_revision(user=author)

    browser.set_window_size(1280, 1000)  # the admin at a desktop size
    admin = Admin(browser, live_server.url)
    By = admin.By

    # 1. The author (คุณกิจ) completes the summary and submits the draft for review.
    admin.login("author.klang")
    browser.get(f"{live_server.url}/admin/pages/{draft.pk}/edit/")
    summary = admin.wait.until(admin.EC.presence_of_element_located((By.ID, "id_summary")))
    summary.clear()
    summary.send_keys("ขั้นตอนตรวจรับพัสดุที่กองคลังใช้จริง ตรวจเอกสาร ตรวจของ และลงนามรับ")
    admin.click("footer .w-dropdown-button [data-w-dropdown-target=toggle]")
    admin.click("footer button[name=action-submit]")
    admin.wait.until(lambda d: "/admin/pages/" in d.current_url and "/edit/" not in d.current_url)
    admin.shot("1-author-submitted")

    # 2. The head of กองคลัง finds it on the dashboard and confirms it is correct.
    admin.login("reviewer.klang")
    row = admin.task_row(title)
    admin.shot("2-reviewer-dashboard")
    row.find_element(By.CSS_SELECTOR, "[data-w-dropdown-target=toggle]").click()
    admin.click_text(row, "button", "ยืนยันความถูกต้อง")
    admin.wait.until(lambda d: isinstance(
        KnowledgeArticle.objects.get(pk=draft.pk).current_workflow_task, RefinementTask
    ))
    admin.wait.until(lambda d: title not in d.find_element(By.TAG_NAME, "main").text)
    admin.shot("3-reviewer-approved")

    # 3. A KM editor refines it: the checklist must be fully ticked, then it is published.
    admin.login("editor")
    row = admin.task_row(title)
    row.find_element(By.CSS_SELECTOR, "[data-w-dropdown-target=toggle]").click()
    admin.click_text(row, "button", "ผ่านการกลั่นกรอง")
    modal = admin.wait.until(admin.EC.visibility_of_element_located((By.CSS_SELECTOR, ".modal-content form")))
    for name in ["standard_format", "one_vocabulary", "complete_content"]:
        box = modal.find_element(By.NAME, name)
        assert not box.is_selected()
    admin.shot("4-editor-checklist")
    modal.find_element(By.NAME, "standard_format").click()
    modal.find_element(By.CSS_SELECTOR, "button[type=submit]").click()  # two boxes unticked: refused
    admin.wait.until(lambda d: "ต้องตรวจรายการนี้ให้ครบก่อนอนุมัติ" in d.find_element(By.CSS_SELECTOR, ".modal-content").text)
    modal = browser.find_element(By.CSS_SELECTOR, ".modal-content form")
    for name in ["one_vocabulary", "complete_content"]:
        box = modal.find_element(By.NAME, name)
        if not box.is_selected():
            box.click()
    if not modal.find_element(By.NAME, "standard_format").is_selected():
        modal.find_element(By.NAME, "standard_format").click()
    modal.find_element(By.NAME, "comment").send_keys("ปรับศัพท์ให้ตรงกับคู่มือแล้ว")
    modal.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    admin.wait.until(lambda d: KnowledgeArticle.objects.get(pk=draft.pk).live)
    admin.wait.until(lambda d: d.execute_script("return document.readyState") == "complete"
                     and title not in d.find_element(By.TAG_NAME, "main").text)
    admin.shot("5-editor-refined")

    page = KnowledgeArticle.objects.get(pk=draft.pk)
    browser.get(live_server.url + page.url)
    assert browser.find_element(By.TAG_NAME, "h1").text == title
    admin.shot("6-published")

    from wagtail.models import PageLogEntry

    from review.models import RefinementTaskState

    assert page.summary.startswith("ขั้นตอนตรวจรับพัสดุที่กองคลังใช้จริง")  # the author's edit
    refinement = RefinementTaskState.objects.get(workflow_state__object_id=str(page.pk))
    assert refinement.finished_by.username == "editor" and refinement.comment == "ปรับศัพท์ให้ตรงกับคู่มือแล้ว"
    actions = set(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))
    assert {"wagtail.workflow.start", "wagtail.workflow.approve", "review.refine", "wagtail.publish"} <= actions
    for name in ["1-author-submitted", "2-reviewer-dashboard", "4-editor-checklist", "6-published"]:
        assert (SCREENSHOTS / f"workflow-{name}.png").stat().st_size > 10_000
