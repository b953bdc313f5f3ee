"""The integrity signals of the group report (quizzes/groups/integrity.py): each rule on plain values,
then the page that shows them with their evidence, to the group's trainers only, in a fixed number of
queries."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes import services
from quizzes.groups import integrity
from quizzes.groups import services as group_services
from quizzes.groups.integrity import (
    MIN_SHARED,
    Speed,
    WrongAnswer,
    fast_attempts,
    in_same_order,
    question_characters,
    reading_seconds,
    shared_unusual,
    too_fast,
)
from quizzes.models import Question
from tests.factories import AssignmentFactory, MembershipFactory, ProfileFactory
from tests.quizzes.groups.report_pages import report_html
from tests.support import right_answer, wrong_answer

# --- The rules --------------------------------------------------------------------------------------


def test_a_questions_characters_are_its_prompt_options_and_pairs_without_spaces():
    choice = SimpleNamespace(prompt="工会 的 任务？", choices=["甲乙", "丙 丁"], pairs=[])
    matching = SimpleNamespace(prompt="连线。", choices=[], pairs=[["大国工匠", "高技能人才"]])

    assert question_characters(choice) == 6 + 2 + 2
    assert question_characters(matching) == 3 + 4 + 5


def test_reading_time_is_the_characters_at_fifteen_a_second():
    assert integrity.READING_CHARS_PER_SECOND == 15
    assert reading_seconds(60) == 4.0 and reading_seconds(0) == 0.0


def test_an_attempt_is_too_fast_when_more_than_half_its_answers_beat_their_reading_time():
    assert too_fast([(1.0, 4.0), (2.0, 4.0), (30.0, 4.0)])  # one slow answer does not hide two rushed ones
    assert not too_fast([(5.0, 4.0), (4.0, 4.0), (1.0, 4.0)])  # at the reading time is not too fast
    assert not too_fast([(1.0, 4.0), (1.0, 4.0), (9.0, 4.0), (9.0, 4.0)])  # half is not more than half
    assert too_fast([(3.0, 4.0), (1.0, 0.5), (2.0, 8.0)])  # each answer against its own question
    assert not too_fast([(0.5, 4.0), (0.5, 4.0)])  # too few answers to say


def test_in_same_order_finds_the_longest_common_run():
    assert in_same_order([1, 2, 3, 4], [1, 2, 3, 4]) == [1, 2, 3, 4]
    assert in_same_order([1, 2, 3, 4], [4, 3, 2, 1]) in ([1], [2], [3], [4])
    assert in_same_order([1, 5, 2, 3], [1, 2, 6, 3]) == [1, 2, 3]
    assert in_same_order([], [1]) == []


def row(user, question, wrong, *, position=None, assignment=1):
    return WrongAnswer(
        answer_id=user * 1000 + assignment * 100 + question,
        user_id=user,
        attempt_id=user * 100 + assignment,
        assignment_id=assignment,
        question_id=question,
        position=question if position is None else position,
        wrong=wrong,
    )


QUESTIONS = {pk: SimpleNamespace(pk=pk, type=Question.Type.CLOZE, prompt=f"第{pk}题") for pk in range(1, 8)}


def pairs(shared):
    return [
        (
            found.assignment_id,
            found.first_user,
            found.second_user,
            [(a.question_id, a.wrong) for a, _b in found.answers],
        )
        for found in shared
    ]


def test_two_members_with_the_same_unusual_wrong_answers_in_the_same_order_are_a_pair():
    rows = [row(user, q, f"怪{q}") for user in (2, 1) for q in (1, 2, 3)]
    rows.append(row(3, 4, "怪4"))  # a third member's wrong answer shared with nobody

    (found,) = shared_unusual(rows, QUESTIONS)

    assert pairs([found]) == [(1, 1, 2, [(1, "怪1"), (2, "怪2"), (3, "怪3")])]
    assert [(a.user_id, b.user_id) for a, b in found.answers] == [(1, 2)] * 3


def test_a_wrong_answer_a_third_member_gave_too_is_not_unusual():
    rows = [row(user, q, f"怪{q}") for user in (1, 2) for q in (1, 2, 3)]
    rows.append(row(3, 1, "怪1"))

    assert shared_unusual(rows, QUESTIONS) == []  # two left in common: fewer than MIN_SHARED
    assert MIN_SHARED == 3


def test_the_same_wrong_answers_in_another_order_or_in_other_assignments_are_no_pair():
    reordered = [row(1, q, f"怪{q}") for q in (1, 2, 3)] + [row(2, q, f"怪{q}", position=-q) for q in (1, 2, 3)]
    apart = [row(1, q, f"怪{q}", assignment=1) for q in (1, 2, 3)]
    apart += [row(2, q, f"怪{q}", assignment=q) for q in (1, 2, 3)]

    assert shared_unusual(reordered, QUESTIONS) == []
    assert shared_unusual(apart, QUESTIONS) == []


def test_a_longer_run_in_the_same_order_is_found_among_shuffled_ones():
    first = [row(1, q, f"怪{q}", position=p) for p, q in enumerate((1, 2, 3, 4, 5))]
    second = [row(2, q, f"怪{q}", position=p) for p, q in enumerate((5, 1, 2, 4, 3))]

    (found,) = shared_unusual(first + second, QUESTIONS)

    assert [a.question_id for a, _b in found.answers] in ([1, 2, 3], [1, 2, 4])


def test_different_wrong_answers_and_true_false_questions_make_no_pair():
    different = [row(1, q, f"怪{q}") for q in (1, 2, 3)] + [row(2, q, f"别{q}") for q in (1, 2, 3)]
    truefalse = {pk: SimpleNamespace(pk=pk, type=Question.Type.TRUEFALSE, prompt="") for pk in QUESTIONS}
    same = [row(user, q, "错") for user in (1, 2) for q in (1, 2, 3)]

    assert shared_unusual(different, QUESTIONS) == []
    assert shared_unusual(same, truefalse) == []
    assert len(shared_unusual(same, QUESTIONS)) == 1


def test_fast_attempts_are_found_per_attempt_with_their_figures():
    rushed = [(10, q, 1.0) for q in (1, 2, 3, 4)]
    careful = [(20, q, 20.0) for q in (1, 2, 3, 4)]
    untimed = [(30, q, None) for q in (1, 2, 3, 4)]

    found = fast_attempts(rushed + careful + untimed, dict.fromkeys(QUESTIONS, 4.0))

    assert found == {10: Speed(answers=4, rushed=4, median_seconds=1.0, reading_seconds=4.0)}


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
    html = report_html(trainer_client, reverse("groups:report", args=[study_group.pk]))

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
def test_the_signals_cost_a_fixed_number_of_queries(trainer, study_group, copied, django_assert_num_queries):
    assignment, people = copied
    # the questions, the rushed answers per attempt, the wrong answers; the evidence: attempts, times, names
    with django_assert_num_queries(6):
        signals = integrity.integrity_signals(viewer=trainer, group=study_group)
    assert signals.count == 2
    (pair,) = signals.pairs
    assert [item.first_at is not None and item.second_at is not None for item in pair.shared] == [True] * 4
    for _ in range(3):  # more learners answering right and slowly: the same queries
        user = MembershipFactory(group=study_group).user
        for item in group_services.assignment_start(assignment=assignment, user=user).items.order_by("position"):
            at = timezone.now() + timedelta(minutes=item.position + 1)
            services.answer_submit(item=item, user=user, given=right_answer(item.question), now=at)
    with django_assert_num_queries(6):
        assert integrity.integrity_signals(viewer=trainer, group=study_group).count == 2
    with django_assert_num_queries(1):  # nothing answered at this one
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

    with_nothing_flagged = integrity.integrity_signals(viewer=trainer, group=study_group)
    assert with_nothing_flagged.count == 0


@pytest.mark.django_db
def test_careful_work_raises_no_signal_in_three_queries(trainer, study_group, small_bank, django_assert_num_queries):
    questions = small_bank.of_type("cloze")[:4]
    assignment = AssignmentFactory(group=study_group, mode="fixed", question_ids=[q.pk for q in questions], length=4)
    for _ in range(3):
        user = MembershipFactory(group=study_group).user
        attempt = group_services.assignment_start(assignment=assignment, user=user)
        for item in attempt.items.select_related("question").order_by("position"):
            at = timezone.now() + timedelta(minutes=item.position + 1)
            # The same wrong answers by all three: common mistakes, not unusual ones.
            services.answer_submit(item=item, user=user, given=wrong_answer(item.question), now=at)

    # the questions, the rushed answers per attempt, the wrong answers: no evidence to read
    with django_assert_num_queries(3):
        assert integrity.integrity_signals(viewer=trainer, group=study_group).count == 0
