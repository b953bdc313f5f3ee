"""Item statistics of the bank, from answers recorded as the quiz records them (services.answer_submit),
so that `given` and `marks` have their real shapes."""

import random
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import pytest

from quizzes import services
from quizzes.curation import statistics
from quizzes.curation.statistics import (
    NEGATIVE_FLAG,
    TOO_EASY_FLAG,
    ItemStats,
    flagged,
    is_lenient,
    item_statistics,
)
from quizzes.models import Answer, Question
from tests.factories import ANSWER, QuestionFactory, UserFactory
from tests.support import right_answer, wrong_answer

pytestmark = pytest.mark.django_db

SYNONYM = "终生职业技能培训"  # what many type for 终身职业技能培训


def take(user, answers: Sequence[tuple[Question, Any]]) -> None:
    """One quiz of `user` on the questions of `answers`, each answered with its given, in order."""
    attempt = services.attempt_create(user=user, question_ids=[question.pk for question, _given in answers])
    givens = [given for _question, given in answers]
    for item, given in zip(attempt.items.select_related("question").order_by("position"), givens, strict=True):
        services.answer_submit(item=item, user=user, given=given)


def learners(count: int) -> list:
    return [UserFactory() for _ in range(count)]


def every_kind(count: int) -> list[Question]:
    """`count` questions, the five kinds in turn."""
    traits = [{}, {"choice": True}, {"truefalse": True}, {"multiselect": True}, {"matching": True}]
    return [QuestionFactory(**traits[index % len(traits)]) for index in range(count)]


# --- Facility and the flags ---------------------------------------------------------------------------


def test_a_question_nearly_everyone_gets_right_is_too_easy():
    question = QuestionFactory()
    for index, user in enumerate(learners(32)):
        take(user, [(question, wrong_answer(question) if index == 0 else right_answer(question))])

    stats = item_statistics()

    item = stats[question.pk]
    assert (item.answers, item.wrong) == (32, 1)
    assert item.facility == pytest.approx(31 / 32)
    assert item.flags == (TOO_EASY_FLAG,)
    assert flagged(stats) == [question.pk]


def test_a_question_strong_learners_miss_and_weak_ones_get_has_negative_discrimination():
    target = QuestionFactory(choice=True)
    others = [QuestionFactory(choice=True) for _ in range(4)]
    strong, weak = learners(15), learners(15)
    for index, user in enumerate(strong):
        # Wrong options spread over the three, so that no one wrong answer dominates.
        take(user, [*((q, right_answer(q)) for q in others), (target, 1 + index % 3)])
    for index, user in enumerate(weak):
        take(user, [*((q, 1 + index % 3) for q in others), (target, right_answer(target))])

    stats = item_statistics()

    assert stats[target.pk].discrimination == pytest.approx(-1.0)
    assert stats[target.pk].facility == pytest.approx(0.5)
    assert stats[target.pk].flags == (NEGATIVE_FLAG,)
    assert [stats[q.pk].discrimination for q in others] == [pytest.approx(1.0)] * 4
    assert flagged(stats) == [target.pk]


def test_a_dominant_wrong_fill_in_is_flagged_with_its_text_and_real_count():
    question = QuestionFactory()
    # The synonym 12 times, as typed (punctuation, traditional characters): one answer once normalised.
    typed = [SYNONYM] * 9 + [f"{SYNONYM}。", "終生職業技能培訓", f" {SYNONYM} "]
    typed += [ANSWER] * 12 + ["职业培训", "不知道", "不知道", "技能培训", "终身教育", "职工培训"]
    for user, text in zip(learners(len(typed)), typed, strict=True):
        take(user, [(question, [text])])

    item = item_statistics()[question.pk]

    assert (item.answers, item.wrong) == (30, 18)
    assert item.common_wrong == ((SYNONYM, 12), ("不知道", 2), ("技能培训", 1))  # ties by text
    assert item.flags == (f"一个错答占一半以上：“{SYNONYM}”",)


def test_too_few_answers_flag_nothing():
    easy, negative = QuestionFactory(), QuestionFactory(choice=True)
    users = learners(statistics.MIN_ANSWERS - 1)
    for index, user in enumerate(users):
        strong = index < len(users) // 2
        take(user, [(easy, right_answer(easy)), (negative, wrong_answer(negative) if strong else 0)])

    stats = item_statistics()

    assert stats[easy.pk].facility == 1.0
    assert stats[negative.pk].discrimination is not None
    assert not stats[easy.pk].flags and not stats[negative.pk].flags
    assert flagged(stats) == []


def test_discrimination_needs_three_learners():
    question = QuestionFactory()
    for user in learners(2):
        take(user, [(question, right_answer(question))])

    assert item_statistics()[question.pk].discrimination is None


# --- Lenient fill-ins ---------------------------------------------------------------------------------


def test_lenient_counts_fill_ins_accepted_only_once_normalised():
    question = QuestionFactory()
    numbered = QuestionFactory(answer="5G网络")
    choice = QuestionFactory(choice=True)
    lenient = ["終身職業技能培訓", f"“{ANSWER}”", f"{ANSWER}。", f" {ANSWER}"]
    literal = [ANSWER, ANSWER, "不知道"]  # the wrong one is not lenient either
    for user, text in zip(learners(7), lenient + literal, strict=True):
        take(user, [(question, [text]), (choice, right_answer(choice))])
    for user, text in zip(learners(2), ["５Ｇ网络", "5G网络"], strict=True):
        take(user, [(numbered, [text])])

    stats = item_statistics()

    assert stats[question.pk].lenient == 4
    assert stats[numbered.pk].lenient == 1
    assert stats[choice.pk].lenient == 0


def test_an_accepted_variant_and_members_typed_together_are_literal():
    blanks = [
        {"answer": "甲", "accepted": ["甲方"], "group": 1, "any_order": True},
        {"answer": "乙", "accepted": [], "group": 1, "any_order": True},
        {"answer": "丙", "accepted": [], "group": None, "any_order": False},
    ]

    assert not is_lenient(blanks, ["乙", "甲方", "丙"], [True, True, True])
    assert not is_lenient(blanks, ["甲、乙", "", "丙"], [True, True, True])
    assert is_lenient(blanks, ["甲，乙。", "", "x"], [True, True, False])
    assert not is_lenient(blanks, ["甲", "乙", "丙 "], [True, True, False])


# --- flagged() ----------------------------------------------------------------------------------------


def stat(flags: tuple[str, ...], discrimination: float | None = 0.2, answers: int = 40) -> ItemStats:
    return ItemStats(answers, 0.5, discrimination, (), 0, 0, flags)


def test_flagged_puts_the_worst_first():
    dominant = "一个错答占一半以上：“甲”"
    stats = {
        1: stat((TOO_EASY_FLAG,)),
        2: stat(()),
        3: stat((NEGATIVE_FLAG,), discrimination=-0.1),
        4: stat((NEGATIVE_FLAG, dominant), discrimination=-0.05),
        5: stat((NEGATIVE_FLAG,), discrimination=-0.4),
        6: stat((dominant,)),
        7: stat((TOO_EASY_FLAG,), answers=90),
    }

    assert flagged(stats) == [4, 5, 3, 6, 7, 1]


# --- Cost ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [5, 50])
def test_the_query_count_does_not_grow_with_the_bank(django_assert_num_queries, size):
    questions = every_kind(size)
    for index, user in enumerate(learners(3)):
        take(user, [(q, right_answer(q) if (index + q.pk) % 2 else wrong_answer(q)) for q in questions])
    chosen = Question.objects.filter(pk__in=[q.pk for q in questions])

    with django_assert_num_queries(4):
        stats = item_statistics(chosen)
    with django_assert_num_queries(4):
        assert item_statistics() == stats

    assert len(stats) == size


def test_only_the_questions_asked_about_are_reported_but_learners_are_ranked_on_everything():
    asked, other = QuestionFactory(choice=True), QuestionFactory(choice=True)
    users = learners(3)
    # On `asked` alone the three tie; `other` ranks the first above the others.
    for index, user in enumerate(users):
        take(user, [(asked, right_answer(asked) if index else wrong_answer(asked))])
        take(user, [(other, right_answer(other) if index == 0 else wrong_answer(other))])

    stats = item_statistics(Question.objects.filter(pk=asked.pk))

    assert list(stats) == [asked.pk]
    assert stats[asked.pk].discrimination == pytest.approx(-1.0)


# --- The figures, recomputed from scratch ---------------------------------------------------------------


def from_scratch() -> dict[int, tuple[int, float, float | None]]:
    """Question id → (answers, facility, discrimination), straight from every Answer row."""
    rows = [
        (a.attempt_question.question_id, a.attempt_question.attempt.user_id, a.credit)
        for a in Answer.objects.select_related("attempt_question__attempt")
    ]
    per_user: dict[int, list[float]] = defaultdict(list)
    per_question: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for question_id, user_id, credit in rows:
        per_user[user_id].append(credit)
        per_question[question_id].append((user_id, credit))
    score = {user_id: round(sum(c) / len(c), statistics.ROUNDING) for user_id, c in per_user.items()}

    def facility(answers: list[tuple[int, float]], users: set[int]) -> float:
        credits = [credit for user_id, credit in answers if user_id in users]
        return sum(credits) / len(credits)

    result = {}
    for question_id, answers in per_question.items():
        ranked = sorted({user_id for user_id, _c in answers}, key=lambda u: (-score[u], u))
        third = len(ranked) // 3
        discrimination = (
            facility(answers, set(ranked[:third])) - facility(answers, set(ranked[-third:])) if third else None
        )
        result[question_id] = (len(answers), sum(c for _u, c in answers) / len(answers), discrimination)
    return result


def test_the_figures_match_a_recomputation_from_every_answer():
    rng = random.Random(20240517)
    questions = every_kind(10)
    for user in learners(24):
        ability = rng.random()
        # Two quizzes each: some questions come up twice for the same learner.
        for _quiz in range(2):
            chosen = rng.sample(questions, rng.randint(2, 6))
            take(user, [(q, q.kind.sample_answer(q, rng.random() < ability, rng)) for q in chosen])

    stats = item_statistics()
    expected = from_scratch()

    assert set(stats) == set(expected)
    for question_id, (answers, facility, discrimination) in expected.items():
        item = stats[question_id]
        assert item.answers == answers
        assert item.facility == pytest.approx(facility)
        assert item.discrimination == (None if discrimination is None else pytest.approx(discrimination))
    assert any(item.discrimination for item in stats.values())  # the data is not degenerate
