"""Writes of the quiz: starting attempts (starting.py), recording answers (answering.py), attempts
whose time ran out (timeouts.py), and the points' memory moved on (points.py). Callers import from
here."""

from .answering import AttemptClosed, Submission, answer_submit
from .points import points_review, points_reviewed
from .starting import (
    DEADLINE_REVIEW_LENGTH,
    MAX_UNFINISHED_PRACTICE,
    SELF_STARTED_KINDS,
    attempt_create,
    attempt_retry_wrong,
    attempt_start,
    attempt_start_deadline_review,
    attempt_start_review,
    layout_reshuffled,
)
from .timeouts import attempt_close_if_expired, attempt_time_out, attempts_time_out

__all__ = [
    "DEADLINE_REVIEW_LENGTH",
    "MAX_UNFINISHED_PRACTICE",
    "SELF_STARTED_KINDS",
    "AttemptClosed",
    "Submission",
    "answer_submit",
    "attempt_close_if_expired",
    "attempt_create",
    "attempt_retry_wrong",
    "attempt_start",
    "attempt_start_deadline_review",
    "attempt_start_review",
    "attempt_time_out",
    "attempts_time_out",
    "layout_reshuffled",
    "points_review",
    "points_reviewed",
]
