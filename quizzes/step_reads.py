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


@dataclass(frozen=True)
class _Read:
    tables: tuple[_Table, ...]  # whose columns are selected, in this order
    condition: Callable[[Callable[[_Table, str], str]], str]  # the WHERE clause, given a column reference


FIRST_UNANSWERED = _Read(
    (ITEM, ATTEMPT, QUESTION),
    lambda ref: (
        f"{ref(ITEM, 'attempt')} = %s AND {ref(ATTEMPT, 'user')} = %s AND {ref(ANSWER, 'id')} IS NULL"
        f" ORDER BY {ref(ITEM, 'position')} LIMIT 1"
    ),
)
ITEM_WITH_ANSWER = _Read(
    (ITEM, ATTEMPT, QUESTION, ANSWER),
    lambda ref: f"{ref(ITEM, 'id')} = %s AND {ref(ITEM, 'attempt')} = %s AND {ref(ATTEMPT, 'user')} = %s",
)


def first_unanswered_item(*, attempt_id: int, user_id: int, using: str = "default") -> AttemptQuestion | None:
    """The first question (by position) without an answer in attempt `attempt_id` of user `user_id`,
    with `.attempt` and `.question` loaded; None when every one is answered or the attempt is not theirs."""
    rows = _run(FIRST_UNANSWERED, [attempt_id, user_id], using)
    return _linked(*rows[0]) if rows else None  # no answer columns: `answer` stays None


def item_with_answer(*, item_id: int, attempt_id: int, user_id: int, using: str = "default") -> AttemptQuestion | None:
    """Item `item_id` of attempt `attempt_id` of user `user_id` with `.attempt`, `.question` and
    `.answer` (the reverse one-to-one; None if unanswered) loaded; None when there is no such item."""
    rows = _run(ITEM_WITH_ANSWER, [item_id, attempt_id, user_id], using)
    return _linked(*rows[0]) if rows else None


def _linked(
    item: AttemptQuestion, attempt: Attempt, question: Question, answer: Answer | None = None
) -> AttemptQuestion:
    # Filled as select_related fills them: reading item.attempt, item.question or item.answer
    # (which raises Answer.DoesNotExist when there is none) makes no query.
    AttemptQuestion._meta.get_field("attempt").set_cached_value(item, attempt)
    AttemptQuestion._meta.get_field("question").set_cached_value(item, question)
    # item.answer is the reverse side of Answer.attempt_question: its remote_field, the object
    # AttemptQuestion._meta.get_field("answer") returns (reached without a failed forward lookup).
    attempt_question = Answer._meta.get_field("attempt_question")
    attempt_question.remote_field.set_cached_value(item, answer)
    if answer is not None:
        attempt_question.set_cached_value(answer, item)
    return item


# --- SQL, built once per database ---------------------------------------------------------------


@cache
def _sql(read: _Read, vendor: str, using: str) -> str:
    """SELECT the columns of `read.tables` FROM the item joined to its attempt, question and any
    answer, WHERE `read.condition`."""
    q = connections[using].ops.quote_name

    def ref(table: _Table, name: str) -> str:
        return f"{q(table.alias)}.{q(_column(table, name))}"

    def table(part: _Table) -> str:
        return f"{q(part.model._meta.db_table)} {q(part.alias)}"

    columns = ", ".join(f"{q(part.alias)}.{q(field.column)}" for part in read.tables for field in part.fields)
    return (
        f"SELECT {columns} FROM {table(ITEM)}"
        f" INNER JOIN {table(ATTEMPT)} ON {ref(ATTEMPT, 'id')} = {ref(ITEM, 'attempt')}"
        f" INNER JOIN {table(QUESTION)} ON {ref(QUESTION, 'id')} = {ref(ITEM, 'question')}"
        f" LEFT OUTER JOIN {table(ANSWER)} ON {ref(ANSWER, 'attempt_question')} = {ref(ITEM, 'id')}"
        f" WHERE {read.condition(ref)}"
    )


def _column(table: _Table, name: str) -> str:
    """The database column of field `name` of `table`'s model (a concrete field: a join or a condition)."""
    field = table.model._meta.get_field(name)
    if not isinstance(field, Field) or field.column is None:
        raise TypeError(f"{table.model.__name__}.{name} is not a field with a column")
    return field.column


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


def _run(read: _Read, params: list[Any], using: str) -> list[list[Any]]:
    """Each row as the instances of `read.tables`, in order (None for an outer join that found no
    row): a model per position, which callers unpack into typed parameters (hence Any)."""
    if any(not -(2**63) <= value < 2**63 for value in params):
        return []  # no row has such an id (and the database would refuse the number)
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(_sql(read, connection.vendor, using), params)
        rows = cursor.fetchall()
    return [_instances(row, read.tables, connection, using) for row in rows]


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
