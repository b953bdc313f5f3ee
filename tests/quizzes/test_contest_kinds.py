"""判断 and 多选, the kinds every Chinese contest bank has, in every part of the app: a quiz of them,
the answer form and its feedback, an assignment, the group report and its exports, the bank page and
the question exports."""

import json
import random
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes import services
from quizzes.export import bank_as_gift, bank_as_json, bank_as_moodle_xml
from quizzes.groups import analysis
from quizzes.groups import services as group_services
from quizzes.models import Answer, PointState, Question
from quizzes.selectors import attempt_current_item
from tests.factories import MembershipFactory, UserFactory
from tests.support import HTMX, form_data

pytestmark = pytest.mark.django_db

KINDS = ("truefalse", "multiselect")


def answer_url(attempt):
    return reverse("quizzes:answer", args=[attempt.pk])


@pytest.mark.parametrize("kind", KINDS)
def test_a_quiz_of_one_contest_kind_asks_only_that_kind(every_kind_bank, learner, kind):
    attempt = services.attempt_start(user=learner, question_type=kind, length=20, rng=random.Random(1))

    assert set(attempt.items.values_list("question__type", flat=True)) == {kind}
    assert attempt.question_count == len(every_kind_bank.of_type(kind))


@pytest.mark.parametrize(("kind", "input_type"), [("truefalse", "radio"), ("multiselect", "checkbox")])
def test_the_answer_form_draws_the_kinds_own_inputs(learner_client, learner, every_kind_bank, kind, input_type):
    attempt = services.attempt_start(user=learner, question_type=kind, length=1)

    html = learner_client.get(attempt.get_absolute_url(), **HTMX).content.decode()

    item = attempt_current_item(attempt)
    assert item.question.prompt in html
    assert f'type="{input_type}"' in html and 'name="choice"' in html
    assert f"badge-{kind}" in html


@pytest.mark.parametrize("kind", KINDS)
def test_a_right_answer_is_recorded_scored_and_moves_the_points_memory_on(
    learner_client, learner, every_kind_bank, kind
):
    attempt = services.attempt_start(user=learner, question_type=kind, length=1)
    item = attempt_current_item(attempt)

    html = learner_client.post(answer_url(attempt), form_data(item), **HTMX).content.decode()

    answer = Answer.objects.get(attempt_question=item)
    assert "回答正确" in html
    assert answer.is_correct and answer.credit == 1.0
    assert PointState.objects.filter(user=learner, point_text_key__in=item.question.source_text_keys).exists()


def test_a_false_statement_judged_true_shows_the_documents_term(learner_client, learner, every_kind_bank):
    false = next(q for q in every_kind_bank.of_type("truefalse") if q.answer_index == 0)
    attempt = services.attempt_create(user=learner, question_ids=[false.pk], question_type="truefalse")
    item = attempt_current_item(attempt)

    html = learner_client.post(answer_url(attempt), form_data(item, right=False), **HTMX).content.decode()

    assert "回答错误" in html
    assert "原文为“终身职业技能培训”，不是“职工之家建设”" in html
    assert "<mark>终身职业技能培训</mark>" in html  # the document's term, marked in the source line


def test_a_multiple_select_with_one_option_missing_earns_half(learner_client, learner, every_kind_bank):
    question = every_kind_bank.of_type("multiselect")[0]
    attempt = services.attempt_create(user=learner, question_ids=[question.pk], question_type="multiselect")
    item = attempt_current_item(attempt)
    data = {"item": str(item.pk), "token": "t", "choice": ["0", "2"]}  # 0, 2 and 3 are right

    html = learner_client.post(answer_url(attempt), data, **HTMX).content.decode()

    answer = Answer.objects.get(attempt_question=item)
    assert (answer.given, answer.credit, answer.is_correct) == ([0, 2], 0.5, False)
    assert "部分正确" in html


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("truefalse", {}, "请判断这句话是否正确"),
        ("truefalse", {"choice": "2"}, "请判断这句话是否正确"),
        ("multiselect", {}, "请至少选择一个选项"),
        ("multiselect", {"choice": ["1", "x"]}, "请至少选择一个选项"),
    ],
)
def test_a_malformed_contest_answer_is_refused_and_nothing_is_recorded(
    learner_client, learner, every_kind_bank, kind, data, message
):
    attempt = services.attempt_start(user=learner, question_type=kind, length=1)
    item = attempt_current_item(attempt)

    response = learner_client.post(answer_url(attempt), {"item": str(item.pk), "token": "t", **data})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Answer.objects.exists()


def test_contest_kinds_join_assignments_and_the_group_report(trainer_client, every_kind_bank, study_group, trainer):
    questions = every_kind_bank.of_type("truefalse")[:2] + every_kind_bank.of_type("multiselect")[:1]
    now = timezone.now()
    assignment = group_services.assignment_create(
        group=study_group,
        created_by=trainer,
        title="判断与多选",
        mode="fixed",
        question_ids=[q.pk for q in questions],
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
    )
    for index in range(3):
        user = UserFactory()
        MembershipFactory(group=study_group, user=user)
        attempt = group_services.assignment_start(assignment=assignment, user=user)
        for item in attempt.items.select_related("question").order_by("position"):
            kind = item.question.kind
            given = kind.right_answer(item.question) if index else kind.wrong_answer(item.question)
            services.answer_submit(item=item, user=user, given=given)

    result = analysis.question_analysis(viewer=trainer, group=study_group, assignment=str(assignment.pk))
    page = trainer_client.get(reverse("groups:report_analysis", args=[study_group.pk]), {"assignment": assignment.pk})
    csv = trainer_client.get(reverse("groups:export_csv", args=[study_group.pk])).content.decode("utf-8-sig")

    stats = {stat.question.type: stat for stat in result.questions}
    assert {stat.question for stat in result.questions} == set(questions)
    assert stats["truefalse"].correct == 2 and stats["truefalse"].answers == 3
    assert stats["truefalse"].wrong_answers[0][0] in ("判为正确", "判为错误")
    assert stats["multiselect"].wrong_answers == [("职工书屋建设、安康杯", 1)]
    body = page.content.decode()
    assert page.status_code == 200 and "badge-truefalse" in body and "badge-multiselect" in body
    assert csv.count("\n") == 4  # header and three members


def test_the_bank_page_shows_the_contest_kinds_keys(client, every_kind_bank):
    client.force_login(UserFactory(is_staff=True))

    html = client.get(reverse("quizzes:bank")).content.decode()

    assert "判断" in html and "多选" in html
    assert "原文为“终身职业技能培训”，题中为“职工之家建设”" in html
    assert html.count('<li class="correct">') >= 3 + len(every_kind_bank.of_type("choice"))


def test_the_contest_kinds_are_exported_in_every_format(every_kind_bank):
    questions = list(Question.objects.filter(type__in=KINDS).order_by("position", "id"))

    data = json.loads(bank_as_json(questions, title="文件", version=1))
    gift = bank_as_gift(questions, title="文件", version=1)
    moodle = ET.fromstring(bank_as_moodle_xml(questions, title="文件", version=1).split("\n", 1)[1])

    true_false = [item for item in data["questions"] if item["type"] == "truefalse"]
    multi = [item for item in data["questions"] if item["type"] == "multiselect"]
    assert {item["answer_index"] for item in true_false} == {0, 1}
    assert all(item["correct_choices"] == [0, 2, 3] for item in multi)
    assert gift.count("{T}") + gift.count("{F}") == len(true_false) and "{F}" in gift
    assert gift.count("~%-100%") == 2 * len(multi)
    kinds = [element.get("type") for element in moodle.findall("question")]
    assert kinds.count("truefalse") == len(true_false) and kinds.count("multichoice") == len(multi)
