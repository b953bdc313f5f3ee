"""The memory of the points (FSRS states, `PointState`): one review per point an answer rates."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from fsrs import Rating

from .. import step_reads
from ..core import scheduling
from ..models import PointState


# No savepoint of its own: inside answer_submit it commits or rolls back with the answer.
@transaction.atomic(savepoint=False)
def points_review(
    *, user: User, ratings: dict[str, Rating], now: datetime, current: dict[str, PointState] | None = None
) -> list[PointState]:
    """Apply one review per point to the learner's memory states, in two statements whatever the
    count: the states read (and locked), then one upsert for new and known points alike. `current`:
    the states of exactly these points, read and locked in this transaction already."""
    if not ratings:
        return []
    if current is None:
        current = step_reads.point_states(user_id=user.pk, keys=sorted(ratings))
    rows = points_reviewed(user=user, ratings=ratings, now=now, current=current)
    step_reads.point_states_save(rows)
    return rows


def points_reviewed(
    *, user: User, ratings: dict[str, Rating], now: datetime, current: dict[str, PointState]
) -> list[PointState]:
    """The learner's states of the points rated, each after one review (unsaved), from their
    `current` states (a point without one is new)."""
    return [
        PointState(user_id=user.pk, **scheduling.point_review(current.get(key), key, rating, now))
        for key, rating in sorted(ratings.items())
    ]
