"""An agency's site: its address, its name and the sections under the KM home.

`setup_site` (the command) and `load_demo` both build the site here, so a new
agency's empty site and the demo have the same sections. Section page types are
found by name among the installed apps, so an app that is not installed (the
expert directory, say) is simply left out; an app may add its own section with
the `register_site_sections` hook: fn() → [Section(...), ...].
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail import hooks
from wagtail.models import Page, Site

from base.models import AgencySettings
from review.roles import setup_roles

from .models import KMHomePage

SITE_SECTIONS_HOOK = "register_site_sections"
ROOT_TITLE = "ทุกเว็บไซต์"


@dataclass(frozen=True)
class Section:
    """A section page under the KM home: its page type and what a new one is called."""

    model: str  # "app_label.ModelName"
    title: str
    intro: str = ""

    def page_model(self):
        app_label, model_name = self.model.split(".")
        if not apps.is_installed(app_label):
            return None
        try:
            return apps.get_model(app_label, model_name)
        except LookupError:
            return None


# Titles and introductions are the site's content (written in Thai), not UI strings.
SECTIONS = [
    Section(
        "knowledge.KnowledgeIndexPage", "คลังองค์ความรู้",
        "องค์ความรู้จากการปฏิบัติงานจริงของทุกส่วนราชการ กรองตามหมวดหมู่ ส่วนราชการ ประเภทความรู้ ปีงบประมาณ หรือคำสำคัญ",
    ),
    Section(
        "knowledge.BestPracticeIndexPage", "แนวปฏิบัติที่ดี",
        "กรณีศึกษาที่ทำแล้วได้ผลจริง พร้อมตัวชี้วัดก่อนและหลัง ปัจจัยแห่งความสำเร็จ และวิธีนำไปใช้ต่อ",
    ),
    Section(
        "cop.CoPIndexPage", "ชุมชนนักปฏิบัติ",
        "กลุ่มคนทำงานที่มาแลกเปลี่ยนเรียนรู้เรื่องเดียวกันอย่างสม่ำเสมอ พร้อมบันทึกการเสวนาแต่ละครั้ง",
    ),
    Section(
        "plan.KMPlanIndexPage", "แผนการจัดการความรู้",
        "แผนการจัดการความรู้ประจำปีงบประมาณ พร้อมผลการดำเนินงานที่นับจากข้อมูลในคลังความรู้",
    ),
    Section("experts.ExpertDirectoryPage", "ทำเนียบผู้รู้", "ผู้รู้ในแต่ละเรื่อง ความรู้ที่มี และบทบาทในชุมชนนักปฏิบัติ"),
]


def all_sections():
    sections = list(SECTIONS)
    for fn in hooks.get_hooks(SITE_SECTIONS_HOOK):
        sections += [s for s in fn() if s.model not in {known.model for known in sections}]
    return sections


def site_address(base_url):
    """(hostname, port) of an absolute http(s) URL; ValidationError if it is not one."""
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/"):
        raise ValidationError(f"not a site address such as https://km.example.go.th: {base_url!r}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    # Wagtail's Site.root_url says https only for port 443 (and http for any other port).
    if (parts.scheme == "https") != (port == 443):
        raise ValidationError(f"https must use port 443, and port 443 https: {base_url!r}")
    return parts.hostname, port


def default_site():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None or not isinstance(site.root_page.specific, KMHomePage):
        raise ValidationError("The default site's root page is not a KM home page; run migrate first.")
    return site


def ensure_sections(home, overrides=None):
    """The section pages under `home`, by model label; missing ones are created and published.

    A section that exists (found by its page type, whatever its title) is left as it is.
    `overrides` gives {model label: {"title": …, "intro": …}} for new pages.
    """
    overrides = overrides or {}
    pages, created = {}, []
    for section in all_sections():
        model = section.page_model()
        if model is None:
            continue
        page = model.objects.child_of(home).first()
        if page is None:
            fields = {"title": section.title, "intro": section.intro, **overrides.get(section.model, {})}
            field_names = {field.name for field in model._meta.get_fields()}
            intro = fields.pop("intro", "")
            page = model(show_in_menus=True, **fields)
            if "intro" in field_names and intro:
                page.intro = f"<p>{intro}</p>" if not intro.lstrip().startswith("<") else intro
            home.add_child(instance=page)
            page.save_revision().publish()
            created.append(page)
        pages[section.model] = page
    return pages, created


@transaction.atomic
def setup_site(agency_name=None, base_url=None, overrides=None):
    """Address, name, sections and editorial roles of the default site; safe to run again."""
    site = default_site()
    if base_url:
        site.hostname, site.port = site_address(base_url)
    if agency_name:
        site.site_name = agency_name
    site.save()
    if agency_name:
        agency = AgencySettings.for_site(site)
        agency.name = agency_name
        agency.save()
    # The tree's root, which the admin's explorer and breadcrumbs show, is "Root" after migrate.
    Page.objects.filter(depth=1, title="Root").update(title=ROOT_TITLE, draft_title=ROOT_TITLE)
    home = site.root_page.specific
    pages, created = ensure_sections(home, overrides)
    # The review workflow is attached to the sections that exist now.
    setup_roles()
    return site, pages, created
