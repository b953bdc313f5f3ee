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


def test_source_lines_are_kept_per_text_as_marked_and_follow_a_changed_key(small_bank):
    from quizzes.core.checking import highlight
    from quizzes.selectors import SourceLine
    from quizzes.step_html import source_lines_html, step_html_forget

    step_html_forget()
    point = small_bank.points[0]
    word = point.text[2:5]
    other = point.text[6:9]

    def lines(answer: str) -> list[SourceLine]:
        return [SourceLine(point, highlight(point.text, [answer]))]

    first = source_lines_html(lines(word))
    assert source_lines_html(lines(word)) is first  # kept
    changed = source_lines_html(lines(other))  # the key edited: the line marked elsewhere

    assert f"<mark>{escape(word)}</mark>" in first and f"<mark>{escape(other)}</mark>" not in first
    assert f"<mark>{escape(other)}</mark>" in changed and f"<mark>{escape(word)}</mark>" not in changed
    section = reverse("documents:section", kwargs={"key": point.parent.key})
    assert f'href="{section}#l-{point.key}"' in first


def test_learners_answering_the_same_question_each_get_their_own_answer_beside_the_same_source(
    small_bank, learner, learner_client
):
    from django.test import Client

    from tests.factories import UserFactory

    other = UserFactory(username="另一位")
    attempts = [
        services.attempt_start(user=user, length=1, question_type="cloze", rng=random.Random(4))
        for user in (learner, other)
    ]
    items = [attempt.items.select_related("question").get() for attempt in attempts]
    assert items[0].question_id == items[1].question_id
    client = Client()
    client.force_login(other)

    right = learner_client.post(
        reverse("quizzes:answer", kwargs={"pk": attempts[0].pk}), form_data(items[0], right=True), **HTMX
    ).content.decode()
    wrong = client.post(
        reverse("quizzes:answer", kwargs={"pk": attempts[1].pk}), form_data(items[1], right=False), **HTMX
    ).content.decode()

    assert "✓ 回答正确" in right and "✗ 回答错误" not in right
    assert "✗ 回答错误" in wrong and "✓ 回答正确" not in wrong
    sources = [
        html[html.index('<blockquote class="source-line">') : html.index("</blockquote>")] for html in (right, wrong)
    ]
    assert sources[0] == sources[1] and "<mark>" in sources[0]
    assert f"?attempt={attempts[0].pk}" in right and f"?attempt={attempts[1].pk}" in wrong


@pytest.mark.parametrize("show", ["never", "deadline", "finished"])
def test_a_key_another_learner_was_shown_stays_hidden_from_a_member_of_a_closed_book_test(
    small_bank, learner, learner_client, study_group, trainer, show
):
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone

    from quizzes.groups import services as group_services
    from tests.factories import ANSWER, MembershipFactory, UserFactory

    question = small_bank.of_type("cloze")[0]
    practice = services.attempt_start(user=learner, length=1, question_type="cloze", rng=random.Random(4))
    practice.items.update(question=question)
    (practice_item,) = practice.items.select_related("question")
    shown = learner_client.post(
        reverse("quizzes:answer", kwargs={"pk": practice.pk}), form_data(practice_item, right=False), **HTMX
    ).content.decode()
    member = UserFactory(username="闭卷学员")
    MembershipFactory(group=study_group, user=member)
    now = timezone.now()
    assignment = group_services.assignment_create(
        group=study_group,
        created_by=trainer,
        title="闭卷测验",
        mode="fixed",
        question_ids=[question.pk, small_bank.of_type("cloze")[3].pk],
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
        show_answers=show,
    )
    attempt = group_services.assignment_start(assignment=assignment, user=member)
    item = attempt.items.select_related("question").get(question=question)
    client = Client()
    client.force_login(member)

    hidden = client.post(
        reverse("quizzes:answer", kwargs={"pk": attempt.pk}), form_data(item, right=False), **HTMX
    ).content.decode()

    assert "<mark>" in shown and "回答错误" in shown and ANSWER in shown
    assert 'data-testid="recorded"' in hidden
    for marker in ("回答正确", "回答错误", "正确答案：", "row-correct", "<mark>", "source-line", ANSWER):
        assert marker not in hidden


def test_the_steps_templates_are_loaded_before_any_worker_needs_them(monkeypatch):
    import jinja2
    from django.template import base, engines

    from quizzes.core.kinds import KINDS
    from quizzes.step_html import STEP_PAGE, STEP_TEMPLATES, templates_load

    engines["jinja2"].env.cache.clear()
    for engine in engines["django"].engine.template_loaders:
        engine.reset()

    templates_load()  # as gunicorn's master does (studyapp.warmup)

    monkeypatch.setattr(jinja2.Environment, "_parse", lambda *args: pytest.fail("compiled again"))
    monkeypatch.setattr(base.Template, "compile_nodelist", lambda *args: pytest.fail("compiled again"))
    for name in STEP_TEMPLATES:
        engines["jinja2"].get_template(name)
    for name in (STEP_PAGE, *(kind.form_template for kind in KINDS.values())):
        engines["django"].get_template(name)
