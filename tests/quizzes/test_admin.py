"""Staff see attempts, answers and point states in the admin."""

import random

import pytest
from django.urls import reverse

from quizzes import services
from quizzes.selectors import attempt_current_item
from tests.factories import UserFactory
from tests.support import right_answer

pytestmark = pytest.mark.django_db


def test_the_admin_lists_attempts_answers_and_point_states(client, small_bank, learner):
    attempt = services.attempt_start(user=learner, length=5, rng=random.Random(1))
    item = attempt_current_item(attempt)
    services.answer_submit(item=item, user=learner, given=right_answer(item.question))
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))

    for name in ("attempt", "answer", "pointstate"):
        assert client.get(reverse(f"admin:quizzes_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:quizzes_attempt_change", args=[attempt.pk])).status_code == 200
    assert client.get(reverse("admin:people_profile_changelist")).status_code == 200
