"""The session store (SESSION_ENGINE = "studyapp.sessions"): Django's database sessions, with the
read every signed-in request makes as one fixed statement, which also reads the signed-in user's row
once the process knows whose session it is."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.signals import setting_changed
from django.db import connections, router
from django.dispatch import receiver
from django.utils import timezone

from .memo import ProcessMemo

# Whose session each key is, as this process last decoded or saved it: a guess, at most
# SESSIONS_KEPT of them (the least recently used forgotten first), that lets the next read of the
# session read that user's row in the same statement.
SESSIONS_KEPT = 20_000
_SESSION_USERS: ProcessMemo[Any] = ProcessMemo(SESSIONS_KEPT)
# The data of each stored session text this process has verified, as JSON. The text is signed, so
# the same text is the same data: its signature is checked and it is decompressed once, and every
# request gets a dict of its own from json.loads (requests change their session).
_DECODED: ProcessMemo[str] = ProcessMemo(SESSIONS_KEPT)


class SessionStore(DatabaseSessionStore):
    """Django's database sessions (the same table, rows and encoding), with the read that every
    signed-in request makes as one statement built once per process: through the ORM, composing
    that query cost several times what the database took to answer it. Writes (log-in, the hourly
    refresh, log-out) stay the ORM's. SESSION_ENGINE names this module.

    When this process has seen the session before, the read joins the row of the user it belonged to
    then: `read_user()` and `user_row()` hand it to the authentication middleware
    (studyapp.people.authentication), which uses it only if the session, decoded afresh, still names
    that user, and otherwise reads the user as before. Both rows are read by the request, in one statement: nothing is kept from an
    earlier request but the guess of whose session it is (log-out, a password change or a deactivation
    elsewhere take effect at once, as with the two reads)."""

    _user_read: tuple[Any, tuple | None] | None = None  # (user id guessed, that user's columns or None)

    def load(self) -> dict[str, Any]:
        self._user_read = None
        key = self.session_key
        if key is None:
            return {}
        using = router.db_for_read(self.model)
        connection = connections[using]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        guess = _SESSION_USERS.find(key)
        with connection.cursor() as cursor:
            if guess is None:
                cursor.execute(_session_sql(using), [key, now])
            else:
                cursor.execute(_session_user_sql(using), [guess, key, now])
            row = cursor.fetchone()
        if row is None:  # unknown or expired, as the ORM read finds it
            _SESSION_USERS.discard(key)
            self._session_key = None
            return {}
        if guess is not None:
            user = row[1:]
            self._user_read = (guess, user if user[_user_pk_index()] is not None else None)
        data = self.decode(row[0])
        _remember(key, data)
        return data

    def decode(self, session_data: bytes | str) -> dict[str, Any]:
        text = _DECODED.find(session_data)
        if text is not None:
            return json.loads(text)
        data = super().decode(session_data)
        if data:  # an empty or corrupted session (logged each time) is not kept
            _DECODED.put(session_data, json.dumps(data))
        return data

    def read_user(self, user_id: Any) -> bool:
        """Whether the session's read read user `user_id`'s row too (see user_row)."""
        return self._user_read is not None and self._user_read[0] == user_id

    def user_row(self) -> tuple | None:
        """The columns of the user read with the session (User._meta.concrete_fields, in order);
        None when that user does not exist (any more)."""
        return self._user_read[1] if self._user_read is not None else None

    def save(self, must_create: bool = False) -> None:
        super().save(must_create=must_create)
        if self.session_key is not None:
            _remember(self.session_key, getattr(self, "_session_cache", {}))

    def delete(self, session_key: str | None = None) -> None:
        _SESSION_USERS.discard(session_key or self.session_key or "")
        super().delete(session_key)


def _remember(key: str, data: dict[str, Any]) -> None:
    value = data.get(SESSION_KEY)
    if value is None:
        _SESSION_USERS.discard(key)
        return
    try:
        user_id = get_user_model()._meta.pk.to_python(value)
    except Exception:  # noqa: BLE001 - a session naming no valid id: django.contrib.auth refuses it
        _SESSION_USERS.discard(key)
        return
    _SESSION_USERS.put(key, user_id)


def sessions_forget() -> None:
    """Forget whose sessions this process has seen and the data it verified (tests)."""
    _SESSION_USERS.clear()
    _DECODED.clear()


@receiver(setting_changed)
def _keys_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in {"SECRET_KEY", "SECRET_KEY_FALLBACKS", "SESSION_SERIALIZER"}:
        _DECODED.clear()  # verified under other keys


@cache
def _columns(using: str) -> dict[str, str]:
    q = connections[using].ops.quote_name
    model = DatabaseSessionStore.get_model_class()
    return {field.name: q(field.column) for field in model._meta.concrete_fields}


@cache
def _session_sql(using: str) -> str:
    q = connections[using].ops.quote_name
    column = _columns(using)
    table = q(DatabaseSessionStore.get_model_class()._meta.db_table)
    return f"SELECT {column['session_data']} FROM {table} WHERE {column['session_key']} = %s AND {column['expire_date']} > %s"


@cache
def _session_user_sql(using: str) -> str:
    """The session's data and the columns of the user guessed (all NULL when there is no such user)."""
    q = connections[using].ops.quote_name
    column = _columns(using)
    session = DatabaseSessionStore.get_model_class()._meta.db_table
    user = get_user_model()._meta
    users = ", ".join(f"{q('user')}.{q(field.column)}" for field in user.concrete_fields)
    return (
        f"SELECT {q('session')}.{column['session_data']}, {users} FROM {q(session)} {q('session')}"
        f" LEFT OUTER JOIN {q(user.db_table)} {q('user')} ON {q('user')}.{q(user.pk.column)} = %s"
        f" WHERE {q('session')}.{column['session_key']} = %s AND {q('session')}.{column['expire_date']} > %s"
    )


@cache
def _user_pk_index() -> int:
    user = get_user_model()._meta
    return list(user.concrete_fields).index(user.pk)
