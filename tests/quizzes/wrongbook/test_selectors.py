"""Which questions are in the wrong-answer book, and how it is grouped by task and topic."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.models import Attempt
from quizzes.wrongbook.selectors import BookScope, book_answers, book_entries, book_outline, wrong_answers
from tests.factories import ProfileFactory
from tests.quizzes.wrongbook.helpers import answered, assignment_closing

pytestmark = pytest.mark.django_db


def book(user, now=None):
    now = now or timezone.now()
    return set(wrong_answers(user, now=now).values_list("attempt_question__question_id", flat=True))


def test_a_wrong_answer_puts_the_question_in_the_book(small_bank, learner):
    question = small_bank.questions[0]
    answered(learner, question, right=False)
    assert book(learner) == {question.pk}


def test_a_right_answer_later_takes_it_out_and_a_wrong_one_after_that_brings_it_back(small_bank, learner):
    now = timezone.now()
    question = small_bank.questions[0]
    answered(learner, question, right=False, at=now - timedelta(hours=3))
    answered(learner, question, right=True, at=now - timedelta(hours=2))
    assert book(learner) == set()
    answered(learner, question, right=False, at=now - timedelta(hours=1))
    assert book(learner) == {question.pk}


def test_the_latest_answer_decides_not_the_order_of_recording(small_bank, learner):
    now = timezone.now()
    question = small_bank.questions[0]
    answered(learner, question, right=True, at=now - timedelta(hours=1))
    answered(learner, question, right=False, at=now - timedelta(hours=2))  # recorded later, given earlier
    assert book(learner) == set()


def test_a_partly_right_answer_counts_as_wrong(small_bank, learner):
    matching = small_bank.of_type("matching")[0]
    partly = answered(learner, matching, given=[0, 2, 1])  # the first pair right, the other two swapped
    assert 0 < partly.credit < 1 and not partly.is_correct
    assert book(learner) == {matching.pk}


def test_answers_of_an_assignment_still_open_stay_out_until_it_closes(small_bank, learner):
    now = timezone.now()
    question, other = small_bank.questions[:2]
    assignment = assignment_closing(now + timedelta(days=1))
    answered(learner, question, right=False, at=now, assignment=assignment)
    assert book(learner, now) == set()
    assert book(learner, assignment.closes_at) == {question.pk}

    # A right answer in the open assignment does not take a question out before the answers are shown.
    answered(learner, other, right=False, at=now - timedelta(hours=1))
    answered(learner, other, right=True, at=now, assignment=assignment_closing(now + timedelta(days=1)))
    assert book(learner, now) == {other.pk}


def test_other_learners_answers_never_appear(small_bank, learner):
    someone = ProfileFactory().user
    answered(someone, small_bank.questions[0], right=False)
    answered(learner, small_bank.questions[1], right=False)
    answered(someone, small_bank.questions[1], right=True)  # someone else's right answer changes nothing
    assert book(learner) == {small_bank.questions[1].pk}
    assert book(someone) == {small_bank.questions[0].pk}


def test_a_retired_question_leaves_the_book(small_bank, learner):
    question = small_bank.questions[0]
    answered(learner, question, right=False)
    question.is_active = False
    question.save()
    assert book(learner) == set()


def test_the_outline_counts_per_task_and_topic_in_document_order(small_bank, learner):
    first_topic = [q for q in small_bank.questions if q.topic_key == small_bank.topics[0].key]
    last_topic = [q for q in small_bank.questions if q.topic_key == small_bank.topics[3].key]
    for question in [*last_topic[:1], *first_topic[:2]]:
        answered(learner, question, right=False)

    outline = book_outline(learner, now=timezone.now())

    assert outline.count == 3
    assert [task.scope.key for task in outline.tasks] == [small_bank.tasks[0].key, small_bank.tasks[1].key]
    assert [task.count for task in outline.tasks] == [2, 1]
    assert [(t.scope.key, t.count) for t in outline.tasks[0].topics] == [(small_bank.topics[0].key, 2)]
    assert outline.tasks[0].title.startswith("（一）")
    topic = BookScope(Attempt.Scope.TOPIC, small_bank.topics[3].key)
    assert outline.count_of(topic) == 1
    assert outline.title_of(topic).endswith(small_bank.topics[3].text)


def test_a_group_of_the_book_holds_only_its_questions_with_their_last_wrong_answer(small_bank, learner):
    now = timezone.now()
    in_topic = [q for q in small_bank.questions if q.topic_key == small_bank.topics[1].key][0]
    elsewhere = [q for q in small_bank.questions if q.task_key == small_bank.tasks[1].key][0]
    answered(learner, in_topic, right=False, at=now - timedelta(hours=2))
    last = answered(learner, in_topic, right=False, at=now - timedelta(hours=1))
    answered(learner, elsewhere, right=False, at=now)

    entries = book_entries(book_answers(learner, now=now, scope=BookScope.parse(f"topic:{small_bank.topics[1].key}")))

    assert [entry.answer.pk for entry in entries] == [last.pk]
    assert entries[0].feedback.question == in_topic
    assert entries[0].feedback.sources  # the source line, with the answer marked
    assert not entries[0].feedback.answer.is_correct


def test_reading_the_book_takes_constant_queries(small_bank, learner, django_assert_num_queries):
    for count in (2, 9):
        for question in small_bank.questions[:count]:
            answered(learner, question, right=False)
        with django_assert_num_queries(3):  # the outline, the rows, their source lines
            book_outline(learner, now=timezone.now())
            book_entries(book_answers(learner, now=timezone.now(), scope=BookScope()))


@pytest.mark.parametrize("value", ["", "document", "task:", "task:XYZ", "topic:abc;drop", None, "chapter:ab"])
def test_a_malformed_group_is_the_whole_book(value):
    assert BookScope.parse(value) == BookScope()
