"""The answer form's question rendered once per process (quizzes/question_bodies.py): the same HTML as
the kind's form partial, each learner's own item and layout, a refilled form never kept, and an
edited or regenerated question shown as it is now."""

import random
from types import SimpleNamespace

import pytest
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse

from quizzes import question_bodies, services
from quizzes.core.kinds import KINDS
from quizzes.curation.services import question_edit
from quizzes.models import AttemptQuestion, Question
from quizzes.question_bodies import question_body
from tests.factories import UserFactory
from tests.support import HTMX

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_bodies_kept():
    question_bodies.question_bodies_forget()
    yield
    question_bodies.question_bodies_forget()


def partial_rendered(item: AttemptQuestion, data=None) -> str:
    """The kind's form partial rendered for `item` as the quiz page included it before bodies were kept."""
    question = item.question
    kind = question.kind
    view = SimpleNamespace(item=item, question=question, kind=kind, inputs=kind.inputs(question, item.layout, data))
    return render_to_string(kind.form_template, {"view": view})


def items_of(question_type: str, count: int = 2) -> list[AttemptQuestion]:
    """`count` learners' items of the first question of the type, each in an attempt of their own."""
    question = Question.objects.filter(type=question_type).order_by("pk").first()
    items = []
    for number in range(count):
        user = UserFactory(username=f"learner-{question_type}-{number}")
        attempt = services.attempt_start(user=user, length=1, question_type=question_type, rng=random.Random(number))
        item = attempt.items.select_related("question").get()
        if item.question_id != question.pk:  # the draw picked another: make it this question
            AttemptQuestion.objects.filter(pk=item.pk).update(question=question)
            item = attempt.items.select_related("question").get()
        items.append(item)
    return items


@pytest.mark.parametrize("question_type", list(KINDS))
def test_a_kept_body_is_the_kinds_form_partial_with_each_learners_own_item(every_kind_bank, question_type):
    first, second = items_of(question_type)

    for item in (first, second, first, second):  # rendered once, then given back from the store
        assert question_body(item) == partial_rendered(item)


def test_each_learner_sees_the_choices_in_their_own_order(every_kind_bank):
    first, second = items_of("choice")
    AttemptQuestion.objects.filter(pk=first.pk).update(layout={"choice_order": [3, 1, 0, 2]})
    AttemptQuestion.objects.filter(pk=second.pk).update(layout={"choice_order": [2, 0, 1, 3]})
    first.refresh_from_db()
    second.refresh_from_db()
    choices = first.question.choices

    def shown_order(html: str) -> list[int]:
        return sorted(range(len(choices)), key=lambda index: html.index(f"> {choices[index]}</label>"))

    first_html, second_html = question_body(first), question_body(second)
    assert shown_order(first_html) == [3, 1, 0, 2] and shown_order(second_html) == [2, 0, 1, 3]
    assert first_html == partial_rendered(first) and second_html == partial_rendered(second)


def test_a_refilled_form_shows_what_was_typed_and_is_not_kept(every_kind_bank):
    first, second = items_of("cloze")
    typed = QueryDict(mutable=True)
    typed["blank-0"] = "我填的字"

    refilled = question_body(first, typed)

    assert 'value="我填的字"' in refilled and refilled == partial_rendered(first, typed)
    assert "我填的字" not in question_body(second)
    assert "我填的字" not in question_body(first)


@pytest.mark.parametrize("question_type", list(KINDS))
def test_a_refused_form_that_sent_nothing_the_question_reads_is_the_plain_body(
    every_kind_bank, question_type, monkeypatch
):
    (item,) = items_of(question_type, count=1)
    question_body(item)  # kept
    unrelated = QueryDict("pair-99=0&blank-99=x&something=else")
    monkeypatch.setattr(question_bodies, "_render", lambda *args: pytest.fail("rendered again"))

    assert question_body(item, unrelated) == partial_rendered(item, unrelated) == partial_rendered(item)


def test_a_question_a_curator_edits_shows_its_new_wording_on_the_next_step(every_kind_bank, client, django_user_model):
    (item,) = items_of("choice", count=1)
    client.force_login(item.attempt.user)
    url = reverse("quizzes:take", kwargs={"pk": item.attempt_id})
    assert item.question.prompt in client.get(url, **HTMX).content.decode()
    curator = django_user_model.objects.create_user("curator", is_staff=True)

    question_edit(question=item.question, user=curator, changes={"prompt": "改过的题干：＿＿是什么？"})

    html = client.get(url, **HTMX).content.decode()
    assert "改过的题干：＿＿是什么？" in html and item.question.prompt not in html


def test_a_question_changed_by_another_process_shows_as_it_is_now(every_kind_bank, client):
    # bank_sync refreshes generated questions with one UPDATE a row: no signal reaches other workers.
    (item,) = items_of("matching", count=1)
    client.force_login(item.attempt.user)
    url = reverse("quizzes:take", kwargs={"pk": item.attempt_id})
    before = client.get(url, **HTMX).content.decode()
    pairs = [[f"新左项{index}", f"新右项{index}"] for index in range(len(item.question.pairs))]

    Question.objects.filter(pk=item.question_id).update(pairs=pairs, prompt="重新生成的连线题")

    after = client.get(url, **HTMX).content.decode()
    assert item.question.pairs[0][0] in before
    assert "重新生成的连线题" in after and "新左项0" in after and "新右项0" in after
    assert item.question.pairs[0][0] not in after


def test_the_step_page_in_full_and_as_fragment_shows_the_same_question(every_kind_bank, client):
    (item,) = items_of("multiselect", count=1)
    client.force_login(item.attempt.user)
    url = reverse("quizzes:take", kwargs={"pk": item.attempt_id})

    page = client.get(url).content.decode()
    fragment = client.get(url, **HTMX).content.decode()

    body = partial_rendered(item)
    assert body in page and body in fragment
    assert f'aria-describedby="prompt-{item.pk}"' in fragment
