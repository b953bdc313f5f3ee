"""What a group's answers say, for its trainers: the per-question analysis and the scores over
time. Each costs a fixed number of queries, whatever the size of the group.

What the numbers mean
---------------------
Per-question analysis (逐题分析)
    Over the answers given on the chosen assignment, on all the group's assignments
    (`?assignment=all`), or, with none chosen, over every answer of the group's members that the
    viewer sees (quizzes/visibility.py: for a trainer, practice only since the member joined).
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
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from studyapp.people.models import StudyGroup

from .. import visibility
from ..core.checking import normalize
from ..core.rules import STUDY_TIMEZONE
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
    of them ("all"), or (`""`) every answer of the group's members that `viewer` sees."""
    answers = visibility.answers_seen(viewer, group)
    if assignment == "all":
        return answers.filter(attempt_question__attempt__assignment__group=group)
    if assignment:
        return answers.filter(
            attempt_question__attempt__assignment__group=group, attempt_question__attempt__assignment_id=assignment
        )
    return answers


def question_analysis(*, viewer: User, group: StudyGroup, assignment: str = "") -> QuestionAnalysis:
    """Per question: answers, correct share, the most common wrong answers and the discrimination
    between the top and bottom thirds of members. Four queries."""
    answers = analysed_answers(viewer=viewer, group=group, assignment=assignment)
    user = F("attempt_question__attempt__user_id")
    question = F("attempt_question__question_id")

    totals = answers.values(member=user).annotate(total=Sum("credit")).order_by()
    ranking = sorted(((row["total"] or 0.0, row["member"]) for row in totals), key=lambda r: (-r[0], r[1]))
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
    wrong_rows = (
        answers.filter(is_correct=False)
        .values("given", "marks", question_id=question)
        .annotate(n=Count("id"))
        .order_by()
    )
    normalised: dict[str, str] = {}
    for row in wrong_rows:
        found = questions.get(row["question_id"])
        if found is not None:
            for text in wrong_answer_texts(found, row["given"], row["marks"], normalised):
                wrong[found.pk][text] += row["n"]

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


def wrong_answer_texts(question: Question, given: Any, marks: Sequence[Any], cache: dict[str, str]) -> list[str]:
    """The wrong parts of one answer, as its kind counts them (a fill-in's blanks normalised as
    checking.normalize() does, remembered in `cache` across answers)."""

    def normalise(text: str) -> str:
        if text not in cache:
            cache[text] = normalize(text)
        return cache[text]

    return question.kind.wrong_answer_texts(question, given, list(marks or []), normalise)


# --- Scores over time --------------------------------------------------------------------------------


class StudyDate(TruncDate):
    """The Asia/Shanghai date of a datetime, in SQL.

    On SQLite, Django converts time zones with a Python function called once per row (a second per
    100,000 answers); China keeps one offset all year (UTC+8, no summer time), so SQLite's own
    date() with that offset gives the same day, in the database's time. Elsewhere: TruncDate.
    """

    def __init__(self, expression: str) -> None:
        super().__init__(expression, tzinfo=STUDY_TIMEZONE)

    def as_sqlite(self, compiler, connection, **extra_context):
        offset = timezone.now().astimezone(STUDY_TIMEZONE).utcoffset()
        hours = int(offset.total_seconds() // 3600) if offset else 0
        sql, params = compiler.compile(self.lhs)
        # Django stores aware datetimes on SQLite as UTC text "YYYY-MM-DD HH:MM:SS[.ffffff]".
        return f"date({sql}, '{hours:+d} hours')", params


def score_timeline(*, viewer: User, group: StudyGroup, assignment: str = "") -> ScoreChart:
    """The mean score of the analysed answers per study day, or per week past 60 days: one query."""
    rows = (
        analysed_answers(viewer=viewer, group=group, assignment=assignment)
        .annotate(day=StudyDate("answered_at"))
        .values("day")
        .annotate(mean=Avg("credit"), n=Count("id"))
        .order_by("day")
    )
    points = [ScorePoint(row["day"], round(100 * row["mean"], 1), row["n"]) for row in rows]
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
