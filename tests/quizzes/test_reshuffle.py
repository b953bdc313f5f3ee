"""Options are shown in an order stored per attempt (seeded by the attempt), and a retry shows them in
another order than the attempt it retries, wherever another order exists."""

from __future__ import annotations

import random

import pytest
from django.urls import reverse

from quizzes import services
from quizzes.services import layout_reshuffled
from tests.support import form_data, wrong_answer

pytestmark = pytest.mark.django_db

ORDERS = {"choice": "choice_order", "multiselect": "choice_order", "matching": "right_order"}


def orders(attempt) -> dict[int, list[int]]:
    """Question id → its shuffled order in `attempt`."""
    return {
        item.question_id: item.layout[ORDERS[item.question.type]]
        for item in attempt.items.select_related("question")
        if item.question.type in ORDERS
    }


def test_single_and_multiple_choice_options_are_shown_in_the_stored_order(every_kind_bank, learner, client):
    client.force_login(learner)
    for question_type in ("choice", "multiselect"):
        attempt = services.attempt_start(user=learner, question_type=question_type, length=1)
        item = attempt.items.select_related("question").get()
        order = item.layout["choice_order"]
        assert sorted(order) == list(range(len(item.question.choices))) and order != sorted(order)

        html = client.get(attempt.get_absolute_url()).content.decode()

        positions = [html.index(f'id="choice-{index}"') for index in order]
        assert positions == sorted(positions)  # shown in the stored order, each with its own index
        # The answer is read by the option's own index, whatever its place.
        response = client.post(reverse("quizzes:answer", args=[attempt.pk]), form_data(item, right=True))
        assert response.status_code == 200 and "回答正确" in response.content.decode()


def test_a_retry_reshuffles_every_order_of_the_retried_attempt(every_kind_bank, learner):
    for _round in range(5):  # several attempts: a retry's order never repeats the retried one's
        attempt = services.attempt_start(user=learner, question_type="mixed", length=20)
        for item in attempt.items.select_related("question").order_by("position"):
            services.answer_submit(item=item, user=learner, given=wrong_answer(item.question))
        retry = services.attempt_retry_wrong(attempt=attempt, user=learner)
        before, after = orders(attempt), orders(retry)

        assert before.keys() == after.keys() and before
        for question_id, order in after.items():
            assert sorted(order) == sorted(before[question_id]) and order != before[question_id]


def test_an_attempts_layout_is_drawn_from_its_own_seed(every_kind_bank, learner):
    attempt = services.attempt_start(user=learner, question_type="choice", length=3, rng=random.Random(1))
    rng = random.Random(f"layout:{attempt.pk}")

    for item in attempt.items.select_related("question").order_by("position"):
        assert item.layout == item.question.kind.layout(item.question, rng, {})


@pytest.mark.parametrize(
    ("order", "previous"),
    [([1, 0], [1, 0]), ([2, 0, 1], [2, 0, 1]), ([3, 1, 0, 2], [3, 1, 0, 2])],
)
def test_an_order_equal_to_the_previous_one_is_drawn_again(order, previous):
    layout = layout_reshuffled(
        {"choice_order": order, "pair_keys": ["a"]}, {"choice_order": previous}, random.Random(3)
    )

    assert layout["choice_order"] != previous and sorted(layout["choice_order"]) == sorted(previous)
    assert layout["pair_keys"] == ["a"]


def test_an_order_already_different_or_without_alternative_is_kept():
    rng = random.Random(3)
    assert layout_reshuffled({"right_order": [2, 0, 1]}, {"right_order": [1, 2, 0]}, rng) == {"right_order": [2, 0, 1]}
    assert layout_reshuffled({"choice_order": [0]}, {"choice_order": [0]}, rng) == {"choice_order": [0]}
    assert layout_reshuffled({}, {"choice_order": [1, 0]}, rng) == {}
