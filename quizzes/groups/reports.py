"""The member table of a study group's report, for its trainers: score, completion, last activity
and mastery by task per member, and the heatmap. Every selector here costs a fixed number of
queries, whatever the size of the group: the counting happens in the database, grouped by member.

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
    The member's latest answer that the viewer sees (quizzes/visibility.py): at the group's
    assignments, or in practice begun since they joined the group.
Mastery by task (掌握度)
    The one rule of quizzes/progress.py, as on the learner's dashboard: mastered points ÷ points
    under the task, a point being mastered when its latest answer was right and FSRS's
    `stable_until ≥ now`. Current mastery is what trainers may see of it (quizzes/visibility.py).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db.models import (
    Count,
    F,
    Max,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone

from studyapp.documents import selectors as documents
from studyapp.people.models import Profile, StudyGroup

from .. import visibility
from ..models import Assignment
from ..progress import NO_POINTS, Column, Mastery, mastered_by, task_columns
from .filters import SORT_KEYS, STATE_CHOICES, ReportFilter

PAGE_SIZE = 100
STATE_LABELS = dict(STATE_CHOICES)  # lazy: translated when shown


# --- The member table and the heatmap ----------------------------------------------------------------


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
        return str(STATE_LABELS[self.state])

    @property
    def overall(self) -> Mastery:
        """Mastery of the whole document: the tasks' points pooled."""
        return sum(self.mastery, NO_POINTS)

    @property
    def heat(self) -> list[tuple[Mastery, int]]:
        """Each task's mastery with its colour step 0–10 (the CSS classes .heat-0 … .heat-10)."""
        return [(mastery, heat_step(mastery)) for mastery in self.mastery]

    @property
    def heat_cells(self) -> list[tuple[int, str, int]]:
        """The heatmap's cells of this row as the page shows them: (colour step, title, percent). Made
        here rather than in the template, which would look up five names per cell, a thousand cells a page."""
        return [
            (step, f"{self.name} · {mastery.mastered}/{mastery.total}", mastery.percent) for mastery, step in self.heat
        ]


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
    tasks: list[Column]
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


def member_report(
    *, viewer: User, group: StudyGroup, filter: ReportFilter, now: datetime | None = None
) -> MemberReport:
    """One row per learner of `group` matching `filter`, sorted as asked: score and completion on the
    assignments in view, last activity and mastery by task, as far as `viewer` sees them
    (quizzes/visibility.py). Seven queries, whatever the group's size."""
    now = now or timezone.now()
    assignments = list(Assignment.objects.filter(group=group).order_by("-opens_at", "-id"))
    chosen = next((a for a in assignments if str(a.pk) == filter.assignment), None)
    in_view = [chosen] if chosen else assignments
    due = sum(1 for a in in_view if a.opens_at <= now)

    memberships = visibility.learners(group)
    if filter.role:
        memberships = memberships.filter(user__profile__role=filter.role)
    if filter.q:
        memberships = memberships.filter(
            Q(user__username__icontains=filter.q)
            | Q(user__profile__display_name__icontains=filter.q)
            | Q(user__last_name__icontains=filter.q)
            | Q(user__first_name__icontains=filter.q)
        )
    # Plain values rather than model instances: at a thousand members, building a Membership, a User,
    # a Profile and an Organisation per row (and translating each role label) cost more than the query.
    role_labels = {value: str(label) for value, label in Profile.Role.choices}
    rows: dict[int, MemberRow] = {}
    for user_id, username, first, last, has_profile, shown, role, organisation in memberships.values_list(
        "user_id",
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__profile__id",
        "user__profile__display_name",
        "user__profile__role",
        "user__profile__organisation__name",
    ):  # query: the members with their profiles
        # As people.models.display_name(): the profile's name, else the full name, else the login.
        name = shown or f"{last}{first}".strip() or username
        rows[user_id] = MemberRow(
            user_id=user_id,
            username=username,
            name=name,
            role=role if has_profile else "",
            role_label=role_labels.get(role, role or "") if has_profile else "",
            organisation=organisation or "",
            due=due,
        )
    in_view_q = Q(assignment=chosen) if chosen else Q(assignment__group=group)
    totals = (
        visibility.attempts_seen(viewer, group)
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

    tasks, mastery = task_mastery_by_member(member_ids=visibility.mastery_user_ids(group), now=now)  # three
    nothing = [Mastery(0, task.total) for task in tasks]
    for row in rows.values():
        row.mastery = mastery.get(row.user_id) or list(nothing)

    selected = [row for row in rows.values() if not filter.state or row.state == filter.state]
    return MemberReport(
        group=group,
        filter=filter,
        assignments=assignments,
        chosen=chosen,
        tasks=tasks,
        rows=sort_rows(selected, filter.sort, descending=filter.descending),
        member_count=visibility.learners(group).count(),  # query
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


def task_mastery_by_member(*, member_ids: QuerySet[Any] | Sequence[int], now: datetime) -> tuple[list[Column], dict]:
    """The task columns of the active version and, by user id, each member's Mastery of each task,
    by the one rule of quizzes/progress.py: three queries — the version, its outline (with its
    lines), and the members' mastered points counted per member and task in the database."""
    columns = task_columns(documents.active_outline())
    # As progress.mastery_by_member(), with each column's total summed once rather than once per member
    # (a Column sums its points each time it is asked: at a thousand members, most of the report's time).
    totals = [column.total for column in columns]
    found = mastered_by(user_ids=member_ids, columns=columns, now=now)
    return columns, {
        user_id: [Mastery(count, total) for count, total in zip(counts, totals, strict=True)]
        for user_id, counts in found.items()
    }


def task_means(report: MemberReport) -> list[Mastery]:
    """The group's mastery of each task over the rows shown: all their points pooled."""
    # Summed as plain numbers: adding Mastery values makes a new one per member and task.
    mastered = [0] * len(report.tasks)
    points = [0] * len(report.tasks)
    for row in report.rows:
        for index, mastery in enumerate(row.mastery):
            mastered[index] += mastery.mastered
            points[index] += mastery.total
    return [Mastery(count, total) for count, total in zip(mastered, points, strict=True)]
