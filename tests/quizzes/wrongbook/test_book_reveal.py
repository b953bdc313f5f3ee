"""The one rule of when a learner sees the correct answers: practice at once, an assignment once it closed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.models import Answer
from quizzes.reveal import answers_shown_q
from tests.quizzes.wrongbook.helpers import answered, assignment_closing

pytestmark = pytest.mark.django_db


def test_practice_answers_are_shown_and_assignment_answers_only_once_it_has_closed(small_bank, learner):
    now = timezone.now()
    question = small_bank.questions[0]
    practice = answered(learner, question, right=False, at=now)
    assignment = assignment_closing(now + timedelta(hours=2))
    test = answered(learner, question, right=False, at=now, assignment=assignment)

    def shown(moment):
        return set(Answer.objects.filter(answers_shown_q(now=moment)).values_list("pk", flat=True))

    assert shown(now) == {practice.pk}
    assert shown(now + timedelta(hours=2)) == {practice.pk, test.pk}  # closed at closes_at itself
