"""FSRS ratings and reviews of points: pure functions, no database."""

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating

from quizzes.core.scheduling import TARGET_RETENTION, rating_for, retrievability, review

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def test_a_wrong_answer_is_rated_again():
    assert rating_for(correct=False, elapsed_seconds=1) == Rating.Again


def test_a_right_answer_is_good_and_a_quick_right_answer_is_easy():
    assert rating_for(correct=True, elapsed_seconds=60) == Rating.Good
    assert rating_for(correct=True, elapsed_seconds=3) == Rating.Easy
    assert rating_for(correct=True, elapsed_seconds=None) == Rating.Good


def test_more_blanks_allow_more_time_to_count_as_quick():
    assert rating_for(correct=True, elapsed_seconds=20, items=3) == Rating.Easy
    assert rating_for(correct=True, elapsed_seconds=20, items=1) == Rating.Good


def test_a_first_good_review_schedules_the_point_days_ahead():
    after = review(card=None, rating=Rating.Good, now=NOW)

    assert after.due - NOW >= timedelta(days=1)
    assert after.stability > 1
    assert after.stable_until == NOW + timedelta(days=after.stability)
    assert not after.lapsed


def test_easy_keeps_a_point_longer_than_good_and_good_longer_than_again():
    again, good, easy = (review(card=None, rating=r, now=NOW) for r in (Rating.Again, Rating.Good, Rating.Easy))

    assert again.stability < good.stability < easy.stability
    assert again.due <= good.due <= easy.due


def test_a_card_round_trips_through_its_json_and_grows_with_right_answers():
    first = review(card=None, rating=Rating.Good, now=NOW)
    later = first.due
    second = review(card=first.card, rating=Rating.Good, now=later)

    assert second.stability > first.stability
    assert second.due > first.due


def test_forgetting_a_remembered_point_is_a_lapse_and_shortens_its_memory():
    first = review(card=None, rating=Rating.Good, now=NOW)
    second = review(card=first.card, rating=Rating.Again, now=first.due)

    assert second.lapsed
    assert second.stability < first.stability


def test_retrievability_is_the_target_retention_after_stability_days():
    after = review(card=None, rating=Rating.Good, now=NOW)

    assert retrievability(after.card, NOW) == pytest.approx(1.0)
    assert retrievability(after.card, after.stable_until) == pytest.approx(TARGET_RETENTION, abs=0.01)
    assert retrievability(after.card, after.stable_until + timedelta(days=5)) < TARGET_RETENTION
