"""Quiz pages: start, one question at a time with htmx feedback, review, retry; as page and fragment."""

import random
import re

import pytest
from django.urls import reverse

from quizzes import services
from quizzes.models import Answer, Attempt, PointState
from quizzes.selectors import attempt_current_item
from tests.factories import UserFactory
from tests.support import HTMX, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(small_bank, learner):
    return services.attempt_start(user=learner, length=5, rng=random.Random(11))


def test_learning_pages_require_login(client, small_bank):
    for url in (reverse("quizzes:home"), reverse("quizzes:new"), reverse("documents:toc")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_start_page_offers_scope_type_and_length(learner_client, small_bank):
    response = learner_client.get(reverse("quizzes:new"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="document"' in html
    assert f'value="topic:{small_bank.topics[0].key}"' in html
    assert f'value="task:{small_bank.tasks[1].key}"' in html
    for value in ("cloze", "matching", "choice", "mixed"):
        assert f'value="{value}"' in html
    for length in (5, 10, 20):
        assert f'name="length" value="{length}"' in html


def test_starting_a_quiz_redirects_to_its_first_question(learner_client, small_bank, learner):
    response = learner_client.post(
        reverse("quizzes:start"), {"scope": f"task:{small_bank.tasks[0].key}", "question_type": "cloze", "length": "5"}
    )

    attempt = Attempt.objects.get(user=learner)
    assert response.status_code == 302 and response["Location"] == attempt.get_absolute_url()
    assert attempt.question_count == 5 and attempt.scope == "task"


def test_starting_a_quiz_with_an_unknown_scope_shows_the_form_again(learner_client, small_bank):
    response = learner_client.post(
        reverse("quizzes:start"), {"scope": "topic:nope", "question_type": "mixed", "length": "10"}
    )

    assert response.status_code == 400
    assert not Attempt.objects.exists()


def test_the_question_page_shows_the_current_question_as_page_and_fragment(learner_client, attempt):
    item = attempt_current_item(attempt)
    url = attempt.get_absolute_url()

    page = learner_client.get(url)
    fragment = learner_client.get(url, **HTMX)

    assert page.status_code == fragment.status_code == 200
    assert b"<html" in page.content and b"<html" not in fragment.content
    for response in (page, fragment):
        html = response.content.decode()
        assert 'id="quiz-step"' in html
        assert f'name="item" value="{item.pk}"' in html
        assert 'name="csrfmiddlewaretoken"' in html
    assert "第 1 / 5 题" in fragment.content.decode()


def test_a_fill_in_question_has_one_plain_text_input_per_blank(learner_client, learner, small_bank):
    attempt = services.attempt_start(user=learner, question_type="cloze", length=5)

    html = learner_client.get(attempt.get_absolute_url()).content.decode()

    inputs = re.findall(r'<input type="text"[^>]*>', html)
    assert len(inputs) == len(attempt_current_item(attempt).question.blanks)
    assert all('inputmode="text"' in tag and 'autocomplete="off"' in tag for tag in inputs)


def test_a_choice_question_has_radio_buttons(learner_client, learner, small_bank):
    attempt = services.attempt_start(user=learner, question_type="choice", length=5)

    html = learner_client.get(attempt.get_absolute_url()).content.decode()

    assert html.count('type="radio" id="choice-') == 4


def test_a_matching_question_has_a_select_per_left_item_in_the_attempts_order(learner_client, learner, small_bank):
    attempt = services.attempt_start(user=learner, question_type="matching", length=1, rng=random.Random(3))
    item = attempt_current_item(attempt)

    html = learner_client.get(attempt.get_absolute_url()).content.decode()

    assert html.count("<select ") == len(item.question.pairs)
    assert "data-matching" in html and "js/quiz.js" in html
    shown = re.findall(r'<option value="(\d)">([^<]+)</option>', html)[: len(item.question.pairs)]
    rights = [item.question.pairs[original][1] for original in item.layout["right_order"]]
    assert [text for _value, text in shown] == rights


@pytest.mark.parametrize("question_type", ["cloze", "choice", "matching"])
def test_a_right_answer_gets_feedback_with_the_source_line_marked(learner_client, learner, small_bank, question_type):
    attempt = services.attempt_start(user=learner, question_type=question_type, length=1)
    item = attempt_current_item(attempt)

    response = learner_client.post(reverse("quizzes:answer", args=[attempt.pk]), form_data(item), **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "回答正确" in html
    assert "<mark>" in html
    assert "查看成绩" in html  # the only question: the feedback leads to the review
    assert Answer.objects.get().is_correct


def test_a_wrong_answer_gets_the_correct_answer_and_a_next_link(learner_client, learner, small_bank):
    attempt = services.attempt_start(user=learner, question_type="cloze", length=5)
    item = attempt_current_item(attempt)

    response = learner_client.post(reverse("quizzes:answer", args=[attempt.pk]), form_data(item, right=False), **HTMX)

    html = response.content.decode()
    assert "回答错误" in html
    assert item.question.blanks[0]["answer"] in html
    assert f"<mark>{item.question.blanks[0]['answer']}</mark>" in html
    assert "下一题" in html and f'hx-get="{attempt.get_absolute_url()}"' in html


def test_a_partly_right_matching_answer_shows_the_pairs_score(learner_client, learner, small_bank):
    attempt = services.attempt_start(user=learner, question_type="matching", length=1, rng=random.Random(3))
    item = attempt_current_item(attempt)
    data = form_data(item)
    order = item.layout["right_order"]
    data["pair-1"], data["pair-2"] = str(order.index(2)), str(order.index(1))

    html = learner_client.post(reverse("quizzes:answer", args=[attempt.pk]), data, **HTMX).content.decode()

    assert "部分正确（1/3）" in html
    assert Answer.objects.get().credit == pytest.approx(1 / 3)


def test_the_answer_works_without_htmx_as_a_full_page(learner_client, attempt):
    item = attempt_current_item(attempt)

    response = learner_client.post(reverse("quizzes:answer", args=[attempt.pk]), form_data(item))

    assert response.status_code == 200
    assert b"<html" in response.content and "回答正确" in response.content.decode()


def test_sending_the_form_twice_records_once_and_shows_the_same_feedback(learner_client, attempt):
    item = attempt_current_item(attempt)
    url = reverse("quizzes:answer", args=[attempt.pk])

    first = learner_client.post(url, form_data(item, right=True, token="one"), **HTMX)
    second = learner_client.post(url, form_data(item, right=False, token="one"), **HTMX)
    reload = learner_client.post(url, form_data(item, right=False, token="two"))

    assert "回答正确" in second.content.decode() and "回答正确" in reload.content.decode()
    assert first.status_code == second.status_code == reload.status_code == 200
    assert Answer.objects.count() == 1
    assert PointState.objects.filter(reps__gt=1).count() == 0
    attempt.refresh_from_db()
    assert attempt.answered_count == 1


def test_after_feedback_the_next_question_follows(learner_client, attempt):
    item = attempt_current_item(attempt)
    learner_client.post(reverse("quizzes:answer", args=[attempt.pk]), form_data(item), **HTMX)

    html = learner_client.get(attempt.get_absolute_url(), **HTMX).content.decode()

    assert "第 2 / 5 题" in html
    assert f'name="item" value="{attempt.items.get(position=1).pk}"' in html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"blank-0": "长" * 201}, "答案太长"),
        ({"blank-0": ""}, "请至少填写一个空"),
        ({"blank-0": None}, "缺少第 1 个空"),
    ],
)
def test_a_malformed_fill_in_answer_is_refused_with_a_message(learner_client, learner, small_bank, change, message):
    attempt = services.attempt_start(user=learner, question_type="cloze", length=5)
    item = attempt_current_item(attempt)
    data = {**form_data(item), **change}
    data = {key: value for key, value in data.items() if value is not None}
    url = reverse("quizzes:answer", args=[attempt.pk])

    page = learner_client.post(url, data)
    fragment = learner_client.post(url, data, **HTMX)

    assert page.status_code == 400
    assert fragment.status_code == 200  # htmx swaps only 2xx responses
    assert message in page.content.decode() and message in fragment.content.decode()
    assert not Answer.objects.exists() and not PointState.objects.exists()


@pytest.mark.parametrize("value", ["", "9", "x", "-1", "12345"])
def test_a_malformed_choice_or_matching_answer_is_refused(learner_client, learner, small_bank, value):
    for question_type, field in (("choice", "choice"), ("matching", "pair-0")):
        attempt = services.attempt_start(user=learner, question_type=question_type, length=1)
        data = {**form_data(attempt_current_item(attempt)), field: value}

        response = learner_client.post(reverse("quizzes:answer", args=[attempt.pk]), data)

        assert response.status_code == 400
    assert not Answer.objects.exists()


def test_a_question_of_another_attempt_is_refused(learner_client, learner, small_bank, attempt):
    other = services.attempt_start(user=learner, length=5)
    foreign_item = attempt_current_item(other)

    response = learner_client.post(reverse("quizzes:answer", args=[attempt.pk]), form_data(foreign_item))

    assert response.status_code == 400
    assert "不在本次练习中" in response.content.decode()
    assert not Answer.objects.exists()


def test_someone_elses_attempt_is_not_found(client, attempt):
    client.force_login(UserFactory())
    item = attempt_current_item(attempt)

    assert client.get(attempt.get_absolute_url()).status_code == 404
    assert client.post(reverse("quizzes:answer", args=[attempt.pk]), form_data(item)).status_code == 404
    assert client.get(reverse("quizzes:result", args=[attempt.pk])).status_code == 404
    assert client.post(reverse("quizzes:retry", args=[attempt.pk])).status_code == 404
    assert not Answer.objects.exists()


def test_answering_requires_csrf(learner, attempt):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)

    response = client.post(reverse("quizzes:answer", args=[attempt.pk]), form_data(attempt_current_item(attempt)))

    assert response.status_code == 403
    assert not Answer.objects.exists()


def test_a_finished_quiz_leads_to_its_review(learner_client, attempt):
    for item in attempt.items.select_related("question").order_by("position"):
        learner_client.post(reverse("quizzes:answer", args=[attempt.pk]), form_data(item, right=item.position != 2))
    result_url = reverse("quizzes:result", args=[attempt.pk])

    assert learner_client.get(attempt.get_absolute_url())["Location"] == result_url
    assert learner_client.get(attempt.get_absolute_url(), **HTMX)["HX-Redirect"] == result_url
    html = learner_client.get(result_url).content.decode()
    assert 'data-testid="score">80<' in html
    assert html.count('data-testid="review-item"') == 5
    assert "重做答错的 1 题" in html
    assert "你的答案" in html and "正确答案" in html


def test_retrying_wrong_ones_starts_an_attempt_with_exactly_those(learner_client, learner, attempt):
    for item in attempt.items.select_related("question").order_by("position"):
        learner_client.post(
            reverse("quizzes:answer", args=[attempt.pk]), form_data(item, right=item.position not in (0, 3))
        )

    response = learner_client.post(reverse("quizzes:retry", args=[attempt.pk]))

    retry = Attempt.objects.get(retry_of=attempt)
    assert response["Location"] == retry.get_absolute_url()
    expected = [attempt.items.get(position=p).question_id for p in (0, 3)]
    assert list(retry.items.order_by("position").values_list("question_id", flat=True)) == expected


def test_the_due_review_button_starts_a_review_or_says_nothing_is_due(learner_client, learner, small_bank):
    response = learner_client.post(reverse("quizzes:review"), follow=True)

    assert "今天没有需要复习的要点" in response.content.decode()
    assert not Attempt.objects.exists()
