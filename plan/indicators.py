"""The KM plan's indicators, measured from the site's own records for one fiscal year.

Which year a record belongs to: a publication, retirement or refinement by its moment in
Asia/Bangkok time; a meeting or an unanswered search by its date. The year runs from
1 October to 30 September and is named by the B.E. year it ends in (thai.dates).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import Page, TaskState

from cop.models import DialogueSummaryPage
from knowledge.models import BestPracticePage, Department, knowledge_item_models
from review.models import RefinementTaskState, Retirement
from search.models import UnansweredQuery
from thai.dates import fiscal_year_bounds, format_date

from .measures import BY_KEY, COUNT_ACCESSES_HOOK, MANUAL, MEASURES


@dataclass
class Indicator:
    key: str
    label: str
    unit: str
    value: Decimal | int
    target: Decimal | None = None
    lower_is_better: bool = False
    activity: str = ""
    previous: Decimal | int | None = None
    staff_only: int = 0

    @property
    def met(self):
        if self.target is None:
            return None
        return self.value <= self.target if self.lower_is_better else self.value >= self.target

    @property
    def percent_of_target(self):
        """How far toward the target, 100 when met (for bars on one scale whatever the unit)."""
        if self.target is None:
            return None
        if self.lower_is_better:
            return 100 if self.value <= self.target else round(100 * Decimal(self.target) / Decimal(self.value))
        if not self.target:
            return 100
        return min(100, round(100 * Decimal(self.value) / Decimal(self.target)))


@dataclass
class DepartmentRow:
    department: str
    published: int = 0
    meetings: int = 0
    accesses: int = 0

    def named(self, name):
        self.department = str(name)
        return self


@dataclass
class YearIndicators:
    year: int
    first_day: datetime.date
    last_day: datetime.date
    as_of: datetime.date
    indicators: list
    manual: list = field(default_factory=list)
    published_by_type: list = field(default_factory=list)
    by_department: list = field(default_factory=list)
    has_plan: bool = False

    @property
    def every(self):
        """The measured indicators, then those entered by hand."""
        return [*self.indicators, *self.manual]

    @property
    def period(self):
        return f"{format_date(self.first_day)} – {format_date(self.last_day)}"

    def __getitem__(self, key):
        for indicator in self.indicators:
            if indicator.key == key:
                return indicator
        raise KeyError(key)

    def as_json(self):
        def number(value):
            if value is None:
                return None
            return int(value) if value == int(value) else float(value)

        return {
            "year": self.year,
            "first_day": self.first_day.isoformat(),
            "last_day": self.last_day.isoformat(),
            "has_plan": self.has_plan,
            "indicators": {
                i.key: {"value": number(i.value), "target": number(i.target), "met": i.met} for i in self.indicators
            },
            "manual": [
                {"indicator": i.label, "value": number(i.value), "target": number(i.target), "unit": i.unit}
                for i in self.manual
            ],
            "published_by_type": {label: count for label, count in self.published_by_type},
            "by_department": [row.__dict__ for row in self.by_department],
        }


def year_moments(year):
    """The first and last day of a fiscal year, and its start and end as aware datetimes."""
    first_day, last_day = fiscal_year_bounds(year)
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(first_day, datetime.time(), tzinfo=zone)
    end = datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time(), tzinfo=zone)
    return first_day, last_day, start, end


def meetings_in(first_day, last_day):
    return DialogueSummaryPage.objects.live().filter(date__gte=first_day, date__lte=last_day)


def accesses_between(first_day, last_day):
    """{page_id: reads} from whichever app counts reads; empty until one is installed.

    Summing a year of daily counts is the dashboard's costliest query, and the counts only
    grow as often as the worker imports nginx's log (every minute): read them at most that often.
    """
    key = f"km-accesses-{first_day}-{last_day}"
    counts = cache.get(key)
    if counts is None:
        counts = {}
        for fn in hooks.get_hooks(COUNT_ACCESSES_HOOK):
            for page_id, reads in fn(first_day, last_day).items():
                counts[page_id] = counts.get(page_id, 0) + reads
        cache.set(key, counts, settings.KHLANG_ACCESS_COUNTS_SECONDS)
    return counts


def department_of_pages(page_ids):
    departments = {}
    for model in knowledge_item_models():
        departments.update(model.objects.filter(pk__in=page_ids).values_list("pk", "department_id"))
    return departments


def captured_page_ids(plan, pages):
    """Of the pages each knowledge need is captured by, those in `pages`."""
    wanted = {pk for need in plan.knowledge_needs.all() for pk in need.captured_page_ids}
    return set(pages.filter(pk__in=wanted).values_list("pk", flat=True))


def knowledge_map(plan, pages):
    """Per department, each needed piece of knowledge with the pages (of `pages`) that capture it."""
    found = {page.pk: page for page in pages.filter(pk__in=captured_page_ids(plan, pages))}
    rows = {}
    for need in plan.knowledge_needs.select_related("department"):
        captured = [found[pk] for pk in need.captured_page_ids if pk in found]
        rows.setdefault(need.department, []).append((need, captured))
    return list(rows.items())


@dataclass
class Period:
    """One fiscal year as the counts need it."""

    year: int
    first_day: datetime.date
    last_day: datetime.date
    start: datetime.datetime
    end: datetime.datetime
    as_of: datetime.date

    @classmethod
    def of(cls, year, today):
        first_day, last_day, start, end = year_moments(year)
        return cls(year, first_day, last_day, start, end, min(today, last_day + datetime.timedelta(days=1)))

    def moments(self, field):
        return Q(**{f"{field}__gte": self.start, f"{field}__lt": self.end})

    def days(self, field):
        return Q(**{f"{field}__gte": self.first_day, f"{field}__lte": self.last_day})

    def overdue(self):
        # A state, not an event: as of the year's end, or today within it; nothing yet for a year to come.
        return Q(next_review_date__lt=self.as_of) if self.as_of >= self.first_day else Q(pk__in=[])


def measure_year(year, plan=None, today=None):
    """Every indicator of a fiscal year, with targets from `plan` (None: no targets) and last year's values."""
    today = today or timezone.localdate()
    this, last = Period.of(year, today), Period.of(year - 1, today)
    values, previous, details = count_years(this, last, plan)
    targets = {}
    manual = []
    if plan is not None:
        for activity in plan.activities.all():
            if activity.measure in BY_KEY and activity.target_value is not None:
                targets[activity.measure] = activity
            elif activity.measure == MANUAL:
                manual.append(
                    Indicator(
                        key=MANUAL, label=activity.indicator, unit=activity.unit,
                        value=activity.measured_value if activity.measured_value is not None else Decimal(0),
                        target=activity.target_value, activity=activity.activity,
                    )
                )
    indicators = []
    for measure in MEASURES:
        activity = targets.get(measure.key)
        indicators.append(
            Indicator(
                key=measure.key, label=str(measure.label), unit=str(measure.unit), value=values[measure.key],
                target=activity.target_value if activity else None, lower_is_better=measure.lower_is_better,
                activity=activity.activity if activity else "", previous=previous[measure.key],
                staff_only=details["staff_only"].get(measure.key, 0),
            )
        )
    return YearIndicators(
        year=year, first_day=this.first_day, last_day=this.last_day, as_of=this.as_of,
        indicators=indicators, manual=manual, published_by_type=details["published_by_type"],
        by_department=details["by_department"], has_plan=plan is not None,
    )


def count_years(this, last, plan):
    """The raw counts of a year and the year before, each from the same queries:
    ({measure key: value} this year, the same last year, details of this year for the dashboard)."""
    # Pages under a view restriction: knowledge the agency has, but not for the public.
    staff_only = Page.objects.private_q()
    periods = {"this": this, "last": last}
    values = {name: dict.fromkeys(BY_KEY, 0) for name in periods}
    by_department = {}
    published_by_type = []
    staff_only_published = 0
    for model in knowledge_item_models():
        published = Count("pk", filter=this.moments("first_published_at"))
        rows = (
            model.objects.live()
            .filter(first_published_at__gte=last.start, first_published_at__lt=this.end)
            .order_by()
            .values("department_id")
            .annotate(
                this=published,
                last=Count("pk", filter=last.moments("first_published_at")),
                private=Count("pk", filter=this.moments("first_published_at") & staff_only),
            )
        )
        count = 0
        for row in rows:
            count += row["this"]
            values["last"]["items_published"] += row["last"]
            staff_only_published += row["private"]
            if row["this"]:
                by_department.setdefault(row["department_id"], DepartmentRow("")).published += row["this"]
            if model is BestPracticePage:
                values["this"]["best_practices_published"] += row["this"]
                values["last"]["best_practices_published"] += row["last"]
        values["this"]["items_published"] += count
        published_by_type.append((str(model._meta.verbose_name), count))
        overdue = model.objects.live().aggregate(
            **{name: Count("pk", filter=period.overdue()) for name, period in periods.items()}
        )
        for name in periods:
            values[name]["items_overdue_review"] += overdue[name]

    meetings = meetings_in(last.first_day, this.last_day)
    communities = {name: set() for name in periods}
    rows = meetings.order_by().values_list("path", "date", "participant_count", "department_id")
    for path, date, people, department_id in rows:
        name = "this" if date >= this.first_day else "last"
        values[name]["exchange_meetings"] += 1
        values[name]["meeting_participants"] += people
        # A dialogue summary is a child of its community's page.
        communities[name].add(path[: -Page.steplen])
        if name == "this":
            by_department.setdefault(department_id, DepartmentRow("")).meetings += 1
    for name in periods:
        values[name]["active_communities"] = len(communities[name])

    refined = RefinementTaskState.objects.filter(
        status=TaskState.STATUS_APPROVED, finished_at__gte=last.start, finished_at__lt=this.end,
        **{name: True for name in RefinementTaskState.CHECKLIST},
    )
    for name, period in periods.items():
        values[name]["items_refined"] = len(
            set(refined.filter(period.moments("finished_at")).values_list("workflow_state__object_id", flat=True))
        )
    retired = Retirement.objects.aggregate(
        **{name: Count("pk", filter=period.moments("retired_at")) for name, period in periods.items()}
    )
    unanswered = UnansweredQuery.objects.aggregate(
        **{name: Sum("hits", filter=period.days("date")) for name, period in periods.items()}
    )
    accesses = {name: accesses_between(period.first_day, period.last_day) for name, period in periods.items()}
    for name in periods:
        values[name]["items_retired"] = retired[name]
        values[name]["searches_without_results"] = unanswered[name] or 0
        values[name]["accesses"] = sum(accesses[name].values())
    for page_id, department_id in department_of_pages(list(accesses["this"])).items():
        by_department.setdefault(department_id, DepartmentRow("")).accesses += accesses["this"][page_id]
    if plan is not None:
        captured = captured_page_ids(plan, Page.objects.live())
        values["this"]["knowledge_needs_captured"] = sum(
            1 for need in plan.knowledge_needs.all() if set(need.captured_page_ids) & captured
        )

    departments = list(Department.objects.values_list("pk", "name"))
    rows = [by_department.pop(pk).named(name) for pk, name in departments if pk in by_department]
    if None in by_department:
        rows.append(by_department.pop(None).named(_("ไม่ระบุส่วนราชการ")))
    details = {
        "staff_only": {
            "items_published": staff_only_published,
            "exchange_meetings": meetings.filter(this.days("date") & staff_only).count(),
        },
        "published_by_type": published_by_type,
        "by_department": rows,
    }
    return values["this"], values["last"], details


def items_published_list(year):
    """The year's published items for the report: (page, staff_only), oldest first."""
    _first, _last, start, end = year_moments(year)
    private = set(Page.objects.not_public().values_list("pk", flat=True))
    pages = (
        Page.objects.live().type(*knowledge_item_models())
        .filter(first_published_at__gte=start, first_published_at__lt=end)
        .order_by("first_published_at", "pk").specific()
        .select_related("department", for_specific_subqueries=True)
    )
    return [(page, page.pk in private) for page in pages]


def meetings_list(year):
    first_day, last_day, _start, _end = year_moments(year)
    return list(meetings_in(first_day, last_day).select_related("department").order_by("date", "pk"))
