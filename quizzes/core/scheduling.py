"""FSRS scheduling of points: rating an answer and moving a point's memory state on.

Pure functions over plain data (the card as a dict, datetimes in UTC): the services store what
these return on `PointState`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from fsrs import Card, Rating, Scheduler, State

if TYPE_CHECKING:
    from fsrs.card import CardDict

# A right answer given within this many seconds per blank (or pair) counts as “easy”.
FAST_SECONDS_PER_ITEM = 8.0
FAST_SECONDS_MIN = 6.0

# Recall probability a mastered point keeps; FSRS stability is the time it takes to fall to it.
TARGET_RETENTION = 0.9


@lru_cache(maxsize=1)
def scheduler() -> Scheduler:
    # Quizzes are taken days apart, not minutes: minute-long learning steps would only make every
    # point answered today due again today. No fuzzing, so schedules are reproducible in tests.
    return Scheduler(
        desired_retention=TARGET_RETENTION,
        learning_steps=(),
        relearning_steps=(),
        enable_fuzzing=False,
    )


def rating_for(*, correct: bool, elapsed_seconds: float | None = None, items: int = 1) -> Rating:
    """Again for a wrong answer, Easy for a right one given quickly, otherwise Good."""
    if not correct:
        return Rating.Again
    if elapsed_seconds is not None and elapsed_seconds < max(FAST_SECONDS_MIN, FAST_SECONDS_PER_ITEM * items):
        return Rating.Easy
    return Rating.Good


@dataclass(frozen=True)
class Review:
    """A point's memory after one more review, as stored on PointState."""

    card: CardDict
    due: datetime
    stability: float
    stable_until: datetime
    rating: int
    lapsed: bool  # a point that had been remembered and now was not


def review(*, card: CardDict | None, rating: Rating, now: datetime, card_id: int = 0) -> Review:
    """Move `card` (None for a point never reviewed) on by one review with `rating` at `now`."""
    # Card() picks an id from the clock and sleeps a millisecond to keep it unique: pass our own.
    before = Card.from_dict(card) if card else Card(card_id=card_id or 1, due=now)
    after, _log = scheduler().review_card(before, rating, now)
    stability = float(after.stability or 0.0)
    return Review(
        card=after.to_dict(),
        due=after.due,
        stability=stability,
        stable_until=now + timedelta(days=stability),
        rating=int(rating),
        lapsed=bool(card) and rating == Rating.Again and before.state == State.Review,
    )


class Reviewed(Protocol):
    """A point's stored memory as a next review reads it (PointState, or a replay of one)."""

    @property
    def card(self) -> Any: ...
    @property
    def reps(self) -> int: ...
    @property
    def lapses(self) -> int: ...


def point_review(previous: Reviewed | None, key: str, rating: Rating, now: datetime) -> dict[str, Any]:
    """The fields PointState stores for point `key` after one more review with `rating` at `now`,
    from its `previous` memory (None for a point never reviewed): the one rule for answering and for
    replaying answers (re-marking)."""
    moved = review(card=previous.card if previous else None, rating=rating, now=now, card_id=card_id(key))
    return {
        "point_text_key": key,
        "card": json_card(moved.card),
        "due": moved.due,
        "stability": moved.stability,
        "stable_until": moved.stable_until,
        "last_rating": moved.rating,
        "last_review": now,
        "reps": (previous.reps if previous else 0) + 1,
        "lapses": (previous.lapses if previous else 0) + int(moved.lapsed),
    }


def retrievability(card: CardDict, now: datetime) -> float:
    """Probability of recalling the point at `now`, by FSRS's forgetting curve."""
    return float(scheduler().get_card_retrievability(Card.from_dict(card), now))


def card_id(text_key: str) -> int:
    """A point's card id: stable and unique enough per point; FSRS only uses it to tie review logs to cards."""
    return int(text_key[:12], 16) if text_key and all(c in "0123456789abcdef" for c in text_key[:12]) else 1


def json_card(card: Mapping[str, Any]) -> dict[str, Any]:
    """A card as JSON-able data (datetimes as ISO text), as PointState.card stores it."""
    return {key: (value.isoformat() if isinstance(value, datetime) else value) for key, value in card.items()}
