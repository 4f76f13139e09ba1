import os

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the demo agency site (rolled back after each test)."""
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))


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
