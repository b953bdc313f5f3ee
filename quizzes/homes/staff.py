"""The admin's home: the active document, its latest imports, the question bank and how much people
study.

What the figures mean
---------------------
Question bank (题库)
    Active questions in all and per kind (bank.bank_counts(), as on the bank page); questions waiting
    for a review (待复核) and learners' reports still open (待处理反馈, handled at /staff/bank/).
Usage (使用情况)
    From the daily aggregates (models.DailyActivity, one row per person and study day, Asia/Shanghai):
    learners active = people with at least one answer that day (today) or on any of the last seven
    study days including today; answers = the answers given over the same days.

Five queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from studyapp.documents import selectors as documents
from studyapp.documents.models import DocumentVersion, ImportLog

from .. import bank
from ..core.rules import study_day
from ..models import DailyActivity, Question, QuestionReport

RECENT_IMPORTS = 5
WEEK_DAYS = 7


@dataclass(frozen=True)
class Usage:
    active_today: int
    active_week: int
    answers_today: int
    answers_week: int


@dataclass(frozen=True)
class AdminHome:
    version: DocumentVersion | None
    imports: list[ImportLog]
    bank: dict[str, Any]
    needs_review: int
    open_reports: int
    usage: Usage


def usage_figures(now: datetime | None = None) -> Usage:
    """Learners active and answers given, today and over the last seven study days: one query."""
    today = study_day(now or timezone.now())
    week_start = today - timedelta(days=WEEK_DAYS - 1)
    answered_today = Q(day=today, answers__gt=0)
    figures = DailyActivity.objects.filter(day__gte=week_start, day__lte=today, answers__gt=0).aggregate(
        active_today=Count("user_id", filter=answered_today, distinct=True),
        active_week=Count("user_id", distinct=True),
        answers_today=Sum("answers", filter=answered_today),
        answers_week=Sum("answers"),
    )
    return Usage(**{key: value or 0 for key, value in figures.items()})


def admin_home(now: datetime | None = None) -> AdminHome:
    """Everything the admin's home shows: five queries."""
    version = documents.active_version()  # query
    imports = (
        list(
            ImportLog.objects.filter(document_id=version.document_id, action=ImportLog.Action.IMPORT).select_related(
                "user"
            )[:RECENT_IMPORTS]
        )
        if version is not None
        else []
    )  # query
    counts = bank.bank_counts()  # query
    review = Question.objects.aggregate(
        needs_review=Count("id", filter=Q(needs_review=True, is_active=True), distinct=True),
        open_reports=Count("reports", filter=Q(reports__status=QuestionReport.Status.OPEN)),
    )  # query
    return AdminHome(
        version=version,
        imports=imports,
        bank=counts,
        needs_review=review["needs_review"],
        open_reports=review["open_reports"],
        usage=usage_figures(now),  # query
    )
