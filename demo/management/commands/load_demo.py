"""Build a realistic demo agency site from demo/content/*.yaml.

Safe to run again: snippets are matched by their codes, pages by title under
their parent, and nothing that exists is created twice.
"""

import datetime
import os
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from wagtail.documents.models import Document
from wagtail.models import Page, PageViewRestriction

from base.addresses import current_base_url
from base.models import AgencySettings
from cop.models import (
    CommunityMember,
    CommunityPage,
    DialogueAction,
    DialogueParticipant,
    DialogueSummaryPage,
)
from home.models import FeaturedItem, StandardPage
from home.sections import setup_site
from knowledge.models import (
    BestPracticePage,
    BestPracticeResult,
    Department,
    KnowledgeArticle,
    KnowledgeCategory,
    Person,
)
from plan.models import FocusArea, KMPlanPage, KnowledgeNeed, PlanActivity
from plan.permissions import PLAN_APPROVERS, SPONSORS
from review import roles
from review.models import StaffMembership

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"

DEPARTMENTS = {
    "palad": "สำนักปลัด",
    "klang": "กองคลัง",
    "chang": "กองช่าง",
    "suksa": "กองการศึกษา ศาสนาและวัฒนธรรม",
    "sawat": "กองสวัสดิการสังคม",
    "satharanasuk": "กองสาธารณสุขและสิ่งแวดล้อม",
}
CATEGORIES = {
    "service": "งานบริการประชาชน",
    "finance": "การเงิน การคลัง และพัสดุ",
    "revenue": "การจัดเก็บรายได้และภาษีท้องถิ่น",
    "infrastructure": "โครงสร้างพื้นฐานและงานช่าง",
    "disaster": "การป้องกันและบรรเทาสาธารณภัย",
    "education": "การศึกษาและศูนย์พัฒนาเด็กเล็ก",
    "welfare": "สวัสดิการสังคมและผู้สูงอายุ",
    "health-env": "สาธารณสุขและสิ่งแวดล้อม",
    "digital": "เทคโนโลยีดิจิทัลและสารสนเทศ",
    "hr": "การพัฒนาบุคลากรและการจัดการความรู้",
    "law": "กฎหมาย ระเบียบ และงานสารบรรณ",
}
DEMO_ADMIN = "admin"
# One account per editorial role in two departments (demo only): username → (name, group, department code).
DEMO_STAFF = {
    "author.klang": ("กานดา ผู้เขียนกองคลัง", "authors", "klang"),
    "reviewer.klang": ("วิไล หัวหน้ากองคลัง", "reviewers", "klang"),
    "author.palad": ("ปกรณ์ ผู้เขียนสำนักปลัด", "authors", "palad"),
    "reviewer.palad": ("สมชาย หัวหน้าสำนักปลัด", "reviewers", "palad"),
    "editor": ("ณัฐธยา คณะทำงาน KM", "editors", "palad"),
    "sponsor": ("ประเสริฐ ปลัด อบต.", "sponsors", "palad"),
}
DEMO_STAFF_PASSWORD = "khlang-demo-staff"


def load(name):
    with open(CONTENT_DIR / name, encoding="utf-8") as f:
        return yaml.safe_load(f)


def rich_text(text):
    """Plain text with blank-line paragraphs as Wagtail rich text."""
    paragraphs = [p.strip() for p in str(text).split("\n\n") if p.strip()]
    return "".join(f"<p>{escape(' '.join(p.split()))}</p>" for p in paragraphs)


def rich_list(items):
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


def body_blocks(blocks):
    """YAML body blocks as StreamField raw data."""
    stream = []
    for block in blocks or []:
        (kind, value), = block.items()
        if kind == "heading":
            stream.append(("heading", value))
        elif kind == "paragraph":
            stream.append(("paragraph", rich_text(value)))
        elif kind == "steps":
            stream.append(("steps", [str(step) for step in value]))
        elif kind == "callout":
            stream.append(("callout", {"kind": value.get("kind", "note"), "text": rich_text(value["text"])}))
        elif kind == "table":
            rows = [[str(cell) for cell in row] for row in [value["header"], *value["rows"]]]
            stream.append(("table", {
                "data": rows,
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_header_choice": "row",
                "table_caption": value.get("caption", ""),
            }))
        else:
            raise ValueError(f"unknown block type {kind!r}")
    return stream


class Command(BaseCommand):
    help = "Load the demo agency: settings, departments, people, knowledge, communities."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url", help="the site's address, e.g. http://127.0.0.1:8000 (as setup_site --base-url)"
        )

    def handle(self, *args, base_url=None, **options):
        with transaction.atomic():
            self.created = 0
            self.item_dates = {}
            self.load_reference_data()
            home = self.load_site(base_url or settings.KHLANG_BASE_URL or None)
            self.load_articles(home)
            self.load_best_practices(home)
            self.load_communities(home)
            self.load_about(home)
            self.load_plan(home)
            self.feature(home)
            self.backdate()
        self.ensure_admin()
        self.ensure_staff()
        self.approve_plan()
        self.stdout.write(self.style.SUCCESS(f"Demo content ready ({self.created} pages created)."))

    # reference data -----------------------------------------------------

    def load_reference_data(self):
        self.departments = {}
        for order, (code, name) in enumerate(DEPARTMENTS.items()):
            self.departments[code], _ = Department.objects.update_or_create(
                code=code, defaults={"name": name, "sort_order": order}
            )
        self.categories = {}
        for slug, name in CATEGORIES.items():
            self.categories[slug], _ = KnowledgeCategory.objects.update_or_create(slug=slug, defaults={"name": name})
        self.people = {}
        for key, data in load("people.yaml").items():
            person, _ = Person.objects.update_or_create(
                name=data["name"],
                defaults={
                    "position": data["position"],
                    "department": self.departments[data["department"]],
                    "email": f"{key}@example.org",
                },
            )
            person.expertise.set(data.get("expertise", []))
            person.save()
            self.record_consent(person, data)
            self.people[key] = person

    def record_consent(self, person, data):
        """Consent as the records say (people.yaml): given, and perhaps withdrawn since."""
        consent = data.get("consent")
        if not consent or person.consent_records.exists():
            return
        moment = timezone.make_aware(datetime.datetime.combine(consent["given"], datetime.time(9, 0)))
        record = person.give_consent(note=consent.get("note", ""), given_at=moment)
        if withdrawn := data.get("withdrawn"):
            record.withdrawn_at = timezone.make_aware(datetime.datetime.combine(withdrawn["at"], datetime.time(9, 0)))
            record.note = f"{record.note}\n{withdrawn.get('note', '')}".strip()
            record.save()

    # pages ----------------------------------------------------------------

    def child(self, parent, model, title, **fields):
        """The child of `parent` with this title, created and published if missing."""
        existing = model.objects.child_of(parent).filter(title=title).first()
        if existing:
            return existing, False
        tags = fields.pop("tags", [])
        page = model(title=title, **fields)
        if tags:
            page.tags.add(*map(str, tags))
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.created += 1
        return page, True

    def backdate(self):
        """Show demo items as published on their own date, not all today.

        Runs last: every publish copies the revision's timestamps back.
        """
        for pk, date in self.item_dates.items():
            moment = timezone.make_aware(datetime.datetime.combine(date, datetime.time(10, 0)))
            Page.objects.filter(pk=pk).update(first_published_at=moment, last_published_at=moment)

    def load_site(self, base_url):
        """The site as `setup_site` builds it (address, name, sections), with the demo agency's details."""
        data = load("site.yaml")
        overrides = {
            "plan.KMPlanIndexPage": {"title": data["plan"]["index"]["title"], "intro": rich_text(data["plan"]["index"]["intro"])},
            "experts.ExpertDirectoryPage": {"title": data["experts"]["title"], "intro": rich_text(data["experts"]["intro"])},
        }
        try:
            site, self.sections, _created = setup_site(
                agency_name=data["agency"]["name"], base_url=base_url,
                overrides=overrides,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        home = site.root_page.specific
        home.title = data["home"]["title"]
        home.intro = rich_text(data["home"]["intro"])
        home.save_revision().publish()

        agency = AgencySettings.for_site(site)
        agency.address = data["agency"]["address"]
        agency.phone = data["agency"]["phone"]
        agency.email = data["agency"]["email"]
        agency.save()
        self.site_data = data
        return home

    def load_articles(self, home):
        library = self.sections["knowledge.KnowledgeIndexPage"]
        articles = load("articles.yaml")
        self.articles = {}
        for data in articles:
            page, created = self.child(
                library, KnowledgeArticle, data["title"],
                summary=data["summary"],
                knowledge_type=data["knowledge_type"],
                category=self.categories[data["category"]],
                department=self.departments[data["department"]],
                holder=self.people.get(data.get("holder")),
                source=data.get("source", ""),
                date=data["date"],
                fiscal_year_override=data.get("fiscal_year"),
                next_review_date=data.get("next_review") or data["date"] + datetime.timedelta(days=365 * 2),
                body=body_blocks(data["body"]),
                tags=data.get("tags", []),
            )
            if created:
                self.item_dates[page.pk] = data["date"]
            if data.get("staff_only"):
                PageViewRestriction.objects.get_or_create(page=page, restriction_type=PageViewRestriction.LOGIN)
            if data.get("attachment") and not page.attachments:
                self.attach(page, data["attachment"]["title"], data["attachment"]["text"], f"internal-{page.pk}.txt")
            self.articles[data["title"]] = page
        for data in articles:
            page = self.articles[data["title"]]
            related = [("page", self.articles[title]) for title in data.get("related", [])]
            if related and not page.related:
                page.related = related
                page.save_revision().publish()
        self.attach_checklists(articles[:3])

    def attach_checklists(self, articles):
        """Give a few articles a downloadable checklist, as real ones have."""
        for data in articles:
            page = self.articles[data["title"]]
            if page.attachments:
                continue
            steps = next((b["steps"] for b in data["body"] if "steps" in b), [])
            text = page.title + "\n\n" + "\n".join(f"{n}. {s}" for n, s in enumerate(steps, 1))
            self.attach(page, f"แบบตรวจสอบ: {page.title}", text, f"checklist-{page.pk}.txt")

    def attach(self, page, title, text, filename):
        document = Document(title=title)
        document.file.save(filename, ContentFile(text.encode("utf-8")), save=False)
        document.file_size = document.file.size
        document.save()
        page.attachments = [("document", document)]
        page.save_revision().publish()

    def load_best_practices(self, home):
        index = self.sections["knowledge.BestPracticeIndexPage"]
        for data in load("best_practices.yaml"):
            page, created = self.child(
                index, BestPracticePage, data["title"],
                summary=data["summary"],
                department=self.departments[data["department"]],
                category=self.categories[data["category"]],
                contact=self.people.get(data.get("contact")),
                date=data["date"],
                fiscal_year_override=data.get("year"),
                background=rich_text(data["background"]),
                objectives=rich_list(data["objectives"]),
                method=[("steps", [str(step) for step in data["method"]])],
                success_factors=rich_list(data["success_factors"]),
                lessons_learned=rich_text(data["lessons"]),
                obstacles=rich_text(data.get("obstacles", "")),
                how_to_reuse=rich_text(data.get("reuse", "")),
                next_review_date=data["date"] + datetime.timedelta(days=365 * 2),
                tags=data.get("tags", []),
                results=[BestPracticeResult(**{k: str(v) for k, v in row.items()}) for row in data["results"]],
            )
            if created:
                self.item_dates[page.pk] = data["date"]

    def load_communities(self, home):
        index = self.sections["cop.CoPIndexPage"]
        for data in load("communities.yaml"):
            community, _ = self.child(
                index, CommunityPage, data["title"],
                summary=data["summary"], topic=data["topic"], goal=data["goal"],
                cadence=data.get("cadence", ""), status=data["status"],
                department=self.departments[data["department"]],
                members=[
                    CommunityMember(person=self.people[m["person"]], role=m["role"]) for m in data["members"]
                ],
            )
            for dialogue in data["dialogues"]:
                page, created = self.child(
                    community, DialogueSummaryPage, dialogue["title"],
                    summary=dialogue["summary"],
                    date=dialogue["date"],
                    venue=dialogue.get("venue", ""),
                    online=dialogue.get("online", False),
                    facilitator=self.people.get(dialogue.get("facilitator")),
                    note_taker=self.people.get(dialogue.get("note_taker")),
                    participant_count=dialogue.get("participant_count", 0),
                    topic=dialogue["topic"],
                    technique=dialogue["technique"],
                    department=community.department,
                    knowledge_assets=[("asset", asset) for asset in dialogue.get("assets", [])],
                    core_lessons=rich_list(dialogue.get("lessons", [])),
                    next_review_date=dialogue["date"] + datetime.timedelta(days=365 * 2),
                    participants=[DialogueParticipant(person=self.people[key]) for key in dialogue.get("participants", [])],
                    actions=[
                        DialogueAction(description=a["what"], owner=self.people.get(a.get("owner")), due=a.get("due"))
                        for a in dialogue.get("actions", [])
                    ],
                    produced=[("page", self.articles[t]) for t in dialogue.get("produced", []) if t in self.articles],
                )
                if created:
                    self.item_dates[page.pk] = dialogue["date"]

    def load_about(self, home):
        about = self.site_data["about"]
        self.child(
            home, StandardPage, about["title"],
            summary=" ".join(about["summary"].split()), body=body_blocks(about["body"]), show_in_menus=True,
        )

    def load_plan(self, home):
        """The fiscal-year KM plan as data, with targets the demo content partly meets."""
        data = self.site_data["plan"]
        index = self.sections["plan.KMPlanIndexPage"]
        if KMPlanPage.objects.filter(fiscal_year=data["year"]).exists():
            return
        items = {page.title: page for page in Page.objects.filter(depth__gte=3)}
        self.child(
            index, KMPlanPage, data["title"],
            fiscal_year=data["year"],
            summary=" ".join(data["summary"].split()),
            desired_state=" ".join(data["desired_state"].split()),
            measurable_unit=" ".join(data["measurable_unit"].split()),
            monitoring=rich_text(data["monitoring"]),
            focus_areas=[FocusArea(title=title, description=description) for title, description in data["focus_areas"]],
            knowledge_needs=[
                KnowledgeNeed(
                    department=self.departments[need["department"]],
                    core_work=need["core_work"], knowledge=need["knowledge"], held_by=need["held_by"],
                    captured_by=[("page", items[title]) for title in need["captured_by"]],
                )
                for need in data["knowledge_needs"]
            ],
            activities=[
                PlanActivity(
                    **{k: v for k, v in activity.items() if k != "department"},
                    responsible_department=self.departments.get(activity.get("department")),
                )
                for activity in data["activities"]
            ],
        )

    def approve_plan(self):
        """The demo's plan as a real one gets published: submitted by the KM working group,
        approved by คุณเอื้อ (plan.permissions.PLAN_TASK)."""
        plan = KMPlanPage.objects.get(fiscal_year=self.site_data["plan"]["year"])
        if plan.approval or plan.workflow_in_progress:
            return
        User = get_user_model()
        editor, sponsor = User.objects.get(username="editor"), User.objects.get(username="sponsor")
        plan.save_revision(user=editor)
        state = plan.get_workflow().start(plan, editor)
        task_state = state.current_task_state
        task_state.task.specific.on_action(task_state, sponsor, "approve")

    def feature(self, home):
        if home.featured_items.exists():
            return
        picks = [page for page in self.articles.values() if page.knowledge_type == KnowledgeArticle.TACIT][:3]
        for order, page in enumerate(picks):
            FeaturedItem.objects.create(home=home, page=page, sort_order=order)

    def ensure_admin(self):
        User = get_user_model()
        password = os.environ.get("KHLANG_ADMIN_PASSWORD", "khlang-demo-admin")
        if not User.objects.filter(username=DEMO_ADMIN).exists():
            User.objects.create_superuser(DEMO_ADMIN, "admin@example.org", password)
            self.stdout.write(f"Admin account created: {DEMO_ADMIN} / {password}")
        else:
            self.stdout.write(f"Admin account exists: {DEMO_ADMIN} / {password} (unless you changed it)")
        self.stdout.write(f"Site: {current_base_url()}/  Wagtail admin: {current_base_url()}/admin/")

    def ensure_staff(self):
        """The editorial groups, the review workflow and a demo account per role."""
        groups, _workflow, _sections = roles.setup_roles()
        group_names = {
            "authors": [roles.AUTHORS], "reviewers": [roles.REVIEWERS], "editors": [roles.EDITORS],
            "sponsors": [SPONSORS, PLAN_APPROVERS],
        }
        User = get_user_model()
        password = os.environ.get("KHLANG_DEMO_STAFF_PASSWORD", DEMO_STAFF_PASSWORD)
        for username, (name, role, department) in DEMO_STAFF.items():
            first_name, last_name = name.split(" ", 1)
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"email": f"{username}@example.org", "first_name": first_name, "last_name": last_name},
            )
            if created:
                user.set_password(password)
                user.save()
            user.groups.add(*[groups[name] for name in group_names[role]])
            StaffMembership.objects.update_or_create(
                user=user, defaults={"department": Department.objects.get(code=department)}
            )
            self.stdout.write(f"Demo {role[:-1]}: {username} / {password} ({DEPARTMENTS[department]})")
