"""The personal dashboard (home page) and mastery in the reader."""

import random

import pytest
from django.urls import reverse
from django.utils import timezone
from fsrs import Rating

from quizzes import services
from quizzes.selectors import attempt_current_item
from tests.support import right_answer

pytestmark = pytest.mark.django_db


def test_the_home_page_is_the_dashboard(learner_client, small_bank):
    response = learner_client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "你好，李干部" in html
    assert "各任务掌握度" in html
    assert html.count('class="mastery-row"') == 2
    assert "<svg" in html and "<script>" not in html
    assert reverse("quizzes:new") in html and "没有到期的复习" in html


def test_the_dashboard_shows_mastery_streak_due_points_and_recent_quizzes(learner_client, learner, small_bank):
    attempt = services.attempt_start(user=learner, question_type="cloze", length=5, rng=random.Random(1))
    for _ in range(2):
        item = attempt_current_item(attempt)
        services.answer_submit(item=item, user=learner, given=[item.question.blanks[0]["answer"]])

    html = learner_client.get("/").content.decode()

    assert 'data-testid="streak">1<' in html
    assert 'data-testid="due">0<' in html
    assert "继续上次练习（2/5）" in html
    assert attempt.get_absolute_url() in html
    task_keys = {item.question.task_key for item in attempt.items.select_related("question")[:2]}
    percents = [html.split(f'data-testid="mastery-{key}">')[1].split("%")[0] for key in task_keys]
    assert any(int(p) > 0 for p in percents)


def test_the_dashboard_counts_points_due_today(learner_client, learner, small_bank):
    services.points_review(
        user=learner,
        ratings={small_bank.points[0].text_key: Rating.Again},
        now=timezone.now() - timezone.timedelta(days=2),
    )

    html = learner_client.get("/").content.decode()

    assert 'data-testid="due">1<' in html


def test_the_dashboard_takes_a_constant_number_of_queries(
    learner_client, learner, small_bank, django_assert_num_queries
):
    for length in (5, 10):
        attempt = services.attempt_start(user=learner, length=length)
        item = attempt_current_item(attempt)
        services.answer_submit(item=item, user=learner, given=right_answer(item.question))
    # session with its user, whether they train a group (the home's choice), attempts whose time is up (none),
    # profile, active version, outline, mastery (tasks and topics), due and next due, answers per day
    # (goal, week, streak), recent, in progress
    with django_assert_num_queries(11):
        learner_client.get("/")
    with django_assert_num_queries(10):
        learner_client.get(reverse("quizzes:study"))


def test_the_reader_shows_mastery_beside_each_topic(learner_client, learner, small_bank):
    services.points_review(
        user=learner, ratings={p.text_key: Rating.Good for p in small_bank.points[:3]}, now=timezone.now()
    )

    html = learner_client.get(reverse("documents:toc")).content.decode()
    fragment = learner_client.get(small_bank.topics[0].get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()

    for topic in small_bank.topics:
        assert f'{topic.display_title}</a> <span class="mastery"' in html
    assert "掌握 100%" in html and "掌握 0%" in html
    assert "掌握 100%" in fragment
