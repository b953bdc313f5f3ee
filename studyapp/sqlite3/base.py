"""Django's SQLite backend, with writers queued on a lock file and each statement's placeholder
conversion kept.

**Writers queue on a lock file.** SQLite lets one writer in at a time; the others wait in its busy
handler, which sleeps 1 ms, then 2, 5, 10… between tries, however soon the lock is free. An answer
holds the lock for a few tenths of a millisecond: under load the waiting processes slept through most
of the time it was free, and the processor idled while requests queued. So a transaction that will
write (`transaction_mode` IMMEDIATE, as settings.py sets it) first takes an exclusive `flock` on a file
beside the database, `<database>-writers.lock`, then BEGINs as before, and lets it go at COMMIT or
ROLLBACK. A writer waiting on the file tries again after 50 µs, doubling to at most 1 ms; after the
connection's `timeout` it goes on without it: it BEGINs if SQLite's lock is free, and otherwise fails
at once with SQLite's "database is locked", as it would have after that wait without the file. The
file only orders this app's writers among themselves: SQLite's lock still decides (a `sqlite3` shell
or anything else that does not take the file simply competes as before), and a process that dies
holding it loses it with its descriptor. In-memory databases (tests) have no file and no queue.

Python's sqlite3 takes `?` where Django writes `%s`: Django's cursor rewrites every statement with a
regular expression before running it, a few µs each time, and an answer runs nine of them. The
statements are the same few texts over and over (the ORM's and quizzes.step_reads' SQL built once),
so each text's conversion is kept: the same result, worked out once. sqlite3 keeps the compiled
statement per converted text already (its statement cache).
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Sequence
from functools import lru_cache
from typing import IO, Any

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


QUEUE_FIRST_WAIT = 0.00005  # seconds; doubled after each try
QUEUE_LONGEST_WAIT = 0.001


class DatabaseWrapper(base.DatabaseWrapper):
    _queue: IO[bytes] | None = None  # the writers' lock file, opened on this connection's first write
    _queued = False  # this connection holds it (from BEGIN to COMMIT or ROLLBACK)

    def create_cursor(self, name: Any = None) -> SQLiteCursorWrapper:
        return self.connection.cursor(factory=SQLiteCursorWrapper)

    def _start_transaction_under_autocommit(self) -> None:
        waited_out = False
        if getattr(self, "transaction_mode", None) in ("IMMEDIATE", "EXCLUSIVE") and not self.is_in_memory_db():
            waited_out = not self._queue_join()
        try:
            if waited_out:
                self._begin_without_waiting()
            else:
                super()._start_transaction_under_autocommit()  # type: ignore[misc]  # not in the stubs
        except BaseException:
            self._queue_leave()
            raise

    def _begin_without_waiting(self) -> None:
        # The whole timeout went on the queue: BEGIN now, or "database is locked" now, rather than
        # SQLite's wait of another timeout (a request would outlive gunicorn's own timeout).
        timeout_ms = int(1000 * self._timeout())
        self.connection.execute("PRAGMA busy_timeout = 0")
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # not in the stubs
        finally:
            self.connection.execute(f"PRAGMA busy_timeout = {timeout_ms}")

    def _timeout(self) -> float:
        return float(self.settings_dict["OPTIONS"].get("timeout", 5))

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]  # not in the stubs
        finally:
            self._queue_leave()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]  # not in the stubs
        finally:
            self._queue_leave()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]  # not in the stubs
        finally:
            self._queue_leave()
            if self._queue is not None:
                self._queue.close()
                self._queue = None

    def _queue_join(self) -> bool:
        """Take the writers' file; False when it stayed taken for the connection's whole timeout."""
        if self._queue is None:
            self._queue = open(f"{self.settings_dict['NAME']}-writers.lock", "ab")  # noqa: SIM115 - kept open
        deadline = time.monotonic() + self._timeout()
        wait = QUEUE_FIRST_WAIT
        while True:
            try:
                fcntl.flock(self._queue, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(wait)
                wait = min(wait * 2, QUEUE_LONGEST_WAIT)
            else:
                self._queued = True
                return True

    def _queue_leave(self) -> None:
        if self._queued and self._queue is not None:
            self._queued = False
            fcntl.flock(self._queue, fcntl.LOCK_UN)
