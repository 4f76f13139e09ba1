"""setup_site: a new agency's site from an empty migrate, idempotently."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from wagtail.models import Page, Site, WorkflowPage

from base.models import AgencySettings
from cop.models import CoPIndexPage
from home.sections import SECTIONS, Section, ensure_sections
from knowledge.models import BestPracticeIndexPage, KnowledgeArticle, KnowledgeIndexPage
from plan.models import KMPlanIndexPage
from review.roles import WORKFLOW

pytestmark = pytest.mark.django_db

SECTION_MODELS = [KnowledgeIndexPage, BestPracticeIndexPage, CoPIndexPage, KMPlanIndexPage]


@pytest.fixture
def empty_agency(home):
    """The state right after `migrate`: a KM home and nothing under it."""
    for child in home.get_children():
        child.delete()
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port, site.site_name = "localhost", 80, ""
    site.save()
    assert not home.get_children().exists()
    return Page.objects.get(pk=home.pk).specific


def run(*args):
    out = StringIO()
    call_command("setup_site", *args, stdout=out)
    return out.getvalue()


def sections_under(home):
    return {model: list(model.objects.child_of(home).values_list("pk", flat=True)) for model in SECTION_MODELS}


def test_setup_site_builds_the_sections_of_an_empty_agency(empty_agency):
    output = run("--agency-name", "เทศบาลตำบลทดสอบ", "--base-url", "https://km.example.go.th")
    home = empty_agency
    for model in SECTION_MODELS:
        page = model.objects.child_of(home).get()
        assert page.live and page.show_in_menus
        assert page.title in output
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.site_name) == ("km.example.go.th", 443, "เทศบาลตำบลทดสอบ")
    assert site.root_url == "https://km.example.go.th"
    assert AgencySettings.for_site(site).name == "เทศบาลตำบลทดสอบ"
    assert Page.get_first_root_node().title == "ทุกเว็บไซต์"  # not Wagtail's "Root" in the explorer
    # setup_roles ran after the sections existed: the workflow is on the library sections.
    library = KnowledgeIndexPage.objects.child_of(home).get()
    assert WorkflowPage.objects.get(page=library).workflow.name == WORKFLOW


def test_setup_site_twice_gives_the_same_pages(empty_agency):
    run("--base-url", "http://127.0.0.1:8000")
    first = sections_under(empty_agency)
    count = Page.objects.count()
    output = run("--base-url", "http://127.0.0.1:8000")
    assert sections_under(empty_agency) == first
    assert Page.objects.count() == count
    assert "0 sections created" in output
    assert all(len(pks) == 1 for pks in first.values())


def test_setup_site_keeps_sections_that_exist_under_another_title(home):
    """The demo's sections (built by load_demo through the same code) are found by type."""
    before = sections_under(home)
    count = Page.objects.count()
    run()
    assert sections_under(home) == before and Page.objects.count() == count


def test_import_documents_finds_the_library_after_setup_site(empty_agency, tmp_path):
    (tmp_path / "วิธีเบิกเงิน.txt").write_text("วิธีเบิกเงินสวัสดิการ\n\nขั้นตอนการเบิกเงินให้ครบถ้วน", encoding="utf-8")
    with pytest.raises(Exception, match="ยังไม่มีหน้าคลังความรู้"):
        call_command("import_documents", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    run()
    call_command("import_documents", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    library = KnowledgeIndexPage.objects.child_of(empty_agency).get()
    assert KnowledgeArticle.objects.child_of(library).count() == 1


def test_sitemap_uses_the_base_url(home):
    run("--base-url", "https://km.example.go.th")
    xml = Client().get("/sitemap.xml").content.decode()
    locs = re.findall(r"<loc>([^<]+)</loc>", xml)
    assert locs and all(loc.startswith("https://km.example.go.th/") for loc in locs)
    assert "localhost" not in xml


@pytest.mark.parametrize("url", ["km.example.go.th", "ftp://km.example.go.th", "https://km.example.go.th:8443",
                                 "https://km.example.go.th/km/"])
def test_setup_site_refuses_an_address_it_cannot_keep(url):
    with pytest.raises(CommandError):
        run("--base-url", url)


def test_a_section_of_an_app_that_is_not_installed_is_left_out(home, monkeypatch):
    from django.apps import apps

    assert "experts.ExpertDirectoryPage" in {section.model for section in SECTIONS}
    missing = Section("nosuchapp.DirectoryPage", "ไม่มี")
    assert missing.page_model() is None
    monkeypatch.setattr("home.sections.SECTIONS", [*SECTIONS, missing])
    pages, created = ensure_sections(home)
    assert "nosuchapp.DirectoryPage" not in pages and created == []
    assert ("experts.ExpertDirectoryPage" in pages) == apps.is_installed("experts")
