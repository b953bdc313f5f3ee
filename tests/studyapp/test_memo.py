"""The per-process bounded map the rendered question bodies and source lines are kept in."""

from __future__ import annotations

from studyapp.memo import ProcessMemo


def test_a_value_is_made_once_and_the_least_recently_used_goes_first():
    memo: ProcessMemo[str] = ProcessMemo(2)
    made: list[str] = []

    def make(key: str):
        return lambda: made.append(key) or key.upper()

    assert memo.get("a", make("a")) == "A"
    assert memo.get("b", make("b")) == "B"
    assert memo.get("a", make("a")) == "A"  # kept: not made again, and now the most recent
    assert memo.get("c", make("c")) == "C"  # full: "b", the least recently used, goes
    assert len(memo) == 2
    assert memo.get("a", make("a")) == "A"
    assert memo.get("b", make("b")) == "B"  # made again
    assert made == ["a", "b", "c", "b"]

    memo.clear()
    assert len(memo) == 0
