"""Quizzes on the real bank generated from the seed document."""

import random

import pytest
from django.urls import reverse

from quizzes import services
from quizzes.models import Answer, PointState, Question
from quizzes.selectors import attempt_current_item
from tests.support import HTMX, form_data

pytestmark = pytest.mark.django_db


def test_every_generated_question_can_be_answered_right_through_the_form(seed_bank, learner_client, learner):
    for question_type in ("cloze", "choice", "matching"):
        count = Question.objects.active().filter(type=question_type).count()
        attempt = services.attempt_start(
            user=learner, question_type=question_type, length=min(count, 50), rng=random.Random(1)
        )
        url = reverse("quizzes:answer", args=[attempt.pk])
        while (item := attempt_current_item(attempt)) is not None:
            response = learner_client.post(url, form_data(item), **HTMX)
            assert "回答正确" in response.content.decode(), item.question.prompt
        attempt.refresh_from_db()
        assert attempt.correct_count == attempt.question_count


def test_a_mixed_quiz_on_the_seed_bank_mixes_types_and_moves_points(seed_bank, learner):
    attempt = services.attempt_start(user=learner, length=10, rng=random.Random(2))
    types = list(attempt.items.values_list("question__type", flat=True))
    assert set(types) == set(Question.Type.values)

    while (item := attempt_current_item(attempt)) is not None:
        question = item.question
        services.answer_submit(item=item, user=learner, given=question.kind.right_answer(question))

    assert Answer.objects.filter(is_correct=True).count() == 10
    assert PointState.objects.filter(user=learner).count() >= 7


def test_matching_pairs_on_lines_rate_those_lines_and_heading_pairs_rate_nothing(seed_bank, learner):
    for question in Question.objects.active().filter(type="matching"):
        attempt = services.attempt_create(
            user=learner, question_ids=[question.pk], rng=random.Random(3), question_type="matching"
        )
        pair_keys = attempt.items.get().layout["pair_keys"]
        assert len(pair_keys) == len(question.pairs)
        if question.prompt.startswith(("将下列语句的前半句", "将下列“要”")):
            assert all(pair_keys), question.pairs
        if question.prompt.startswith(("将下列工作要点与它所属的重点任务", "将下列序号")):
            assert not any(pair_keys)


def test_every_question_but_matching_shows_its_source_with_the_key_marked(seed_bank):
    from quizzes.core.checking import highlight
    from quizzes.selectors import source_lines

    questions = list(Question.objects.active().exclude(type="matching"))
    lines = source_lines(questions)

    for question in questions:
        assert lines[question.pk], question.prompt
        answers = question.kind.key_texts(question)
        marked = [s.text for node in lines[question.pk] for s in highlight(node.text, answers) if s.marked]
        assert marked, question.prompt
