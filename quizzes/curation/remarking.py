"""Accepting a fill-in's synonym after the fact, and re-marking what was answered before.

When the item statistics show that the dominant wrong answer of a blank is really right (a synonym:
职工的家 for 职工之家), staff accept it with one click:

1. `synonym_impact` says, without writing anything, how many earlier answers would turn right, and
   in how many attempts of how many learners, for staff to confirm;
2. `accept_synonym` adds the text to the blank's `accepted` forms and, in one transaction, re-marks
   the earlier answers with the kind's own `check` (so any-order groups and everything else the
   checker knows stay as they are), moves each affected attempt's `correct_count` and `credit` by the
   difference (as `services.answer_submit` adds them up), writes a `QuestionLog` (SYNONYM), and
   rebuilds the memory state (FSRS `PointState`) of each affected learner on the points the question
   touches by replaying all of that learner's answers on those points, in answered order, from a fresh
   card, with the ratings `answer_submit` gives (`kind.ratings`, reviewed as `services.points_review`
   does);
3. `replay_point_states` is that replay for one learner, as plain data, so that it can be compared
   with what the quiz stored.

Which answers change: those the synonym changes, i.e. whose check with the form accepted differs
from their check without it; of their marks, those that differ between the two checks take the new
value (for an answer marked against the question as it stands, that is simply the kind's new check)
and credit and is_correct follow from the marks as the kind computes them. So an answer marked
against an older key (the question was edited after it) keeps every other mark as it was given. Answers keep their ids and dates: only marks, credit and is_correct change, so
nothing is counted twice. Accepting a form that is already accepted (in its normal form) adds
nothing, and re-marks only answers still marked as they were before it was accepted (added through
the editor, say); a second click changes nothing and logs nothing.

Cost of `accept_synonym`: a constant number of queries whatever the number of answers, attempts and
learners (one bulk update of the answers and one of the attempts, one upsert of the point states, and
the reads; see the test for the bound); normalising is done once per distinct answer.

Not covered: an answer being recorded at the very moment of the click may still be marked against
the old forms (`answer_submit` does not lock the question row).
"""

from __future__ import annotations

import copy
import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from fsrs import Rating

from ..activity import activity_remarked
from ..core import scheduling
from ..core.checking import MAX_ANSWER_LENGTH, Check, MalformedAnswer, accepted_forms, normalize
from ..core.kinds import CLOZE, QuestionKind
from ..models import Answer, Attempt, PointState, Question, QuestionLog

if TYPE_CHECKING:
    pass

# --- What the functions return -----------------------------------------------------------------------


@dataclass(frozen=True)
class SynonymImpact:
    """What accepting `text` for a blank changes (would change, before it is accepted)."""

    question_id: int
    blank_index: int
    text: str  # as it is (would be) stored in `accepted`: the typed text, trimmed
    normalised: str  # its compare form (checking.normalize)
    already_accepted: bool  # the blank accepted this normal form before
    answers: int  # earlier answers whose marks change
    now_correct: int  # of those, the answers that become fully right
    attempts: int  # attempts the changed answers belong to
    learners: int  # learners the changed answers belong to

    @property
    def changes_anything(self) -> bool:
        return not self.already_accepted or self.answers > 0


@dataclass(frozen=True)
class ReplayedPoint:
    """A learner's memory of one point as `PointState` stores it (its fields, without the user)."""

    FIELDS: ClassVar[tuple[str, ...]] = (
        "card",
        "due",
        "stability",
        "stable_until",
        "last_rating",
        "last_review",
        "reps",
        "lapses",
    )

    point_text_key: str
    card: dict[str, Any]
    due: datetime
    stability: float
    stable_until: datetime
    last_rating: int
    last_review: datetime
    reps: int
    lapses: int

    @classmethod
    def of(cls, state: PointState) -> ReplayedPoint:
        """The stored state as the same plain data, to compare with a replay."""
        return cls(
            point_text_key=state.point_text_key,
            card=dict(state.card),
            due=state.due,
            stability=state.stability,
            stable_until=state.stable_until,
            last_rating=state.last_rating,
            last_review=state.last_review,
            reps=state.reps,
            lapses=state.lapses,
        )

    def as_state(self, user_id: int) -> PointState:
        return PointState(
            user_id=user_id,
            point_text_key=self.point_text_key,
            **{name: getattr(self, name) for name in self.FIELDS},
        )


# --- Impact and acceptance ---------------------------------------------------------------------------


def synonym_impact(question: Question, blank_index: int, text: str) -> SynonymImpact:
    """What accepting `text` for blank `blank_index` (from 0) of the fill-in `question` would change;
    nothing is written. ValidationError (in Chinese) for another kind of question, a blank that does
    not exist, or a text that is empty once normalised."""
    text, normal = _validated(question, blank_index, text)
    return _plan(question, blank_index, text, normal).impact


@transaction.atomic
def accept_synonym(*, question: Question, blank_index: int, text: str, user: User | None) -> SynonymImpact:
    """Accept `text` for blank `blank_index` of `question`, re-mark earlier answers, move the affected
    attempts' counters and rebuild the affected learners' memory of the question's points, all or
    nothing. Returns what changed (the same figures `synonym_impact` showed, unless answers came in
    meanwhile). ValidationError as `synonym_impact`."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    text, normal = _validated(question, blank_index, text)
    plan = _plan(question, blank_index, text, normal)
    if not plan.impact.changes_anything:
        return plan.impact
    before = list(question.blanks[blank_index].get("accepted") or [])
    if not plan.impact.already_accepted:
        question.blanks = plan.blanks
        question.is_edited = True  # a staff change: the bank keeps it through regeneration
        question.save(update_fields=["blanks", "is_edited"])
    _remark(plan.changes)
    _rebuild_point_states(question, plan.changes)
    impact = plan.impact
    QuestionLog.objects.create(
        question=question,
        user=user,
        action=QuestionLog.Action.SYNONYM,
        before={"blank": blank_index, "accepted": before},
        after={"blank": blank_index, "accepted": list(question.blanks[blank_index].get("accepted") or [])},
        note=_note(impact)[:300],
    )
    return impact


def _note(impact: SynonymImpact) -> str:
    return _(
        "第%(number)d空接受“%(text)s”，重新评分 %(answers)d 条作答（其中 %(correct)d 条变为全对），涉及 %(attempts)d 次练习、%(learners)d 位学员。"
    ) % {
        "number": impact.blank_index + 1,
        "text": impact.text[:100],
        "answers": impact.answers,
        "correct": impact.now_correct,
        "attempts": impact.attempts,
        "learners": impact.learners,
    }


def _validated(question: Question, blank_index: Any, text: Any) -> tuple[str, str]:
    """The text to store and its normal form, or ValidationError."""
    if question.type != CLOZE:
        raise ValidationError(_("只有填空题可以接受同义答案。"))
    blanks = question.blanks or []
    if isinstance(blank_index, bool) or not isinstance(blank_index, int) or not 0 <= blank_index < len(blanks):
        raise ValidationError(
            _("这道题没有第 %(number)s 个空（共 %(count)d 个）。")
            % {"number": blank_index + 1 if isinstance(blank_index, int) else blank_index, "count": len(blanks)}
        )
    text = text.strip() if isinstance(text, str) else ""
    if "\x00" in text:
        raise ValidationError(_("同义答案中有无法识别的字符。"))
    if len(text) > MAX_ANSWER_LENGTH:
        raise ValidationError(_("同义答案太长：最多 %(max)d 个字。") % {"max": MAX_ANSWER_LENGTH})
    normal = normalize(text)
    if not normal:
        raise ValidationError(_("同义答案不能为空。"))
    return text, normal


# --- Re-marking ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Change:
    """One answer whose marks change: its stored check and the new one."""

    answer_id: int
    attempt_id: int
    user_id: int
    layout: Mapping[str, Any]
    elapsed_seconds: float | None
    old: Check
    new: Check


@dataclass(frozen=True)
class _Plan:
    blanks: list[dict[str, Any]]  # the question's blanks with the synonym accepted
    changes: list[_Change]
    impact: SynonymImpact


def _plan(question: Question, blank_index: int, text: str, normal: str) -> _Plan:
    """The blanks with `text` accepted and the answers that changes (one query, no writes)."""
    blank = question.blanks[blank_index]
    already = normal in accepted_forms(blank)
    accepted = list(blank.get("accepted") or [])
    with_blanks = copy.deepcopy(question.blanks)
    if not already:
        with_blanks[blank_index]["accepted"] = [*accepted, text]
    # The blank without the form, as the answers marked before it was accepted saw it (the key itself
    # cannot be taken away: a synonym that normalises to the key changes nothing).
    without_blanks = copy.deepcopy(question.blanks)
    without_blanks[blank_index]["accepted"] = [form for form in accepted if normalize(form) != normal]
    with_question, without_question = _with_blanks(question, with_blanks), _with_blanks(question, without_blanks)
    kind = question.kind

    rows = (
        Answer.objects.filter(attempt_question__question_id=question.pk, timed_out=False)
        .values_list(
            "pk",
            "given",
            "marks",
            "credit",
            "is_correct",
            "elapsed_seconds",
            "attempt_question__layout",
            "attempt_question__attempt_id",
            "attempt_question__attempt__user_id",
        )
        .order_by("answered_at", "pk")
    )
    checks: dict[str, tuple[Check, Check] | None] = {}  # normalising is slow: once per distinct answer
    changes = []
    for answer_id, given, marks, credit, is_correct, elapsed, layout, attempt_id, user_id in rows:
        content = json.dumps(given, ensure_ascii=False, sort_keys=True)
        if content not in checks:
            try:
                checks[content] = (kind.check(without_question, given), kind.check(with_question, given))
            except MalformedAnswer:  # recorded when the question had another shape
                checks[content] = None
        pair = checks[content]
        if pair is None:
            continue
        without, with_form = pair
        if with_form == without:
            continue  # the synonym changes nothing in this answer
        old = Check(marks=list(marks or []), credit=credit, is_correct=is_correct)
        new = _merged(kind, with_question, old, without, with_form)
        if new != old:
            changes.append(_Change(answer_id, attempt_id, user_id, layout or {}, elapsed, old, new))
    impact = SynonymImpact(
        question_id=question.pk,
        blank_index=blank_index,
        text=text,
        normalised=normal,
        already_accepted=already,
        answers=len(changes),
        now_correct=sum(1 for change in changes if change.new.is_correct and not change.old.is_correct),
        attempts=len({change.attempt_id for change in changes}),
        learners=len({change.user_id for change in changes}),
    )
    return _Plan(blanks=with_blanks, changes=changes, impact=impact)


def _merged(kind: QuestionKind, question: Question, old: Check, without: Check, with_form: Check) -> Check:
    """The stored marks, changed where accepting the form changes the check. For an answer marked
    against the question as it is (the common case) that is the new check itself; one marked against
    an older key keeps its other marks as they were given."""
    if len(old.marks) != len(with_form.marks):
        return with_form
    marks = [
        new if new != before else stored
        for stored, before, new in zip(old.marks, without.marks, with_form.marks, strict=True)
    ]
    return Check(marks=marks, credit=kind.credit(question, marks), is_correct=bool(marks) and all(marks))


def _with_blanks(question: Question, blanks: list[dict[str, Any]]) -> Question:
    """An unsaved copy of `question` with other blanks, for the checker (which reads only fields)."""
    twin = copy.copy(question)
    twin.blanks = blanks
    return twin


def _remark(changes: Iterable[_Change]) -> None:
    """Store the new marks and move each attempt's counters by the difference, as answer_submit adds
    them up (attempts locked, as answer_submit locks them, so no concurrent answer's update is lost)."""
    changes = list(changes)
    if not changes:
        return
    Answer.objects.bulk_update(
        [
            Answer(
                pk=change.answer_id, marks=change.new.marks, credit=change.new.credit, is_correct=change.new.is_correct
            )
            for change in changes
        ],
        ["marks", "credit", "is_correct"],
    )
    correct: dict[int, int] = defaultdict(int)
    credit: dict[int, float] = defaultdict(float)
    for change in changes:
        correct[change.attempt_id] += int(change.new.is_correct) - int(change.old.is_correct)
        credit[change.attempt_id] += change.new.credit - change.old.credit
    attempts = list(
        Attempt.objects.select_for_update()
        .filter(pk__in=list(correct))
        .only("pk", "correct_count", "credit")
        .order_by("pk")
    )
    for attempt in attempts:
        attempt.correct_count = max(0, attempt.correct_count + correct[attempt.pk])
        attempt.credit = max(0.0, attempt.credit + credit[attempt.pk])
    Attempt.objects.bulk_update(attempts, ["correct_count", "credit"])
    # The organisation reports' aggregates move by the same differences, on the days answered.
    activity_remarked(
        (
            change.answer_id,
            change.user_id,
            change.old.is_correct,
            change.old.credit,
            change.new.is_correct,
            change.new.credit,
        )
        for change in changes
    )


def _rebuild_point_states(question: Question, changes: Iterable[_Change]) -> None:
    """Replay the memory of every learner of `changes` on the points the changed answers rate, and
    store it (one upsert)."""
    keys_by_user: dict[int, set[str]] = defaultdict(set)
    for change in changes:
        for check in (change.old, change.new):
            keys_by_user[change.user_id].update(
                key for key in question.kind.ratings(question, check, change.elapsed_seconds, change.layout) if key
            )
    keys = set().union(*keys_by_user.values()) if keys_by_user else set()
    if not keys:
        return
    # Locked first, as points_review locks them: an answer being recorded meanwhile waits for the
    # rebuilt state and is then reviewed on top of it once (its answer is not in the replay).
    list(
        PointState.objects.select_for_update()
        .filter(user_id__in=list(keys_by_user), point_text_key__in=list(keys))
        .order_by("user_id", "point_text_key")
        .values_list("pk", flat=True)
    )
    replayed = _replay(keys_by_user)
    rows = [point.as_state(user_id) for user_id, points in replayed.items() for point in points.values()]
    if rows:
        PointState.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["user", "point_text_key"],
            update_fields=list(ReplayedPoint.FIELDS),
        )


# --- Replaying a learner's memory ------------------------------------------------------------------------


def replay_point_states(user: User, text_keys: Collection[str]) -> dict[str, ReplayedPoint]:
    """Point text key → the learner's memory of it, rebuilt from a fresh card by replaying all their
    recorded answers that rate it, in answered order (by `answered_at`, then id), with the rating
    `answer_submit` gives each (`kind.ratings` of the answer's stored marks, its elapsed time and its
    layout) and reviewed at its `answered_at` as `points_review` reviews. A key no answer rates is
    left out. Reads only (two queries); the questions are read as they are now."""
    return _replay({user.pk: set(text_keys)}).get(user.pk, {})


def _replay(keys_by_user: Mapping[int, Collection[str]]) -> dict[int, dict[str, ReplayedPoint]]:
    """replay_point_states for several learners at once, each on their own keys (two queries)."""
    wanted = {user_id: {key for key in keys if key} for user_id, keys in keys_by_user.items()}
    every_key = set().union(*wanted.values()) if wanted else set()
    if not every_key:
        return {}
    # A kind rates only lines among its question's source_text_keys (a matching question's pair
    # lines are some of them), so these are all the questions that can rate the keys. JSON lookups
    # differ between databases: the (small) lists are compared here.
    questions = {
        question.pk: question
        for question in Question.objects.only("pk", "type", "source_text_keys").order_by()
        if every_key.intersection(question.source_text_keys or ())
    }
    if not questions:
        return {}
    rows = (
        Answer.objects.filter(
            attempt_question__attempt__user_id__in=list(wanted),
            attempt_question__question_id__in=list(questions),
            timed_out=False,  # never a review of the points' memory
        )
        .values_list(
            "attempt_question__attempt__user_id",
            "attempt_question__question_id",
            "attempt_question__layout",
            "marks",
            "credit",
            "is_correct",
            "elapsed_seconds",
            "answered_at",
        )
        .order_by("answered_at", "pk")
    )
    states: dict[int, dict[str, ReplayedPoint]] = defaultdict(dict)
    for user_id, question_id, layout, marks, credit, is_correct, elapsed, answered_at in rows:
        question = questions[question_id]
        check = Check(marks=list(marks or []), credit=credit, is_correct=is_correct)
        try:
            ratings = question.kind.ratings(question, check, elapsed, layout or {})
        except MalformedAnswer:  # a question of a kind that no longer exists
            continue
        mine = states[user_id]
        for key, rating in sorted(ratings.items()):
            if key in wanted[user_id]:
                mine[key] = _review(mine.get(key), key, rating, answered_at)
    return dict(states)


def _review(previous: ReplayedPoint | None, key: str, rating: Rating, now: datetime) -> ReplayedPoint:
    """One more review of a point, by the rule services.points_review moves a stored state on."""
    return ReplayedPoint(**scheduling.point_review(previous, key, rating, now))
