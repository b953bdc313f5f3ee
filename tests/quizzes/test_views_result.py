"""The review after a quiz: its time taken in Chinese, and the “只看错题” filter as page and fragment."""

import random
from datetime import timedelta

import pytest
from django.urls import reverse

from quizzes import services
from quizzes.models import Attempt
from tests.support import HTMX, answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(small_bank, learner):
    """Five questions, the second and fourth answered wrongly, in 11 minutes 49 seconds."""
    attempt = services.attempt_start(user=learner, length=5, rng=random.Random(3))
    answer_all(attempt, learner, right=lambda position: position not in (1, 3), now=attempt.started_at)
    Attempt.objects.filter(pk=attempt.pk).update(finished_at=attempt.started_at + timedelta(minutes=11, seconds=49))
    return attempt


def test_the_time_taken_reads_as_chinese(learner_client, finished):
    html = learner_client.get(reverse("quizzes:result", args=[finished.pk])).content.decode()
    assert 'data-testid="duration">11分49秒<' in html
    assert "′" not in html and "″" not in html


def test_only_the_wrong_ones_can_be_shown_as_page_and_fragment(learner_client, finished):
    url = reverse("quizzes:result", args=[finished.pk])
    wrong = [finished.items.get(position=p).question.prompt for p in (1, 3)]

    everything = learner_client.get(url).content.decode()
    page = learner_client.get(url, {"show": "wrong"}).content.decode()
    fragment = learner_client.get(url, {"show": "wrong"}, **HTMX).content.decode()

    assert everything.count('data-testid="review-item"') == 5
    assert "只看错题（2）" in everything and f'href="{url}?show=wrong"' in everything
    for html in (page, fragment):
        assert html.count('data-testid="review-item"') == 2
        assert all(prompt in html for prompt in wrong)
        assert "回答正确" not in html
    assert "<html" in page and "<html" not in fragment
    assert fragment.lstrip().startswith('<div id="review">')


def test_a_quiz_without_wrong_answers_says_so_when_filtered(learner_client, learner, small_bank):
    attempt = services.attempt_start(user=learner, length=3, rng=random.Random(5))
    answer_all(attempt, learner)
    html = learner_client.get(reverse("quizzes:result", args=[attempt.pk]), {"show": "wrong"}).content.decode()
    assert 'data-testid="no-wrong"' in html and 'data-testid="review-item"' not in html


def test_someone_elses_result_is_not_found_filtered_or_not(client, finished):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    url = reverse("quizzes:result", args=[finished.pk])
    assert client.get(url, {"show": "wrong"}).status_code == 404
    assert client.get(url, {"show": "wrong"}, **HTMX).status_code == 404
