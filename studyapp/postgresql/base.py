"""Django's PostgreSQL backend, with the health check of a kept connection (CONN_HEALTH_CHECKS)
made only when the connection sat idle.

Django's check is a `SELECT 1` before the first query of every request that reuses a connection: on
the hot paths a round trip to the server in three or four. A connection that answered a moment ago is
alive; the ones that die are those left idle (the server restarted meanwhile, an idle timeout or a
firewall dropped them). So the check is made only when the connection was last used more than
`HEALTH_CHECK_IDLE_SECONDS` (a key of the DATABASES entry, default 1 s) ago: a worker under load never
checks, a quiet one checks before its first query as Django does. A connection that fails in the
middle of a request (errors_occurred) is checked at the next request's start, as Django does.
"""

from __future__ import annotations

import time

from django.db.backends.postgresql import base

DEFAULT_IDLE_SECONDS = 1.0


class DatabaseWrapper(base.DatabaseWrapper):
    _used_at = float("-inf")  # time.monotonic() of the last cursor made on this connection

    def close_if_health_check_failed(self) -> None:
        now = time.monotonic()
        idle = now - self._used_at
        self._used_at = now
        if self.connection is not None and idle < self.settings_dict.get(
            "HEALTH_CHECK_IDLE_SECONDS", DEFAULT_IDLE_SECONDS
        ):
            self.health_check_done = True  # used a moment ago: alive
        super().close_if_health_check_failed()
