"""Reads of a study group's quizzes: what a trainer picks from and sees of them, and what a learner
sees of theirs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import Count, F, Q
from django.utils import timezone

from studyapp.people.models import StudyGroup

from .. import bank, visibility
from ..models import Assignment, Attempt, Question


def assignment_candidates(*, scope: str, scope_key: str = "", question_type: str = Attempt.Mix.MIXED) -> list[Question]:
    """Every active question a trainer may pick for a fixed assignment, in bank order: one query (the
    whole bank of the seed document is a few hundred questions, a page the phone lists at once)."""
    questions, _label = bank.scope_questions(scope=scope, scope_key=scope_key, question_type=question_type)
    return list(questions.order_by("position", "id"))


def learner_assignment(user: User, pk: int) -> Assignment:
    """Assignment `pk` if `user` is a learner in its group; Assignment.DoesNotExist otherwise."""
    return Assignment.objects.for_learner(user).select_related("group").get(pk=pk)


@dataclass(frozen=True)
class LearnerAssignment:
    assignment: Assignment
    status: str  # "upcoming", "open" or "closed"
    attempt: Attempt | None
    seconds_left: int | None  # of a started, unfinished attempt with a deadline

    @property
    def attempt_closed(self) -> bool:
        return self.attempt is not None and (self.attempt.is_finished or self.seconds_left == 0)


def learner_assignments(user: User, now: datetime | None = None) -> dict[str, list[LearnerAssignment]]:
    """The assignments of the learner's groups with their own attempt, by status: open ones closing
    soonest first, upcoming ones opening soonest first, closed ones latest first. Two queries."""
    now = now or timezone.now()
    assignments = list(Assignment.objects.for_learner(user).select_related("group"))
    attempts = {
        attempt.assignment_id: attempt
        for attempt in Attempt.objects.for_user(user).filter(assignment__in=[a.pk for a in assignments])
    }
    result: dict[str, list[LearnerAssignment]] = {"open": [], "upcoming": [], "closed": []}
    for assignment in assignments:
        attempt = attempts.get(assignment.pk)
        if attempt is not None:
            attempt.assignment = assignment  # what the page asks quizzes/reveal.py about, loaded once
        status = assignment.status_at(now)
        left = attempt.seconds_left(now) if attempt is not None and not attempt.is_finished else None
        result[status].append(LearnerAssignment(assignment, status, attempt, left))
    result["open"].sort(key=lambda row: row.assignment.closes_at)
    result["upcoming"].sort(key=lambda row: row.assignment.opens_at)
    result["closed"].sort(key=lambda row: row.assignment.closes_at, reverse=True)
    return result


@dataclass(frozen=True)
class AssignmentRow:
    assignment: Assignment
    status: str
    started: int
    completed: int


def group_assignment_rows(viewer: User, group: StudyGroup, now: datetime | None = None) -> list[AssignmentRow]:
    """The group's assignments, latest opening first, with how many of its learners started and
    completed each (completed: every question answered), counted over the attempts `viewer` sees
    (quizzes/visibility.py: a group's assignment work is seen whole, of its learners only: not of
    people only invited, nor of those who left). One query."""
    now = now or timezone.now()
    seen = visibility.attempts_seen(viewer, group).filter(assignment__group=group).values("pk")
    in_group = Q(attempts__in=seen)
    rows = Assignment.objects.filter(group=group).annotate(
        started=Count("attempts", filter=in_group),
        completed=Count("attempts", filter=in_group & Q(attempts__answered_count__gte=F("attempts__question_count"))),
    )
    return [AssignmentRow(a, a.status_at(now), a.started, a.completed) for a in rows.order_by("-opens_at", "-id")]


def member_assignment_rows(
    viewer: User, group: StudyGroup, user: User, now: datetime | None = None
) -> list[LearnerAssignment]:
    """The group's assignments with its learner `user`'s attempt at each, as `viewer` sees them
    (quizzes/visibility.py: a group's assignment work is seen whole), latest opening first: two queries."""
    now = now or timezone.now()
    assignments = list(Assignment.objects.filter(group=group).order_by("-opens_at", "-id"))
    seen = visibility.attempts_seen(viewer, group)
    attempts = {a.assignment_id: a for a in seen.filter(user=user, assignment__in=assignments)}
    rows = []
    for assignment in assignments:
        attempt = attempts.get(assignment.pk)
        left = attempt.seconds_left(now) if attempt is not None and not attempt.is_finished else None
        rows.append(LearnerAssignment(assignment, assignment.status_at(now), attempt, left))
    return rows
