"""Shared by the search tests: the real engine the test script starts, and API helpers."""

import os

import pytest
from django.urls import reverse

from knowledge.models import KnowledgeArticle

ENGINE_URL = os.environ.get("KHLANG_TEST_SEARCH_URL", "")
# the engine search/engine/start.sh started: opensearch2 (default) or elasticsearch7
ENGINE_NAME = os.environ.get("KHLANG_SEARCH_ENGINE", "opensearch2")
CLOSED_PORT_URL = "http://127.0.0.1:9"  # nothing listens on the discard port


def engine_settings(url, prefix, timeout=10):
    """The real engine gets a generous timeout (a busy CI machine); a dead one fails fast anyway."""
    return {
        "default": {
            "BACKEND": "search.backends.engine",
            "ENGINE": ENGINE_NAME,
            "URLS": [url],
            "INDEX_PREFIX": prefix,
            "TIMEOUT": timeout,
            "OPTIONS": {"max_retries": 0, "retry_on_timeout": False},
        },
        "database": {"BACKEND": "search.backends.database"},
    }


def require_engine():
    if not ENGINE_URL:
        if os.environ.get("CI"):
            pytest.fail("KHLANG_TEST_SEARCH_URL is not set: the test script must start the engine under CI")
        pytest.skip("no search engine running (make test starts one)")


def refresh(backend):
    if backend == "engine":
        from wagtail.search.backends import get_search_backend

        get_search_backend("default").refresh_indexes()


def api(client, **params):
    response = client.get(reverse("api_search"), params)
    assert response.status_code == 200
    return response.json()


def titles(data):
    return [result["title"] for result in data["results"]]


def all_titles(client, **params):
    """Titles on every page of the results, best first."""
    first = api(client, **params)
    found = titles(first)
    for number in range(2, first["pages"] + 1):
        found += titles(api(client, page=number, **params))
    return found


def publish_article(library, title, body_text, **fields):
    article = KnowledgeArticle(
        title=title, summary=fields.pop("summary", "บทความทดสอบการค้นหา"),
        body=[("paragraph", f"<p>{body_text}</p>")], **fields,
    )
    library.add_child(instance=article)
    article.save_revision().publish()
    return article
