"""A learner's progress: the one mastery rule, due points, streak, recent quizzes.

Mastery
-------
A point (a line of the document: 要点, paragraph or “要”) is *mastered* when the learner's latest
answer on it was right and FSRS's predicted probability of recalling it (retrievability) is still
at least 90%. FSRS defines a memory's stability S as the number of days until retrievability falls
to 90%, so this is `last_rating ≥ Hard and now ≤ last_review + S`, stored as `stable_until`: a plain
datetime comparison the database can count (PointStateQuerySet.mastered_at). The mastery of a
heading is the share of the points under it that are mastered, in whole percent; a point never
answered is not mastered, and a line whose text occurs twice under a heading is two points.

Mastery is reported by task: each task of the document, and a part without tasks counts as one.

Every page that shows mastery — the learner's dashboard, the reader, a trainer's page for one
member, the group report — counts it with `mastery_by_member()`, over the headings of
`task_columns()` or `heading_columns()`, so no two of them can disagree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Case, IntegerField, QuerySet, Sum, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from studyapp.documents.models import DocumentVersion, Node
from studyapp.documents.selectors import OutlineEntry, active_outline, flatten
from studyapp.documents.signals import HeadingProgress

from .core.rules import STUDY_TIMEZONE, end_of_study_day, study_day, study_day_start
from .models import Answer, Attempt, PointState

STREAK_WINDOW_DAYS = 400


@dataclass(frozen=True)
class Mastery(HeadingProgress):
    """Points mastered of all the points under a heading (the figure the reader shows, too)."""

    def __add__(self, other: Mastery) -> Mastery:
        return Mastery(self.mastered + other.mastered, self.total + other.total)


NO_POINTS = Mastery(0, 0)


# --- The headings mastery is counted under -----------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A heading with the points under it (its whole subtree): text key → how many lines have it."""

    node: Node
    points: Counter[str]

    @property
    def total(self) -> int:
        return sum(self.points.values())

    @property
    def short_label(self) -> str:
        """A task's number “（一）”, or the first characters of a part's title."""
        return (
            f"（{self.node.number}）" if self.node.kind == Node.Kind.TASK and self.node.number else self.node.text[:4]
        )


def _subtree_points(entry: OutlineEntry, into: dict[int, Counter[str]]) -> Counter[str]:
    points = Counter(entry.line_keys)
    for child in entry.children:
        points.update(_subtree_points(child, into))
    into[entry.node.pk] = points
    return points


def heading_columns(outline: Sequence[OutlineEntry]) -> list[Column]:
    """Every heading of `outline` that has points under it, in document order."""
    points: dict[int, Counter[str]] = {}
    for entry in outline:
        _subtree_points(entry, points)
    return [Column(entry.node, points[entry.node.pk]) for entry in flatten(outline) if points[entry.node.pk]]


def task_columns(outline: Sequence[OutlineEntry]) -> list[Column]:
    """The headings mastery is reported by: each task, and a part without tasks as one; in order."""
    by_id = {column.node.pk: column for column in heading_columns(outline)}
    columns = []
    for part in outline:
        tasks = [child for child in part.children if child.node.kind == Node.Kind.TASK]
        columns += [by_id[entry.node.pk] for entry in tasks or [part] if entry.node.pk in by_id]
    return columns


# --- The count ---------------------------------------------------------------------------------------


def mastery_by_member(
    *, user_ids: QuerySet[Any] | Sequence[int], columns: Sequence[Column], now: datetime | None = None
) -> dict[int, list[Mastery]]:
    """Each member's Mastery of each column, by user id, counted in the database in one query (no
    query without columns). A member with nothing mastered is left out: every column at 0."""
    found = mastered_by(user_ids=user_ids, columns=columns, now=now)
    return {
        user_id: [Mastery(count, column.total) for count, column in zip(counts, columns, strict=True)]
        for user_id, counts in found.items()
    }


def mastered_by(
    *,
    user_ids: QuerySet[Any] | Sequence[int],
    columns: Sequence[Column],
    now: datetime | None = None,
    key: str = "user_id",
) -> dict[Any, list[int]]:
    """The points mastered under each column, summed per `key` of the people (their id, or e.g.
    "user__profile__organisation_id" for an organisation's figure): one query, by the rule above."""
    if not columns:
        return {}
    annotations = {}
    for index, column in enumerate(columns):
        by_count: dict[int, list[str]] = {}
        for text_key, count in column.points.items():
            by_count.setdefault(count, []).append(text_key)
        whens = [When(point_text_key__in=sorted(keys), then=Value(count)) for count, keys in by_count.items()]
        annotations[f"c{index}"] = Sum(Case(*whens, default=Value(0), output_field=IntegerField()))
    all_keys = sorted({text_key for column in columns for text_key in column.points})
    rows = (
        PointState.objects.filter(user__in=user_ids, point_text_key__in=all_keys)
        .mastered_at(now or timezone.now())
        .values(key)
        .annotate(**annotations)
        .order_by()
    )
    return {row[key]: [row[f"c{index}"] or 0 for index in range(len(columns))] for row in rows}


def learner_mastery(*, user: User, columns: Sequence[Column], now: datetime | None = None) -> list[Mastery]:
    """`user`'s Mastery of each column: one query."""
    found = mastery_by_member(user_ids=[user.pk], columns=columns, now=now).get(user.pk)
    return found or [Mastery(0, column.total) for column in columns]


@dataclass(frozen=True)
class TaskMastery:
    node: Node
    mastery: Mastery


def learner_task_mastery(user: User, now: datetime | None = None) -> list[TaskMastery]:
    """`user`'s mastery of each task of the active version (none before any import): three queries."""
    columns = task_columns(active_outline())
    mastery = learner_mastery(user=user, columns=columns, now=now)
    return [TaskMastery(column.node, found) for column, found in zip(columns, mastery, strict=True)]


def heading_mastery(
    *, user: User, version: DocumentVersion, outline: list[OutlineEntry], now: datetime | None = None
) -> dict[int, Mastery]:
    """`user`'s mastery of every heading of `outline` (parts, tasks, topics) by node id: one query."""
    columns = heading_columns(outline)
    found = dict(zip((c.node.pk for c in columns), learner_mastery(user=user, columns=columns, now=now), strict=True))
    return {entry.node.pk: found.get(entry.node.pk, NO_POINTS) for entry in flatten(outline)}


def progress_on_reading(
    sender: Any, *, user: User, version: DocumentVersion, outline: list[OutlineEntry], **kwargs: Any
) -> dict[int, HeadingProgress]:
    """reader_opened (studyapp/documents/signals.py): the reader shows each heading's mastery."""
    return dict(heading_mastery(user=user, version=version, outline=outline))


# --- Due points, streak, recent quizzes ---------------------------------------------------------------


def due_count(user: User, now: datetime | None = None) -> int:
    """Points whose next review falls before the end of today."""
    return PointState.objects.for_user(user).due_by(end_of_study_day(now or timezone.now())).count()


def streak_days(user: User, now: datetime | None = None) -> int:
    """Consecutive study days with at least one answer, ending today, or yesterday if nothing yet today."""
    today = study_day(now or timezone.now())
    since = study_day_start(today - timedelta(days=STREAK_WINDOW_DAYS))
    days = set(
        Answer.objects.filter(attempt_question__attempt__user=user, answered_at__gte=since, timed_out=False)
        .annotate(day=TruncDate("answered_at", tzinfo=STUDY_TIMEZONE))
        .values_list("day", flat=True)
        .distinct()
    )
    day = today if today in days else today - timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak


def recent_attempts(user: User, limit: int = 5) -> list[Attempt]:
    """The learner's latest quizzes, newest first."""
    return list(Attempt.objects.for_user(user).select_related("assignment").order_by("-started_at", "-id")[:limit])
