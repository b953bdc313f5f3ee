"""The session store (SESSION_ENGINE = "studyapp.sessions"): Django's database sessions, with the
read every signed-in request makes as one fixed statement."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    """Django's database sessions (the same table, rows and encoding), with the read that every
    signed-in request makes as one statement built once per process: through the ORM, composing
    that query cost several times what the database took to answer it. Writes (log-in, the hourly
    refresh, log-out) stay the ORM's. SESSION_ENGINE names this module."""

    def load(self) -> dict[str, Any]:
        key = self.session_key
        if key is None:
            return {}
        using = router.db_for_read(self.model)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(_session_sql(using), [key, connection.ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:  # unknown or expired, as the ORM read finds it
            self._session_key = None
            return {}
        return self.decode(row[0])


@cache
def _session_sql(using: str) -> str:
    q = connections[using].ops.quote_name
    model = DatabaseSessionStore.get_model_class()
    column = {field.name: q(field.column) for field in model._meta.concrete_fields}
    return (
        f"SELECT {column['session_data']} FROM {q(model._meta.db_table)}"
        f" WHERE {column['session_key']} = %s AND {column['expire_date']} > %s"
    )
