"""The integrity signals of the group report (quizzes/groups/integrity.py): each rule on plain values,
then the page that shows them with their evidence, to the group's trainers only, in a fixed number of
queries."""

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes import services
from quizzes.groups import integrity
from quizzes.groups import services as group_services
from quizzes.groups.integrity import (
    MIN_SHARED,
    AnswerRow,
    fast_attempts,
    in_same_order,
    question_characters,
    reading_seconds,
    similar_pairs,
    too_fast,
)
from quizzes.models import Question
from tests.factories import AssignmentFactory, MembershipFactory, ProfileFactory
from tests.support import right_answer

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.get_fixed_timezone(480))


# --- The rules --------------------------------------------------------------------------------------


def test_a_questions_characters_are_its_prompt_options_and_pairs_without_spaces():
    choice = SimpleNamespace(prompt="工会 的 任务？", choices=["甲乙", "丙 丁"], pairs=[])
    matching = SimpleNamespace(prompt="连线。", choices=[], pairs=[["大国工匠", "高技能人才"]])

    assert question_characters(choice) == 6 + 2 + 2
    assert question_characters(matching) == 3 + 4 + 5


def test_reading_time_is_the_characters_at_fifteen_a_second():
    assert integrity.READING_CHARS_PER_SECOND == 15
    assert reading_seconds(60) == 4.0 and reading_seconds(0) == 0.0


def test_an_attempt_is_too_fast_when_its_median_time_is_below_the_median_reading_time():
    assert too_fast([(1.0, 4.0), (2.0, 4.0), (30.0, 4.0)])  # one slow answer does not hide two rushed ones
    assert not too_fast([(5.0, 4.0), (4.0, 4.0), (1.0, 4.0)])  # at the reading time is not too fast
    assert not too_fast([(0.5, 4.0), (0.5, 4.0)])  # too few answers to say


def test_in_same_order_finds_the_longest_common_run():
    assert in_same_order([1, 2, 3, 4], [1, 2, 3, 4]) == [1, 2, 3, 4]
    assert in_same_order([1, 2, 3, 4], [4, 3, 2, 1]) in ([1], [2], [3], [4])
    assert in_same_order([1, 5, 2, 3], [1, 2, 6, 3]) == [1, 2, 3]
    assert in_same_order([], [1]) == []


def row(user, question, wrong="", *, second=0, assignment=1, elapsed=30.0, attempt=None):
    return AnswerRow(
        user_id=user,
        attempt_id=attempt or user * 100 + assignment,
        assignment_id=assignment,
        assignment_title=f"测验{assignment}",
        question_id=question,
        position=question,
        elapsed=elapsed,
        answered_at=T0 + timedelta(seconds=second),
        is_correct=not wrong,
        wrong=wrong,
    )


QUESTIONS = {pk: SimpleNamespace(pk=pk, type=Question.Type.CLOZE, prompt=f"第{pk}题") for pk in range(1, 8)}
NAMES = {1: "甲", 2: "乙", 3: "丙"}


def test_two_members_with_the_same_unusual_wrong_answers_in_the_same_order_are_a_pair():
    rows = [row(user, q, f"怪{q}", second=10 * q + user) for user in (1, 2) for q in (1, 2, 3)]
    rows += [row(3, q, second=q) for q in (1, 2, 3)]  # the third answered right

    (pair,) = similar_pairs(rows, QUESTIONS, NAMES)

    assert (pair.first_name, pair.second_name, pair.assignment_title) == ("甲", "乙", "测验1")
    assert [item.question.pk for item in pair.shared] == [1, 2, 3]
    assert [item.wrong for item in pair.shared] == ["怪1", "怪2", "怪3"]
    assert pair.shared[0].first.answered_at == T0 + timedelta(seconds=11)
    assert pair.shared[0].second.answered_at == T0 + timedelta(seconds=12)


def test_a_wrong_answer_a_third_member_gave_too_is_not_unusual():
    rows = [row(user, q, f"怪{q}", second=q) for user in (1, 2) for q in (1, 2, 3)]
    rows.append(row(3, 1, "怪1"))

    assert similar_pairs(rows, QUESTIONS, NAMES) == []  # two left in common: fewer than MIN_SHARED
    assert MIN_SHARED == 3


def test_the_same_wrong_answers_in_another_order_or_in_other_assignments_are_no_pair():
    reordered = [row(1, q, f"怪{q}", second=q) for q in (1, 2, 3)] + [row(2, q, f"怪{q}", second=-q) for q in (1, 2, 3)]
    apart = [row(1, q, f"怪{q}", second=q, assignment=1) for q in (1, 2, 3)]
    apart += [row(2, q, f"怪{q}", second=q, assignment=q) for q in (1, 2, 3)]

    assert similar_pairs(reordered, QUESTIONS, NAMES) == []
    assert similar_pairs(apart, QUESTIONS, NAMES) == []


def test_different_wrong_answers_and_true_false_questions_make_no_pair():
    different = [row(1, q, f"怪{q}", second=q) for q in (1, 2, 3)] + [row(2, q, f"别{q}", second=q) for q in (1, 2, 3)]
    truefalse = {pk: SimpleNamespace(pk=pk, type=Question.Type.TRUEFALSE, prompt="") for pk in QUESTIONS}
    same = [row(user, q, "错", second=q) for user in (1, 2) for q in (1, 2, 3)]

    assert similar_pairs(different, QUESTIONS, NAMES) == []
    assert similar_pairs(same, truefalse, NAMES) == []


def test_fast_attempts_are_found_per_attempt_with_their_evidence():
    rushed = [row(1, q, elapsed=1.0, second=q) for q in (1, 2, 3, 4)]
    careful = [row(2, q, elapsed=20.0, second=20 * q) for q in (1, 2, 3, 4)]
    untimed = [row(3, q, elapsed=None, second=q) for q in (1, 2, 3, 4)]

    (fast,) = fast_attempts(rushed + careful + untimed, dict.fromkeys(QUESTIONS, 4.0), NAMES)

    assert (fast.name, fast.answers, fast.median_seconds, fast.reading_seconds) == ("甲", 4, 1.0, 4.0)
    assert (fast.started, fast.last) == (T0 + timedelta(seconds=1), T0 + timedelta(seconds=4))


# --- The report page ----------------------------------------------------------------------------------


@pytest.fixture
def copied(small_bank, study_group):
    """A fixed assignment of the four first fill-ins: 甲 and 乙 give the same odd wrong answers one after
    the other (positions 0–3), 丙 answers right, 丁 answers everything within a second of the last."""
    questions = small_bank.of_type(Question.Type.CLOZE)[:4]
    assignment = AssignmentFactory(
        group=study_group, title="第一次测验", mode="fixed", question_ids=[q.pk for q in questions], length=4
    )
    now = timezone.now()
    people = {}
    for name in ("甲", "乙", "丙", "丁"):
        user = MembershipFactory(group=study_group, user=ProfileFactory(display_name=name).user).user
        people[name] = user
        attempt = group_services.assignment_start(assignment=assignment, user=user)
        for item in attempt.items.select_related("question").order_by("position"):
            if name in ("甲", "乙"):
                given, at = [f"奇怪的答案{item.position}"], now + timedelta(seconds=60 * item.position + len(name))
            elif name == "丙":
                given, at = right_answer(item.question), now + timedelta(seconds=60 * item.position)
            else:
                given, at = right_answer(item.question), now + timedelta(seconds=0.1 * item.position)
            services.answer_submit(item=item, user=user, given=given, now=at)
    return assignment, people


@pytest.mark.django_db
def test_the_report_shows_both_signals_with_their_evidence_and_says_nothing_is_penalised(
    trainer_client, study_group, copied
):
    html = trainer_client.get(reverse("groups:report", args=[study_group.pk])).content.decode()

    assert "需要留意" in html and "不会据此扣分" in html
    assert html.count('data-testid="signal-pair"') == 1 and "错误答案雷同 · 甲、乙" in html
    assert "奇怪的答案0" in html and "奇怪的答案3" in html
    assert html.count('data-testid="signal-fast"') == 1 and "答题过快 · 丁" in html
    assert "每秒 15 字" in html


@pytest.mark.django_db
def test_a_trainer_of_another_group_sees_none_of_it(make_trainer, study_group, copied):
    from django.test import Client

    other = make_trainer("别组培训")
    MembershipFactory(user=other, trainer=True)
    client = Client()
    client.force_login(other)

    assert client.get(reverse("groups:report", args=[study_group.pk])).status_code == 404


@pytest.mark.django_db
def test_the_signals_cost_three_queries_whatever_the_group(trainer, study_group, copied, django_assert_num_queries):
    with django_assert_num_queries(3):
        signals = integrity.integrity_signals(viewer=trainer, group=study_group)
    assert signals.count == 2
    with django_assert_num_queries(1):  # nothing answered at this one: one query
        assert integrity.integrity_signals(viewer=trainer, group=study_group, assignment="999999").count == 0


@pytest.mark.django_db
def test_practice_answers_raise_no_signal(trainer, study_group, small_bank):
    now = timezone.now()
    for name in ("甲", "乙"):
        user = MembershipFactory(group=study_group, user=ProfileFactory(display_name=name).user).user
        attempt = services.attempt_create(
            user=user, question_ids=[q.pk for q in small_bank.of_type("cloze")[:4]], rng=None, kind="practice"
        )
        for item in attempt.items.order_by("position"):
            services.answer_submit(item=item, user=user, given=["怪"], now=now + timedelta(seconds=0.1 * item.position))

    assert integrity.integrity_signals(viewer=trainer, group=study_group).count == 0
