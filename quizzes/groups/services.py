"""Writes of a study group's quizzes: a trainer sets one, a member starts (or resumes) their one
attempt at it.

An assignment either fixes its questions (an ordered list of question ids picked from the bank) or
draws them for each member from a scope, type and size, as a practice quiz does. A member has at
most one attempt per assignment; it is taken with the ordinary quiz pages. The attempt's `deadline`
(the closing time, or the start plus the time limit if that comes first) is enforced by
quizzes.services.answer_submit().
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from studyapp.people.models import Membership, StudyGroup

from .. import bank, services
from ..core.rules import MAX_QUIZ_LENGTH
from ..models import Assignment, Attempt, Question

MAX_TIME_LIMIT_MINUTES = 600


@transaction.atomic
def assignment_create(
    *,
    group: StudyGroup,
    created_by: User | None,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    mode: str = Assignment.Mode.GENERATED,
    scope: str = Attempt.Scope.DOCUMENT,
    scope_key: str = "",
    question_type: str = Attempt.Mix.MIXED,
    length: int = 10,
    question_ids: Sequence[int] = (),
    time_limit_minutes: int | None = None,
    show_answers: str = Assignment.ShowAnswers.DEADLINE,
) -> Assignment:
    """Assign a quiz to `group`, open from `opens_at` until `closes_at`.

    `mode` "fixed" asks every member `question_ids`, in that order (active questions, no repeats);
    "generated" draws `length` questions of `question_type` from `scope` for each member when they
    start. `show_answers` says when the learners see right/wrong and the key (quizzes/reveal.py).
    Raises ValidationError for an empty or unknown scope or question list, a closing time not after
    the opening, a time limit outside 1–600 minutes, or an unknown `show_answers`.
    """
    if closes_at <= opens_at:
        raise ValidationError(_("截止时间必须晚于开放时间。"), code="window")
    if time_limit_minutes is not None and not 1 <= time_limit_minutes <= MAX_TIME_LIMIT_MINUTES:
        raise ValidationError(_("限时应在 1 到 %(max)d 分钟之间。") % {"max": MAX_TIME_LIMIT_MINUTES}, code="limit")
    if question_type not in Attempt.Mix.values:
        raise ValidationError(_("未知题型。"), code="type")
    questions, label = bank.scope_questions(scope=scope, scope_key=scope_key, question_type=question_type)
    ids: list[int] = []
    if mode == Assignment.Mode.FIXED:
        ids = [int(pk) for pk in question_ids]
        if not ids:
            raise ValidationError(_("请至少选一道题。"), code="empty")
        if len(set(ids)) != len(ids):
            raise ValidationError(_("同一道题只能选一次。"), code="repeat")
        if len(ids) > MAX_QUIZ_LENGTH:
            raise ValidationError(_("最多选 %(max)d 道题。") % {"max": MAX_QUIZ_LENGTH}, code="long")
        if Question.objects.active().filter(pk__in=ids).count() != len(ids):
            raise ValidationError(_("所选题目中有已停用或不存在的题。"), code="unknown")
        length = len(ids)
    elif mode == Assignment.Mode.GENERATED:
        if not 1 <= length <= MAX_QUIZ_LENGTH:
            raise ValidationError(_("题数应在 1 到 %(max)d 之间。") % {"max": MAX_QUIZ_LENGTH}, code="length")
        if not questions.exists():
            raise ValidationError(_("这个范围内还没有这种题型的题目。"), code="empty")
    else:
        raise ValidationError(_("未知出题方式。"), code="mode")
    assignment = Assignment(
        group=group,
        title=title.strip(),
        mode=mode,
        scope=scope,
        scope_key=scope_key if scope != Attempt.Scope.DOCUMENT else "",
        scope_label=label,
        question_type=question_type,
        length=length,
        question_ids=ids,
        opens_at=opens_at,
        closes_at=closes_at,
        time_limit_minutes=time_limit_minutes,
        show_answers=show_answers,
        created_by=created_by,
    )
    assignment.full_clean()
    assignment.save()
    return assignment


def assignment_draw(assignment: Assignment, *, rng: random.Random | None = None) -> list[int]:
    """The questions `assignment` gives one member, in order: a fixed assignment's own list, else a
    draw of its length from its scope (bank.scope_draw, with `rng`)."""
    if assignment.mode == Assignment.Mode.FIXED:
        return list(assignment.question_ids)
    chosen, _label = bank.scope_draw(
        scope=assignment.scope,
        scope_key=assignment.scope_key,
        question_type=assignment.question_type,
        length=assignment.length,
        rng=rng,
    )
    return chosen


def assignment_start(
    *, assignment: Assignment, user: User, now: datetime | None = None, rng: random.Random | None = None
) -> Attempt:
    """The member's one attempt at `assignment`: the existing one (to resume or to see), else a new one.

    Raises PermissionDenied unless `user` is a learner in the assignment's group, and
    ValidationError before the opening time or (for a new attempt) from the closing time on.
    """
    now = now or timezone.now()
    if not Membership.objects.learners().filter(group_id=assignment.group_id, user=user).exists():
        raise PermissionDenied
    existing = Attempt.objects.filter(assignment=assignment, user=user).first()
    if existing is not None:
        return existing
    if now < assignment.opens_at:
        raise ValidationError(
            _("这次测验还没有开始，%(opens)s 开放。") % {"opens": _moment(assignment.opens_at)}, code="upcoming"
        )
    if now >= assignment.closes_at:
        raise ValidationError(_("这次测验已经截止。"), code="closed")
    chosen = assignment_draw(assignment, rng=rng)
    if assignment.mode == Assignment.Mode.FIXED:  # the list may name questions deleted since it was made
        known = set(Question.objects.filter(pk__in=chosen).values_list("pk", flat=True))
        chosen = [pk for pk in chosen if pk in known]
    if not chosen:
        raise ValidationError(_("这次测验暂时没有可用的题目，请联系培训师。"), code="empty")
    deadline = assignment.closes_at
    if assignment.time_limit_minutes:
        deadline = min(deadline, now + timedelta(minutes=assignment.time_limit_minutes))
    try:
        with transaction.atomic():
            return services.attempt_create(
                user=user,
                question_ids=chosen,
                rng=rng,
                kind=Attempt.Kind.ASSIGNMENT,
                scope=assignment.scope,
                scope_key=assignment.scope_key,
                scope_label=assignment.title,
                question_type=assignment.question_type,
                assignment=assignment,
                deadline=deadline,
                started_at=now,
            )
    except (IntegrityError, ValidationError):
        # A second tab started it a moment earlier: that attempt is the one.
        existing = Attempt.objects.filter(assignment=assignment, user=user).first()
        if existing is None:
            raise
        return existing


def _moment(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "n月j日 H:i")
