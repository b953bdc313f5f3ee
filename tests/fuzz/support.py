"""What the fuzz tests share: the SQLite-only mark and text strategies with the nasty characters."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from django.db import connection, transaction
from hypothesis import strategies as st

# Fuzzing runs on the SQLite pass only: the PostgreSQL pass checks the same code against another
# database, not other inputs.
SQLITE_ONLY = pytest.mark.skipif(connection.vendor != "sqlite", reason="fuzz tests run on the SQLite pass only")
FUZZ = [pytest.mark.fuzz, SQLITE_ONLY]

# Characters a paste, an input method or a hostile client brings along.
NASTY = (
    "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\u200b\u200c\u200d\u200e\u200f\u202e\u2060\ufeff\ufffd\u3000\r\n\t＿“”「」<>&'\""
)
nasty_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"), st.sampled_from(NASTY), st.sampled_from("工会职工劳模精神一二三（）")
    ),
    max_size=60,
)


@contextlib.contextmanager
def rolled_back() -> Iterator[None]:
    """Each example starts from the fixtures' data: whatever it changed is undone."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
