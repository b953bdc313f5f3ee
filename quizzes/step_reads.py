"""The two reads behind every quiz step, in SQL put together once per process.

Showing a question and recording an answer each start by reading the attempt's item with its
attempt and question (and, for an answer, any answer already recorded). Composing that join through
the ORM took several times longer than the database took to answer it, on the busiest path of the
app; here the SQL is built once from the models' own metadata, and each row becomes model instances
through the fields' own converters: the same objects `select_related` gives, with related caches
filled, so templates and services see no difference.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connections
from django.db.models import Field, Model

from .models import Answer, Attempt, AttemptQuestion, Question


@dataclass(frozen=True)
class _Table:
    model: type[Model]
    alias: str

    @property
    def fields(self) -> list[Field]:
        return list(self.model._meta.concrete_fields)


ITEM = _Table(AttemptQuestion, "item")
ATTEMPT = _Table(Attempt, "attempt")
QUESTION = _Table(Question, "question")
ANSWER = _Table(Answer, "answer")


def first_unanswered_item(*, attempt_id: int, user_id: int, using: str = "default") -> AttemptQuestion | None:
    """The first question (by position) without an answer in attempt `attempt_id` of user `user_id`,
    with `.attempt` and `.question` loaded; None when every one is answered or the attempt is not theirs."""
    rows = _run(_first_unanswered_sql, [attempt_id, user_id], using, (ITEM, ATTEMPT, QUESTION))
    return _linked(*rows[0], None) if rows else None


def item_with_answer(*, item_id: int, attempt_id: int, user_id: int, using: str = "default") -> AttemptQuestion | None:
    """Item `item_id` of attempt `attempt_id` of user `user_id` with `.attempt`, `.question` and
    `.answer` (the reverse one-to-one; None if unanswered) loaded; None when there is no such item."""
    rows = _run(_item_with_answer_sql, [item_id, attempt_id, user_id], using, (ITEM, ATTEMPT, QUESTION, ANSWER))
    return _linked(*rows[0]) if rows else None


def _linked(item: Model, attempt: Model, question: Model, answer: Model | None) -> AttemptQuestion:
    # Filled as select_related fills them: reading item.attempt, item.question or item.answer
    # (which raises Answer.DoesNotExist when there is none) makes no query.
    AttemptQuestion._meta.get_field("attempt").set_cached_value(item, attempt)
    AttemptQuestion._meta.get_field("question").set_cached_value(item, question)
    AttemptQuestion._meta.get_field("answer").set_cached_value(item, answer)
    if answer is not None:
        Answer._meta.get_field("attempt_question").set_cached_value(answer, item)
    return item


# --- SQL, built once per database ---------------------------------------------------------------


@cache
def _first_unanswered_sql(vendor: str, using: str) -> str:
    q = connections[using].ops.quote_name
    return (
        f"SELECT {_columns(q, ITEM, ATTEMPT, QUESTION)}"
        f" FROM {_from(q)}"
        f" LEFT OUTER JOIN {q(Answer._meta.db_table)} {q(ANSWER.alias)}"
        f" ON {q(ANSWER.alias)}.{q(_column(Answer, 'attempt_question'))} = {q(ITEM.alias)}.{q(_pk(AttemptQuestion))}"
        f" WHERE {q(ITEM.alias)}.{q(_column(AttemptQuestion, 'attempt'))} = %s"
        f" AND {q(ATTEMPT.alias)}.{q(_column(Attempt, 'user'))} = %s"
        f" AND {q(ANSWER.alias)}.{q(_pk(Answer))} IS NULL"
        f" ORDER BY {q(ITEM.alias)}.{q(_column(AttemptQuestion, 'position'))} LIMIT 1"
    )


@cache
def _item_with_answer_sql(vendor: str, using: str) -> str:
    q = connections[using].ops.quote_name
    return (
        f"SELECT {_columns(q, ITEM, ATTEMPT, QUESTION, ANSWER)}"
        f" FROM {_from(q)}"
        f" LEFT OUTER JOIN {q(Answer._meta.db_table)} {q(ANSWER.alias)}"
        f" ON {q(ANSWER.alias)}.{q(_column(Answer, 'attempt_question'))} = {q(ITEM.alias)}.{q(_pk(AttemptQuestion))}"
        f" WHERE {q(ITEM.alias)}.{q(_pk(AttemptQuestion))} = %s"
        f" AND {q(ITEM.alias)}.{q(_column(AttemptQuestion, 'attempt'))} = %s"
        f" AND {q(ATTEMPT.alias)}.{q(_column(Attempt, 'user'))} = %s"
    )


def _from(q: Callable[[str], str]) -> str:
    return (
        f"{q(AttemptQuestion._meta.db_table)} {q(ITEM.alias)}"
        f" INNER JOIN {q(Attempt._meta.db_table)} {q(ATTEMPT.alias)}"
        f" ON {q(ATTEMPT.alias)}.{q(_pk(Attempt))} = {q(ITEM.alias)}.{q(_column(AttemptQuestion, 'attempt'))}"
        f" INNER JOIN {q(Question._meta.db_table)} {q(QUESTION.alias)}"
        f" ON {q(QUESTION.alias)}.{q(_pk(Question))} = {q(ITEM.alias)}.{q(_column(AttemptQuestion, 'question'))}"
    )


def _columns(q: Callable[[str], str], *tables: _Table) -> str:
    return ", ".join(f"{q(table.alias)}.{q(field.column)}" for table in tables for field in table.fields)


def _column(model: type[Model], name: str) -> str:
    return model._meta.get_field(name).column


def _pk(model: type[Model]) -> str:
    return model._meta.pk.column


# --- Rows to instances ---------------------------------------------------------------------------

Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True)
class _Layout:
    attnames: list[str]
    pk_index: int
    converters: list[tuple[int, list[Converter], Any]]  # (field index, converters, column)


@cache
def _layout(using: str, table: _Table) -> _Layout:
    """How a row's columns become `table`'s instance: the backend's and the field's converters per
    field, as the ORM's compiler applies them."""
    connection = connections[using]
    converters = []
    for index, field in enumerate(table.fields):
        column = field.get_col(table.alias)
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if found:
            converters.append((index, found, column))
    fields = table.fields
    return _Layout([field.attname for field in fields], fields.index(table.model._meta.pk), converters)


def _run(sql_for: Callable[[str, str], str], params: list[Any], using: str, tables: tuple[_Table, ...]) -> list[list]:
    if any(not -(2**63) <= value < 2**63 for value in params):
        return []  # no row has such an id (and the database would refuse the number)
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(sql_for(connection.vendor, using), params)
        rows = cursor.fetchall()
    return [_instances(row, tables, connection, using) for row in rows]


def _instances(row: tuple, tables: tuple[_Table, ...], connection, using: str) -> list[Model | None]:
    instances: list[Model | None] = []
    start = 0
    for table in tables:
        layout = _layout(using, table)
        values = list(row[start : start + len(layout.attnames)])
        start += len(layout.attnames)
        if values[layout.pk_index] is None:  # an outer join that found no row
            instances.append(None)
            continue
        for index, converters, column in layout.converters:
            for converter in converters:
                values[index] = converter(values[index], column, connection)
        instances.append(table.model.from_db(using, layout.attnames, values))
    return instances
