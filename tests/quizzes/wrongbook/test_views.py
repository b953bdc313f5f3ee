"""The wrong-answer book's pages, as page and htmx fragment, and starting its practice."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Attempt
from tests.factories import ProfileFactory
from tests.quizzes.wrongbook.helpers import answered, assignment_closing
from tests.support import HTMX

pytestmark = pytest.mark.django_db

BOOK = reverse("wrongbook:book")
PRACTICE = reverse("wrongbook:practice")


def test_the_book_needs_a_login(client):
    assert client.get(BOOK).status_code == 302
    assert client.post(PRACTICE).status_code == 302


def test_the_dashboard_and_the_menu_lead_to_the_book(learner_client, small_bank):
    html = learner_client.get(reverse("quizzes:home")).content.decode()
    assert html.count(f'href="{BOOK}"') == 2


def test_an_empty_book_says_so_and_offers_practice(learner_client, small_bank):
    html = learner_client.get(BOOK).content.decode()
    assert 'data-testid="book-empty"' in html
    assert 'data-testid="book-entry"' not in html


def test_the_book_lists_the_wrong_questions_with_answer_key_and_source(learner_client, learner, small_bank):
    question = small_bank.questions[0]
    answered(learner, question, right=False)
    answered(learner, small_bank.questions[1], right=True)

    response = learner_client.get(BOOK)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and html.count('data-testid="book-entry"') == 1
    assert question.prompt in html
    assert "你的答案" in html and "正确答案" in html and question.blanks[0]["answer"] in html
    assert 'class="source-line"' in html and "<mark>" in html
    assert small_bank.tasks[0].text in html and small_bank.topics[0].text in html


def test_a_group_is_shown_alone_as_page_and_as_fragment(learner_client, learner, small_bank):
    topic = small_bank.topics[3]
    in_topic = next(q for q in small_bank.questions if q.topic_key == topic.key)
    answered(learner, small_bank.questions[0], right=False)
    answered(learner, in_topic, right=False)

    page = learner_client.get(BOOK, {"group": f"topic:{topic.key}"}).content.decode()
    fragment = learner_client.get(BOOK, {"group": f"topic:{topic.key}"}, **HTMX).content.decode()

    for html in (page, fragment):
        assert html.count('data-testid="book-entry"') == 1
        assert in_topic.prompt in html and small_bank.questions[0].prompt not in html
        assert f'name="group" value="topic:{topic.key}"' in html
    assert "<html" in page and "<html" not in fragment
    assert fragment.lstrip().startswith('<div id="wrong-book"')


def test_a_group_without_wrong_questions_says_so(learner_client, learner, small_bank):
    answered(learner, small_bank.questions[0], right=False)
    html = learner_client.get(BOOK, {"group": f"task:{small_bank.tasks[1].key}"}).content.decode()
    assert 'data-testid="group-empty"' in html


def test_another_learners_wrong_answers_are_never_shown(client, learner, small_bank):
    answered(learner, small_bank.questions[0], right=False)
    someone = ProfileFactory().user
    client.force_login(someone)
    for headers in ({}, HTMX):
        html = client.get(BOOK, **headers).content.decode()
        assert small_bank.questions[0].prompt not in html
        assert 'data-testid="book-entry"' not in html


def test_an_open_assignments_wrong_answers_are_not_shown_yet(learner_client, learner, small_bank):
    assignment = assignment_closing(timezone.now() + timedelta(days=1))
    answered(learner, small_bank.questions[0], right=False, assignment=assignment)
    assert 'data-testid="book-empty"' in learner_client.get(BOOK).content.decode()


def test_practising_a_group_starts_a_retry_quiz_of_it(learner_client, learner, small_bank):
    task = small_bank.tasks[1]
    in_task = [q for q in small_bank.questions if q.task_key == task.key][:2]
    for question in [small_bank.questions[0], *in_task]:
        answered(learner, question, right=False)

    response = learner_client.post(PRACTICE, {"group": f"task:{task.key}"})

    attempt = Attempt.objects.get(kind=Attempt.Kind.RETRY)
    assert response.status_code == 302 and response["Location"] == attempt.get_absolute_url()
    assert list(attempt.items.order_by("position").values_list("question_id", flat=True)) == [q.pk for q in in_task]


def test_practising_an_empty_group_goes_back_with_a_message(learner_client, learner, small_bank):
    group = f"task:{small_bank.tasks[0].key}"
    response = learner_client.post(PRACTICE, {"group": group}, follow=True)
    assert response.redirect_chain[-1][0] == f"{BOOK}?group={group}"
    assert "错题本里没有这一组的题目了" in response.content.decode()
    assert not Attempt.objects.exists()


def test_practising_needs_a_post(learner_client, small_bank):
    assert learner_client.get(PRACTICE).status_code == 405


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "fragment"])
def test_the_book_page_takes_constant_queries(learner_client, learner, small_bank, django_assert_num_queries, headers):
    # session with its user, the outline, the page's count, its rows, their source lines
    for count in (3, 12):
        for question in small_bank.questions[:count]:
            answered(learner, question, right=False)
        with django_assert_num_queries(5):
            response = learner_client.get(BOOK, **headers)
        assert response.content.decode().count('data-testid="book-entry"') == count


def test_a_long_book_is_paged(learner_client, learner, small_bank):
    for question in small_bank.questions[:25]:
        answered(learner, question, right=False)
    first = learner_client.get(BOOK).content.decode()
    second = learner_client.get(BOOK, {"page": 2}, **HTMX).content.decode()
    assert first.count('data-testid="book-entry"') == 20
    assert second.count('data-testid="book-entry"') == 5
    assert "第 2/2 页" in second
