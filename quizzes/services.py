"""Writes of the quiz: starting attempts, recording answers, moving points' memory state on."""

from __future__ import annotations

import copy
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from fsrs import Rating

from studyapp.documents.models import Node
from studyapp.documents.selectors import active_outline

from . import activity, bank, progress, step_reads, today
from .core import scheduling
from .core.checking import Check, MalformedAnswer
from .core.kinds import kind_of
from .core.picking import Candidate, pick_for_points, pick_questions
from .core.rules import MAX_QUIZ_LENGTH, end_of_study_day
from .models import Answer, Assignment, Attempt, AttemptQuestion, PointState, Question


@dataclass(frozen=True)
class Submission:
    answer: Answer
    created: bool  # False when the answer had been recorded already (a repeated submit)


class AttemptClosed(Exception):
    """The attempt takes no more answers: its time limit or closing time has passed. Nothing was recorded."""

    def __init__(self, attempt: Attempt) -> None:
        self.attempt = attempt
        super().__init__(_("作答时间已到：这次测验已经结束，这道题的答案没有被记录。"))


MAX_UNFINISHED_PRACTICE = 5  # a learner's unfinished practice, review and retry quizzes
SELF_STARTED_KINDS = (Attempt.Kind.PRACTICE, Attempt.Kind.REVIEW, Attempt.Kind.RETRY)


def attempt_start(
    *,
    user: User,
    scope: str = Attempt.Scope.DOCUMENT,
    scope_key: str = "",
    question_type: str = Attempt.Mix.MIXED,
    length: int = 10,
    rng: random.Random | None = None,
) -> Attempt:
    """Start a practice quiz of `length` active questions of `question_type` from `scope`.

    Raises ValidationError when the scope is unknown or holds no such questions. Beyond
    MAX_UNFINISHED_PRACTICE unfinished practice (review, retry) quizzes without a deadline, the oldest
    are finished.
    """
    if not 1 <= length <= MAX_QUIZ_LENGTH:
        raise ValidationError(_("题数应在 1 到 %(max)d 之间。") % {"max": MAX_QUIZ_LENGTH})
    if question_type not in Attempt.Mix.values:
        raise ValidationError(_("未知题型。"))
    chosen, label = bank.scope_draw(
        scope=scope, scope_key=scope_key, question_type=question_type, length=length, rng=rng
    )
    if not chosen:
        raise ValidationError(_("这个范围内还没有这种题型的题目。"))
    attempt = attempt_create(
        user=user,
        question_ids=chosen,
        rng=rng,
        kind=Attempt.Kind.PRACTICE,
        scope=scope,
        scope_key=scope_key if scope != Attempt.Scope.DOCUMENT else "",
        scope_label=label,
        question_type=question_type,
    )
    # At most a few quizzes of one's own stay open: the oldest unfinished ones are finished as they
    # stand (their unanswered questions stay unanswered). Timed ones and assignments are left alone.
    stale = list(
        Attempt.objects.filter(user=user, kind__in=SELF_STARTED_KINDS, finished_at__isnull=True, deadline__isnull=True)
        .order_by("-started_at", "-id")
        .values_list("pk", flat=True)[MAX_UNFINISHED_PRACTICE:]
    )
    if stale:
        with transaction.atomic():
            finished_at = timezone.now()
            closed = Attempt.objects.filter(pk__in=stale, finished_at__isnull=True).update(finished_at=finished_at)
            activity.activity_finished(user_id=user.pk, finished_at=finished_at, count=closed)
    return attempt


def attempt_start_review(
    *, user: User, length: int = 10, now: datetime | None = None, rng: random.Random | None = None
) -> Attempt:
    """Start a quiz from the questions on the learner's points that are due by the end of today.

    Raises ValidationError when nothing is due or no active question covers a due point.
    """
    now = now or timezone.now()
    due_keys = set(
        PointState.objects.for_user(user).due_by(end_of_study_day(now)).values_list("point_text_key", flat=True)
    )
    if not due_keys:
        raise ValidationError(_("今天没有需要复习的要点。"))
    candidates = [
        Candidate(id, type, source_key)
        for id, type, source_key, keys in Question.objects.active().values_list(
            "id", "type", "source_key", "source_text_keys"
        )
        if due_keys.intersection(keys or ())
    ]
    chosen = pick_questions(candidates, length=length, mixed=True, rng=rng)
    if not chosen:
        raise ValidationError(_("到期的要点暂时没有可用的题目。"))
    return attempt_create(
        user=user,
        question_ids=chosen,
        rng=rng,
        kind=Attempt.Kind.REVIEW,
        scope=Attempt.Scope.DOCUMENT,
        scope_label=_("到期要点"),
        question_type=Attempt.Mix.MIXED,
    )


DEADLINE_REVIEW_LENGTH = 20  # the longest quiz the start form offers


def attempt_start_deadline_review(
    *,
    user: User,
    assignment: Assignment,
    length: int = DEADLINE_REVIEW_LENGTH,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> Attempt:
    """Start a review quiz on exactly the points of `assignment`'s scope that `user` would no longer
    have mastered at its closing time (progress.on_track_at), weakest first, one question a point.

    Raises PermissionDenied unless `user` is a learner in the assignment's group, and
    ValidationError when the assignment is not open or every point of it is on track.
    """
    now = now or timezone.now()
    if not Assignment.objects.for_learner(user).filter(pk=assignment.pk).exists():
        raise PermissionDenied
    if assignment.status_at(now) != "open":
        raise ValidationError(_("这次测验不在开放时间内。"))
    points = today.assignment_points([assignment], active_outline())[assignment.pk]
    at_risk = progress.on_track_at(user, points, assignment.closes_at).at_risk
    if not at_risk:
        raise ValidationError(_("这次测验的要点到截止时都记得住，暂时不用复习。"))
    wanted = set(at_risk)
    candidates = [
        (id, keys)
        for id, keys in Question.objects.active().values_list("id", "source_text_keys")
        if wanted.intersection(keys or ())
    ]
    chosen = pick_for_points(candidates, at_risk, length=length, rng=rng)
    if not chosen:
        raise ValidationError(_("这些要点暂时没有可用的题目。"))
    return attempt_create(
        user=user,
        question_ids=chosen,
        rng=rng,
        kind=Attempt.Kind.REVIEW,
        scope=Attempt.Scope.DOCUMENT,
        scope_label=_("%(title)s · 截止前复习") % {"title": assignment.title},
        question_type=Attempt.Mix.MIXED,
    )


def attempt_retry_wrong(*, attempt: Attempt, user: User, rng: random.Random | None = None) -> Attempt:
    """Start a new attempt with exactly the questions answered wrongly (not fully right) in `attempt`."""
    if attempt.user_id != user.pk:
        raise PermissionDenied
    wrong = list(
        attempt.items.filter(answer__is_correct=False).order_by("position").values_list("question_id", flat=True)
    )
    if not wrong:
        raise ValidationError(_("这次练习没有答错的题目。"))
    return attempt_create(
        user=user,
        question_ids=wrong,
        rng=rng,
        kind=Attempt.Kind.RETRY,
        scope=attempt.scope,
        scope_key=attempt.scope_key,
        scope_label=attempt.scope_label,
        question_type=attempt.question_type,
        retry_of=attempt,
    )


@transaction.atomic
def attempt_create(
    *, user: User, question_ids: Sequence[int], rng: random.Random | None = None, **fields: Any
) -> Attempt:
    """An attempt of `user` at `question_ids`, in that order, each laid out by its kind (a matching
    question's shuffled column, the lines its pairs rate). `fields` are the Attempt's own (kind,
    scope, assignment, deadline…). The one place attempts are made: practice, review, retry and
    assignments all come here."""
    rng = rng or random.Random()
    attempt = Attempt(user=user, question_count=len(question_ids), **fields)
    attempt.full_clean(exclude=["user", "retry_of"])
    attempt.save()
    questions = Question.objects.in_bulk(question_ids)
    # The text of the lines some kinds lay out by, looked up once here so that answering stays a
    # constant number of queries.
    line_keys = {
        key for question in questions.values() if question.kind.needs_lines for key in question.source_text_keys or ()
    }
    lines = dict(
        Node.objects.active().studyable().filter(text_key__in=line_keys).values_list("text_key", "text")
        if line_keys
        else []
    )
    items = [
        AttemptQuestion(
            attempt=attempt,
            question_id=question_id,
            position=position,
            layout=questions[question_id].kind.layout(questions[question_id], rng, lines),
        )
        for position, question_id in enumerate(question_ids)
    ]
    AttemptQuestion.objects.bulk_create(items)
    return attempt


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
    try:
        submission = _answer_record(item=item, user=user, given=given, token=token, now=now or timezone.now())
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


@transaction.atomic
def _answer_record(*, item: AttemptQuestion, user: User, given: Any, token: str, now: datetime) -> Submission | None:
    # The common case, an open attempt of the user's: its counters move on in one UPDATE, which is
    # also the lock that serialises submits to it (so no counter update is lost), and matches only
    # an open attempt of this user; then the answer goes in. A second answer to the same question
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
    attempt = copy.copy(before)  # the read one stays as it was should this transaction roll back
    attempt.answered_count = counted.answered_count
    attempt.correct_count = counted.correct_count
    attempt.credit = counted.credit
    attempt.last_answer_at = now
    if counted.answered_count >= counted.question_count:
        attempt.finished_at = now
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
        if existing is not None:
            return Submission(answer=existing, created=False)
        # The deadline is read from the locked row: no answer slips in after it, however late the
        # request left the browser. The attempt ends at its deadline; the answer is dropped.
        _attempt_finish_at_deadline(attempt)
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


def attempt_close_if_expired(*, attempt: Attempt, now: datetime | None = None) -> bool:
    """Finish `attempt` if its deadline has passed (unanswered questions stay unanswered); True when
    it is closed now, whether by this call or before. No query while it is open."""
    now = now or timezone.now()
    if attempt.finished_at is not None:
        return True
    if not attempt.is_closed_at(now):
        return False
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        _attempt_finish_at_deadline(locked)
    attempt.finished_at = locked.finished_at
    return True


def _attempt_finish_at_deadline(attempt: Attempt) -> None:
    if attempt.finished_at is None and attempt.deadline is not None:
        attempt.finished_at = attempt.deadline
        attempt.save(update_fields=["finished_at"])
        activity.activity_finished(user_id=attempt.user_id, finished_at=attempt.deadline)


# No savepoint of its own: inside answer_submit it commits or rolls back with the answer.
@transaction.atomic(savepoint=False)
def points_review(
    *, user: User, ratings: dict[str, Rating], now: datetime, current: dict[str, PointState] | None = None
) -> list[PointState]:
    """Apply one review per point to the learner's memory states, in two statements whatever the
    count: the states read (and locked), then one upsert for new and known points alike. `current`:
    the states of exactly these points, read and locked in this transaction already."""
    if not ratings:
        return []
    if current is None:
        current = step_reads.point_states(user_id=user.pk, keys=sorted(ratings))
    rows = []
    for key, rating in sorted(ratings.items()):
        state = current.get(key)
        review = scheduling.review(
            card=state.card if state else None, rating=rating, now=now, card_id=scheduling.card_id(key)
        )
        rows.append(
            PointState(
                user=user,
                point_text_key=key,
                card=scheduling.json_card(review.card),
                due=review.due,
                stability=review.stability,
                stable_until=review.stable_until,
                last_rating=review.rating,
                last_review=now,
                reps=(state.reps if state else 0) + 1,
                lapses=(state.lapses if state else 0) + int(review.lapsed),
            )
        )
    step_reads.point_states_save(rows)
    return rows
