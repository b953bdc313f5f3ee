"""Reads of a learner's progress: mastery per topic and task, due points, streak, recent quizzes.

Mastery
-------
A point (a line of the document: 要点, paragraph or “要”) is *mastered* when the learner's latest
answer on it was right and FSRS's predicted probability of recalling it (retrievability) is still
at least 90%. FSRS defines a memory's stability S as the number of days until retrievability falls
to 90%, so this is `last_rating ≥ Hard and now ≤ last_review + S`, stored as `stable_until`: a plain
datetime comparison the database can count. The mastery of a topic or task is the share of its
points that are mastered, in whole percent; a point never answered is not mastered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from studyapp.documents.models import DocumentVersion, Node
from studyapp.documents.selectors import OutlineEntry, active_version, document_outline

from .models import Answer, Attempt, PointState

# Study days are calendar days in China, wherever the server runs.
STUDY_TIMEZONE = ZoneInfo("Asia/Shanghai")
STREAK_WINDOW_DAYS = 400


def study_day(moment: datetime | None = None) -> date:
    """The Asia/Shanghai calendar day of `moment` (now by default)."""
    return timezone.localtime(moment or timezone.now(), STUDY_TIMEZONE).date()


def end_of_study_day(moment: datetime | None = None) -> datetime:
    """Midnight at the end of `moment`'s study day: what is due before it is due today."""
    return datetime.combine(study_day(moment) + timedelta(days=1), time.min, tzinfo=STUDY_TIMEZONE)


@dataclass(frozen=True)
class Mastery:
    mastered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.mastered / self.total) if self.total else 0

    def __add__(self, other: Mastery) -> Mastery:
        return Mastery(self.mastered + other.mastered, self.total + other.total)


NO_POINTS = Mastery(0, 0)


def mastered_points(user: AbstractBaseUser, now: datetime | None = None) -> QuerySet[PointState]:
    """The learner's point states that count as mastered at `now`."""
    return PointState.objects.for_user(user).mastered_at(now or timezone.now())


def mastery_by_parent(
    *, user: AbstractBaseUser, version: DocumentVersion, now: datetime | None = None
) -> dict[int, Mastery]:
    """Mastered and total points under each heading that holds points directly, by heading id: one query."""
    mastered = mastered_points(user, now).filter(point_text_key=OuterRef("text_key"))
    rows = (
        Node.objects.filter(version=version, kind__in=Node.LINE_KINDS)
        .values("parent_id")
        .annotate(total=Count("id"), mastered=Count("id", filter=Exists(mastered)))
        .order_by()
    )
    return {row["parent_id"]: Mastery(row["mastered"], row["total"]) for row in rows}


def heading_mastery(
    *, user: AbstractBaseUser, version: DocumentVersion, outline: list[OutlineEntry], now: datetime | None = None
) -> dict[int, Mastery]:
    """Mastery of every heading of `outline` (parts, tasks, topics), by node id, with its subtree's points."""
    direct = mastery_by_parent(user=user, version=version, now=now)
    result: dict[int, Mastery] = {}

    def walk(entry: OutlineEntry) -> Mastery:
        total = direct.get(entry.node.pk, NO_POINTS)
        for child in entry.children:
            total = total + walk(child)
        result[entry.node.pk] = total
        return total

    for entry in outline:
        walk(entry)
    return result


@dataclass(frozen=True)
class TaskMastery:
    node: Node
    mastery: Mastery


def task_mastery(outline: list[OutlineEntry], mastery: dict[int, Mastery]) -> list[TaskMastery]:
    """One row per task, in document order; a part without tasks but with points counts as one."""
    rows = []
    for part in outline:
        tasks = [child for child in part.children if child.node.kind == Node.Kind.TASK]
        for entry in tasks or [part]:
            if mastery.get(entry.node.pk, NO_POINTS).total:
                rows.append(TaskMastery(entry.node, mastery[entry.node.pk]))
    return rows


def learner_task_mastery(user: AbstractBaseUser) -> list[TaskMastery]:
    """`user`'s mastery of each task of the active version (none before any import)."""
    version = active_version()
    if version is None:
        return []
    outline = document_outline(version)
    return task_mastery(outline, heading_mastery(user=user, version=version, outline=outline))


def due_count(user: AbstractBaseUser, now: datetime | None = None) -> int:
    """Points whose next review falls before the end of today."""
    return PointState.objects.for_user(user).due_by(end_of_study_day(now)).count()


def streak_days(user: AbstractBaseUser, now: datetime | None = None) -> int:
    """Consecutive study days with at least one answer, ending today, or yesterday if nothing yet today."""
    today = study_day(now)
    since = datetime.combine(today - timedelta(days=STREAK_WINDOW_DAYS), time.min, tzinfo=STUDY_TIMEZONE)
    days = set(
        Answer.objects.filter(attempt_question__attempt__user=user, answered_at__gte=since)
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


def recent_attempts(user: AbstractBaseUser, limit: int = 5) -> list[Attempt]:
    """The learner's latest quizzes, newest first."""
    return list(Attempt.objects.for_user(user).order_by("-started_at", "-id")[:limit])
