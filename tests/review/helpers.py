"""Driving the Wagtail admin's review workflow with Django's test client."""

import json

from django.urls import reverse
from wagtail.models import Page

from knowledge.models import KnowledgeArticle

PARAGRAPH = json.dumps({
    "blocks": [{"key": "a", "text": "เนื้อหา", "type": "unstyled", "depth": 0,
                "inlineStyleRanges": [], "entityRanges": []}],
    "entityMap": {},
})


def article_form(title, department, **fields):
    """POST data of the article editor (the form's own field names)."""
    data = {
        "title": title,
        "slug": "",
        "summary": "สรุปสั้น ๆ",
        "body-count": "1",
        "body-0-type": "paragraph",
        "body-0-value": PARAGRAPH,
        "body-0-deleted": "",
        "body-0-order": "0",
        "knowledge_type": "explicit",
        "department": str(department.pk) if department else "",
        "date": "2025-01-05",
        "attachments-count": "0",
        "related-count": "0",
        "tags": "",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "",
    }
    data.update(fields)
    return data


def submit_new_article(client, library, title, department, **fields):
    """An author creates an article and submits it for review in one step."""
    url = reverse("wagtailadmin_pages:add", args=("knowledge", "knowledgearticle", library.pk))
    response = client.post(url, article_form(title, department, **{"action-submit": "submit", **fields}))
    assert response.status_code == 302, response.content.decode()[:2000]
    return KnowledgeArticle.objects.get(title=title)


def task_state_of(page):
    page = Page.objects.get(pk=page.pk)
    return page.current_workflow_task_state


def act(client, page, action, ajax=False, **data):
    """Press a workflow action button (what the dashboard and the editor's modal POST)."""
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state_of(page).pk))
    headers = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"} if ajax else {}
    return client.post(url, data, **headers)


CHECKLIST = {"standard_format": "on", "one_vocabulary": "on", "complete_content": "on"}
