import os
import shutil
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the demo agency site.

    Tests run in a transaction rolled back afterwards; transactional tests (the
    browser ones) flush the database instead, and serialized_rollback restores
    this same state, captured here once the demo is loaded.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached pages are keyed by a version number that a rolled-back test reuses."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def home(db):
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def library(db):
    from knowledge.models import KnowledgeIndexPage

    return KnowledgeIndexPage.objects.get()


@pytest.fixture
def article(db):
    from knowledge.models import KnowledgeArticle

    return KnowledgeArticle.objects.live().order_by("pk").first()


# editorial review (review/) ------------------------------------------------------


@pytest.fixture
def staff(db):
    """The demo accounts of every editorial role, by username (see load_demo)."""
    from django.contrib.auth import get_user_model

    names = ["author.klang", "reviewer.klang", "author.palad", "reviewer.palad", "editor", "admin"]
    return {user.username: user for user in get_user_model().objects.filter(username__in=names)}


@pytest.fixture
def login():
    """login(user) → a Django test client logged in as that user."""
    from django.test import Client

    def client_for(user):
        client = Client()
        client.force_login(user)
        return client

    return client_for


# search (search/) ------------------------------------------------------------------


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(params=["database", pytest.param("engine", marks=pytest.mark.slow)])
def backend(request, settings):
    """Each test runs on the database backend and on the real engine."""
    if request.param == "engine":
        from .search.helpers import ENGINE_URL, engine_settings, require_engine

        require_engine()
        settings.WAGTAILSEARCH_BACKENDS = engine_settings(ENGINE_URL, f"test_{uuid.uuid4().hex[:8]}_")
        call_command("update_index", verbosity=0, stdout=open(os.devnull, "w"))
        yield "engine"
        from wagtail.search.backends import get_search_backend

        engine = get_search_backend("default")
        engine.es.indices.delete(index=f"{engine.index_prefix}*")
    else:
        yield "database"


# the browser (Debian's headless Chromium through Selenium) ----------------------------------

SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture
def browser():
    """Headless Chromium at a phone's size; browser tests fail rather than skip under CI."""
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        if os.environ.get("CI"):
            pytest.fail("chromium and chromium-driver must be installed under CI")
        pytest.skip("Debian chromium/chromium-driver not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # Without the networking flags Chromium keeps calling Google's hosts, which this network refuses.
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
