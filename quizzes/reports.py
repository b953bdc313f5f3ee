"""Reports on a study group for its trainers: the member table, the mastery heatmap, the per-question
analysis and the scores over time. Every selector here costs a fixed number of queries, whatever the
size of the group: the counting happens in the database, grouped by member, question or day.

What the numbers mean
---------------------
Assignments in view
    The group's assignments, or only the one chosen in the report (`?assignment=ID`).
Score (得分)
    100 × Σ credit ÷ Σ questions over the member's attempts at the assignments in view, in whole
    percent. Unanswered questions of a started attempt count 0; assignments not started do not
    count (see completion). None (shown “—”) when the member started none.
Completion (完成)
    Attempts with every question answered ÷ assignments in view that have opened, in whole percent.
    The state is “done” when all of them are complete, “none” when the member has started none of
    them, and “partial” otherwise. None when no assignment in view has opened yet.
Last active (最近活跃)
    The member's latest answer anywhere (practice included).
Mastery by task (掌握度)
    As on the learner's dashboard (quizzes/progress.py): mastered points ÷ points under the task,
    a point being mastered when its latest answer was right and FSRS's `stable_until ≥ now`.
Per-question analysis (逐题分析)
    Over the answers given on the chosen assignment, on all the group's assignments
    (`?assignment=all`), or, with none chosen, over every answer of the group's members.
    Correct share = fully right answers ÷ answers. Common wrong answers: the wrong blanks'
    texts normalised as checking.normalize() does (a fill-in), the option chosen (single choice),
    the wrong pairings (matching), most frequent first. Discrimination = correct share among the
    answers of the top third of members minus that of the bottom third, members ranked by their
    total credit over the same answers (ties by user id); a third is ⌊n/3⌋ members, so it needs at
    least three members with answers, and a question answered by both thirds.
Scores over time (得分走势)
    The mean credit (×100) of the answers given each study day (Asia/Shanghai), or each week once the
    answers span more than 60 days.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from studyapp.documents import selectors as documents
from studyapp.documents.models import Node
from studyapp.documents.selectors import OutlineEntry
from studyapp.people.models import Membership, Profile, StudyGroup, display_name

from .checking import normalize
from .models import Answer, Assignment, Attempt, PointState, Question
from .progress import NO_POINTS, STUDY_TIMEZONE, Mastery

SORT_KEYS = ("name", "score", "completion", "active")
STATE_CHOICES = [("done", _lazy("已完成")), ("partial", _lazy("未完成")), ("none", _lazy("未开始"))]
STATES = tuple(value for value, _label in STATE_CHOICES)
PAGE_SIZE = 100
WEEKLY_AFTER_DAYS = 60
COMMON_WRONG = 3


# --- What the trainer asked for ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFilter:
    """The report's query parameters, checked: sort=name|score|completion|active (a leading “-” sorts
    descending), role=cadre|member, state=done|partial|none, q=name or login, assignment=ID|all, page."""

    sort: str = "name"
    descending: bool = False
    role: str = ""
    state: str = ""
    q: str = ""
    assignment: str = ""
    page: int = 1

    @classmethod
    def from_query(cls, data: QueryDict | dict) -> ReportFilter:
        sort = str(data.get("sort", "") or "name")
        descending = sort.startswith("-")
        sort = sort.lstrip("-")
        role = str(data.get("role", ""))
        state = str(data.get("state", ""))
        assignment = str(data.get("assignment", ""))
        try:
            page = max(1, int(data.get("page", 1)))
        except (TypeError, ValueError):
            page = 1
        return cls(
            sort=sort if sort in SORT_KEYS else "name",
            descending=descending and sort in SORT_KEYS,
            role=role if role in Profile.Role.values else "",
            state=state if state in STATES else "",
            q=str(data.get("q", "")).strip()[:50],
            assignment=assignment if assignment == "all" or assignment.isdigit() else "",
            page=page,
        )

    @property
    def sort_param(self) -> str:
        return ("-" if self.descending else "") + self.sort

    def query(self, **changes: Any) -> str:
        """The query string of this filter with `changes`, without defaults."""
        current = replace(self, **changes)
        params = {
            "sort": current.sort_param if current.sort_param != "name" else "",
            "role": current.role,
            "state": current.state,
            "q": current.q,
            "assignment": current.assignment,
            "page": current.page if current.page > 1 else "",
        }
        return urlencode({key: value for key, value in params.items() if value})

    def sorted_by(self, key: str) -> str:
        """The query that sorts by `key`: ascending first (descending for numbers), toggled when it already is."""
        if self.sort == key:
            return self.query(descending=not self.descending, page=1)
        return self.query(sort=key, descending=key != "name", page=1)


# --- The member table and the heatmap ----------------------------------------------------------------


@dataclass(frozen=True)
class TaskColumn:
    node: Node
    total: int  # points under the task

    @property
    def short_label(self) -> str:
        return (
            f"（{self.node.number}）" if self.node.kind == Node.Kind.TASK and self.node.number else self.node.text[:4]
        )


@dataclass
class MemberRow:
    user_id: int
    username: str
    name: str
    role: str
    role_label: str
    organisation: str
    credit: float = 0.0
    questions: int = 0
    started: int = 0
    completed: int = 0
    due: int = 0  # assignments in view that have opened
    last_active: datetime | None = None
    mastery: list[Mastery] = field(default_factory=list)

    @property
    def score(self) -> int | None:
        return round(100 * self.credit / self.questions) if self.questions else None

    @property
    def completion(self) -> int | None:
        return round(100 * min(self.completed, self.due) / self.due) if self.due else None

    @property
    def state(self) -> str:
        if self.due and self.completed >= self.due:
            return "done"
        if not self.started:
            return "none"
        return "partial"

    @property
    def state_label(self) -> str:
        return str(dict(STATE_CHOICES)[self.state])

    @property
    def overall(self) -> Mastery:
        """Mastery of the whole document: the tasks' points pooled."""
        return sum(self.mastery, NO_POINTS)

    @property
    def heat(self) -> list[tuple[Mastery, int]]:
        """Each task's mastery with its colour step 0–10 (the CSS classes .heat-0 … .heat-10)."""
        return [(mastery, heat_step(mastery)) for mastery in self.mastery]


def heat_step(mastery: Mastery) -> int:
    """0–10: the mastery percent in steps of ten (a point or more mastered is never step 0)."""
    if not mastery.mastered:
        return 0
    return max(1, min(10, round(mastery.percent / 10)))


@dataclass
class MemberReport:
    group: StudyGroup
    filter: ReportFilter
    assignments: list[Assignment]  # all of the group's, for the chooser
    chosen: Assignment | None
    tasks: list[TaskColumn]
    rows: list[MemberRow]  # every member matching the filter, sorted
    member_count: int  # members of the group, unfiltered

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(len(self.rows) / PAGE_SIZE))

    @property
    def page(self) -> int:
        return min(self.filter.page, self.page_count)

    @property
    def page_rows(self) -> list[MemberRow]:
        start = (self.page - 1) * PAGE_SIZE
        return self.rows[start : start + PAGE_SIZE]

    @property
    def sort_queries(self) -> dict[str, str]:
        """For each sortable column, the query its header links to."""
        return {key: self.filter.sorted_by(key) for key in SORT_KEYS}

    @property
    def aria_sort(self) -> dict[str, str]:
        """aria-sort of each sortable column: "ascending", "descending" or "none"."""
        direction = "descending" if self.filter.descending else "ascending"
        return {key: direction if key == self.filter.sort else "none" for key in SORT_KEYS}

    @property
    def previous_query(self) -> str | None:
        return self.filter.query(page=self.page - 1) if self.page > 1 else None

    @property
    def next_query(self) -> str | None:
        return self.filter.query(page=self.page + 1) if self.page < self.page_count else None


def group_members(group: StudyGroup) -> QuerySet[Membership]:
    """The group's learners (not its trainers)."""
    return Membership.objects.learners().filter(group=group)


def member_report(*, group: StudyGroup, filter: ReportFilter, now: datetime | None = None) -> MemberReport:
    """One row per learner of `group` matching `filter`, sorted as asked: score and completion on the
    assignments in view, last activity and mastery by task. Eight queries, whatever the group's size."""
    now = now or timezone.now()
    assignments = list(Assignment.objects.filter(group=group).order_by("-opens_at", "-id"))
    chosen = next((a for a in assignments if str(a.pk) == filter.assignment), None)
    in_view = [chosen] if chosen else assignments
    due = sum(1 for a in in_view if a.opens_at <= now)

    memberships = group_members(group).select_related("user__profile__organisation")
    if filter.role:
        memberships = memberships.filter(user__profile__role=filter.role)
    if filter.q:
        memberships = memberships.filter(
            Q(user__username__icontains=filter.q)
            | Q(user__profile__display_name__icontains=filter.q)
            | Q(user__last_name__icontains=filter.q)
            | Q(user__first_name__icontains=filter.q)
        )
    rows: dict[int, MemberRow] = {}
    for membership in memberships:  # query: the members with their profiles
        user = membership.user
        profile = getattr(user, "profile", None)
        rows[user.pk] = MemberRow(
            user_id=user.pk,
            username=user.get_username(),
            name=display_name(user),
            role=profile.role if profile else "",
            role_label=profile.get_role_display() if profile else "",
            organisation=str(profile.organisation) if profile and profile.organisation else "",
            due=due,
        )
    member_ids = group_members(group).values("user_id")

    in_view_q = Q(assignment=chosen) if chosen else Q(assignment__group=group)
    totals = (
        Attempt.objects.filter(user__in=member_ids)
        .values("user_id")
        .annotate(
            last_active=Max("last_answer_at"),
            credit=Sum("credit", filter=in_view_q),
            questions=Sum("question_count", filter=in_view_q),
            started=Count("id", filter=in_view_q),
            completed=Count("id", filter=in_view_q & Q(answered_count__gte=F("question_count"))),
        )
        .order_by()
    )
    for total in totals:  # query: attempts summed per member
        row = rows.get(total["user_id"])
        if row is None:
            continue
        row.last_active = total["last_active"]
        row.credit = total["credit"] or 0.0
        row.questions = total["questions"] or 0
        row.started = total["started"]
        row.completed = total["completed"]

    tasks, mastery = task_mastery_by_member(member_ids=member_ids, now=now)  # four queries
    for row in rows.values():
        row.mastery = mastery.get(row.user_id) or [Mastery(0, task.total) for task in tasks]

    selected = [row for row in rows.values() if not filter.state or row.state == filter.state]
    return MemberReport(
        group=group,
        filter=filter,
        assignments=assignments,
        chosen=chosen,
        tasks=tasks,
        rows=sort_rows(selected, filter.sort, descending=filter.descending),
        member_count=group_members(group).count(),  # query
    )


def sort_rows(rows: Iterable[MemberRow], key: str, *, descending: bool = False) -> list[MemberRow]:
    """Rows by `key`; members without a value (no score, nothing due, never active) always come last."""
    by_name = sorted(rows, key=lambda row: (row.name, row.username, row.user_id))
    if key == "name":
        return by_name[::-1] if descending else by_name
    value = {
        "score": lambda row: row.score,
        "completion": lambda row: row.completion,
        "active": lambda row: row.last_active,
    }[key]
    known = [row for row in by_name if value(row) is not None]
    unknown = [row for row in by_name if value(row) is None]
    # sorted() is stable: equal values stay in name order either way.
    return sorted(known, key=value, reverse=descending) + unknown


def task_mastery_by_member(*, member_ids: QuerySet | Sequence[int], now: datetime) -> tuple[list[TaskColumn], dict]:
    """The tasks of the active version (as progress.task_mastery() lists them) and, by user id, each
    member's Mastery of each task: four queries — the version, its outline, its lines, and the
    members' mastered points counted per member and task in the database."""
    version = documents.active_version()
    if version is None:
        return [], {}
    outline = documents.document_outline(version)
    lines = Node.objects.filter(version=version, kind__in=Node.LINE_KINDS).values_list("parent_id", "text_key")
    direct: dict[int, Counter[str]] = defaultdict(Counter)
    for parent_id, text_key in lines:
        direct[parent_id][text_key] += 1

    def subtree(entry: OutlineEntry) -> Counter[str]:
        keys = Counter(direct.get(entry.node.pk, Counter()))
        for child in entry.children:
            keys.update(subtree(child))
        return keys

    columns: list[tuple[TaskColumn, Counter[str]]] = []
    for part in outline:
        tasks = [child for child in part.children if child.node.kind == Node.Kind.TASK]
        for entry in tasks or [part]:
            keys = subtree(entry)
            if keys:
                columns.append((TaskColumn(entry.node, sum(keys.values())), keys))
    if not columns:
        return [], {}

    # A line's text may occur more than once in a task; each occurrence is a point, as in progress.py.
    annotations = {}
    for index, (_column, keys) in enumerate(columns):
        by_count: dict[int, list[str]] = defaultdict(list)
        for key, count in keys.items():
            by_count[count].append(key)
        whens = [When(point_text_key__in=sorted(group), then=Value(count)) for count, group in by_count.items()]
        annotations[f"task{index}"] = Sum(Case(*whens, default=Value(0), output_field=IntegerField()))
    all_keys = sorted({key for _column, keys in columns for key in keys})
    counts = (
        PointState.objects.filter(user__in=member_ids, point_text_key__in=all_keys)
        .mastered_at(now)
        .values("user_id")
        .annotate(**annotations)
        .order_by()
    )
    tasks = [column for column, _keys in columns]
    mastery = {
        row["user_id"]: [Mastery(row[f"task{index}"] or 0, task.total) for index, task in enumerate(tasks)]
        for row in counts
    }
    return tasks, mastery


def task_means(report: MemberReport) -> list[Mastery]:
    """The group's mastery of each task over the rows shown: all their points pooled."""
    totals = [NO_POINTS] * len(report.tasks)
    for row in report.rows:
        totals = [total + mastery for total, mastery in zip(totals, row.mastery, strict=True)]
    return totals


# --- Per-question analysis ---------------------------------------------------------------------------


@dataclass
class QuestionStat:
    question: Question
    answers: int
    correct: int
    top_share: float | None
    bottom_share: float | None
    wrong_answers: list[tuple[str, int]] = field(default_factory=list)

    @property
    def correct_share(self) -> float:
        return self.correct / self.answers if self.answers else 0.0

    @property
    def correct_percent(self) -> int:
        return round(100 * self.correct_share)

    @property
    def discrimination(self) -> float | None:
        if self.top_share is None or self.bottom_share is None:
            return None
        return round(self.top_share - self.bottom_share, 2)


@dataclass
class QuestionAnalysis:
    questions: list[QuestionStat]  # hardest (lowest correct share) first
    ranked_members: int  # members with answers, ranked for discrimination
    third: int  # members in the top (and in the bottom) third


def analysed_answers(*, group: StudyGroup, assignment: str = "") -> QuerySet[Answer]:
    """The answers a report analyses: on one of the group's assignments (`assignment` its id), on all
    of them ("all"), or (`""`) every answer of the group's members."""
    answers = Answer.objects.filter(attempt_question__attempt__user__in=group_members(group).values("user_id"))
    if assignment == "all":
        return answers.filter(attempt_question__attempt__assignment__group=group)
    if assignment:
        return answers.filter(
            attempt_question__attempt__assignment__group=group, attempt_question__attempt__assignment_id=assignment
        )
    return answers


def question_analysis(*, group: StudyGroup, assignment: str = "") -> QuestionAnalysis:
    """Per question: answers, correct share, the most common wrong answers and the discrimination
    between the top and bottom thirds of members. Four queries."""
    answers = analysed_answers(group=group, assignment=assignment)
    user = F("attempt_question__attempt__user_id")
    question = F("attempt_question__question_id")

    totals = answers.values(member=user).annotate(total=Sum("credit")).order_by()
    ranking = sorted(((row["total"] or 0.0, row["member"]) for row in totals), key=lambda r: (-r[0], r[1]))
    third = len(ranking) // 3
    top = [member for _total, member in ranking[:third]]
    bottom = [member for _total, member in ranking[len(ranking) - third :]] if third else []

    right = Q(is_correct=True)
    stats = (
        answers.values(question_id=question)
        .annotate(
            n=Count("id"),
            right=Count("id", filter=right),
            top_n=Count("id", filter=Q(attempt_question__attempt__user_id__in=top)),
            top_right=Count("id", filter=right & Q(attempt_question__attempt__user_id__in=top)),
            bottom_n=Count("id", filter=Q(attempt_question__attempt__user_id__in=bottom)),
            bottom_right=Count("id", filter=right & Q(attempt_question__attempt__user_id__in=bottom)),
        )
        .order_by()
    )
    stats = list(stats)
    questions = Question.objects.in_bulk([row["question_id"] for row in stats])
    wrong: dict[int, Counter[str]] = defaultdict(Counter)
    wrong_rows = (
        answers.filter(is_correct=False)
        .values("given", "marks", question_id=question)
        .annotate(n=Count("id"))
        .order_by()
    )
    normalised: dict[str, str] = {}
    for row in wrong_rows:
        found = questions.get(row["question_id"])
        if found is not None:
            for text in wrong_answer_texts(found, row["given"], row["marks"], normalised):
                wrong[found.pk][text] += row["n"]

    result = []
    for row in stats:
        found = questions.get(row["question_id"])
        if found is None:
            continue
        result.append(
            QuestionStat(
                question=found,
                answers=row["n"],
                correct=row["right"],
                top_share=row["top_right"] / row["top_n"] if row["top_n"] else None,
                bottom_share=row["bottom_right"] / row["bottom_n"] if row["bottom_n"] else None,
                wrong_answers=sorted(wrong[found.pk].items(), key=lambda item: (-item[1], item[0]))[:COMMON_WRONG],
            )
        )
    result.sort(key=lambda stat: (stat.correct_share, -stat.answers, stat.question.position, stat.question.pk))
    return QuestionAnalysis(questions=result, ranked_members=len(ranking), third=third)


def wrong_answer_texts(question: Question, given: Any, marks: Sequence[Any], cache: dict[str, str]) -> list[str]:
    """The wrong parts of one answer, as the analysis counts them: each wrong blank's normalised text
    (“（空）” when left empty, numbered when the question has several blanks), the chosen option of a
    single choice, each wrong pairing “left → right” of a matching question."""
    marks = list(marks or [])
    texts = []
    if question.type == Question.Type.CLOZE:
        several = len(question.blanks) > 1
        for index, text in enumerate(given if isinstance(given, list) else []):
            if index < len(marks) and marks[index]:
                continue
            if text not in cache:
                cache[text] = normalize(str(text))
            shown = cache[text] or _("（空）")
            texts.append(_("第%(number)d空：%(text)s") % {"number": index + 1, "text": shown} if several else shown)
    elif question.type == Question.Type.CHOICE:
        if isinstance(given, int) and 0 <= given < len(question.choices):
            texts.append(question.choices[given])
    else:
        pairs = question.pairs
        for index, choice in enumerate(given if isinstance(given, list) else []):
            if index < len(marks) and marks[index]:
                continue
            if isinstance(choice, int) and 0 <= choice < len(pairs) and index < len(pairs):
                texts.append(f"{pairs[index][0]} → {pairs[choice][1]}")
    return texts


# --- Scores over time --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScorePoint:
    day: date  # the day, or the Monday of the week
    mean: float  # 0–100
    answers: int


@dataclass
class ScoreChart:
    points: list[ScorePoint]
    weekly: bool
    width: int = 320
    height: int = 160
    left: int = 30
    right: int = 10
    top: int = 10
    bottom: int = 24

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> int:
        return self.height - self.top - self.bottom

    def _x(self, day: date) -> float:
        first, last = self.points[0].day, self.points[-1].day
        span = (last - first).days
        if not span:
            return self.left + self.plot_width / 2
        return round(self.left + self.plot_width * (day - first).days / span, 1)

    def _y(self, value: float) -> float:
        return round(self.top + self.plot_height * (1 - value / 100), 1)

    @property
    def dots(self) -> list[tuple[float, float, ScorePoint]]:
        return [(self._x(point.day), self._y(point.mean), point) for point in self.points]

    @property
    def polyline(self) -> str:
        return " ".join(f"{x},{y}" for x, y, _point in self.dots)

    @property
    def gridlines(self) -> list[tuple[float, int]]:
        return [(self._y(value), value) for value in (0, 50, 100)]

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def axis_label_x(self) -> int:
        return self.left - 4

    @property
    def label_y(self) -> int:
        return self.height - 6


class StudyDate(TruncDate):
    """The Asia/Shanghai date of a datetime, in SQL.

    On SQLite, Django converts time zones with a Python function called once per row (a second per
    100,000 answers); China keeps one offset all year (UTC+8, no summer time), so SQLite's own
    date() with that offset gives the same day, in the database's time. Elsewhere: TruncDate.
    """

    def __init__(self, expression: str) -> None:
        super().__init__(expression, tzinfo=STUDY_TIMEZONE)

    def as_sqlite(self, compiler, connection, **extra_context):
        offset = timezone.now().astimezone(STUDY_TIMEZONE).utcoffset()
        hours = int(offset.total_seconds() // 3600) if offset else 0
        sql, params = compiler.compile(self.lhs)
        # Django stores aware datetimes on SQLite as UTC text "YYYY-MM-DD HH:MM:SS[.ffffff]".
        return f"date({sql}, '{hours:+d} hours')", params


def score_timeline(*, group: StudyGroup, assignment: str = "") -> ScoreChart:
    """The mean score of the analysed answers per study day, or per week past 60 days: one query."""
    rows = (
        analysed_answers(group=group, assignment=assignment)
        .annotate(day=StudyDate("answered_at"))
        .values("day")
        .annotate(mean=Avg("credit"), n=Count("id"))
        .order_by("day")
    )
    points = [ScorePoint(row["day"], round(100 * row["mean"], 1), row["n"]) for row in rows]
    weekly = bool(points) and (points[-1].day - points[0].day).days > WEEKLY_AFTER_DAYS
    if weekly:
        weeks: dict[date, list[ScorePoint]] = defaultdict(list)
        for point in points:
            weeks[point.day - timedelta(days=point.day.weekday())].append(point)
        points = [
            ScorePoint(
                monday,
                round(sum(p.mean * p.answers for p in week) / sum(p.answers for p in week), 1),
                sum(p.answers for p in week),
            )
            for monday, week in sorted(weeks.items())
        ]
    return ScoreChart(points=points, weekly=weekly)
