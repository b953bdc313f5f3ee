"""Choosing a quiz's questions and laying them out: plain data in, question ids and orders out."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    """A question that may be asked, as plain data for the picker."""

    id: int
    type: str
    source_key: str


def pick_questions(
    candidates: Sequence[Candidate], *, length: int, mixed: bool, rng: random.Random | None = None
) -> list[int]:
    """Up to `length` question ids in asking order: random, each source line at most once while
    others remain, and for a mixed quiz the types taken in turn."""
    rng = rng or random.Random()
    pool = list(candidates)
    rng.shuffle(pool)
    # Questions on lines not yet used come first; the rest only fill up a short scope.
    seen: set[str] = set()
    fresh, repeats = [], []
    for candidate in pool:
        if candidate.source_key and candidate.source_key in seen:
            repeats.append(candidate)
        else:
            seen.add(candidate.source_key)
            fresh.append(candidate)
    ordered = fresh + repeats
    if not mixed:
        return [c.id for c in ordered[:length]]
    by_type: dict[str, list[Candidate]] = {}
    for candidate in ordered:
        by_type.setdefault(candidate.type, []).append(candidate)
    types = sorted(by_type)
    rng.shuffle(types)
    chosen: list[int] = []
    while len(chosen) < length and any(by_type.values()):
        for question_type in types:
            if by_type[question_type] and len(chosen) < length:
                chosen.append(by_type[question_type].pop(0).id)
    return chosen


def shuffled_order(size: int, rng: random.Random) -> list[int]:
    """A permutation of range(size) that, when it can, moves at least one item."""
    order = list(range(size))
    if size < 2:
        return order
    while order == sorted(order):
        rng.shuffle(order)
    return order


def pick_for_points(
    candidates: Sequence[tuple[int, Sequence[str]]],
    points: Sequence[str],
    *,
    length: int,
    rng: random.Random | None = None,
) -> list[int]:
    """Up to `length` question ids (of (id, text keys of its lines) `candidates`) asking about
    `points` in their order, one question per point not yet asked about. For each, best a question on
    these points alone and none asked already (a matching question may cover several), then one on
    these points alone, then any on the point. Points no candidate covers are passed over."""
    rng = rng or random.Random()
    wanted = set(points)
    covering: dict[str, list[tuple[int, frozenset[str]]]] = {}
    for question_id, keys in candidates:
        lines = frozenset(keys)
        for key in lines & wanted:
            covering.setdefault(key, []).append((question_id, lines))
    chosen: list[int] = []
    asked: set[str] = set()
    for point in points:
        if len(chosen) >= length:
            break
        if point in asked or point not in covering:
            continue
        options = [option for option in covering[point] if option[0] not in chosen]
        only_these = [option for option in options if option[1] <= wanted]
        only_new = [option for option in only_these if not option[1] & asked]
        if not options:
            continue
        question_id, lines = rng.choice(only_new or only_these or options)
        chosen.append(question_id)
        asked |= lines & wanted
    return chosen
