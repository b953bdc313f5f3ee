"""Integrity signals of a group's assignments (需要留意), for its trainers: attempts answered faster
than their questions can be read, and pairs of members who gave the same unusual wrong answers in the
same order. They are signals to look into with the evidence shown, never a verdict: nothing here
changes a score, and the report page says so.

The rules
---------
Too fast (答题过快)
    Reading time of a question = its characters (the prompt, the options, the pairs to match; spaces
    not counted) ÷ READING_CHARS_PER_SECOND. 15 characters a second is 900 a minute: skimming speed for
    Chinese text, about twice a fast reader's pace (300–500), so an honest quick reader stays above it.
    An attempt at an assignment is flagged when at least MIN_TIMED_ANSWERS of its answers carry a time
    (Answer.elapsed_seconds: from the previous answer, or from the start for the first) and more than
    half of them took less than their own question's reading time — that is, the median answer was
    given before its question could have been read. Counted in the database, per attempt.
Same unusual wrong answers (错误答案雷同)
    A wrong answer's wrong parts (as the per-question analysis counts them: a fill-in's wrong blanks
    normalised, the option chosen, the wrong pairings…) are *unusual* when exactly two members gave
    them to that question in that assignment, and nobody else. True/false questions are left out: their
    one wrong answer is shared by everyone who errs. Two members are flagged when at least MIN_SHARED of
    their unusual wrong answers are shared and come in the same order in both attempts (the longest
    common subsequence of the two members' shared answers, each in the order they answered them: a
    quiz is answered question by question, in the order of its positions).

The answers are those the viewer sees (quizzes/visibility.py) at the group's assignments (or the one
chosen). Three queries when nothing is flagged — the questions of the attempts, the answers too fast counted per
attempt, the wrong answers — and three more for the evidence when something is: the attempts, the
flagged answers' times, the members' names. Of the right answers nothing is read row by row.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Case, Count, F, FloatField, Q, TextField, Value, When
from django.db.models.functions import Cast

from studyapp.people.models import StudyGroup

from .. import visibility
from ..models import Answer, Attempt, AttemptQuestion, Question
from .analysis import question_signature, wrong_texts_memo

READING_CHARS_PER_SECOND = 15.0
MIN_TIMED_ANSWERS = 3
MIN_SHARED = 3


# --- The rules, on plain values ------------------------------------------------------------------------


def question_characters(question: Question) -> int:
    """What a learner has to read of `question`: its prompt, options and pairs, spaces not counted."""
    texts = [question.prompt, *map(str, question.choices or [])]
    texts += [str(side) for pair in question.pairs or [] for side in pair]
    return sum(len("".join(text.split())) for text in texts)


def reading_seconds(characters: int) -> float:
    """The fastest plausible reading time of `characters` characters."""
    return characters / READING_CHARS_PER_SECOND


def too_fast(timed: Sequence[tuple[float, float]]) -> bool:
    """Whether an attempt's answers, as (seconds taken, reading seconds) pairs, were given faster than
    their questions can be read: more than half of them, over enough answers."""
    rushed = sum(1 for taken, need in timed if taken < need)
    return len(timed) >= MIN_TIMED_ANSWERS and 2 * rushed > len(timed)


def speed_of(timed: Sequence[tuple[float, float]]) -> Speed:
    """What the page says of an attempt's pace, from its (seconds taken, reading seconds) pairs."""
    return Speed(
        answers=len(timed),
        rushed=sum(1 for taken, need in timed if taken < need),
        median_seconds=round(statistics.median(taken for taken, _ in timed), 1),
        reading_seconds=round(statistics.median(need for _, need in timed), 1),
    )


def in_same_order(first: Sequence[Any], second: Sequence[Any]) -> list[Any]:
    """The longest run of items that `first` and `second` both hold in the same order (the longest
    common subsequence), in that order."""
    lengths = [[0] * (len(second) + 1) for _ in range(len(first) + 1)]
    for i, a in enumerate(first):
        for j, b in enumerate(second):
            lengths[i + 1][j + 1] = lengths[i][j] + 1 if a == b else max(lengths[i][j + 1], lengths[i + 1][j])
    found = []
    i, j = len(first), len(second)
    while i and j:
        if first[i - 1] == second[j - 1]:
            found.append(first[i - 1])
            i, j = i - 1, j - 1
        elif lengths[i - 1][j] >= lengths[i][j - 1]:
            i -= 1
        else:
            j -= 1
    return found[::-1]


# --- What the page shows ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WrongAnswer:
    """A wrong answer at an assignment, as the pair rule reads it."""

    answer_id: int
    user_id: int
    attempt_id: int
    assignment_id: int
    question_id: int
    position: int
    wrong: str  # its wrong parts, joined


@dataclass(frozen=True)
class Shared:
    """Two members' unusual wrong answers in common, in the same order, at one assignment."""

    assignment_id: int
    first_user: int
    second_user: int
    answers: list[tuple[WrongAnswer, WrongAnswer]]


@dataclass(frozen=True)
class Speed:
    answers: int  # answers with a time
    rushed: int  # of them, given in less than their question's reading time
    median_seconds: float
    reading_seconds: float  # median reading time of the same questions


@dataclass
class FastAttempt:
    name: str
    assignment_title: str
    speed: Speed
    started: datetime
    last: datetime | None


@dataclass(frozen=True)
class SharedWrong:
    question: Question
    wrong: str
    first_at: datetime | None
    second_at: datetime | None


@dataclass
class SimilarPair:
    assignment_title: str
    first_name: str
    second_name: str
    shared: list[SharedWrong]


@dataclass
class IntegritySignals:
    fast: list[FastAttempt] = field(default_factory=list)
    pairs: list[SimilarPair] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.fast) + len(self.pairs)


def fast_attempts(timings: Iterable[tuple[int, int, float | None]], needed: Mapping[int, float]) -> dict[int, Speed]:
    """The attempts answered too fast (too_fast()), by id, from (attempt id, question id, seconds taken)
    of their answers; `needed` the reading seconds by question id. (integrity_signals() counts the
    same in the database and reads the flagged attempts' answers alone.)"""
    by_attempt: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for attempt_id, question_id, seconds in timings:
        if seconds is not None and question_id in needed:
            by_attempt[attempt_id].append((seconds, needed[question_id]))
    return {attempt_id: speed_of(timed) for attempt_id, timed in by_attempt.items() if too_fast(timed)}


def reading_time_case(needed: Mapping[int, float]) -> Case:
    """The reading seconds of each answer's question, as an SQL expression: one branch per reading time
    (`needed` in tenths of a second, so that there are few), listing its questions."""
    by_seconds: dict[float, list[int]] = defaultdict(list)
    for question_id, seconds in needed.items():
        by_seconds[seconds].append(question_id)
    whens = [
        When(attempt_question__question_id__in=sorted(ids), then=Value(seconds))
        for seconds, ids in sorted(by_seconds.items())
    ]
    return Case(*whens, default=Value(0.0), output_field=FloatField())


def shared_unusual(rows: Iterable[WrongAnswer], questions: Mapping[int, Question]) -> list[Shared]:
    """The pairs of members with at least MIN_SHARED unusual wrong answers in common, in the same order,
    in the same assignment. Each unusual answer names one pair: no comparing of every member with every
    other."""
    givers: dict[tuple[int, int, str], list[WrongAnswer]] = defaultdict(list)
    for row in rows:
        question = questions.get(row.question_id)
        if not row.wrong or question is None or question.type == Question.Type.TRUEFALSE:
            continue
        givers[(row.assignment_id, row.question_id, row.wrong)].append(row)
    in_common: dict[tuple[int, int, int], list[tuple[WrongAnswer, WrongAnswer]]] = defaultdict(list)
    for (assignment_id, _question_id, _wrong), answers in givers.items():
        if len(answers) != 2 or answers[0].user_id == answers[1].user_id:
            continue
        first, second = sorted(answers, key=lambda row: row.user_id)
        in_common[(assignment_id, first.user_id, second.user_id)].append((first, second))
    found = []
    for (assignment_id, first_user, second_user), both in in_common.items():
        if len(both) < MIN_SHARED:
            continue
        by_question = {a.question_id: (a, b) for a, b in both}
        first_order = [a.question_id for a, _ in sorted(both, key=lambda pair: pair[0].position)]
        second_order = [b.question_id for _, b in sorted(both, key=lambda pair: pair[1].position)]
        common = in_same_order(first_order, second_order)
        if len(common) >= MIN_SHARED:
            found.append(Shared(assignment_id, first_user, second_user, [by_question[q] for q in common]))
    return found


def integrity_signals(*, viewer: User, group: StudyGroup, assignment: str = "") -> IntegritySignals:
    """The signals of the group's assignments (`assignment` the id of one of them, else all) over the
    answers `viewer` sees: three queries, six when something is flagged."""
    answers = visibility.answers_seen(viewer, group).filter(attempt_question__attempt__assignment__group=group)
    if assignment.isdigit():
        answers = answers.filter(attempt_question__attempt__assignment_id=assignment)
    attempt = "attempt_question__attempt__"
    # The questions of the group's assignment attempts: those answered among them, found without reading
    # the answers (a lookup table: a question nobody answered is never asked for).
    items = AttemptQuestion.objects.filter(attempt__assignment__group=group)
    if assignment.isdigit():
        items = items.filter(attempt__assignment_id=assignment)
    answered = Question.objects.filter(pk__in=items.values("question_id"))
    questions = {question.pk: question for question in answered}  # query
    if not questions:
        return IntegritySignals()
    # To a tenth of a second, as the database compares them (reading_time_case()).
    needed = {pk: round(reading_seconds(question_characters(question)), 1) for pk, question in questions.items()}
    counts = (
        answers.values(attempt_id=F(f"{attempt}id"))
        .annotate(
            timed=Count("elapsed_seconds"),
            rushed=Count("id", filter=Q(elapsed_seconds__lt=reading_time_case(needed))),
        )
        .filter(timed__gte=MIN_TIMED_ANSWERS)
        .order_by()
    )
    fast_ids = [row["attempt_id"] for row in counts if 2 * row["rushed"] > row["timed"]]  # query

    wrong_rows = answers.filter(is_correct=False).values_list(
        "pk",
        F(f"{attempt}user_id"),
        F(f"{attempt}id"),
        F(f"{attempt}assignment_id"),
        F("attempt_question__question_id"),
        F("attempt_question__position"),
        Cast("given", TextField()),
        Cast("marks", TextField()),
    )
    signatures: dict[int, str] = {}
    normalised: dict[str, str] = {}
    wrong = []
    for pk, user_id, attempt_id, assignment_id, question_id, position, given, marks in wrong_rows.order_by():  # query
        question = questions.get(question_id)
        if question is None or question.type == Question.Type.TRUEFALSE:
            continue
        if question_id not in signatures:
            signatures[question_id] = question_signature(question)
        texts = wrong_texts_memo(question, signatures[question_id], given, marks, normalised)
        wrong.append(WrongAnswer(pk, user_id, attempt_id, assignment_id, question_id, position, "；".join(texts)))
    shared = shared_unusual(wrong, questions)
    if not fast_ids and not shared:
        return IntegritySignals()
    return _with_evidence(group, fast_ids, shared, questions, needed)


def _with_evidence(
    group: StudyGroup,
    fast_ids: Sequence[int],
    shared: Sequence[Shared],
    questions: Mapping[int, Question],
    needed: Mapping[int, float],
) -> IntegritySignals:
    """The flagged attempts and pairs with what the page shows of them: three queries."""
    attempt_ids = set(fast_ids) | {pair.answers[0][0].attempt_id for pair in shared}
    attempts = {
        pk: (user_id, title, started, last)
        for pk, user_id, title, started, last in Attempt.objects.filter(pk__in=attempt_ids).values_list(
            "pk", "user_id", "assignment__title", "started_at", "last_answer_at"
        )
    }  # query
    answer_ids = [row.answer_id for pair in shared for both in pair.answers for row in both]
    flagged = Answer.objects.filter(Q(pk__in=answer_ids) | Q(attempt_question__attempt_id__in=fast_ids))
    answered_at = {}
    timings = []
    for pk, attempt_id, question_id, seconds, at in flagged.values_list(
        "pk", "attempt_question__attempt_id", "attempt_question__question_id", "elapsed_seconds", "answered_at"
    ):  # query
        answered_at[pk] = at
        timings.append((attempt_id, question_id, seconds))
    flagged_ids = set(fast_ids)
    fast = {pk: speed for pk, speed in fast_attempts(timings, needed).items() if pk in flagged_ids}
    names = member_names(group)  # query
    signals = IntegritySignals()
    for attempt_id, speed in fast.items():
        user_id, title, started, last = attempts[attempt_id]
        signals.fast.append(FastAttempt(names.get(user_id, str(user_id)), title or "", speed, started, last))
    signals.fast.sort(key=lambda found: (found.speed.median_seconds / (found.speed.reading_seconds or 1), found.name))
    for pair in shared:
        title = attempts[pair.answers[0][0].attempt_id][1] or ""
        signals.pairs.append(
            SimilarPair(
                assignment_title=title,
                first_name=names.get(pair.first_user, str(pair.first_user)),
                second_name=names.get(pair.second_user, str(pair.second_user)),
                shared=[
                    SharedWrong(
                        questions[a.question_id], a.wrong, answered_at.get(a.answer_id), answered_at.get(b.answer_id)
                    )
                    for a, b in pair.answers
                ],
            )
        )
    signals.pairs.sort(key=lambda found: (-len(found.shared), found.first_name, found.second_name))
    return signals


def member_names(group: StudyGroup) -> dict[int, str]:
    """The group's learners' names by user id (as people.models.display_name()): one query."""
    names = {}
    for user_id, username, first, last, shown in visibility.learners(group).values_list(
        "user_id", "user__username", "user__first_name", "user__last_name", "user__profile__display_name"
    ):
        names[user_id] = shown or f"{last}{first}".strip() or username
    return names
