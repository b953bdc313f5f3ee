"""A bounded map kept per process: what is rendered or read once and reused by later requests."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextlib import suppress
from typing import Generic, TypeVar

V = TypeVar("V")


class ProcessMemo(Generic[V]):
    """At most `size` values by key, the least recently used first out. Safe under gunicorn's threads
    without a lock: two threads may make the same value once each, and an entry another thread drops
    meanwhile is simply made again."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, V] = OrderedDict()

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value kept for `key`, made by `make()` (and kept) the first time."""
        found = self.find(key)
        if found is None:
            found = make()
            self.put(key, found)
        return found

    def find(self, key: Hashable) -> V | None:
        """The value kept for `key` (now the most recently used), or None."""
        found = self._values.get(key)
        if found is not None:
            with suppress(KeyError):  # dropped meanwhile by another thread
                self._values.move_to_end(key)
        return found

    def put(self, key: Hashable, value: V) -> None:
        """Keep `value` for `key`; when full, the least recently used goes."""
        if key not in self._values and len(self._values) >= self.size:
            with suppress(KeyError):
                self._values.popitem(last=False)
        self._values[key] = value

    def discard(self, key: Hashable) -> None:
        self._values.pop(key, None)

    def items(self) -> list[tuple[Hashable, V]]:
        return list(self._values.items())

    def clear(self) -> None:
        self._values.clear()

    def __len__(self) -> int:
        return len(self._values)
