"""The SQLite backend (studyapp/sqlite3/): Django's, with each statement's placeholder conversion kept."""

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import SQLiteCursorWrapper as DjangosCursor

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backend's own behaviour")

STATEMENTS = [
    "SELECT %s",
    "SELECT %s, %s WHERE 'a%%b' LIKE %s",
    "SELECT '100%%' || %s",
    "SELECT 1",
]


@on_sqlite
@pytest.mark.parametrize("sql", STATEMENTS)
def test_a_statement_is_converted_as_djangos_cursor_converts_it(sql):
    from studyapp.sqlite3.base import SQLiteCursorWrapper, _qmark

    ours = SQLiteCursorWrapper.convert_query(None, sql)  # type: ignore[arg-type]
    again = SQLiteCursorWrapper.convert_query(None, sql)  # type: ignore[arg-type]

    assert ours == again == DjangosCursor.convert_query(None, sql)  # type: ignore[arg-type]
    assert _qmark.cache_info().currsize >= 1


@on_sqlite
@pytest.mark.django_db
def test_the_app_runs_on_it_with_positional_and_named_parameters():
    assert connection.settings_dict["ENGINE"] == "studyapp.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s || '%%', %s", ["5", 7])
        assert cursor.fetchone() == ("5%", 7)
        cursor.execute("SELECT %(a)s + %(b)s", {"a": 2, "b": 3})
        assert cursor.fetchone() == (5,)


# --- Writers queued on a lock file ----------------------------------------------------------------


@pytest.fixture
def file_database(tmp_path, django_db_blocker):
    """Two connections of the app's SQLite backend to one database file, as two workers have."""
    from studyapp.sqlite3.base import DatabaseWrapper

    def connect(alias: str, timeout: float = 5) -> DatabaseWrapper:
        wrapper = DatabaseWrapper(
            {
                **connection.settings_dict,
                "NAME": str(tmp_path / "app.sqlite3"),
                "OPTIONS": {**connection.settings_dict["OPTIONS"], "timeout": timeout},
            },
            alias,
        )
        wrapper.ensure_connection()
        return wrapper

    made = []
    with django_db_blocker.unblock():
        yield lambda alias, timeout=5: made.append(connect(alias, timeout)) or made[-1]
        for wrapper in made:
            wrapper.close()


def _queue_taken(path) -> bool:
    import fcntl

    with open(path, "ab") as other:
        try:
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(other, fcntl.LOCK_UN)
        return False


@on_sqlite
@pytest.mark.parametrize("end", ["commit", "rollback", "close"])
def test_a_write_transaction_holds_the_writers_file_until_it_ends(file_database, tmp_path, end):
    writer = file_database("one")
    queue = tmp_path / "app.sqlite3-writers.lock"
    writer.cursor().execute("CREATE TABLE t (n integer)")
    assert not _queue_taken(queue)

    writer._start_transaction_under_autocommit()
    writer.cursor().execute("INSERT INTO t VALUES (1)")
    assert _queue_taken(queue)

    getattr(writer, end)()

    assert not _queue_taken(queue)


@on_sqlite
def test_a_second_writer_waits_on_the_file_and_writes_after_the_first(file_database):
    import threading

    first, second = file_database("first"), file_database("second")
    first.cursor().execute("CREATE TABLE t (n integer)")
    first._start_transaction_under_autocommit()
    first.cursor().execute("INSERT INTO t VALUES (1)")
    began = threading.Event()

    def write_second() -> None:
        second._start_transaction_under_autocommit()
        began.set()
        second.cursor().execute("INSERT INTO t VALUES (2)")
        second.commit()

    second.inc_thread_sharing()
    thread = threading.Thread(target=write_second)
    thread.start()
    assert not began.wait(0.3)  # queued behind the first
    first.commit()
    thread.join(5)

    with first.cursor() as cursor:
        cursor.execute("SELECT n FROM t ORDER BY rowid")
        assert cursor.fetchall() == [(1,), (2,)]


@on_sqlite
def test_a_writer_kept_waiting_past_its_timeout_goes_on_to_sqlites_own_wait(file_database, tmp_path):
    import fcntl
    import time

    writer = file_database("late", timeout=0.2)
    writer.cursor().execute("CREATE TABLE t (n integer)")
    with open(tmp_path / "app.sqlite3-writers.lock", "ab") as stuck:
        fcntl.flock(stuck, fcntl.LOCK_EX)  # someone holds the file and never writes
        started = time.monotonic()
        writer._start_transaction_under_autocommit()
        writer.cursor().execute("INSERT INTO t VALUES (1)")
        writer.commit()
        waited = time.monotonic() - started

    assert 0.2 <= waited < 2


@on_sqlite
def test_a_writer_kept_waiting_past_its_timeout_by_a_writer_fails_after_one_timeout(file_database, tmp_path):
    import time

    from django.db import OperationalError

    holder, late = file_database("holder"), file_database("late", timeout=0.3)
    holder.cursor().execute("CREATE TABLE t (n integer)")
    holder._start_transaction_under_autocommit()  # holds the file and SQLite's lock
    holder.cursor().execute("INSERT INTO t VALUES (1)")
    started = time.monotonic()

    with pytest.raises(OperationalError, match="locked"):
        late._start_transaction_under_autocommit()

    assert 0.3 <= time.monotonic() - started < 0.55  # the queue's wait, not SQLite's on top of it
    holder.rollback()
    late._start_transaction_under_autocommit()  # its own wait is back to the timeout set
    assert late.connection.execute("PRAGMA busy_timeout").fetchone() == (300,)
    late.rollback()
