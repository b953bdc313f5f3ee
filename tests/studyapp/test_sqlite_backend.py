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
