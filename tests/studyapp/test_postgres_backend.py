"""Proof that ./scripts/test's second pass really runs on PostgreSQL (production's database)."""

import os

import pytest
from django.db import OperationalError, connection

DATABASE_URL = os.environ.get("DATABASE_URL", "")


@pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")), reason="DATABASE_URL is not PostgreSQL"
)
@pytest.mark.django_db
def test_runs_on_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_encoding")
        assert cursor.fetchone()[0] == "UTF8"  # the document is Chinese text


on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend's own behaviour")


def _new_request() -> None:
    """What Django does when a request starts (the test client leaves it out)."""
    connection.close_if_unusable_or_obsolete()


def _query() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_kept_connection_is_checked_only_after_it_sat_idle(monkeypatch):
    assert connection.settings_dict["ENGINE"] == "studyapp.postgresql" and connection.health_check_enabled
    checks: list[bool] = []
    usable = connection.is_usable
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(usable()) or checks[-1])
    _query()

    _new_request()
    _query()  # used a moment ago: no SELECT 1 first
    assert checks == []

    connection._used_at -= connection.settings_dict["HEALTH_CHECK_IDLE_SECONDS"] + 0.1  # idle since
    _new_request()
    _query()
    _query()  # one check per request, before its first query
    assert checks == [True]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_connection_that_died_while_idle_is_replaced_before_the_request_uses_it():
    pid = _query()
    _kill(pid)
    connection._used_at -= connection.settings_dict["HEALTH_CHECK_IDLE_SECONDS"] + 0.1

    _new_request()
    assert _query() != pid  # a new connection, and no error


def _kill(pid: int) -> None:
    """End the server process of connection `pid`, as a server restart or an idle timeout would."""
    other = connection.copy()
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    other.close()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_read_on_a_connection_that_died_a_moment_after_its_last_use_is_sent_again_on_a_new_one():
    pid = _query()
    _kill(pid)  # no idle time: the next request makes no check

    _new_request()
    assert _query() != pid  # the read failed on the dead connection, and went again on a new one


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_write_on_a_connection_that_died_unchecked_fails_and_the_next_request_has_a_new_one():
    pid = _query()
    _kill(pid)

    _new_request()
    with pytest.raises(OperationalError), connection.cursor() as cursor:  # a write is never sent twice
        cursor.execute("CREATE TEMPORARY TABLE written (id integer)")
    _new_request()
    assert _query() != pid


@on_postgresql
@pytest.mark.django_db
def test_a_statement_run_again_and_again_is_prepared_on_the_server():
    assert connection.settings_dict["OPTIONS"]["server_side_binding"] is True
    with connection.cursor() as cursor:
        for number in range(6):
            cursor.execute("SELECT %s AS prepared_statement_check", [number])
        cursor.execute(
            "SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%prepared_statement_check%"]
        )
        assert cursor.fetchone()[0] == 1
