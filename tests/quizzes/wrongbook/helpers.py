"""Answers given at chosen moments, for the wrong-answer book's tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from quizzes import services
from quizzes.models import Answer, Assignment, Attempt, Question
from tests import factories
from tests.support import right_answer, wrong_answer


def answered(
    user,
    question: Question,
    *,
    right: bool = False,
    given: Any = None,
    at: datetime | None = None,
    assignment: Assignment | None = None,
) -> Answer:
    """`user` answers `question` (right, wrong, or `given`) at `at` in a quiz of its own: a practice
    quiz, or their attempt at `assignment`."""
    kind = Attempt.Kind.ASSIGNMENT if assignment else Attempt.Kind.PRACTICE
    attempt = services.attempt_create(user=user, question_ids=[question.pk], kind=kind, assignment=assignment)
    item = attempt.items.select_related("question", "attempt").get()
    if given is None:
        given = right_answer(question) if right else wrong_answer(question)
    return services.answer_submit(item=item, user=user, given=given, now=at or timezone.now()).answer


def assignment_closing(closes_at: datetime) -> Assignment:
    """An assignment (of a group of its own) open a day before `closes_at` until then."""
    return factories.AssignmentFactory(opens_at=closes_at - timedelta(days=1), closes_at=closes_at)
