"""The reads and writes behind every quiz step, in SQL put together once per process.

Showing a question and recording an answer each start by reading the attempt's item with its
attempt and question (and, for an answer, any answer already recorded and, on PostgreSQL, the
learner's states of the points it may rate). Composing that join through
the ORM took several times longer than the database took to answer it, on the busiest path of the
app; here the SQL is built once from the models' own metadata, and each row becomes model instances
through the fields' own converters: the same objects `select_related` gives, with related caches
filled, so templates and services see no difference.

Recording an answer (quizzes.services) writes the same way: the attempt's counters moved on in one
UPDATE that is also the lock (it takes the row, and matches only an open attempt of the user), the
answer inserted, the learner's point states read (locked) and upserted. On PostgreSQL all of it is
first tried as one statement on what the read found (answer_write), which writes nothing when
something changed since. Values go in through each field's `get_db_prep_save`, as the ORM's own
inserts and updates send them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import OperationalError, connections
from django.db.models import Field, Model

from . import activity
from .models import Answer, Attempt, AttemptQuestion, PointState, Question


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
    # the WHERE clause, given a column reference and a table as FROM names it (with its alias)
    condition: Callable[[Callable[[_Table, str], str], Callable[[_Table], str]], str]
    # with the learner's states of the points the item may rate (a row each; PostgreSQL's JSON functions)
    with_states: bool = False


_FIRST = _Table(AttemptQuestion, "first")
_ANY_ANSWER = _Table(Answer, "any_answer")
# The item is chosen first (the lowest position without an answer, from the attempt's own items),
# and only that one row is joined: joining every item of the attempt to its question before sorting
# took PostgreSQL twenty times as long.
FIRST_UNANSWERED = _Read(
    (ITEM, ATTEMPT, QUESTION),
    lambda ref, table: (
        f"{ref(ITEM, 'id')} = (SELECT {ref(_FIRST, 'id')} FROM {table(_FIRST)} WHERE {ref(_FIRST, 'attempt')} = %s"
        f" AND NOT EXISTS (SELECT 1 FROM {table(_ANY_ANSWER)}"
        f" WHERE {ref(_ANY_ANSWER, 'attempt_question')} = {ref(_FIRST, 'id')})"
        f" ORDER BY {ref(_FIRST, 'position')} LIMIT 1) AND {ref(ATTEMPT, 'user')} = %s"
    ),
)
ITEM_WITH_ANSWER = _Read(
    (ITEM, ATTEMPT, QUESTION, ANSWER),
    lambda ref, table: f"{ref(ITEM, 'id')} = %s AND {ref(ITEM, 'attempt')} = %s AND {ref(ATTEMPT, 'user')} = %s",
)
STATE = _Table(PointState, "state")
# The same, with the learner's states of the points the answer may rate (see states_read): on
# PostgreSQL, where the answer is then written in one statement.
ITEM_WITH_ANSWER_AND_STATES = _Read((ITEM, ATTEMPT, QUESTION, ANSWER, STATE), ITEM_WITH_ANSWER.condition, True)


def first_unanswered_item(*, attempt_id: int, user_id: int, using: str = "default") -> AttemptQuestion | None:
    """The first question (by position) without an answer in attempt `attempt_id` of user `user_id`,
    with `.attempt` and `.question` loaded; None when every one is answered or the attempt is not theirs."""
    rows = _run(FIRST_UNANSWERED, [attempt_id, user_id], using)
    return _linked(*rows[0]) if rows else None  # no answer columns: `answer` stays None


def item_with_answer(*, item_id: int, attempt_id: int, user_id: int, using: str = "default") -> AttemptQuestion | None:
    """Item `item_id` of attempt `attempt_id` of user `user_id` with `.attempt`, `.question` and
    `.answer` (the reverse one-to-one; None if unanswered) loaded; None when there is no such item."""
    with_states = connections[using].vendor == "postgresql"
    rows = _run(ITEM_WITH_ANSWER_AND_STATES if with_states else ITEM_WITH_ANSWER, [item_id, attempt_id, user_id], using)
    if not rows:
        return None
    item = _linked(*rows[0][:4])
    if with_states:
        states = {state.point_text_key: state for row in rows if isinstance(state := row[4], PointState)}
        item._states_read = (_rated_keys(item), states)  # type: ignore[attr-defined]
    return item


def states_were_read(item: AttemptQuestion) -> bool:
    """Whether item_with_answer() read the learner's point states with `item` (PostgreSQL)."""
    return hasattr(item, "_states_read")


def states_read(item: AttemptQuestion, keys: list[str]) -> dict[str, PointState] | None:
    """The learner's states of the points `keys` as item_with_answer() read them with `item` (by
    text key; a point without one has none), or None when it did not read them all."""
    read = getattr(item, "_states_read", None)
    if read is None or not set(keys) <= read[0]:
        return None
    return {key: read[1][key] for key in keys if key in read[1]}


def _rated_keys(item: AttemptQuestion) -> set[str]:
    """The points whose states ITEM_WITH_ANSWER_AND_STATES reads: the question's source lines and
    the lines of a matching question's pairs (what the kinds' `ratings` rate)."""
    found: set[str] = set()
    for keys in (item.question.source_text_keys, (item.layout or {}).get("pair_keys")):
        if isinstance(keys, list):
            found.update(key for key in keys if isinstance(key, str) and key)
    return found


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
    states = ""
    if read.with_states:

        def elements(json: str) -> str:  # the text elements of a JSON array (none of anything else)
            return f"jsonb_array_elements_text(CASE WHEN jsonb_typeof({json}) = 'array' THEN {json} END)"

        pair_keys = ref(ITEM, "layout") + " -> 'pair_keys'"
        states = (
            f" LEFT OUTER JOIN {table(STATE)} ON {ref(STATE, 'user')} = {ref(ATTEMPT, 'user')}"
            f" AND {ref(STATE, 'point_text_key')} IN (SELECT {elements(ref(QUESTION, 'source_text_keys'))}"
            f" UNION SELECT {elements(pair_keys)})"
        )
    return (
        f"SELECT {columns} FROM {table(ITEM)}"
        f" INNER JOIN {table(ATTEMPT)} ON {ref(ATTEMPT, 'id')} = {ref(ITEM, 'attempt')}"
        f" INNER JOIN {table(QUESTION)} ON {ref(QUESTION, 'id')} = {ref(ITEM, 'question')}"
        f" LEFT OUTER JOIN {table(ANSWER)} ON {ref(ANSWER, 'attempt_question')} = {ref(ITEM, 'id')}"
        f"{states} WHERE {read.condition(ref, table)}"
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


# --- Writes of an answer -------------------------------------------------------------------------


@dataclass(frozen=True)
class Counted:
    """The attempt's counters as the answer's UPDATE left them."""

    answered_count: int
    correct_count: int
    credit: float
    question_count: int


def attempt_count_answer(
    *,
    attempt_id: int,
    user_id: int,
    now: Any,
    correct: bool,
    credit: float,
    point_keys: list[str] | None = None,
    using: str = "default",
) -> tuple[Counted | None, dict[str, PointState] | None]:
    """Add one answer (right or not, with its credit) to attempt `attempt_id` of user `user_id`, at
    `now`, finishing it with its last question: one UPDATE, which also locks the row until the
    transaction ends. None, with nothing changed, when the attempt is not the user's or takes no
    answers at `now` (finished, or past its deadline).

    With `point_keys`, the learner's states of those points too, as point_states() reads them, where
    the database takes both statements in one round trip (PostgreSQL); None where it does not."""
    connection = connections[using]
    when = _prep(Attempt, "last_answer_at", now, connection)
    params: list[Any] = [int(correct), credit, when, when, attempt_id, user_id, when]
    together = bool(point_keys) and _multiple_statements(connection)
    sql = _count_sql(connection.vendor, using)
    if together:
        assert point_keys is not None
        sql = f"{sql}; {_states_sql(len(point_keys), connection.vendor, using)}"
        params += [user_id, *point_keys]
    states = None
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        if together:
            cursor.nextset()
            states = _states_from(cursor.fetchall(), connection, using)
    counted = Counted(int(row[0]), int(row[1]), float(row[2]), int(row[3])) if row else None
    return counted, states


def answer_write(
    *,
    answer: Answer,
    attempt: Attempt,
    user_id: int,
    day: list[Any],
    states: list[PointState],
    read: dict[str, PointState],
    using: str = "default",
) -> Counted | None:
    """Record `answer` (not saved yet) to attempt `attempt` of user `user_id` in ONE statement
    (PostgreSQL's data-modifying WITH queries, so no BEGIN and COMMIT either): the attempt's counters
    moved on as attempt_count_answer() moves them, the answer inserted, the day's aggregates added to
    (`day`: what quizzes.activity.answer_day gives) and the point states `states` upserted.

    Only if nothing changed since `attempt` and the states `read` were read: the UPDATE matches the
    attempt only while open and still at `attempt.answered_count` answers (it is the lock, as on the
    other path), and a state is replaced only while it is as read (its repetitions and card), one not
    read only if it still does not exist. Otherwise nothing is written and None returned, for the
    caller's transaction to record the answer on what it reads then. IntegrityError when the question
    has an answer already (the one-to-one), with nothing written either."""
    connection = connections[using]
    when = _prep(Attempt, "last_answer_at", answer.answered_at, connection)
    credit, correct = answer.credit, int(answer.is_correct)
    params: list[Any] = [correct, credit, when, when, attempt.pk, user_id, when, attempt.answered_count]
    params += [field.get_db_prep_save(getattr(answer, field.attname), connection) for field in _insert_fields(Answer)]
    params += day
    fields = _insert_fields(PointState)
    params += [
        field.get_db_prep_save(getattr(state, field.attname), connection) for state in states for field in fields
    ]
    for state in read.values():
        params += [state.point_text_key, state.reps, _prep(PointState, "card", state.card, connection)]
    params.append(len(states))
    sql = _write_sql(len(states), len(read), using)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == CHANGED_SINCE_READ:
            return None  # a state changed since it was read: nothing was written
        raise
    if row is None:
        return None
    answer.pk = row[4]
    answer._state.adding = False
    answer._state.db = using
    return Counted(int(row[0]), int(row[1]), float(row[2]), int(row[3]))


# The SQLSTATE of the error answer_write's statement raises to undo itself (serialization_failure):
# a state it was to replace is no longer as read. Raised by the function the migration
# quizzes.0012_answer_changed_since_read defines.
CHANGED_SINCE_READ = "40001"


@cache
def _write_sql(states: int, read: int, using: str) -> str:
    connection = connections[using]
    q = connection.ops.quote_name

    def typed(field: Field) -> str:  # a parameter of the field's type (a SELECT list types no literal)
        kind = "text" if field.get_internal_type() in ("CharField", "TextField") else field.db_type(connection)
        return f"CAST(%s AS {kind})"

    answer_fields = _insert_fields(Answer)
    state_fields = _insert_fields(PointState)
    state_table = q(PointState._meta.db_table)
    count = _count_sql(connection.vendor, using).replace(
        " RETURNING ", f" AND {q(_column(ATTEMPT, 'answered_count'))} = %s RETURNING ", 1
    )
    parts = [
        f"{q('counted')} AS ({count})",
        f"{q('answer')} AS (INSERT INTO {q(Answer._meta.db_table)} ({', '.join(q(f.column) for f in answer_fields)})"
        f" SELECT {', '.join(typed(f) for f in answer_fields)} FROM {q('counted')} RETURNING {q(Answer._meta.pk.column)})",
        # RETURNING, for the states to wait for the day: its row is written (and locked) before the
        # states, as in the transaction of several statements, so that the two paths take their locks
        # in one order (the other way round, two answers of one learner could deadlock).
        f"{q('day')} AS ({activity.answer_day_sql(q('answer'))} RETURNING 1)",
    ]
    if states:
        row = "(" + ", ".join(typed(f) for f in state_fields) + ")"
        columns = ", ".join(q(f.column) for f in state_fields)
        unique = ", ".join(q(_column(STATE, name)) for name in ("user", "point_text_key"))
        kept = {_column(STATE, name) for name in ("user", "point_text_key")}
        updates = ", ".join(f"{q(f.column)} = excluded.{q(f.column)}" for f in state_fields if f.column not in kept)
        as_read = "FALSE"
        if read:
            key, reps, card = (
                f"{state_table}.{q(_column(STATE, name))}" for name in ("point_text_key", "reps", "card")
            )
            expected = ", ".join(["(CAST(%s AS text), CAST(%s AS integer), CAST(%s AS jsonb))"] * read)
            as_read = f"({key}, {reps}, {card}) IN (VALUES {expected})"
        parts.append(
            f"{q('states')} AS (INSERT INTO {state_table} ({columns})"
            f" SELECT * FROM (VALUES {', '.join([row] * states)}) AS {q('new')} ({columns})"
            f" WHERE EXISTS (SELECT 1 FROM {q('day')})"
            f" ON CONFLICT ({unique}) DO UPDATE SET {updates} WHERE {as_read} RETURNING 1)"
        )
        written = f"(SELECT COUNT(*) FROM {q('states')})"
    else:
        written = "0"
    counters = ", ".join(
        f"{q('counted')}.{q(_column(ATTEMPT, name))}"
        for name in ("answered_count", "correct_count", "credit", "question_count")
    )
    return (
        f"WITH {', '.join(parts)} SELECT {counters}, (SELECT {q(Answer._meta.pk.column)} FROM {q('answer')}),"
        f" CASE WHEN {written} = %s THEN 0 ELSE answer_changed_since_read() END FROM {q('counted')}"
    )


def _multiple_statements(connection) -> bool:
    # psycopg binds parameters on the client unless told otherwise (Django's default), and then
    # sends several statements as one query.
    return connection.vendor == "postgresql" and not connection.settings_dict["OPTIONS"].get("server_side_binding")


def answer_insert(answer: Answer, using: str = "default") -> Answer:
    """INSERT `answer` (not saved yet) and set its primary key; IntegrityError when its question
    has an answer already (the one-to-one)."""
    connection = connections[using]
    fields = _insert_fields(Answer)
    params = [field.get_db_prep_save(getattr(answer, field.attname), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(Answer, connection.vendor, using), params)
        answer.pk = cursor.fetchone()[0]
    answer._state.adding = False
    answer._state.db = using
    return answer


def last_answer_time(*, attempt_id: int, using: str = "default") -> Any:
    """When the latest answer recorded in attempt `attempt_id` was given (None without answers)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(_last_answer_sql(connection.vendor, using), [attempt_id])
        value = cursor.fetchone()[0]
    return _convert(Answer, "answered_at", value, connection, using)


def point_states(*, user_id: int, keys: list[str], using: str = "default") -> dict[str, PointState]:
    """The learner's states of the points `keys`, by text key, locked (where the database locks
    rows) until the transaction ends."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(_states_sql(len(keys), connection.vendor, using), [user_id, *keys])
        return _states_from(cursor.fetchall(), connection, using)


def _states_from(rows: list[tuple], connection, using: str) -> dict[str, PointState]:
    states = [state for row in rows for state in _instances(row, (STATE,), connection, using)]
    return {state.point_text_key: state for state in states if isinstance(state, PointState)}


def point_states_save(states: list[PointState], using: str = "default") -> None:
    """Insert `states`, or update the learner's existing state of the same point: one statement."""
    if not states:
        return
    connection = connections[using]
    fields = _insert_fields(PointState)
    params = [field.get_db_prep_save(getattr(state, field.attname), connection) for state in states for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(_states_upsert_sql(len(states), connection.vendor, using), params)


def _prep(model: type[Model], name: str, value: Any, connection) -> Any:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)
    return field.get_db_prep_save(value, connection)


def _convert(model: type[Model], name: str, value: Any, connection, using: str) -> Any:
    table = _Table(model, model._meta.db_table)
    layout = _layout(using, table)
    field = model._meta.get_field(name)
    assert isinstance(field, Field)
    index = layout.attnames.index(field.attname)
    for position, converters, column in layout.converters:
        if position == index:
            for converter in converters:
                value = converter(value, column, connection)
    return value


def _insert_fields(model: type[Model]) -> list[Field]:
    return [field for field in model._meta.concrete_fields if not field.primary_key]


@cache
def _count_sql(vendor: str, using: str) -> str:
    q = connections[using].ops.quote_name
    table = q(Attempt._meta.db_table)

    def c(name: str) -> str:
        return q(_column(ATTEMPT, name))

    return (
        f"UPDATE {table} SET {c('answered_count')} = {c('answered_count')} + 1,"
        f" {c('correct_count')} = {c('correct_count')} + %s, {c('credit')} = {c('credit')} + %s,"
        f" {c('last_answer_at')} = %s,"
        f" {c('finished_at')} = CASE WHEN {c('answered_count')} + 1 >= {c('question_count')} THEN %s END"
        f" WHERE {c('id')} = %s AND {c('user')} = %s AND {c('finished_at')} IS NULL"
        f" AND ({c('deadline')} IS NULL OR {c('deadline')} >= %s)"
        f" RETURNING {c('answered_count')}, {c('correct_count')}, {c('credit')}, {c('question_count')}"
    )


@cache
def _insert_sql(model: type[Model], vendor: str, using: str) -> str:
    q = connections[using].ops.quote_name
    fields = _insert_fields(model)
    columns = ", ".join(q(field.column) for field in fields)
    values = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {q(model._meta.db_table)} ({columns}) VALUES ({values}) RETURNING {q(model._meta.pk.column)}"


@cache
def _last_answer_sql(vendor: str, using: str) -> str:
    q = connections[using].ops.quote_name

    def ref(table: _Table, name: str) -> str:
        return f"{q(table.alias)}.{q(_column(table, name))}"

    return (
        f"SELECT MAX({ref(ANSWER, 'answered_at')}) FROM {q(Answer._meta.db_table)} {q(ANSWER.alias)}"
        f" INNER JOIN {q(AttemptQuestion._meta.db_table)} {q(ITEM.alias)}"
        f" ON {ref(ITEM, 'id')} = {ref(ANSWER, 'attempt_question')} WHERE {ref(ITEM, 'attempt')} = %s"
    )


@cache
def _states_sql(count: int, vendor: str, using: str) -> str:
    connection = connections[using]
    q = connection.ops.quote_name
    columns = ", ".join(f"{q(STATE.alias)}.{q(field.column)}" for field in STATE.fields)
    keys = ", ".join(["%s"] * count)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return (
        f"SELECT {columns} FROM {q(PointState._meta.db_table)} {q(STATE.alias)}"
        f" WHERE {q(STATE.alias)}.{q(_column(STATE, 'user'))} = %s"
        f" AND {q(STATE.alias)}.{q(_column(STATE, 'point_text_key'))} IN ({keys})"
        f" ORDER BY {q(STATE.alias)}.{q(_column(STATE, 'point_text_key'))}{lock}"
    )


@cache
def _states_upsert_sql(count: int, vendor: str, using: str) -> str:
    q = connections[using].ops.quote_name
    fields = _insert_fields(PointState)
    columns = ", ".join(q(field.column) for field in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    unique = ", ".join(q(_column(STATE, name)) for name in ("user", "point_text_key"))
    kept = {_column(STATE, name) for name in ("user", "point_text_key")}
    updates = ", ".join(
        f"{q(field.column)} = excluded.{q(field.column)}" for field in fields if field.column not in kept
    )
    return (
        f"INSERT INTO {q(PointState._meta.db_table)} ({columns}) VALUES {', '.join([row] * count)}"
        f" ON CONFLICT ({unique}) DO UPDATE SET {updates}"
    )
