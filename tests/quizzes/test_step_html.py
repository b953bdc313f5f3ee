"""The quiz step and its feedback (Jinja2 templates, quizzes/step_html.py): escaped as Django escapes,
the same step in the page and in the fragment, a refused answer's form with its message."""

import random
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from quizzes import services
from quizzes.models import Question
from tests.support import HTMX, form_data

pytestmark = pytest.mark.django_db

MARKUP = "<b>粗体</b> & \"引号\" 'x'"


@pytest.fixture
def item(every_kind_bank, learner):
    attempt = services.attempt_start(user=learner, length=3, question_type="choice", rng=random.Random(2))
    item = attempt.items.select_related("question").order_by("position").first()
    Question.objects.filter(pk=item.question_id).update(
        prompt=f"{MARKUP}：＿＿", choices=[f"{MARKUP}{index}" for index in range(4)]
    )
    item.question.refresh_from_db()
    return item


def test_question_text_is_escaped_in_the_step_and_in_its_feedback(learner_client, item):
    url = reverse("quizzes:take", kwargs={"pk": item.attempt_id})

    step = learner_client.get(url, **HTMX).content.decode()
    answered = learner_client.post(
        reverse("quizzes:answer", kwargs={"pk": item.attempt_id}), form_data(item, right=False), **HTMX
    ).content.decode()

    for html in (step, answered):
        assert MARKUP not in html and "<b>" not in html
        assert escape(f"{MARKUP}：＿＿") in html
    assert 'data-testid="submit"' in step and "✗ 回答错误" in answered
    assert escape(f"{MARKUP}{item.question.answer_index}") in answered  # the key


def test_the_page_and_the_fragment_show_the_same_step(learner_client, item):
    url = reverse("quizzes:take", kwargs={"pk": item.attempt_id})

    page = learner_client.get(url).content.decode()
    fragment = learner_client.get(url, **HTMX).content.decode()

    def section(html: str) -> str:
        """The step, without the values drawn afresh for each rendering (CSRF mask, answer token)."""
        start = html.index('<section id="quiz-step"')
        step = html[start : html.index("</section>", start)]
        return re.sub(r'name="(csrfmiddlewaretoken|token)" value="\w+"', "", step)

    assert section(page) == section(fragment)
    assert fragment.startswith("\n<section") and page.count('id="quiz-step"') == 1


def test_a_refused_answer_shows_the_form_again_with_the_message_and_the_choice_kept(learner_client, item):
    url = reverse("quizzes:answer", kwargs={"pk": item.attempt_id})

    page = learner_client.post(url, {"item": item.pk, "token": "t", "choice": ["1", "2"]})
    fragment = learner_client.post(url, {"item": item.pk, "token": "t", "choice": "x"}, **HTMX)

    assert page.status_code == 400 and fragment.status_code == 200
    for response in (page, fragment):
        html = response.content.decode()
        assert 'data-testid="error"' in html and 'name="csrfmiddlewaretoken"' in html
        assert f'name="item" value="{item.pk}"' in html
