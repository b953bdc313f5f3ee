"""Django's PostgreSQL backend, with the health check of a kept connection (CONN_HEALTH_CHECKS)
made only when the connection sat idle.

Django's check is a `SELECT 1` before the first query of every request that reuses a connection: on
the hot paths a round trip to the server in three or four. A connection that answered a moment ago is
alive; the ones that die are those left idle (the server restarted meanwhile, an idle timeout or a
firewall dropped them). So the check is made only when the connection was last used more than
`HEALTH_CHECK_IDLE_SECONDS` (a key of the DATABASES entry, default 1 s) ago: a worker under load never
checks, a quiet one checks before its first query as Django does. Should the connection have died
all the same, the request's first statement finds it: a read (SELECT) outside a transaction is then
sent again on a new connection, once; anything else fails as it would without a check, and the
connection is replaced at the next request (Django checks a connection after an error).
"""

from __future__ import annotations

import time
from typing import Any

from django.db import OperationalError
from django.db.backends.postgresql import base
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper

DEFAULT_IDLE_SECONDS = 1.0


class DatabaseWrapper(base.DatabaseWrapper):
    health_check_done: bool  # Django's: whether this request's check is made (or not to be)
    _used_at = float("-inf")  # time.monotonic() of the last cursor made on this connection
    _unchecked = False  # reused without a check, and no statement has run on it since

    def close_if_health_check_failed(self) -> None:
        now = time.monotonic()
        idle = now - self._used_at
        self._used_at = now
        # The request's first cursor on a kept connection (Django clears health_check_done as a
        # request starts, and sets it once the check is made or a new connection opened).
        reused = self.connection is not None and not self.health_check_done
        if reused and idle < self.settings_dict.get("HEALTH_CHECK_IDLE_SECONDS", DEFAULT_IDLE_SECONDS):
            self.health_check_done = True  # used a moment ago: alive
        checking = reused and not self.health_check_done and getattr(self, "health_check_enabled", False)
        super().close_if_health_check_failed()
        if reused:
            self._unchecked = not checking

    def make_cursor(self, cursor: Any) -> CursorWrapper:
        return _Cursor(cursor, self)

    def make_debug_cursor(self, cursor: Any) -> CursorDebugWrapper:
        return _DebugCursor(cursor, self)

    def retry_on_new_connection(self, sql: str) -> bool:
        """Whether `sql`, which just failed as the first statement on a connection reused without a
        check, is to be sent again on a new one: a read outside a transaction, on a connection that
        turns out dead (not a query that failed on a live one)."""
        if self.in_atomic_block or sql.lstrip()[:6].upper() != "SELECT" or self.is_usable():
            return False
        self.close()
        self.connect()
        return True


class _Retrying(CursorWrapper):
    db: DatabaseWrapper

    def execute(self, sql: Any, params: Any = None) -> Any:
        if not self.db._unchecked:
            return super().execute(sql, params)
        self.db._unchecked = False
        try:
            return super().execute(sql, params)
        except OperationalError:
            if not self.db.retry_on_new_connection(str(sql)):
                raise
            self.cursor = self.db.create_cursor()
            return super().execute(sql, params)


class _Cursor(_Retrying):
    pass


class _DebugCursor(_Retrying, base.CursorDebugWrapper):
    pass
