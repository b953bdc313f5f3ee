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
`task_columns()` or `heading_columns()`, so no two of them can disagree. The dashboard's weakest
topic is the topic of lowest mastery by the same count.

On track for a deadline
-----------------------
A point is *on track* for a deadline when it would still be mastered then: its latest answer was
right and FSRS's retrievability at the deadline (core.scheduling.retrievability) is at least 90%.
A point never answered is not on track. `on_track_at()` counts them and lists the others, weakest
(lowest retrievability at the deadline) first.

Study days and the daily goal
-----------------------------
Days are study days (Asia/Shanghai, the site's time zone: core.rules.study_day), read from the
daily aggregates (models.DailyActivity). The streak counts consecutive days with at least one
answer; a day *meets the goal* when its answers reach the learner's daily goal as it is now.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Case, Count, IntegerField, Min, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from studyapp.documents.models import DocumentVersion, Node
from studyapp.documents.selectors import OutlineEntry, active_outline, flatten
from studyapp.documents.signals import HeadingProgress

from .core import scheduling
from .core.rules import STUDY_TIMEZONE as STUDY_TIMEZONE  # re-exported: pages and tests read days by it
from .core.rules import end_of_study_day, study_day
from .models import Attempt, DailyActivity, PointState

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


@dataclass(frozen=True)
class LearnerMastery:
    """What the dashboard shows of mastery: each task, and the topic of lowest mastery (None
    without topics), where the learner gains most from a practice quiz."""

    tasks: list[TaskMastery]
    weakest_topic: TaskMastery | None


def learner_overview(user: User, now: datetime | None = None) -> LearnerMastery:
    """`user`'s mastery of each task and their weakest topic (lowest share mastered; the first in
    document order of equals), counted together: three queries."""
    outline = active_outline()
    tasks = task_columns(outline)
    topics = [column for column in heading_columns(outline) if column.node.kind == Node.Kind.TOPIC]
    found = learner_mastery(user=user, columns=[*tasks, *topics], now=now)
    by_task = [TaskMastery(column.node, mastery) for column, mastery in zip(tasks, found[: len(tasks)], strict=True)]
    by_topic = [TaskMastery(column.node, mastery) for column, mastery in zip(topics, found[len(tasks) :], strict=True)]
    return LearnerMastery(by_task, weakest_topic(by_topic))


def weakest_topic(topics: Sequence[TaskMastery]) -> TaskMastery | None:
    """The topic of lowest mastery (share of its points mastered); the first of equals."""
    return min(topics, key=lambda row: row.mastery.mastered / row.mastery.total, default=None)


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


# --- Due points -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueOutlook:
    """Points due for review by the end of today, and when the earliest of the learner's points
    falls due (None when they have answered nothing yet)."""

    due: int
    next_due: datetime | None


def due_outlook(user: User, now: datetime | None = None) -> DueOutlook:
    """How many points are due by the end of today, and the next due time: one query."""
    end = end_of_study_day(now or timezone.now())
    found = PointState.objects.for_user(user).aggregate(
        due_today=Count("pk", filter=Q(due__lte=end)), first_due=Min("due")
    )
    return DueOutlook(found["due_today"], found["first_due"])


# --- On track for a deadline --------------------------------------------------------------------------


@dataclass(frozen=True)
class OnTrack:
    """Of `total` points (a line twice in the scope is two), `on_track` would still be mastered at the
    deadline; `at_risk`: the other points' text keys, each once, weakest first."""

    on_track: int
    total: int
    at_risk: list[str]


def point_recall_at(state: PointState | None, moment: datetime) -> float:
    """The chance the point is still mastered at `moment`: FSRS's retrievability then, 0 for a point
    never answered or answered wrong last."""
    if state is None or state.last_rating < PointState.RIGHT_RATING_MIN:
        return 0.0
    return scheduling.retrievability(state.card, moment)


def points_on_track(states: Mapping[str, PointState], points: Iterable[str], moment: datetime) -> OnTrack:
    """The rule over states already read: a point is on track when point_recall_at(moment) ≥ 90%.
    Equally weak points keep the order of `points`."""
    counts: Counter[str] = Counter(points)
    recall = {key: point_recall_at(states.get(key), moment) for key in counts}
    kept = {key for key, value in recall.items() if value >= scheduling.TARGET_RETENTION}
    order = {key: index for index, key in enumerate(counts)}
    at_risk = sorted((key for key in counts if key not in kept), key=lambda key: (recall[key], order[key]))
    return OnTrack(sum(counts[key] for key in kept), counts.total(), at_risk)


def on_track_each(user: User, scopes: Sequence[tuple[Iterable[str], datetime]]) -> list[OnTrack]:
    """`user`'s OnTrack for each (points, deadline) of `scopes`: one query (none without scopes)."""
    scopes = [(list(points), moment) for points, moment in scopes]
    keys = {key for points, _moment in scopes for key in points}
    if not keys:
        return [OnTrack(0, 0, []) for _scope in scopes]
    states = {
        state.point_text_key: state
        for state in PointState.objects.for_user(user)
        .filter(point_text_key__in=sorted(keys))
        .only("point_text_key", "card", "last_rating")
    }
    return [points_on_track(states, points, moment) for points, moment in scopes]


def on_track_at(user: User, points: Iterable[str], moment: datetime) -> OnTrack:
    """Which of `points` (text keys) `user` would still have mastered at `moment`: one query."""
    return on_track_each(user, [(points, moment)])[0]


# --- Study days: streak and daily goal ----------------------------------------------------------------


def answers_by_day(user: User, now: datetime | None = None) -> dict[date, int]:
    """Answers per study day with any, over the last STREAK_WINDOW_DAYS days: one query."""
    today = study_day(now or timezone.now())
    rows = DailyActivity.objects.filter(
        user=user, day__gte=today - timedelta(days=STREAK_WINDOW_DAYS), day__lte=today, answers__gt=0
    ).values_list("day", "answers")
    return dict(rows)


def streak_from(days: Mapping[date, int], today: date) -> int:
    """Consecutive days with at least one answer, ending today, or yesterday if nothing yet today."""
    day = today if days.get(today) else today - timedelta(days=1)
    streak = 0
    while days.get(day):
        streak += 1
        day -= timedelta(days=1)
    return streak


def streak_days(user: User, now: datetime | None = None) -> int:
    """Consecutive study days with at least one answer, ending today, or yesterday if nothing yet today."""
    now = now or timezone.now()
    return streak_from(answers_by_day(user, now), study_day(now))


@dataclass(frozen=True)
class GoalDay:
    day: date
    answers: int
    goal: int
    is_today: bool
    is_future: bool

    @property
    def met(self) -> bool:
        return not self.is_future and self.answers >= self.goal


@dataclass(frozen=True)
class DailyGoal:
    """Today's answers against the goal, the streak, and this week (Monday to Sunday) day by day."""

    goal: int
    today: int
    streak: int
    week: list[GoalDay]

    @property
    def met_today(self) -> bool:
        return self.today >= self.goal

    @property
    def remaining(self) -> int:
        return max(0, self.goal - self.today)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.today / self.goal)) if self.goal else 100

    @property
    def week_met(self) -> int:
        return sum(day.met for day in self.week)


def goal_from(days: Mapping[date, int], today: date, goal: int) -> DailyGoal:
    """The DailyGoal of answers per day `days` on `today`."""
    monday = today - timedelta(days=today.weekday())
    week = [
        GoalDay(day, days.get(day, 0), goal, is_today=day == today, is_future=day > today)
        for day in (monday + timedelta(days=offset) for offset in range(7))
    ]
    return DailyGoal(goal=goal, today=days.get(today, 0), streak=streak_from(days, today), week=week)


def daily_goal(user: User, goal: int, now: datetime | None = None) -> DailyGoal:
    """`user`'s progress towards answering `goal` questions a day: one query."""
    now = now or timezone.now()
    return goal_from(answers_by_day(user, now), study_day(now), goal)


# --- Recent quizzes -----------------------------------------------------------------------------------


def recent_attempts(user: User, limit: int = 5) -> list[Attempt]:
    """The learner's latest quizzes, newest first."""
    return list(Attempt.objects.for_user(user).select_related("assignment").order_by("-started_at", "-id")[:limit])
