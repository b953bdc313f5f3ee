"""What the learner's dashboard shows of today: mastery by task and the weakest topic, what is due
for review (and when the next review falls due when nothing is), the daily goal with the streak, and
for each open group quiz whether the learner is on track to remember its points by the deadline.

Selectors only: the rules (mastery, on track, streak, goal) are asked of quizzes/progress.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from studyapp.documents.selectors import OutlineEntry, active_outline
from studyapp.people.models import DAILY_GOAL_DEFAULT

from . import progress
from .core.rules import STUDY_TIMEZONE, study_day
from .models import Assignment, Attempt, Question

# --- The dashboard ------------------------------------------------------------------------------------


def daily_goal_of(user: User) -> int:
    """The learner's goal of questions a day (the default without a profile; no query once the
    profile is loaded)."""
    profile = getattr(user, "profile", None)
    return profile.daily_goal if profile is not None else DAILY_GOAL_DEFAULT


def next_review_label(next_due: datetime, now: datetime) -> str:
    """When the next review falls due, in words: “明天 9:30”, “后天 9:30”, “3天后（3月4日）”."""
    local = next_due.astimezone(STUDY_TIMEZONE)
    days = (local.date() - study_day(now)).days
    clock = f"{local.hour}:{local.minute:02d}"
    if days <= 0:
        return _("今天 %(time)s") % {"time": clock}
    if days == 1:
        return _("明天 %(time)s") % {"time": clock}
    if days == 2:
        return _("后天 %(time)s") % {"time": clock}
    return _("%(days)d天后（%(month)d月%(day)d日）") % {"days": days, "month": local.month, "day": local.day}


@dataclass(frozen=True)
class LearnerToday:
    tasks: list[progress.TaskMastery]
    weakest_topic: progress.TaskMastery | None
    due: int
    next_due: datetime | None
    next_due_label: str  # "" when nothing has been answered yet
    goal: progress.DailyGoal


def learner_today(user: User, now: datetime | None = None) -> LearnerToday:
    """The dashboard's figures for `user`: five queries (the active version, its outline, mastery,
    due points, the days' answers), with the profile loaded by the page already."""
    now = now or timezone.now()
    mastery = progress.learner_overview(user, now)
    outlook = progress.due_outlook(user, now)
    return LearnerToday(
        tasks=mastery.tasks,
        weakest_topic=mastery.weakest_topic,
        due=outlook.due,
        next_due=outlook.next_due,
        next_due_label=next_review_label(outlook.next_due, now) if outlook.next_due else "",
        goal=progress.daily_goal(user, daily_goal_of(user), now),
    )


# --- Open group quizzes and their deadlines -----------------------------------------------------------


def assignment_points(assignments: Sequence[Assignment], outline: Sequence[OutlineEntry]) -> dict[int, list[str]]:
    """The points (text keys, a line twice in the scope twice) each assignment covers, by id: the
    lines under its scope's heading in the active outline (the whole document for its scope), or for a
    fixed question list the lines its questions are on. One query when any assignment is fixed."""
    headings = progress.heading_columns(outline)
    columns = {column.node.key: column for column in headings}
    roots = {entry.node.pk for entry in outline}
    document = [key for column in headings if column.node.pk in roots for key in column.points.elements()]
    fixed_ids = {pk for a in assignments if a.mode == Assignment.Mode.FIXED for pk in a.question_ids}
    question_keys = (
        dict(Question.objects.filter(pk__in=sorted(fixed_ids)).values_list("pk", "source_text_keys"))
        if fixed_ids
        else {}
    )
    found: dict[int, list[str]] = {}
    for assignment in assignments:
        if assignment.mode == Assignment.Mode.FIXED:
            keys = [key for pk in assignment.question_ids for key in question_keys.get(pk) or ()]
            found[assignment.pk] = list(dict.fromkeys(keys))
        elif assignment.scope == Attempt.Scope.DOCUMENT:
            found[assignment.pk] = document
        else:
            column = columns.get(assignment.scope_key)
            found[assignment.pk] = list(column.points.elements()) if column is not None else []
    return found


@dataclass(frozen=True)
class DeadlineStatus:
    """An open group quiz and whether the learner would remember its points at its closing time."""

    assignment: Assignment
    status: progress.OnTrack


def open_assignments(user: User, now: datetime) -> list[Assignment]:
    """The open assignments of `user`'s groups (as a learner), closing soonest first: one query."""
    return list(
        Assignment.objects.for_learner(user)
        .filter(opens_at__lte=now, closes_at__gt=now)
        .select_related("group")
        .order_by("closes_at", "pk")
    )


def learner_deadlines(user: User, now: datetime | None = None) -> list[DeadlineStatus]:
    """Each open assignment of `user`'s groups with how many of its points they would still have
    mastered at its closing time (progress.on_track_at's rule). One query without any; four with
    generated ones (the assignments, the active version, its outline, the learner's point states),
    one more with fixed question lists."""
    now = now or timezone.now()
    assignments = open_assignments(user, now)
    if not assignments:
        return []
    outline = active_outline() if any(a.mode == Assignment.Mode.GENERATED for a in assignments) else []
    points = assignment_points(assignments, outline)
    statuses = progress.on_track_each(user, [(points[a.pk], a.closes_at) for a in assignments])
    return [DeadlineStatus(a, status) for a, status in zip(assignments, statuses, strict=True)]
