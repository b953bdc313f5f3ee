"""Practising the wrong-answer book: a retry quiz of exactly the book's questions, which leave it when answered right."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from quizzes import services
from quizzes.core.rules import MAX_QUIZ_LENGTH
from quizzes.models import Attempt, Question
from quizzes.wrongbook.selectors import BookScope, wrong_answers
from quizzes.wrongbook.services import attempt_start_wrong_book
from tests import factories
from tests.factories import ProfileFactory
from tests.quizzes.wrongbook.helpers import answered, assignment_closing
from tests.support import answer_all

pytestmark = pytest.mark.django_db


def question_ids(attempt: Attempt) -> list[int]:
    return list(attempt.items.order_by("position").values_list("question_id", flat=True))


def test_practising_the_book_asks_its_questions_in_document_order(small_bank, learner):
    wrong = [small_bank.questions[5], small_bank.questions[0], small_bank.questions[9]]
    for question in wrong:
        answered(learner, question, right=False)
    answered(learner, small_bank.questions[1], right=True)
    answered(ProfileFactory().user, small_bank.questions[2], right=False)  # someone else's

    attempt = attempt_start_wrong_book(user=learner, scope=BookScope())

    assert attempt.kind == Attempt.Kind.RETRY and attempt.user == learner
    assert attempt.scope_label == "错题本"
    assert question_ids(attempt) == sorted(q.pk for q in wrong)  # the factory's positions follow the pks


def test_practising_one_topic_asks_only_its_questions_and_says_so(small_bank, learner):
    topic = small_bank.topics[2]
    in_topic = [q for q in small_bank.questions if q.topic_key == topic.key][:2]
    for question in [*in_topic, small_bank.questions[0]]:
        answered(learner, question, right=False)

    attempt = attempt_start_wrong_book(user=learner, scope=BookScope(Attempt.Scope.TOPIC, topic.key))

    assert question_ids(attempt) == [q.pk for q in in_topic]
    assert attempt.scope == Attempt.Scope.TOPIC and attempt.scope_key == topic.key
    assert attempt.scope_label.startswith("错题本 · （二）") and attempt.scope_label.endswith(topic.text)


def test_answering_the_practice_right_empties_the_book(small_bank, learner):
    for question in small_bank.questions[:3]:
        answered(learner, question, right=False, at=timezone.now() - timedelta(minutes=5))
    attempt = attempt_start_wrong_book(user=learner, scope=BookScope())

    answer_all(attempt, learner, right=lambda position: position != 1)

    left = wrong_answers(learner, now=timezone.now()).values_list("attempt_question__question_id", flat=True)
    assert list(left) == [small_bank.questions[1].pk]
    assert attempt_start_wrong_book(user=learner, scope=BookScope()).question_count == 1


def test_an_empty_book_or_group_starts_nothing(small_bank, learner):
    with pytest.raises(ValidationError, match="没有"):
        attempt_start_wrong_book(user=learner, scope=BookScope())
    answered(learner, small_bank.questions[0], right=False)
    with pytest.raises(ValidationError):
        attempt_start_wrong_book(user=learner, scope=BookScope(Attempt.Scope.TASK, small_bank.tasks[1].key))
    assert Attempt.objects.filter(kind=Attempt.Kind.RETRY).count() == 0


def test_hidden_assignment_answers_are_not_practised(small_bank, learner):
    assignment = assignment_closing(timezone.now() + timedelta(days=1))
    answered(learner, small_bank.questions[0], right=False, assignment=assignment)
    with pytest.raises(ValidationError):
        attempt_start_wrong_book(user=learner, scope=BookScope())


def test_a_big_book_is_practised_at_most_a_full_quiz_at_a_time(small_bank, learner):
    point = small_bank.points[0]
    extra = [factories.QuestionFactory(source=point) for _n in range(MAX_QUIZ_LENGTH + 1 - len(small_bank.questions))]
    questions = [*small_bank.questions, *extra]
    attempt = services.attempt_create(user=learner, question_ids=[q.pk for q in questions], kind=Attempt.Kind.PRACTICE)
    answer_all(attempt, learner, right=lambda position: False)
    assert Question.objects.count() > MAX_QUIZ_LENGTH

    practice = attempt_start_wrong_book(user=learner, scope=BookScope())

    assert practice.question_count == MAX_QUIZ_LENGTH
