"""Writes of the quiz: starting attempts, recording answers, moving points' memory state on."""

from __future__ import annotations

import copy
import random
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from fsrs import Rating

from studyapp.documents.models import Node
from studyapp.documents.selectors import active_outline

from . import activity, bank, progress, reveal, step_reads, today
from .core import scheduling
from .core.checking import Check, MalformedAnswer
from .core.kinds import kind_of
from .core.picking import Candidate, pick_for_points, pick_questions, shuffled_order
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
    if attempt.assignment_id is not None:  # asked of the attempt as it stands now
        attempt = Attempt.objects.select_related("assignment").get(pk=attempt.pk)
    if not reveal.answers_shown_for(attempt, timezone.now()):
        # Which questions were wrong is what a hidden assignment keeps to itself until then.
        raise ValidationError(_("这次测验的答案公布后，才能重做答错的题。"))
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
    """An attempt of `user` at `question_ids`, in that order, each laid out by its kind (the options'
    and a matching question's right column's shuffled order, the lines its pairs rate). `fields` are
    the Attempt's own (kind, scope, assignment, deadline…). The one place attempts are made:
    practice, review, retry and assignments all come here.

    The layouts are drawn from a generator seeded with the attempt's id, never from `rng` (the
    callers' generator, which drew the questions: accepted so that every caller passes its own), so
    that an attempt's layout can be drawn again; a retry's orders differ from those its question had
    in the attempt retried, wherever more than one order exists."""
    del rng
    attempt = Attempt(user=user, question_count=len(question_ids), **fields)
    attempt.full_clean(exclude=["user", "retry_of"])
    attempt.save()
    layout_rng = random.Random(f"layout:{attempt.pk}")
    retried = attempt.retry_of
    previous = (
        dict(retried.items.filter(question_id__in=question_ids).values_list("question_id", "layout"))
        if retried is not None
        else {}
    )
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
            layout=layout_reshuffled(
                questions[question_id].kind.layout(questions[question_id], layout_rng, lines),
                previous.get(question_id) or {},
                layout_rng,
            ),
        )
        for position, question_id in enumerate(question_ids)
    ]
    AttemptQuestion.objects.bulk_create(items)
    return attempt


SHUFFLED_ORDERS = ("choice_order", "right_order")  # the layout keys that are shuffled orders
RESHUFFLE_TRIES = 20


def layout_reshuffled(layout: dict[str, Any], previous: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """`layout` with each shuffled order that equals the one in `previous` drawn again until it
    differs (then, failing that, turned by one place): the same options in the same places on a
    retry would be remembered, not known."""
    for key in SHUFFLED_ORDERS:
        order, before = layout.get(key), previous.get(key)
        if not isinstance(order, list) or len(order) < 2 or order != before:
            continue
        for _try in range(RESHUFFLE_TRIES):
            order = shuffled_order(len(order), rng)
            if order != before:
                break
        else:
            order = order[1:] + order[:1]
        layout = {**layout, key: order}
    return layout


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
    attempt = copy.copy(before)  # the read one stays as it was
    attempt.answered_count = counted.answered_count
    attempt.correct_count = counted.correct_count
    attempt.credit = counted.credit
    attempt.last_answer_at = now
    if counted.answered_count >= counted.question_count:
        attempt.finished_at = now
    item.attempt = attempt
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
        if existing is not None and not existing.timed_out:
            return Submission(answer=existing, created=False)
        # The deadline is read from the locked row: no answer slips in after it, however late the
        # request left the browser. The attempt ends at its deadline, its unanswered questions
        # recorded as timed out; this answer is dropped.
        _attempt_time_out_now(attempt.pk, now)
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
            recorded = _attempt_time_out_now(attempt.pk, now)
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


def _attempt_time_out_now(attempt_id: int, now: datetime) -> int:
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
    rows = points_reviewed(user=user, ratings=ratings, now=now, current=current)
    step_reads.point_states_save(rows)
    return rows


def points_reviewed(
    *, user: User, ratings: dict[str, Rating], now: datetime, current: dict[str, PointState]
) -> list[PointState]:
    """The learner's states of the points rated, each after one review (unsaved), from their
    `current` states (a point without one is new)."""
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
    return rows
