"""An attempt whose time ran out: its unanswered questions recorded once as timed out (超时) and the
attempt finished at its deadline."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from .. import activity
from ..models import Answer, Attempt, AttemptQuestion


def attempt_close_if_expired(*, attempt: Attempt, now: datetime | None = None) -> bool:
    """Finish `attempt` if its deadline has passed, its unanswered questions recorded as timed out
    (attempt_time_out); True when it is closed now, whether by this call or before. No query while
    it is open."""
    now = now or timezone.now()
    if attempt.finished_at is not None:
        return True
    if not attempt.is_closed_at(now):
        return False
    attempt_time_out(attempt=attempt, now=now)
    return True


def attempt_time_out(*, attempt: Attempt, now: datetime | None = None) -> int:
    """When `attempt`'s time is up (its deadline, the start plus the time limit or the closing time,
    has passed) and it is not finished: record each unanswered question as a timed-out answer
    (超时: given nothing, wrong, credit 0, at the deadline; no review of the points' memory) and
    finish the attempt at its deadline, with its counters and the day's aggregates, in one
    transaction. Returns how many answers it recorded: 0 when there was nothing to do, or another
    request did it first (the first to finish the attempt records them, once). `attempt` is
    refreshed when something changed."""
    now = now or timezone.now()
    if attempt.finished_at is not None or attempt.deadline is None or now <= attempt.deadline:
        return 0
    try:
        with transaction.atomic():
            recorded = attempt_time_out_writes(attempt.pk, now)
    except IntegrityError:
        recorded = 0  # an answer to one of the questions went in meanwhile: that request finished it
    attempt.refresh_from_db(
        fields=["answered_count", "correct_count", "credit", "finished_at", "last_answer_at", "deadline"]
    )
    return recorded


def attempts_time_out(attempts: QuerySet[Attempt], now: datetime | None = None) -> int:
    """Time out every attempt of `attempts` whose time is up and that is not finished (pages that
    count finished attempts read them after this): one query when there are none. Returns how
    many attempts it finished."""
    now = now or timezone.now()
    expired = list(attempts.filter(finished_at__isnull=True, deadline__lt=now).order_by("pk"))
    finished = 0
    for attempt in expired:
        attempt_time_out(attempt=attempt, now=now)
        finished += int(attempt.finished_at is not None)
    return finished


def attempt_time_out_writes(attempt_id: int, now: datetime) -> int:
    """attempt_time_out's writes, in the caller's transaction. The UPDATE that finishes the attempt
    comes first: it is the lock (a second request waits for it, then finds the attempt finished and
    records nothing), and an answer's own UPDATE refuses an attempt past its deadline."""
    finished = Attempt.objects.filter(pk=attempt_id, finished_at__isnull=True, deadline__lt=now).update(
        finished_at=F("deadline")
    )
    if not finished:
        return 0
    attempt = Attempt.objects.get(pk=attempt_id)
    assert attempt.deadline is not None
    unanswered = list(
        AttemptQuestion.objects.filter(attempt_id=attempt_id, answer__isnull=True).values_list("pk", flat=True)
    )
    Answer.objects.bulk_create(
        [
            Answer(
                attempt_question_id=item_id,
                given=[],  # nothing was given
                marks=[],
                credit=0.0,
                is_correct=False,
                timed_out=True,
                answered_at=attempt.deadline,
            )
            for item_id in unanswered
        ]
    )
    if unanswered:
        Attempt.objects.filter(pk=attempt_id).update(answered_count=F("answered_count") + len(unanswered))
    # The finished quiz on the day of the deadline, as activity_computed() counts it; the questions
    # left unanswered are no answers given (not in the daily goal, 作答次数 or participation).
    activity.activity_finished(user_id=attempt.user_id, finished_at=attempt.deadline)
    return len(unanswered)
