"""What a group's answers say, for its trainers: the per-question analysis and the scores over
time. Each costs a fixed number of queries, whatever the size of the group.

What the numbers mean
---------------------
Per-question analysis (逐题分析)
    Over the answers given on the chosen assignment, on all the group's assignments ("all": the
    report's default), on the members' own practice ("practice": practice, reviews and retries, for a
    trainer only since the member joined, quizzes/visibility.py), or, with none of these (`""`), over
    every answer of the group's members that the viewer sees. The report never mixes the two: it shows
    the assignments, or the practice when the trainer asks for it (filters.ReportFilter.source).
    Correct share = fully right answers ÷ answers. Common wrong answers: what each question kind
    counts as the wrong part of an answer (a fill-in's wrong blanks normalised as
    checking.normalize() does, the option chosen, the wrong pairings…), most frequent first.
    Discrimination = correct share among the answers of the top third of members minus that of
    the bottom third, members ranked by their total credit over the same answers (ties by user id);
    a third is ⌊n/3⌋ members, so it needs at least three members with answers, and a question
    answered by both thirds.
Scores over time (得分走势)
    The mean credit (×100) of the answers given each study day (Asia/Shanghai), or each week once the
    answers span more than 60 days.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db.models import (
    Avg,
    Count,
    F,
    Q,
    QuerySet,
    Sum,
    TextField,
)
from django.db.models.functions import Cast

from studyapp.people.models import StudyGroup

from .. import visibility
from ..activity import StudyDate
from ..core.checking import normalize
from ..models import Answer, Question
from .charts import ScoreChart, ScorePoint

WEEKLY_AFTER_DAYS = 60
COMMON_WRONG = 3


@dataclass
class QuestionStat:
    question: Question
    answers: int
    correct: int
    top_share: float | None
    bottom_share: float | None
    wrong_answers: list[tuple[str, int]] = field(default_factory=list)

    @property
    def correct_share(self) -> float:
        return self.correct / self.answers if self.answers else 0.0

    @property
    def correct_percent(self) -> int:
        return round(100 * self.correct_share)

    @property
    def discrimination(self) -> float | None:
        if self.top_share is None or self.bottom_share is None:
            return None
        return round(self.top_share - self.bottom_share, 2)


@dataclass
class QuestionAnalysis:
    questions: list[QuestionStat]  # hardest (lowest correct share) first
    ranked_members: int  # members with answers, ranked for discrimination
    third: int  # members in the top (and in the bottom) third


def analysed_answers(*, viewer: User, group: StudyGroup, assignment: str = "") -> QuerySet[Answer]:
    """The answers a report analyses: on one of the group's assignments (`assignment` its id), on all
    of them ("all"), the members' own practice ("practice"), or (`""`) every answer of the group's
    members that `viewer` sees."""
    answers = visibility.answers_seen(viewer, group)
    if assignment == "practice":
        return answers.filter(attempt_question__attempt__assignment__isnull=True)
    if assignment == "all":
        return answers.filter(attempt_question__attempt__assignment__group=group)
    if assignment:
        return answers.filter(
            attempt_question__attempt__assignment__group=group, attempt_question__attempt__assignment_id=assignment
        )
    return answers


def question_analysis(
    *, viewer: User, group: StudyGroup, assignment: str = "", totals: dict[int, float] | None = None
) -> QuestionAnalysis:
    """Per question: answers, correct share, the most common wrong answers and the discrimination
    between the top and bottom thirds of members. Four queries (three given `totals`, each member's
    credit over the same answers, as report_analysis() reads them with the chart's)."""
    answers = analysed_answers(viewer=viewer, group=group, assignment=assignment)
    user = F("attempt_question__attempt__user_id")
    question = F("attempt_question__question_id")

    if totals is None:
        rows = answers.values_list(user).annotate(total=Sum("credit")).order_by()
        totals = {member: total or 0.0 for member, total in rows}
    ranking = sorted(((total, member) for member, total in totals.items()), key=lambda r: (-r[0], r[1]))
    third = len(ranking) // 3
    top = [member for _total, member in ranking[:third]]
    bottom = [member for _total, member in ranking[len(ranking) - third :]] if third else []

    right = Q(is_correct=True)
    stats = list(
        answers.values(question_id=question)
        .annotate(
            n=Count("id"),
            right=Count("id", filter=right),
            top_n=Count("id", filter=Q(attempt_question__attempt__user_id__in=top)),
            top_right=Count("id", filter=right & Q(attempt_question__attempt__user_id__in=top)),
            bottom_n=Count("id", filter=Q(attempt_question__attempt__user_id__in=bottom)),
            bottom_right=Count("id", filter=right & Q(attempt_question__attempt__user_id__in=bottom)),
        )
        .order_by()
    )
    questions = Question.objects.in_bulk([row["question_id"] for row in stats])
    wrong: dict[int, Counter[str]] = defaultdict(Counter)
    # The answers as their stored JSON text: decoded (and taken apart by the kind) only the first time
    # this process meets that answer to that question as it now stands (wrong_texts_memo()).
    wrong_rows = (
        answers.filter(is_correct=False)
        .values_list(question, Cast("given", TextField()), Cast("marks", TextField()))
        .annotate(n=Count("id"))
        .order_by()
    )
    normalised: dict[str, str] = {}
    signatures: dict[int, str] = {}
    for question_id, given, marks, n in wrong_rows:
        found = questions.get(question_id)
        if found is not None:
            if question_id not in signatures:
                signatures[question_id] = question_signature(found)
            for text in wrong_texts_memo(found, signatures[question_id], given, marks, normalised):
                wrong[question_id][text] += n

    result = []
    for row in stats:
        found = questions.get(row["question_id"])
        if found is None:
            continue
        result.append(
            QuestionStat(
                question=found,
                answers=row["n"],
                correct=row["right"],
                top_share=row["top_right"] / row["top_n"] if row["top_n"] else None,
                bottom_share=row["bottom_right"] / row["bottom_n"] if row["bottom_n"] else None,
                wrong_answers=sorted(wrong[found.pk].items(), key=lambda item: (-item[1], item[0]))[:COMMON_WRONG],
            )
        )
    result.sort(key=lambda stat: (stat.correct_share, -stat.answers, stat.question.position, stat.question.pk))
    return QuestionAnalysis(questions=result, ranked_members=len(ranking), third=third)


# (question signature, given as stored, marks as stored) → the wrong parts; a pure function of its key,
# kept per process so that a report does not take every answer apart again on each request (a re-marked
# answer has other marks, an edited question another signature: another key). Emptied when full.
WRONG_TEXTS_MEMO: dict[tuple[str, str, str], list[str]] = {}
WRONG_TEXTS_MEMO_SIZE = 200_000


def question_signature(question: Question) -> str:
    """What a kind may read of `question` to take an answer apart, as one text."""
    return json.dumps(
        [
            question.pk,
            question.type,
            question.blanks,
            question.choices,
            question.pairs,
            question.correct_choices,
            question.answer_index,
        ],
        ensure_ascii=False,
        sort_keys=True,
    )


def wrong_texts_memo(
    question: Question, signature: str, given: str | None, marks: str | None, cache: dict[str, str]
) -> list[str]:
    """wrong_answer_texts() of an answer given as its stored JSON text, remembered per process."""
    key = (signature, given or "null", marks or "null")
    found = WRONG_TEXTS_MEMO.get(key)
    if found is None:
        decoded_given = json.loads(given) if given is not None else None
        decoded_marks = json.loads(marks) if marks is not None else []
        found = wrong_answer_texts(question, decoded_given, decoded_marks, cache)
        if len(WRONG_TEXTS_MEMO) >= WRONG_TEXTS_MEMO_SIZE:
            WRONG_TEXTS_MEMO.clear()
        WRONG_TEXTS_MEMO[key] = found
    return found


def wrong_answer_texts(question: Question, given: Any, marks: Sequence[Any], cache: dict[str, str]) -> list[str]:
    """The wrong parts of one answer, as its kind counts them (a fill-in's blanks normalised as
    checking.normalize() does, remembered in `cache` across answers)."""

    def normalise(text: str) -> str:
        if text not in cache:
            cache[text] = normalize(text)
        return cache[text]

    return question.kind.wrong_answer_texts(question, given, list(marks or []), normalise)


# --- Scores over time --------------------------------------------------------------------------------


def score_timeline(*, viewer: User, group: StudyGroup, assignment: str = "") -> ScoreChart:
    """The mean score of the analysed answers per study day, or per week past 60 days: one query."""
    rows = (
        analysed_answers(viewer=viewer, group=group, assignment=assignment)
        .annotate(day=StudyDate("answered_at"))
        .values("day")
        .annotate(mean=Avg("credit"), n=Count("id"))
        .order_by("day")
    )
    return _chart([ScorePoint(row["day"], round(100 * row["mean"], 1), row["n"]) for row in rows])


def report_analysis(*, viewer: User, group: StudyGroup, assignment: str = "") -> tuple[QuestionAnalysis, ScoreChart]:
    """question_analysis() and score_timeline() for the report page, reading the analysed answers once
    for both the members' totals and the days (grouped by member and day): four queries, not five."""
    rows = (
        analysed_answers(viewer=viewer, group=group, assignment=assignment)
        .annotate(day=StudyDate("answered_at"))
        .values_list(F("attempt_question__attempt__user_id"), "day")
        .annotate(total=Sum("credit"), n=Count("id"))
        .order_by()
    )
    totals: dict[int, float] = defaultdict(float)
    days: dict[date, list[float]] = defaultdict(lambda: [0.0, 0])
    for member, day, total, n in rows:
        totals[member] += total or 0.0
        days[day][0] += total or 0.0
        days[day][1] += n
    chart = _chart([ScorePoint(day, round(100 * total / n, 1), int(n)) for day, (total, n) in sorted(days.items())])
    return question_analysis(viewer=viewer, group=group, assignment=assignment, totals=dict(totals)), chart


def _chart(points: list[ScorePoint]) -> ScoreChart:
    weekly = bool(points) and (points[-1].day - points[0].day).days > WEEKLY_AFTER_DAYS
    if weekly:
        weeks: dict[date, list[ScorePoint]] = defaultdict(list)
        for point in points:
            weeks[point.day - timedelta(days=point.day.weekday())].append(point)
        points = [
            ScorePoint(
                monday,
                round(sum(p.mean * p.answers for p in week) / sum(p.answers for p in week), 1),
                sum(p.answers for p in week),
            )
            for monday, week in sorted(weeks.items())
        ]
    return ScoreChart(points=points, weekly=weekly)
