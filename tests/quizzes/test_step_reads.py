"""The quiz step's hand-built reads give exactly the objects the ORM's select_related gives."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes import services, step_reads
from quizzes.models import Answer, AttemptQuestion
from tests.factories import UserFactory
from tests.support import right_answer

pytestmark = pytest.mark.django_db


def field_values(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


def assert_same(built, loaded) -> None:
    assert type(built) is type(loaded)
    assert field_values(built) == field_values(loaded)
    assert built._state.adding is False and built._state.db == "default"


def orm_item(pk: int) -> AttemptQuestion:
    return AttemptQuestion.objects.select_related("attempt", "question", "answer").get(pk=pk)


@pytest.mark.parametrize("question_type", ["cloze", "choice", "matching"])
def test_the_first_unanswered_item_matches_the_orm_with_its_attempt_and_question(
    small_bank, learner, django_assert_num_queries, question_type
):
    attempt = services.attempt_start(user=learner, question_type=question_type, length=3)
    first = attempt.items.order_by("position").first()
    services.answer_submit(item=first, user=learner, given=right_answer(first.question, first))
    attempt.refresh_from_db()
    attempt.deadline = timezone.now() + timedelta(minutes=5)  # a datetime that may also be empty
    attempt.save()

    with django_assert_num_queries(1):
        item = step_reads.first_unanswered_item(attempt_id=attempt.pk, user_id=learner.pk)
        # All loaded: none of these makes a query.
        loaded = (item.attempt, item.question, item.layout, item.attempt.deadline)
        with pytest.raises(Answer.DoesNotExist):
            item.answer  # noqa: B018

    expected = orm_item(item.pk)
    assert item.position == 1
    assert_same(item, expected)
    assert_same(loaded[0], expected.attempt)
    assert_same(loaded[1], expected.question)
    assert item.attempt.deadline.tzinfo is not None and item.attempt.last_answer_at is not None


def test_an_item_with_its_answer_matches_the_orm(small_bank, learner, django_assert_num_queries):
    attempt = services.attempt_start(user=learner, question_type="matching", length=2)
    answered, unanswered = attempt.items.order_by("position")
    services.answer_submit(item=answered, user=learner, given=right_answer(answered.question, answered))

    with django_assert_num_queries(2):
        item = step_reads.item_with_answer(item_id=answered.pk, attempt_id=attempt.pk, user_id=learner.pk)
        open_item = step_reads.item_with_answer(item_id=unanswered.pk, attempt_id=attempt.pk, user_id=learner.pk)
        answer = item.answer
        with pytest.raises(Answer.DoesNotExist):
            open_item.answer  # noqa: B018

    expected = orm_item(answered.pk)
    assert_same(item, expected)
    assert_same(item.attempt, expected.attempt)
    assert_same(item.question, expected.question)
    assert_same(answer, expected.answer)
    assert answer.is_correct is True and answer.given == expected.answer.given and answer.attempt_question is item


def test_another_users_attempt_or_a_foreign_item_finds_nothing(small_bank, learner):
    attempt = services.attempt_start(user=learner, length=2)
    other = services.attempt_start(user=UserFactory(), length=2)
    item = attempt.items.first()

    assert step_reads.first_unanswered_item(attempt_id=attempt.pk, user_id=UserFactory().pk) is None
    assert step_reads.item_with_answer(item_id=item.pk, attempt_id=other.pk, user_id=learner.pk) is None
    assert step_reads.item_with_answer(item_id=item.pk, attempt_id=attempt.pk, user_id=other.user_id) is None
    assert step_reads.item_with_answer(item_id=2**70, attempt_id=attempt.pk, user_id=learner.pk) is None
    assert step_reads.first_unanswered_item(attempt_id=-(2**64), user_id=learner.pk) is None


def test_a_fully_answered_attempt_has_no_unanswered_item(small_bank, learner):
    attempt = services.attempt_start(user=learner, length=2)
    for item in attempt.items.all():
        services.answer_submit(item=item, user=learner, given=right_answer(item.question, item))

    assert step_reads.first_unanswered_item(attempt_id=attempt.pk, user_id=learner.pk) is None
