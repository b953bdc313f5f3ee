"""The organisation roll-up report, its people list and one person's page, for the organisation's
managers (and admins). Every read starts from quizzes/visibility.py's organisation-manager querysets,
and every selector costs a fixed number of queries whatever the size of the subtree: the counting
happens in the database over the per-person, per-day aggregates (models.DailyActivity; over all time
their per-person totals, models.ActivityTotal) and the profiles, matched by indexed prefixes of
Organisation.path — never over the answers.

What the numbers mean
---------------------
Enrolled (在册人数)
    People whose profile is in the organisation's subtree, now (the time range does not apply).
Participated (参与人数)
    Of them, distinct people with at least one answer (any quiz: practice, review, retry, assignment)
    on a study day in the period.
Participation rate (参与率)
    Participated ÷ enrolled, in whole percent.
Quizzes finished (完成测验) and answers (作答次数)
    Summed over the period: quizzes finished on a study day in it (the last question answered, or the
    time ran out), and answers given.
Average score (平均得分)
    100 × Σ credit ÷ Σ answers over the period, in whole percent (a matching question's partial credit
    counts as it does in the quiz).
Mastery by task (掌握度)
    Per organisation, never per person (a person's mastery comes from their practice, which managers
    do not see): the points mastered now, by the one rule of quizzes/progress.py, summed over the
    people of the row, ÷ (people × points of the task), in whole percent. Counted in one query over the
    mastered memory states of the subtree's people, grouped by organisation; the time range does not
    apply (mastery is a state, as of now).

Rows: one per child organisation (its whole subtree), and one for the people attached directly to the
organisation itself (本级直属), shown when it has any.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from studyapp.documents.selectors import active_outline
from studyapp.people.models import Organisation, Profile, display_name

from .. import visibility
from ..core.rules import study_day
from ..models import ActivityTotal, Attempt, DailyActivity
from ..progress import Column, Mastery, mastered_by, task_columns
from .charts import MAX_CHART_DAYS, DayPoint, ParticipationChart
from .filters import ActivityRange

PEOPLE_PAGE_SIZE = 50
FIGURES = ("answers", "correct", "credit", "finished")  # summed per person, then per organisation
WHO_CHOICES = (("", "全部"), ("yes", "已参与"), ("no", "未参与"))


def _percent(part: float, whole: float) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass
class Figures:
    enrolled: int = 0
    participated: int = 0
    answers: int = 0
    correct: int = 0
    credit: float = 0.0
    finished: int = 0
    mastered: list[int] = field(default_factory=list)  # points mastered now, per task column
    points: list[int] = field(default_factory=list)  # points per person, per task column

    @property
    def task_mastery(self) -> list[Mastery]:
        """Each task's mastery over the people of the row: mastered ÷ (people × points)."""
        return [
            Mastery(mastered, self.enrolled * points)
            for mastered, points in zip(self.mastered, self.points, strict=True)
        ]

    @property
    def rate(self) -> int | None:
        """参与率: participated ÷ enrolled, whole percent; None without anyone enrolled."""
        return _percent(self.participated, self.enrolled)

    @property
    def average(self) -> int | None:
        """平均得分: 100 × credit ÷ answers, whole percent; None without answers."""
        return _percent(self.credit, self.answers)

    def add(self, other: Figures) -> None:
        self.enrolled += other.enrolled
        self.participated += other.participated
        self.answers += other.answers
        self.correct += other.correct
        self.credit += other.credit
        self.finished += other.finished
        self.points = self.points or list(other.points)
        mine = self.mastered or [0] * len(other.mastered)
        self.mastered = [a + b for a, b in zip(mine, other.mastered, strict=True)]


@dataclass
class RollupRow(Figures):
    label: str = ""
    organisation: Organisation | None = None  # None: the people attached directly
    has_children: bool = False

    @property
    def is_direct(self) -> bool:
        return self.organisation is None


@dataclass
class Rollup:
    organisation: Organisation
    period: ActivityRange
    ancestors: list[Organisation]  # from the highest the viewer sees down to the parent
    rows: list[RollupRow]
    total: Figures
    chart: ParticipationChart
    is_leaf: bool
    tasks: list[Column] = field(default_factory=list)


def _child_key(path: str, prefix: str) -> int | None:
    """The id of the child of the organisation with path `prefix` that the organisation with `path`
    is under (or is); None for the organisation itself."""
    rest = path[len(prefix) :]
    return int(rest.split("/", 1)[0]) if rest else None


def activity_by_organisation(
    viewer: User, organisation: Organisation, period: ActivityRange
) -> list[tuple[int | None, int, int, int, float, int]]:
    """(organisation id, participants, answers, right, credit, quizzes finished) per organisation of the
    people of `organisation`'s subtree over `period`: one query, per person first, then per
    organisation through each person's profile, so that a person counts once however many days they
    took part.

    Over all time the per-person sums are kept (models.ActivityTotal: one row per person however long
    they have studied), joined straight to the subtree's profiles (visibility.people_seen_by_manager).
    Over a range, each person's days in it (visibility.participation_seen, by the (day, user) index)
    are summed, then joined to the profiles once per person. The ORM cannot join a subquery, so the
    outer query is written here around the querysets' own SQL."""
    quote = connection.ops.quote_name
    user_id, org_id = quote("user_id"), quote("organisation_id")

    def sums(prefix: str) -> str:
        answers, right, credit, finished = (quote(f"{prefix}{name}") for name in FIGURES)
        return (
            f"SUM(CASE WHEN a.{answers} > 0 THEN 1 ELSE 0 END), SUM(a.{answers}), SUM(a.{right}), "
            f"SUM(a.{credit}), SUM(a.{finished})"
        )

    if period.is_all:
        people = visibility.people_seen_by_manager(viewer, organisation).values(
            person=F("user_id"), org=F("organisation_id")
        )
        inner, params = people.query.sql_with_params()
        sql = (
            f"SELECT p.{quote('org')}, {sums('')} FROM ({inner}) p "
            f"INNER JOIN {quote(ActivityTotal._meta.db_table)} a ON a.{user_id} = p.{quote('person')} "
            f"GROUP BY p.{quote('org')}"
        )
    else:
        per_person = (
            visibility.participation_seen(viewer, organisation)
            .filter(**period.day_filter())
            .values("user_id")
            .annotate(**{f"n_{name}": Sum(name) for name in FIGURES})
            .order_by()
        )
        inner, params = per_person.query.sql_with_params()
        sql = (
            f"SELECT p.{org_id}, {sums('n_')} FROM ({inner}) a "
            f"INNER JOIN {quote(Profile._meta.db_table)} p ON p.{user_id} = a.{user_id} GROUP BY p.{org_id}"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            (org, int(people or 0), int(n or 0), int(r or 0), float(c or 0.0), int(f or 0))
            for org, people, n, r, c, f in cursor.fetchall()
        ]


def organisation_rollup(
    *, viewer: User, organisation: Organisation, period: ActivityRange, today: date | None = None
) -> Rollup:
    """The roll-up of `organisation` (from visibility.organisation_seen) per child organisation over
    `period`, with the daily participants chart and mastery by task. Nine queries, whatever the number
    of people, answers and organisations: the subtree's organisations, the people counted per
    organisation, their activity summed per organisation, the active version and its outline, the
    mastered points per organisation, the ancestors (two) and the chart. Each organisation's figures
    go to the child it is under, found from its path here."""
    today = today or study_day(timezone.now())
    prefix = organisation.path
    subtree = list(organisation.subtree().values_list("pk", "path", "name", "parent_id"))  # 1
    child_of: dict[int, int | None] = {pk: _child_key(path, prefix) for pk, path, _name, _parent in subtree}
    parents = {parent for _pk, _path, _name, parent in subtree}
    children = sorted(
        ((name, pk) for pk, _path, name, parent in subtree if parent == organisation.pk), key=lambda item: item
    )
    named = {pk: Organisation(pk=pk, name=name, parent=organisation) for name, pk in children}
    rows: dict[int | None, RollupRow] = {
        pk: RollupRow(label=name, organisation=named[pk], has_children=pk in parents) for name, pk in children
    }
    rows[None] = direct = RollupRow(label=_("本级直属"))

    enrolled = (
        visibility.people_seen_by_manager(viewer, organisation)
        .values_list("organisation_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for org_id, count in enrolled:  # 2
        row = rows.get(child_of.get(org_id, -1))
        if row is not None:
            row.enrolled += count

    for org_id, people, answers, right, credit, finished in activity_by_organisation(viewer, organisation, period):  # 3
        row = rows.get(child_of.get(org_id, -1)) if org_id is not None else None
        if row is None:
            continue
        row.participated += people
        row.answers += answers
        row.correct += right
        row.credit += credit
        row.finished += finished

    tasks = task_columns(active_outline())  # 4, 5
    for row in rows.values():
        row.points, row.mastered = [task.total for task in tasks], [0] * len(tasks)
    subtree_people = visibility.mastery_user_ids_of_organisation(viewer, organisation)
    mastered = mastered_by(user_ids=subtree_people, columns=tasks, key="user__profile__organisation_id")
    for org_id, counts in mastered.items():  # 6
        row = rows.get(child_of.get(org_id, -1)) if org_id is not None else None
        if row is not None:
            row.mastered = [a + b for a, b in zip(row.mastered, counts, strict=True)]

    shown = [rows[pk] for _name, pk in children]
    if direct.enrolled or direct.answers or direct.finished:
        shown.append(direct)
    total = Figures(points=[task.total for task in tasks], mastered=[0] * len(tasks))
    for row in shown:
        total.add(row)
    return Rollup(
        organisation=organisation,
        period=period,
        ancestors=ancestors_seen(viewer, organisation),  # 7, 8
        rows=shown,
        total=total,
        chart=participation_chart(viewer=viewer, organisation=organisation, period=period, today=today),  # 9
        is_leaf=not children,
        tasks=tasks,
    )


def ancestors_seen(viewer: User, organisation: Organisation) -> list[Organisation]:
    """The organisations above `organisation` that `viewer` may open, from the top: two queries."""
    ids = [int(part) for part in organisation.path.strip("/").split("/")[:-1] if part]
    if not ids:
        return []
    found = {o.pk: o for o in visibility.organisations_seen(viewer).filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def participation_chart(
    *, viewer: User, organisation: Organisation, period: ActivityRange, today: date
) -> ParticipationChart:
    """Distinct participants per study day over the period (its last MAX_CHART_DAYS days at most; for
    all time, from the first day with answers among the last MAX_CHART_DAYS): one query."""
    end = min(period.end or today, today)
    if period.start and period.start > end:
        return ParticipationChart(points=[])
    window_start = end - timedelta(days=MAX_CHART_DAYS - 1)
    start = max(period.start, window_start) if period.start else window_start
    clipped = period.start is None or period.start < window_start
    rows = (
        visibility.participation_seen(viewer, organisation)
        .filter(day__gte=start, day__lte=end, answers__gt=0)
        .values("day")
        .annotate(people=Count("id"), answer_sum=Sum("answers"))  # one row per person and day
        .order_by("day")
    )
    by_day = {row["day"]: (row["people"], row["answer_sum"] or 0) for row in rows}
    if period.start is None and by_day:
        start = min(by_day)
    if not by_day:
        return ParticipationChart(points=[], clipped=clipped)
    points = [
        DayPoint(day, *by_day.get(day, (0, 0)))
        for day in (start + timedelta(days=offset) for offset in range((end - start).days + 1))
    ]
    return ParticipationChart(points=points, clipped=clipped)


# --- The people list -----------------------------------------------------------------------------------


@dataclass
class PersonRow:
    user_id: int
    username: str
    name: str
    organisation: str
    days: int = 0  # study days with an answer in the range
    answers: int = 0
    credit: float = 0.0
    finished: int = 0
    last_day: date | None = None
    assignments: int = 0  # assignment attempts started (all time)
    assignments_completed: int = 0
    assignment_credit: float = 0.0
    assignment_questions: int = 0

    @property
    def participated(self) -> bool:
        return self.answers > 0

    @property
    def average(self) -> int | None:
        return _percent(self.credit, self.answers)

    @property
    def assignment_score(self) -> int | None:
        """100 × Σ credit ÷ Σ questions over the assignment attempts, as the group report counts it."""
        return _percent(self.assignment_credit, self.assignment_questions)


@dataclass
class PeoplePage:
    organisation: Organisation
    period: ActivityRange
    direct: bool  # only the people attached to the organisation itself
    who: str  # "", "yes" (participated in the range) or "no"
    count: int
    page: int
    page_count: int
    rows: list[PersonRow]

    def query(self, **changes: object) -> str:
        from urllib.parse import urlencode

        params: dict[str, object] = {"direct": "1" if self.direct else "", "who": self.who, "page": ""}
        params.update(changes)
        extra = urlencode({key: value for key, value in params.items() if value})
        return "&".join(part for part in (self.period.query(), extra) if part)

    @property
    def previous_query(self) -> str | None:
        return self.query(page=self.page - 1) if self.page > 1 else None

    @property
    def next_query(self) -> str | None:
        return self.query(page=self.page + 1) if self.page < self.page_count else None


def people_page(
    *,
    viewer: User,
    organisation: Organisation,
    period: ActivityRange,
    direct: bool = False,
    who: str = "",
    page: int = 1,
) -> PeoplePage:
    """The people of `organisation`'s subtree (or attached to it directly), by name, a page at a time,
    with their participation over the period and their assignment results (not their mastery: it
    comes from their practice). Four queries whatever the size: the count, the page, the activity and
    the assignments of the page's people grouped by person."""
    people = visibility.people_seen_by_manager(viewer, organisation)
    if direct:
        people = people.filter(organisation=organisation)
    if who in ("yes", "no"):
        took_part = Exists(
            visibility.participation_seen(viewer, organisation).filter(
                user_id=OuterRef("user_id"), answers__gt=0, **period.day_filter()
            )
        )
        people = people.filter(took_part if who == "yes" else ~took_part)
    else:
        who = ""
    count = people.count()  # 1
    page_count = max(1, math.ceil(count / PEOPLE_PAGE_SIZE))
    page = min(max(1, page), page_count)
    start = (page - 1) * PEOPLE_PAGE_SIZE
    profiles: list[Profile] = list(
        people.select_related("user", "organisation").order_by("display_name", "user__username", "pk")[
            start : start + PEOPLE_PAGE_SIZE
        ]
    )  # 2
    rows = {
        p.user_id: PersonRow(
            user_id=p.user_id,
            username=p.user.get_username(),
            name=display_name(p.user),
            organisation=p.organisation.name if p.organisation else "",
        )
        for p in profiles
    }
    ids = list(rows)
    activity = (
        visibility.participation_seen(viewer, organisation)
        .filter(user_id__in=ids, **period.day_filter())
        .values("user_id")
        .annotate(
            days=Count("id", filter=Q(answers__gt=0)),
            answer_sum=Sum("answers"),
            credit_sum=Sum("credit"),
            finished_sum=Sum("finished"),
            last=Max("day", filter=Q(answers__gt=0)),
        )
        .order_by()
    )
    for entry in activity if ids else []:  # 3
        row = rows[entry["user_id"]]
        row.days = entry["days"]
        row.answers = entry["answer_sum"] or 0
        row.credit = entry["credit_sum"] or 0.0
        row.finished = entry["finished_sum"] or 0
        row.last_day = entry["last"]
    results = (
        visibility.assignment_results_seen(viewer, organisation)
        .filter(user_id__in=ids)
        .values("user_id")
        .annotate(
            n=Count("id"),
            completed=Count("id", filter=Q(answered_count__gte=F("question_count"))),
            credit_sum=Sum("credit"),
            questions=Sum("question_count"),
        )
        .order_by()
    )
    for entry in results if ids else []:  # 4
        row = rows[entry["user_id"]]
        row.assignments = entry["n"]
        row.assignments_completed = entry["completed"]
        row.assignment_credit = entry["credit_sum"] or 0.0
        row.assignment_questions = entry["questions"] or 0
    return PeoplePage(
        organisation=organisation,
        period=period,
        direct=direct,
        who=who,
        count=count,
        page=page,
        page_count=page_count,
        rows=[rows[p.user_id] for p in profiles],
    )


# --- One person ------------------------------------------------------------------------------------------

PERSON_DAYS_SHOWN = 60


@dataclass
class PersonReport:
    profile: Profile
    name: str
    period: ActivityRange
    figures: Figures
    active_days: int  # study days with an answer in the period
    days: list[DailyActivity]  # the latest days with activity in the period, newest first
    assignments: list[Attempt]  # assignment attempts only (all time), newest first


def person_report(*, viewer: User, organisation: Organisation, profile: Profile, period: ActivityRange) -> PersonReport:
    """One person of `organisation`'s subtree (from visibility.person_seen_by_manager): participation
    over the period, by day, and their assignment results — nothing of their practice, their mastery
    included (it is shown per organisation). Three queries."""
    seen = visibility.participation_seen(viewer, organisation).filter(user_id=profile.user_id, **period.day_filter())
    totals = seen.aggregate(
        days=Count("id", filter=Q(answers__gt=0)),
        answer_sum=Sum("answers"),
        correct_sum=Sum("correct"),
        credit_sum=Sum("credit"),
        finished_sum=Sum("finished"),
    )  # 1
    figures = Figures(
        enrolled=1,
        participated=1 if totals["days"] else 0,
        answers=totals["answer_sum"] or 0,
        correct=totals["correct_sum"] or 0,
        credit=totals["credit_sum"] or 0.0,
        finished=totals["finished_sum"] or 0,
    )
    days = list(seen.order_by("-day")[:PERSON_DAYS_SHOWN])  # 2
    assignments = list(
        visibility.assignment_results_seen(viewer, organisation)
        .filter(user_id=profile.user_id)
        .select_related("assignment__group")
        .order_by("-started_at", "-id")
    )  # 3
    return PersonReport(
        profile=profile,
        name=display_name(profile.user),
        period=period,
        figures=figures,
        active_days=totals["days"],
        days=days,
        assignments=assignments,
    )
