"""Starting attempts, recording answers once, retrying wrong ones, reviewing due points."""

import random
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from quizzes import services
from quizzes.core.checking import MalformedAnswer
from quizzes.models import Answer, Attempt, PointState, Question
from quizzes.selectors import attempt_current_item
from tests.factories import UserFactory
from tests.support import answer_all, right_answer, wrong_answer

pytestmark = pytest.mark.django_db


def test_a_practice_quiz_has_the_asked_length_in_a_fixed_order(small_bank, learner):
    attempt = services.attempt_start(user=learner, length=10, rng=random.Random(1))

    positions = list(attempt.items.values_list("position", flat=True))
    assert attempt.question_count == 10
    assert positions == list(range(10))
    assert attempt.kind == Attempt.Kind.PRACTICE
    assert not attempt.is_finished


def test_a_mixed_quiz_takes_every_type_in_turn(every_kind_bank, learner):
    attempt = services.attempt_start(user=learner, length=10, rng=random.Random(2))

    types = [item.question.type for item in attempt.items.select_related("question").order_by("position")]
    assert {types.count(t) for t in Question.Type.values} == {2}
    assert len(set(types[:5])) == 5 and types[:5] == types[5:]


def test_a_quiz_of_one_type_asks_only_that_type(small_bank, learner):
    attempt = services.attempt_start(user=learner, question_type="choice", length=5, rng=random.Random(3))

    assert set(attempt.items.values_list("question__type", flat=True)) == {"choice"}


def test_a_topic_quiz_asks_only_about_that_topic(small_bank, learner):
    topic = small_bank.topics[1]

    attempt = services.attempt_start(user=learner, scope="topic", scope_key=topic.key, length=20)

    assert attempt.question_count == 7  # 3 fill-in, 3 choice, 1 matching
    assert set(attempt.items.values_list("question__topic_key", flat=True)) == {topic.key}
    assert attempt.scope_label == topic.display_title


def test_a_task_quiz_asks_only_about_that_task(small_bank, learner):
    task = small_bank.tasks[0]

    attempt = services.attempt_start(user=learner, scope="task", scope_key=task.key, length=20)

    assert set(attempt.items.values_list("question__task_key", flat=True)) == {task.key}


def test_a_quiz_prefers_different_source_lines(small_bank, learner):
    attempt = services.attempt_start(user=learner, question_type="cloze", length=12, rng=random.Random(4))

    sources = list(attempt.items.values_list("question__source_key", flat=True))
    assert len(set(sources)) == 12


def test_starting_a_quiz_on_an_unknown_scope_or_an_empty_one_is_refused(small_bank, learner):
    with pytest.raises(ValidationError):
        services.attempt_start(user=learner, scope="topic", scope_key="nope")
    Question.objects.filter(type="matching").update(is_active=False)
    with pytest.raises(ValidationError):
        services.attempt_start(user=learner, question_type="matching")
    assert not Attempt.objects.exists()


def test_matching_questions_get_a_shuffled_right_column(small_bank, learner):
    attempt = services.attempt_start(user=learner, question_type="matching", length=4, rng=random.Random(5))

    for item in attempt.items.all():
        order = item.layout["right_order"]
        assert sorted(order) == [0, 1, 2]
        assert order != [0, 1, 2]


def test_a_right_answer_is_recorded_scored_and_schedules_its_point(small_bank, learner):
    attempt = services.attempt_start(user=learner, question_type="cloze", length=5)
    item = attempt_current_item(attempt)

    submission = services.answer_submit(item=item, user=learner, given=right_answer(item.question), token="t1")

    answer = submission.answer
    assert submission.created
    assert answer.is_correct and answer.credit == 1.0 and answer.token == "t1"
    state = PointState.objects.get(user=learner, point_text_key=item.question.source.text_key)
    assert state.reps == 1 and state.last_rating >= 3 and state.due > timezone.now()
    attempt.refresh_from_db()
    assert (attempt.answered_count, attempt.correct_count, attempt.credit) == (1, 1, 1.0)


def test_a_wrong_answer_rates_its_point_again(small_bank, learner):
    attempt = services.attempt_start(user=learner, question_type="choice", length=5)
    item = attempt_current_item(attempt)

    services.answer_submit(item=item, user=learner, given=wrong_answer(item.question))

    state = PointState.objects.get(user=learner, point_text_key=item.question.source.text_key)
    assert state.last_rating == 1
    assert Answer.objects.get(attempt_question=item).credit == 0


def test_each_matching_pair_updates_its_own_line(small_bank, learner):
    attempt = services.attempt_start(user=learner, question_type="matching", length=1)
    item = attempt_current_item(attempt)
    keys = item.question.source_text_keys

    services.answer_submit(item=item, user=learner, given=[0, 2, 1])

    ratings = dict(PointState.objects.filter(user=learner).values_list("point_text_key", "last_rating"))
    assert ratings[keys[0]] >= 3
    assert ratings[keys[1]] == ratings[keys[2]] == 1
    assert Answer.objects.get().credit == pytest.approx(1 / 3)


def test_submitting_twice_records_one_answer_and_one_review(small_bank, learner):
    attempt = services.attempt_start(user=learner, question_type="cloze", length=5)
    item = attempt_current_item(attempt)
    first = services.answer_submit(item=item, user=learner, given=right_answer(item.question), token="a")

    again = services.answer_submit(item=item, user=learner, given=wrong_answer(item.question), token="b")

    assert not again.created
    assert again.answer.pk == first.answer.pk and again.answer.is_correct
    assert Answer.objects.count() == 1
    assert PointState.objects.get().reps == 1
    attempt.refresh_from_db()
    assert attempt.answered_count == 1


def test_a_malformed_answer_records_nothing(small_bank, learner):
    attempt = services.attempt_start(user=learner, question_type="cloze", length=5)
    item = attempt_current_item(attempt)

    for given in (["x" * 201], [], "text", [""]):
        with pytest.raises(MalformedAnswer):
            services.answer_submit(item=item, user=learner, given=given)

    assert not Answer.objects.exists() and not PointState.objects.exists()
    attempt.refresh_from_db()
    assert attempt.answered_count == 0


def test_someone_elses_attempt_cannot_be_answered(small_bank, learner):
    attempt = services.attempt_start(user=learner, length=5)
    item = attempt_current_item(attempt)

    with pytest.raises(PermissionDenied):
        services.answer_submit(item=item, user=UserFactory(), given=right_answer(item.question))

    assert not Answer.objects.exists()


def test_a_quiz_resumes_at_the_first_unanswered_question(small_bank, learner):
    attempt = services.attempt_start(user=learner, length=5)
    for _ in range(2):
        item = attempt_current_item(attempt)
        services.answer_submit(item=item, user=learner, given=right_answer(item.question))

    resumed = Attempt.objects.get(pk=attempt.pk)  # e.g. after a reload, or on another device

    assert attempt_current_item(resumed).position == 2
    assert resumed.answered_count == 2


def test_answering_the_last_question_finishes_the_attempt(small_bank, learner):
    attempt = services.attempt_start(user=learner, length=5)

    answer_all(attempt, learner, right=lambda position: position % 2 == 0)

    attempt.refresh_from_db()
    assert attempt.is_finished
    assert attempt.correct_count == 3
    assert attempt.score_percent == 60
    assert attempt_current_item(attempt) is None


def test_retrying_wrong_ones_asks_exactly_those_questions(small_bank, learner):
    attempt = services.attempt_start(user=learner, length=10, rng=random.Random(7))
    answer_all(attempt, learner, right=lambda position: position not in (1, 4, 8))
    wrong = [attempt.items.get(position=p).question_id for p in (1, 4, 8)]

    retry = services.attempt_retry_wrong(attempt=attempt, user=learner)

    assert retry.kind == Attempt.Kind.RETRY and retry.retry_of == attempt
    assert list(retry.items.order_by("position").values_list("question_id", flat=True)) == wrong


def test_a_partly_right_matching_question_counts_as_wrong_for_retry(small_bank, learner):
    attempt = services.attempt_start(user=learner, question_type="matching", length=1)
    item = attempt_current_item(attempt)
    services.answer_submit(item=item, user=learner, given=[0, 2, 1])

    retry = services.attempt_retry_wrong(attempt=attempt, user=learner)

    assert list(retry.items.values_list("question_id", flat=True)) == [item.question_id]


def test_retrying_a_quiz_without_wrong_answers_or_of_someone_else_is_refused(small_bank, learner):
    attempt = services.attempt_start(user=learner, length=5)
    answer_all(attempt, learner)

    with pytest.raises(ValidationError):
        services.attempt_retry_wrong(attempt=attempt, user=learner)
    with pytest.raises(PermissionDenied):
        services.attempt_retry_wrong(attempt=attempt, user=UserFactory())


def test_a_review_quiz_asks_about_the_points_due_today(small_bank, learner):
    attempt = services.attempt_start(user=learner, question_type="cloze", length=5, rng=random.Random(8))
    answer_all(attempt, learner, right=lambda position: position == 0)
    answered = {item.question.source.text_key for item in attempt.items.select_related("question__source")}
    tomorrow = timezone.now() + timedelta(days=1, hours=1)

    review = services.attempt_start_review(user=learner, now=tomorrow, length=20)

    asked = set()
    for question in Question.objects.filter(pk__in=review.items.values("question_id")):
        asked.update(question.source_text_keys)
    wrong_keys = answered - {attempt.items.get(position=0).question.source.text_key}
    assert review.kind == Attempt.Kind.REVIEW
    assert asked & wrong_keys == wrong_keys  # every forgotten point is asked about
    assert asked <= answered | {k for q in small_bank.of_type("matching") for k in q.source_text_keys}


def test_a_review_quiz_without_due_points_is_refused(small_bank, learner):
    with pytest.raises(ValidationError):
        services.attempt_start_review(user=learner)
