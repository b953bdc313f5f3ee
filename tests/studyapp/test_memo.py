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


def test_putting_a_kept_key_again_evicts_nothing_and_a_discarded_key_is_gone():
    memo: ProcessMemo[int] = ProcessMemo(2)
    memo.put("a", 1)
    memo.put("b", 2)
    memo.put("a", 3)  # replaced, not a third entry
    assert memo.items() == [("a", 3), ("b", 2)]
    assert memo.find("a") == 3 and memo.items() == [("b", 2), ("a", 3)]  # found: now the most recent
    memo.discard("b")
    memo.discard("missing")
    assert memo.find("b") is None and memo.items() == [("a", 3)]
