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
    (Answer.elapsed_seconds: from the previous answer, or from the start for the first) and the median
    of those times is below the median reading time of the same questions.
Same unusual wrong answers (错误答案雷同)
    A wrong answer's wrong parts (as the per-question analysis counts them: a fill-in's wrong blanks
    normalised, the option chosen, the wrong pairings…) are *unusual* when exactly two members gave
    them to that question in that assignment, and nobody else. True/false questions are left out: their
    one wrong answer is shared by everyone who errs. Two members are flagged when at least MIN_SHARED of
    their unusual wrong answers are shared and come in the same order in both attempts (the longest
    common subsequence of the two members' shared answers, each in the order they answered them).

Three queries whatever the size of the group: the answers (with their attempts), the questions, the
members' names. The answers are those the viewer sees (quizzes/visibility.py) at the group's
assignments (or the one chosen).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db.models import F, TextField
from django.db.models.functions import Cast

from studyapp.people.models import StudyGroup

from .. import visibility
from ..models import Question
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
    the questions can be read: the median time below the median reading time, over enough answers."""
    if len(timed) < MIN_TIMED_ANSWERS:
        return False
    return statistics.median(taken for taken, _ in timed) < statistics.median(need for _, need in timed)


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
class AnswerRow:
    """One answer at an assignment, as read for the signals."""

    user_id: int
    attempt_id: int
    assignment_id: int
    assignment_title: str
    question_id: int
    position: int
    elapsed: float | None
    answered_at: datetime
    is_correct: bool
    wrong: str = ""  # the wrong parts, joined; "" for a right answer


@dataclass
class FastAttempt:
    user_id: int
    name: str
    assignment_title: str
    answers: int  # answers with a time
    median_seconds: float
    reading_seconds: float  # median reading time of the same questions
    started: datetime
    last: datetime


@dataclass(frozen=True)
class SharedWrong:
    question: Question
    wrong: str
    first: AnswerRow
    second: AnswerRow


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


def fast_attempts(
    rows: Iterable[AnswerRow], needed: Mapping[int, float], names: Mapping[int, str]
) -> list[FastAttempt]:
    """The attempts among `rows` answered too fast (too_fast()), `needed` the reading seconds by
    question id; slowest-looking last."""
    by_attempt: dict[int, list[AnswerRow]] = defaultdict(list)
    for row in rows:
        by_attempt[row.attempt_id].append(row)
    found = []
    for answers in by_attempt.values():
        timed = [(row.elapsed, needed[row.question_id]) for row in answers if row.elapsed is not None]
        if too_fast(timed):
            first = min(answers, key=lambda row: row.answered_at)
            found.append(
                FastAttempt(
                    user_id=first.user_id,
                    name=names.get(first.user_id, str(first.user_id)),
                    assignment_title=first.assignment_title,
                    answers=len(timed),
                    median_seconds=round(statistics.median(taken for taken, _ in timed), 1),
                    reading_seconds=round(statistics.median(need for _, need in timed), 1),
                    started=first.answered_at,
                    last=max(row.answered_at for row in answers),
                )
            )
    return sorted(found, key=lambda fast: (fast.median_seconds / (fast.reading_seconds or 1), fast.name))


def similar_pairs(
    rows: Iterable[AnswerRow], questions: Mapping[int, Question], names: Mapping[int, str]
) -> list[SimilarPair]:
    """The pairs of members among `rows` with at least MIN_SHARED unusual wrong answers in common, in
    the same order, in the same assignment. Each unusual answer names one pair: no comparing of every
    member with every other."""
    givers: dict[tuple[int, int, str], list[AnswerRow]] = defaultdict(list)
    for row in rows:
        question = questions.get(row.question_id)
        if row.is_correct or not row.wrong or question is None or question.type == Question.Type.TRUEFALSE:
            continue
        givers[(row.assignment_id, row.question_id, row.wrong)].append(row)
    shared: dict[tuple[int, int, int], list[tuple[AnswerRow, AnswerRow]]] = defaultdict(list)
    for (assignment_id, _question_id, _wrong), answers in givers.items():
        if len({row.user_id for row in answers}) != 2 or len(answers) != 2:
            continue
        first, second = sorted(answers, key=lambda row: row.user_id)
        shared[(assignment_id, first.user_id, second.user_id)].append((first, second))
    pairs = []
    for (_assignment_id, first_id, second_id), both in shared.items():
        if len(both) < MIN_SHARED:
            continue
        by_question = {a.question_id: (a, b) for a, b in both}
        first_order = [a.question_id for a, _ in sorted(both, key=lambda pair: (pair[0].answered_at, pair[0].position))]
        second_order = [
            b.question_id for _, b in sorted(both, key=lambda pair: (pair[1].answered_at, pair[1].position))
        ]
        common = in_same_order(first_order, second_order)
        if len(common) < MIN_SHARED:
            continue
        first_row = by_question[common[0]][0]
        pairs.append(
            SimilarPair(
                assignment_title=first_row.assignment_title,
                first_name=names.get(first_id, str(first_id)),
                second_name=names.get(second_id, str(second_id)),
                shared=[
                    SharedWrong(questions[q], by_question[q][0].wrong, by_question[q][0], by_question[q][1])
                    for q in common
                ],
            )
        )
    return sorted(pairs, key=lambda pair: (-len(pair.shared), pair.first_name, pair.second_name))


def integrity_signals(*, viewer: User, group: StudyGroup, assignment: str = "") -> IntegritySignals:
    """The signals of the group's assignments (`assignment` the id of one of them, else all) over the
    answers `viewer` sees: three queries."""
    answers = visibility.answers_seen(viewer, group).filter(attempt_question__attempt__assignment__group=group)
    if assignment.isdigit():
        answers = answers.filter(attempt_question__attempt__assignment_id=assignment)
    attempt = "attempt_question__attempt__"
    raw = list(
        answers.values_list(
            F(f"{attempt}user_id"),
            F(f"{attempt}id"),
            F(f"{attempt}assignment_id"),
            F(f"{attempt}assignment__title"),
            F("attempt_question__question_id"),
            F("attempt_question__position"),
            "elapsed_seconds",
            "answered_at",
            "is_correct",
            Cast("given", TextField()),
            Cast("marks", TextField()),
        ).order_by()
    )  # query
    if not raw:
        return IntegritySignals()
    questions = Question.objects.in_bulk({row[4] for row in raw})  # query
    signatures = {pk: question_signature(question) for pk, question in questions.items()}
    normalised: dict[str, str] = {}
    rows = []
    for user_id, attempt_id, assignment_id, title, question_id, position, elapsed, at, correct, given, marks in raw:
        question = questions.get(question_id)
        if question is None:
            continue
        wrong = ""
        if not correct:
            wrong = "；".join(wrong_texts_memo(question, signatures[question_id], given, marks, normalised))
        rows.append(
            AnswerRow(user_id, attempt_id, assignment_id, title, question_id, position, elapsed, at, correct, wrong)
        )
    names = member_names(group)  # query
    needed = {pk: reading_seconds(question_characters(question)) for pk, question in questions.items()}
    return IntegritySignals(fast=fast_attempts(rows, needed, names), pairs=similar_pairs(rows, questions, names))


def member_names(group: StudyGroup) -> dict[int, str]:
    """The group's learners' names by user id (as people.models.display_name()): one query."""
    names = {}
    for user_id, username, first, last, shown in visibility.learners(group).values_list(
        "user_id", "user__username", "user__first_name", "user__last_name", "user__profile__display_name"
    ):
        names[user_id] = shown or f"{last}{first}".strip() or username
    return names
