"""The start form says what is wrong; a user's unfinished practice quizzes are capped."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes import services
from quizzes.models import Attempt, AttemptQuestion
from quizzes.services import MAX_UNFINISHED_PRACTICE

# --- b. The start form's messages -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"scope": "document", "question_type": "mixed", "length": "999"}, "题数只能选 5、10 或 20 题。"),
        ({"scope": "document", "question_type": "mixed", "length": "abc"}, "题数只能选 5、10 或 20 题。"),
        ({"scope": "document", "question_type": "essay", "length": "10"}, "没有这种题型，请从列出的题型中选择。"),
        ({"scope": "document", "question_type": "mixed"}, "请选择题数。"),
        ({"scope": "document", "length": "10"}, "请选择题型。"),
    ],
)
def test_a_bad_length_or_type_is_told_in_chinese(learner_client, small_bank, data, message):
    response = learner_client.post(reverse("quizzes:start"), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attempt.objects.exists()


# --- c. At most a few unfinished practice quizzes -------------------------------------------------


def _start(user, **fields):
    return services.attempt_start(user=user, length=5, **fields)


def test_starting_more_practice_quizzes_closes_the_oldest_unfinished(learner, small_bank):
    first = [_start(learner) for _n in range(MAX_UNFINISHED_PRACTICE)]
    answered = AttemptQuestion.objects.filter(attempt=first[0], answer__isnull=False).count()

    newest = _start(learner)

    first[0].refresh_from_db()
    assert first[0].finished_at is not None
    assert AttemptQuestion.objects.filter(attempt=first[0], answer__isnull=False).count() == answered
    unfinished = Attempt.objects.filter(user=learner, finished_at__isnull=True)
    assert set(unfinished) == {*first[1:], newest}
    assert unfinished.count() == MAX_UNFINISHED_PRACTICE


def test_two_hundred_starts_leave_five_unfinished(learner, small_bank):
    for _n in range(40):
        _start(learner)

    assert Attempt.objects.filter(user=learner, finished_at__isnull=True).count() == MAX_UNFINISHED_PRACTICE
    assert Attempt.objects.filter(user=learner).count() == 40


def test_review_and_retry_attempts_count_too_but_deadlines_and_others_are_left(learner, make_trainer, small_bank):
    ids = [q.pk for q in small_bank.questions[:3]]
    other = make_trainer("别人")
    timed = services.attempt_create(
        user=learner,
        question_ids=ids,
        kind=Attempt.Kind.PRACTICE,
        deadline=timezone.now() + timedelta(hours=1),
    )
    review = services.attempt_create(user=learner, question_ids=ids, kind=Attempt.Kind.REVIEW)
    retry = services.attempt_create(user=learner, question_ids=ids, kind=Attempt.Kind.RETRY)
    assigned = services.attempt_create(user=learner, question_ids=ids, kind=Attempt.Kind.ASSIGNMENT)
    others = [_start(other) for _n in range(MAX_UNFINISHED_PRACTICE)]

    for _n in range(MAX_UNFINISHED_PRACTICE):
        _start(learner)

    review.refresh_from_db()
    retry.refresh_from_db()
    timed.refresh_from_db()
    assert review.finished_at is not None and retry.finished_at is not None
    assigned.refresh_from_db()
    assert timed.finished_at is None and assigned.finished_at is None
    assert Attempt.objects.filter(pk__in=[a.pk for a in others], finished_at__isnull=True).count() == len(others)
