"""Starting quizzes: practice, reviews, deadline reviews, retries of wrong questions and assignment
attempts (attempt_create), each with its questions drawn and laid out."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from studyapp.documents.models import Node
from studyapp.documents.selectors import active_outline

from .. import activity, bank, progress, reveal, today
from ..core.picking import Candidate, pick_for_points, pick_questions, shuffled_order
from ..core.rules import MAX_QUIZ_LENGTH, end_of_study_day
from ..models import Assignment, Attempt, AttemptQuestion, PointState, Question

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
    candidates = [Candidate(id, type, source_key) for id, type, source_key, _keys in _questions_on(due_keys)]
    chosen = pick_questions(candidates, length=length, mixed=True, rng=rng)
    if not chosen:
        raise ValidationError(_("到期的要点暂时没有可用的题目。"))
    return _review_create(user=user, question_ids=chosen, rng=rng, label=_("到期要点"))


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
    candidates = [(id, keys) for id, _type, _source, keys in _questions_on(set(at_risk))]
    chosen = pick_for_points(candidates, at_risk, length=length, rng=rng)
    if not chosen:
        raise ValidationError(_("这些要点暂时没有可用的题目。"))
    label = _("%(title)s · 截止前复习") % {"title": assignment.title}
    return _review_create(user=user, question_ids=chosen, rng=rng, label=label)


def _questions_on(points: set[str]) -> list[tuple[int, str, str, list[str]]]:
    """The active questions on any of `points` (text keys): id, type, source key and their points."""
    return [
        (id, type, source_key, keys or [])
        for id, type, source_key, keys in Question.objects.active().values_list(
            "id", "type", "source_key", "source_text_keys"
        )
        if points.intersection(keys or ())
    ]


def _review_create(*, user: User, question_ids: list[int], rng: random.Random | None, label: str) -> Attempt:
    """A review quiz of `question_ids` over the whole document, its kinds mixed, named `label`."""
    return attempt_create(
        user=user,
        question_ids=question_ids,
        rng=rng,
        kind=Attempt.Kind.REVIEW,
        scope=Attempt.Scope.DOCUMENT,
        scope_label=label,
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
