"""Recording an answer: once, scored by its kind, with the attempt's counters, the day's aggregates and
the memory of the points it rates moved on in the same write (quizzes/step_reads.py holds the SQL)."""

from __future__ import annotations

import copy
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import activity, step_reads
from ..core.checking import Check, MalformedAnswer
from ..core.kinds import kind_of
from ..models import Answer, Attempt, AttemptQuestion, PointState
from .points import points_review, points_reviewed
from .timeouts import attempt_time_out_writes


@dataclass(frozen=True)
class Submission:
    answer: Answer
    created: bool  # False when the answer had been recorded already (a repeated submit)


class AttemptClosed(Exception):
    """The attempt takes no more answers: its time limit or closing time has passed. Nothing was recorded."""

    def __init__(self, attempt: Attempt) -> None:
        self.attempt = attempt
        super().__init__(_("作答时间已到：这次测验已经结束，这道题的答案没有被记录。"))


def answer_submit(
    *,
    item: AttemptQuestion,
    user: User,
    given: Any,
    token: str = "",
    now: datetime | None = None,
) -> Submission:
    """Record the answer to `item` once, score it, and update the memory of the points it covers.

    A repeated well-formed submit (same or different content) returns the answer recorded first,
    with `created=False`, and changes nothing. A malformed `given` raises MalformedAnswer and
    records nothing; another user's item raises PermissionDenied. An answer after the attempt's
    deadline (an assignment's time limit or closing time) raises AttemptClosed, records nothing and
    finishes the attempt.
    """
    now = now or timezone.now()
    try:
        submission = _answer_written(item=item, user=user, given=given, token=token, now=now)
        if submission is None:
            submission = _answer_record(item=item, user=user, given=given, token=token, now=now)
    except IntegrityError:
        # The question had been answered (a repeated or simultaneous submit): the first answer stands.
        existing = Answer.objects.filter(attempt_question=item).first()
        if existing is None:
            raise
        return Submission(answer=existing, created=False)
    if submission is None:
        # Raised only now, after the transaction that finished the attempt has committed.
        raise AttemptClosed(item.attempt)
    return submission


def _answer_written(*, item: AttemptQuestion, user: User, given: Any, token: str, now: datetime) -> Submission | None:
    """The common case on PostgreSQL, in one statement and no transaction: an open attempt of the
    user's, a well-formed answer, the point states read with the item (step_reads.item_with_answer).
    The answer, its time taken and the points' reviews are worked out from the attempt and states as
    read, and written only if neither changed since (step_reads.answer_write). None when this does not
    apply or something changed: _answer_record then records the answer in a transaction."""
    before = item.attempt
    if not step_reads.states_were_read(item) or before.user_id != user.pk or before.is_closed_at(now):
        return None
    question = item.question
    kind = kind_of(question.type)
    try:
        check = kind.check(question, given)
    except MalformedAnswer:
        return None
    elapsed = max(0.0, (now - (before.last_answer_at or before.started_at)).total_seconds())
    ratings = kind.ratings(question, check, elapsed, item.layout)
    read = step_reads.states_read(item, sorted(ratings))
    if read is None:
        return None
    answer = _answer_new(item=item, given=given, check=check, token=token, elapsed=elapsed, now=now)
    finished = before.answered_count + 1 >= before.question_count
    day = activity.answer_day(
        user_id=user.pk, answered_at=now, is_correct=check.is_correct, credit=check.credit, finished=finished
    )
    states = points_reviewed(user=user, ratings=ratings, now=now, current=read)
    # Inside a transaction (a caller's), a failed statement would spoil it: there it gets a savepoint.
    with transaction.atomic() if transaction.get_connection().in_atomic_block else nullcontext():
        counted = step_reads.answer_write(
            answer=answer, attempt=before, user_id=user.pk, day=day, states=states, read=read
        )
    if counted is None:
        return None
    item.attempt = _attempt_counted(before, counted, now)
    return Submission(answer=answer, created=True)


@transaction.atomic
def _answer_record(*, item: AttemptQuestion, user: User, given: Any, token: str, now: datetime) -> Submission | None:
    # In a transaction (SQLite always; PostgreSQL when _answer_written did not apply). The common
    # case, an open attempt of the user's: its counters move on in one UPDATE, which is also the lock
    # that serialises submits to it (so no counter update is lost), and matches only an open attempt
    # of this user; then the answer goes in. A second answer to the same question
    # fails on the one-to-one (answer_submit then returns the first), which costs no lookup. Anything
    # else (not the user's, closed, malformed) takes _answer_record_locked, in this transaction.
    question = item.question
    kind = kind_of(question.type)
    before = item.attempt  # as read with the item (quizzes.step_reads); the service may be handed any item
    if before.user_id != user.pk or before.is_closed_at(now):
        return _answer_record_locked(item=item, user=user, given=given, token=token, now=now)
    try:
        check = kind.check(question, given)
    except MalformedAnswer:
        return _answer_record_locked(item=item, user=user, given=given, token=token, now=now)
    # The points it rates do not depend on the time taken: their states are read (and locked) with
    # the UPDATE where the database takes both in one round trip.
    keys = sorted(kind.ratings(question, check, None, item.layout))
    counted, states = step_reads.attempt_count_answer(
        attempt_id=item.attempt_id,
        user_id=user.pk,
        now=now,
        correct=check.is_correct,
        credit=check.credit,
        point_keys=keys,
    )
    if counted is None:  # closed or finished since the item was read: nothing was changed
        return _answer_record_locked(item=item, user=user, given=given, token=token, now=now)
    if counted.answered_count == before.answered_count + 1:
        previous = before.last_answer_at or before.started_at
    else:  # another answer of this attempt was recorded since the item was read
        previous = step_reads.last_answer_time(attempt_id=item.attempt_id) or before.started_at
    elapsed = max(0.0, (now - previous).total_seconds())
    answer = _answer_new(item=item, given=given, check=check, token=token, elapsed=elapsed, now=now)
    step_reads.answer_insert(answer)  # IntegrityError when this question was answered meanwhile: all undone
    attempt = _attempt_counted(before, counted, now)
    return _answer_recorded(
        item=item, attempt=attempt, user=user, answer=answer, check=check, elapsed=elapsed, states=(keys, states)
    )


def _answer_record_locked(
    *, item: AttemptQuestion, user: User, given: Any, token: str, now: datetime
) -> Submission | None:
    """Record the answer on the attempt as locked and read now: what is left when the fast path of
    _answer_record does not apply (someone else's attempt, a closed one, a malformed answer)."""
    attempt = Attempt.objects.select_for_update().get(pk=item.attempt_id)
    if attempt.user_id != user.pk:
        raise PermissionDenied
    if attempt.is_closed_at(now):
        existing = Answer.objects.filter(attempt_question=item).first()
        if existing is not None and not existing.timed_out:
            return Submission(answer=existing, created=False)
        # The deadline is read from the locked row: no answer slips in after it, however late the
        # request left the browser. The attempt ends at its deadline, its unanswered questions
        # recorded as timed out; this answer is dropped.
        attempt_time_out_writes(attempt.pk, now)
        attempt.refresh_from_db()
        item.attempt = attempt
        return None
    question = item.question
    check = kind_of(question.type).check(question, given)
    elapsed = max(0.0, (now - (attempt.last_answer_at or attempt.started_at)).total_seconds())
    answer = _answer_new(item=item, given=given, check=check, token=token, elapsed=elapsed, now=now)
    answer.save()  # IntegrityError when this question was answered meanwhile: all of this is undone
    attempt.answered_count += 1
    attempt.correct_count += int(check.is_correct)
    attempt.credit += check.credit
    attempt.last_answer_at = now
    if attempt.answered_count >= attempt.question_count:
        attempt.finished_at = now
    attempt.save(update_fields=["answered_count", "correct_count", "credit", "last_answer_at", "finished_at"])
    return _answer_recorded(item=item, attempt=attempt, user=user, answer=answer, check=check, elapsed=elapsed)


def _answer_new(
    *, item: AttemptQuestion, given: Any, check: Check, token: str, elapsed: float, now: datetime
) -> Answer:
    answer = Answer(
        attempt_question=item,
        given=given,
        marks=check.marks,
        credit=check.credit,
        is_correct=check.is_correct,
        token=token[:64],
        elapsed_seconds=elapsed,
        answered_at=now,
    )
    answer.full_clean(exclude=["attempt_question"], validate_unique=False)
    return answer


def _answer_recorded(
    *,
    item: AttemptQuestion,
    attempt: Attempt,
    user: User,
    answer: Answer,
    check: Check,
    elapsed: float,
    states: tuple[list[str], dict[str, PointState] | None] | None = None,
) -> Submission:
    """What follows the answer and the attempt's counters, in their transaction."""
    now = answer.answered_at
    # The organisation reports' aggregates, in this transaction (one statement).
    activity.activity_answer(
        user_id=user.pk,
        answered_at=now,
        is_correct=check.is_correct,
        credit=check.credit,
        finished=attempt.finished_at is not None,
    )
    item.attempt = attempt
    question = item.question
    ratings = kind_of(question.type).ratings(question, check, elapsed, item.layout)
    # The states read with the counters (their keys, the states found), if they are of these points.
    current = states[1] if states is not None and states[0] == sorted(ratings) else None
    points_review(user=user, ratings=ratings, now=now, current=current)
    return Submission(answer=answer, created=True)


def _attempt_counted(before: Attempt, counted: step_reads.Counted, now: datetime) -> Attempt:
    """The attempt as the answer's write left it: a copy, so that the one read stays as it was should
    the transaction roll back."""
    attempt = copy.copy(before)
    attempt.answered_count = counted.answered_count
    attempt.correct_count = counted.correct_count
    attempt.credit = counted.credit
    attempt.last_answer_at = now
    if counted.answered_count >= counted.question_count:
        attempt.finished_at = now
    return attempt
