"""Django's SQLite backend, with the conversion of a statement's placeholders kept per statement.

Python's sqlite3 takes `?` where Django writes `%s`: Django's cursor rewrites every statement with a
regular expression before running it, a few µs each time, and an answer runs nine of them. The
statements are the same few texts over and over (the ORM's and quizzes.step_reads' SQL built once),
so each text's conversion is kept: the same result, worked out once. sqlite3 keeps the compiled
statement per converted text already (its statement cache).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from django.db.backends.sqlite3 import base

# Statements of the app and the ORM: a few hundred texts; a statement with its values written in
# (rare, e.g. a long IN list) takes a slot that the least recently used gives up.
CONVERSIONS_KEPT = 2048


@lru_cache(maxsize=CONVERSIONS_KEPT)
def _qmark(query: str) -> str:
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query: str, *, param_names: Sequence[str] | None = None) -> str:
        if param_names is None:
            return _qmark(query)
        return super().convert_query(query, param_names=param_names)  # type: ignore[misc]  # not in the stubs


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name: Any = None) -> SQLiteCursorWrapper:
        return self.connection.cursor(factory=SQLiteCursorWrapper)
