"""Keeping the daily aggregates the organisation reports read (models.DailyActivity).

The aggregates move with the writes they count, in the same transaction:

* an answer recorded (services.answering): +1 answer, its correctness and credit, on the study day
  it was given, and +1 quiz finished when it was the attempt's last question;
* a quiz finished without an answer (its time ran out: services.attempt_time_out, whose timed-out
  answers to the questions left are no answers given, here as in the daily goal; or closed as stale
  when a new practice quiz starts): +1 quiz finished on the study day it ended;
* answers re-marked (curation.remarking.accept_synonym): their correctness and credit moved by the
  difference, on the days they were given.

Each is one statement whatever is counted: an INSERT … ON CONFLICT DO UPDATE that adds to the row
(SQLite ≥ 3.24 and PostgreSQL share the syntax), so the first answer of a day costs what the others do.
`activity_rebuild()` recomputes every row from the answers and attempts; the tests hold the kept rows
to it.

Each person's days summed over all time (models.ActivityTotal, what the report's 全部时间 reads) are
kept by the database, by triggers on the day rows (the migration …_activity_totals): whatever writes
a day moves the total in the same statement. `totals_kept()` and `totals_computed()` let the tests hold
them to the days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import cache
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Field, IntegerField, Sum
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from .core.rules import STUDY_TIMEZONE, study_day
from .models import ActivityTotal, DailyActivity

# (user id, study day) → (answers, correct, credit, finished) to add
Deltas = Mapping[tuple[int, date], tuple[int, int, float, int]]

UPSERT_BATCH = 500


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


def _upsert_sql(rows: int) -> str:
    return _upsert_sql_for(connection.vendor, rows)


@cache
def _upsert_sql_for(vendor: str, rows: int) -> str:
    """Built once per process and size: every answer runs it, and composing it cost a tenth of an answer."""
    table = connection.ops.quote_name(DailyActivity._meta.db_table)
    names = ["user_id", "day", "answers", "correct", "credit", "finished"]
    columns = ", ".join(connection.ops.quote_name(name) for name in names)
    values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * rows)
    added = ", ".join(
        f"{connection.ops.quote_name(name)} = {table}.{connection.ops.quote_name(name)} + excluded.{connection.ops.quote_name(name)}"
        for name in names[2:]
    )
    conflict = f"{connection.ops.quote_name('user_id')}, {connection.ops.quote_name('day')}"
    return f"INSERT INTO {table} ({columns}) VALUES {values} ON CONFLICT ({conflict}) DO UPDATE SET {added}"


def answer_day(
    *, user_id: int, answered_at: datetime, is_correct: bool, credit: float, finished: bool = False
) -> list[Any]:
    """The parameters of answer_day_sql(): what activity_answer() adds, for a statement that
    writes the answer too (quizzes.step_reads.answer_write)."""
    day = connection.ops.adapt_datefield_value(study_day(answered_at))
    return [user_id, day, 1, int(is_correct), credit, int(finished)]


def answer_day_sql(source: str) -> str:
    """activity_answer()'s upsert with its row (answer_day()'s six parameters) selected FROM
    `source`, a table expression: no row is added to when `source` has none."""
    return _answer_day_sql_for(connection.vendor, source)


@cache
def _answer_day_sql_for(vendor: str, source: str) -> str:
    names = ("user", "day", "answers", "correct", "credit", "finished")
    fields = [DailyActivity._meta.get_field(name) for name in names]
    types = [field.db_type(connection) for field in fields if isinstance(field, Field)]
    values = ", ".join(f"CAST(%s AS {kind})" for kind in types)
    insert, _values, rest = _upsert_sql(1).partition(" VALUES ")
    return f"{insert} SELECT {values} FROM {source} ON CONFLICT {rest.partition(' ON CONFLICT ')[2]}"


def activity_add(deltas: Deltas) -> None:
    """Add `deltas` to the people's days, creating the rows that are missing: one statement per
    UPSERT_BATCH days (one for an answer)."""
    items = [(key, value) for key, value in deltas.items() if any(value)]
    for start in range(0, len(items), UPSERT_BATCH):
        batch = items[start : start + UPSERT_BATCH]
        params: list[Any] = []
        for (user_id, day), (answers, correct, credit, finished) in batch:
            params += [user_id, connection.ops.adapt_datefield_value(day), answers, correct, credit, finished]
        with connection.cursor() as cursor:
            cursor.execute(_upsert_sql(len(batch)), params)


def activity_answer(
    *, user_id: int, answered_at: datetime, is_correct: bool, credit: float, finished: bool = False
) -> None:
    """An answer was recorded (and it finished its quiz, when `finished`): one statement."""
    activity_add({(user_id, study_day(answered_at)): (1, int(is_correct), credit, int(finished))})


def activity_finished(*, user_id: int, finished_at: datetime, count: int = 1) -> None:
    """`count` quizzes of the person ended at `finished_at` without an answer (deadline, stale)."""
    if count:
        activity_add({(user_id, study_day(finished_at)): (0, 0, 0.0, count)})


def activity_remarked(changes: Iterable[tuple[int, int, bool, float, bool, float]]) -> None:
    """Answers were re-marked: (answer id, user id, was correct, old credit, is correct, new credit)
    each. Moves correctness and credit on the days they were given: two statements."""
    from .models import Answer

    changes = list(changes)
    if not changes:
        return
    answered = dict(Answer.objects.filter(pk__in=[change[0] for change in changes]).values_list("pk", "answered_at"))
    sums: dict[tuple[int, date], list[float]] = defaultdict(lambda: [0, 0.0])
    for answer_id, user_id, was_correct, old_credit, is_correct, new_credit in changes:
        entry = sums[(user_id, study_day(answered[answer_id]))]
        entry[0] += int(is_correct) - int(was_correct)
        entry[1] += new_credit - old_credit
    activity_add({key: (0, int(correct), credit, 0) for key, (correct, credit) in sums.items()})


def activity_computed() -> dict[tuple[int, date], tuple[int, int, float, int]]:
    """Every person's days computed from scratch from the answers and the attempts (two grouped
    queries): what the kept rows must equal."""
    from .models import Answer, Attempt

    figures: dict[tuple[int, date], list[float]] = defaultdict(lambda: [0, 0, 0.0, 0])
    answers = (
        Answer.objects.filter(timed_out=False)  # a question left unanswered when time ran out was not answered
        .annotate(day=StudyDate("answered_at"))
        .values("attempt_question__attempt__user_id", "day")
        .annotate(n=Count("id"), right=Sum(Cast("is_correct", IntegerField())), total=Sum("credit"))
        .order_by()
    )
    for row in answers:
        entry = figures[(row["attempt_question__attempt__user_id"], row["day"])]
        entry[0], entry[1], entry[2] = row["n"], row["right"] or 0, row["total"] or 0.0
    finished = (
        Attempt.objects.filter(finished_at__isnull=False)
        .annotate(day=StudyDate("finished_at"))
        .values("user_id", "day")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in finished:
        figures[(row["user_id"], row["day"])][3] = row["n"]
    return {key: (int(a), int(c), float(cr), int(f)) for key, (a, c, cr, f) in figures.items()}


@transaction.atomic
def activity_rebuild() -> int:
    """Recompute every DailyActivity row from scratch (after a bulk load, or to check); returns the
    number of rows."""
    figures = activity_computed()
    DailyActivity.objects.all().delete()
    DailyActivity.objects.bulk_create(
        [
            DailyActivity(user_id=user_id, day=day, answers=a, correct=c, credit=cr, finished=f)
            for (user_id, day), (a, c, cr, f) in figures.items()
        ],
        batch_size=2000,
    )
    return len(figures)


def activity_kept() -> dict[tuple[int, date], tuple[int, int, float, int]]:
    """The rows as kept, in the shape of activity_computed()."""
    return {
        (user_id, day): (a, c, cr, f)
        for user_id, day, a, c, cr, f in DailyActivity.objects.values_list(
            "user_id", "day", "answers", "correct", "credit", "finished"
        )
    }


def totals_kept() -> dict[int, tuple[int, int, float, int]]:
    """Each person's all-time total as the triggers keep it (models.ActivityTotal), without the
    people whose days were all deleted (their total is left at nothing)."""
    return {
        user_id: (a, c, cr, f)
        for user_id, a, c, cr, f in ActivityTotal.objects.values_list(
            "user_id", "answers", "correct", "credit", "finished"
        )
        if a or c or f or abs(cr) > 1e-9
    }


def totals_computed() -> dict[int, tuple[int, int, float, int]]:
    """Each person's days summed (one grouped query): what totals_kept() must equal."""
    rows = (
        DailyActivity.objects.values("user_id")
        .annotate(a=Sum("answers"), c=Sum("correct"), cr=Sum("credit"), f=Sum("finished"))
        .order_by()
    )
    return {
        row["user_id"]: (row["a"], row["c"], row["cr"], row["f"])
        for row in rows
        if row["a"] or row["c"] or row["f"] or abs(row["cr"] or 0) > 1e-9
    }
