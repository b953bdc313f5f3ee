"""Accepting a fill-in's synonym after the fact: earlier answers re-marked, attempts' counters and the
learners' memory states following. Answers are recorded as the quiz records them
(services.attempt_create / answer_submit) at explicit times, days apart, so that FSRS schedules are
realistic."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quizzes import services
from quizzes.curation.remarking import (
    ReplayedPoint,
    SynonymImpact,
    accept_synonym,
    replay_point_states,
    synonym_impact,
)
from quizzes.models import Answer, Attempt, PointState, Question, QuestionLog
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

KEY = "职工之家"
SYNONYM = "职工的家"
SECOND = "终身职业技能培训"
T0 = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
ANSWER_SECONDS = 40  # slow enough for Good, not Easy: FSRS intervals of a learner who thinks


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def two_blank_question(**fields: Any) -> Question:
    """建好＿＿（职工之家），推动＿＿（终身职业技能培训）制度: two separate blanks, one source line."""
    return QuestionFactory(
        prompt="建好＿＿＿＿，推动＿＿＿＿制度",
        blanks=[
            {"answer": KEY, "accepted": [KEY], "group": None, "any_order": False},
            {"answer": SECOND, "accepted": [SECOND], "group": None, "any_order": False},
        ],
        **fields,
    )


def take(user, answers: Sequence[tuple[Question, Any]], at: datetime) -> Attempt:
    """One quiz of `user` on the questions of `answers`, answered in order from `at`, one every
    ANSWER_SECONDS (the attempt starts ANSWER_SECONDS before the first answer)."""
    attempt = services.attempt_create(
        user=user,
        question_ids=[question.pk for question, _given in answers],
        started_at=at - timedelta(seconds=ANSWER_SECONDS),
    )
    items = attempt.items.select_related("question").order_by("position")
    for index, (item, (_question, given)) in enumerate(zip(items, answers, strict=True)):
        services.answer_submit(item=item, user=user, given=given, now=at + timedelta(seconds=ANSWER_SECONDS * index))
    attempt.refresh_from_db()
    return attempt


def answer_of(attempt: Attempt, question: Question) -> Answer:
    return Answer.objects.get(attempt_question__attempt=attempt, attempt_question__question=question)


def marks_by_answer(question: Question) -> dict[int, tuple[list[bool], float, bool]]:
    return {
        pk: (marks, credit, is_correct)
        for pk, marks, credit, is_correct in Answer.objects.filter(attempt_question__question=question).values_list(
            "pk", "marks", "credit", "is_correct"
        )
    }


def states_of(user, keys: Sequence[str]) -> dict[str, ReplayedPoint]:
    return {
        state.point_text_key: ReplayedPoint.of(state)
        for state in PointState.objects.filter(user=user, point_text_key__in=list(keys))
    }


def replay_from_scratch(user, keys: Sequence[str]) -> dict[str, ReplayedPoint]:
    """What the quiz would have stored had the synonym been accepted from the start: every state of the
    learner deleted, then every one of their answers, re-checked against the question as it is now,
    reviewed again in answered order through services.points_review, as answer_submit reviews."""
    PointState.objects.filter(user=user).delete()
    answers = (
        Answer.objects.filter(attempt_question__attempt__user=user)
        .select_related("attempt_question__question")
        .order_by("answered_at", "id")
    )
    for answer in answers:
        item = answer.attempt_question
        question = item.question
        check = question.kind.check(question, answer.given)
        ratings = question.kind.ratings(question, check, answer.elapsed_seconds, item.layout)
        services.points_review(user=user, ratings=ratings, now=answer.answered_at)
    return states_of(user, keys)


# --- Impact, and what accepting changes ---------------------------------------------------------------


def test_impact_shown_before_confirming_counts_exactly_the_answers_that_change():
    question = two_blank_question()
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    take(first, [(question, [SYNONYM, SECOND])], day(0))
    take(first, [(question, [SYNONYM, "职业培训"])], day(3))  # second blank still wrong: not fully right
    take(second, [(question, [SYNONYM, SECOND])], day(1))
    take(second, [(question, [KEY, SECOND])], day(2))  # right already
    take(third, [(question, ["职工的屋", SECOND])], day(1))  # another wrong answer
    before = marks_by_answer(question)

    with CaptureQueriesContext(connection) as queries:
        impact = synonym_impact(question, 0, SYNONYM)

    assert impact == SynonymImpact(
        question_id=question.pk,
        blank_index=0,
        text=SYNONYM,
        normalised=SYNONYM,
        already_accepted=False,
        answers=3,
        now_correct=2,
        attempts=3,
        learners=2,
    )
    assert all(query["sql"].lstrip().upper().startswith("SELECT") for query in queries.captured_queries)
    question.refresh_from_db()
    assert question.blanks[0]["accepted"] == [KEY]  # nothing written

    accepted = accept_synonym(question=question, blank_index=0, text=SYNONYM, user=UserFactory(is_staff=True))

    after = marks_by_answer(question)
    changed = [pk for pk in before if before[pk] != after[pk]]
    assert accepted == impact
    assert len(changed) == impact.answers
    assert set(after) == set(before)  # the same answers, no new ones
    assert all(not before[pk][0][0] and after[pk][0][0] for pk in changed)  # blank 1: wrong → right


def test_accepting_remarks_earlier_answers_and_their_attempts_and_leaves_the_rest():
    question = two_blank_question()
    other = QuestionFactory()  # a one-blank fill-in in the same quizzes
    staff = UserFactory(is_staff=True)
    learner = UserFactory()
    synonym_attempt = take(learner, [(question, [SYNONYM, SECOND]), (other, [other.blanks[0]["answer"]])], day(0))
    half_attempt = take(learner, [(question, [SYNONYM, "职业培训"]), (other, ["不知道"])], day(2))
    right_attempt = take(learner, [(question, [KEY, SECOND]), (other, ["不知道"])], day(4))
    assert (synonym_attempt.correct_count, synonym_attempt.credit) == (1, pytest.approx(1.5))
    assert (half_attempt.correct_count, half_attempt.credit) == (0, pytest.approx(0.0))
    right_before = answer_of(right_attempt, question)
    other_before = marks_by_answer(other)

    accept_synonym(question=question, blank_index=0, text=SYNONYM, user=staff)

    question.refresh_from_db()
    assert question.blanks[0]["accepted"] == [KEY, SYNONYM]
    assert question.blanks[1]["accepted"] == [SECOND]  # the other blank untouched
    assert question.is_edited

    synonym_answer = answer_of(synonym_attempt, question)
    assert (synonym_answer.marks, synonym_answer.credit, synonym_answer.is_correct) == ([True, True], 1.0, True)
    half_answer = answer_of(half_attempt, question)
    assert (half_answer.marks, half_answer.credit, half_answer.is_correct) == ([True, False], 0.5, False)
    right_answer = answer_of(right_attempt, question)
    assert (right_answer.pk, right_answer.marks, right_answer.credit, right_answer.is_correct) == (
        right_before.pk,
        [True, True],
        1.0,
        True,
    )
    assert marks_by_answer(other) == other_before

    for attempt, (correct, credit) in [
        (synonym_attempt, (2, 2.0)),
        (half_attempt, (0, 0.5)),
        (right_attempt, (1, 1.0)),
    ]:
        attempt.refresh_from_db()
        assert (attempt.answered_count, attempt.correct_count) == (2, correct)
        assert attempt.credit == pytest.approx(credit)
        # The counters are still what the answers add up to.
        answers = Answer.objects.filter(attempt_question__attempt=attempt)
        assert attempt.correct_count == sum(answer.is_correct for answer in answers)
        assert attempt.credit == pytest.approx(sum(answer.credit for answer in answers))

    log = QuestionLog.objects.get(question=question)
    assert (log.action, log.user) == (QuestionLog.Action.SYNONYM, staff)
    assert log.before == {"blank": 0, "accepted": [KEY]}
    assert log.after == {"blank": 0, "accepted": [KEY, SYNONYM]}
    assert "2 条作答" in log.note and SYNONYM in log.note


def test_an_any_order_group_is_marked_by_the_kind_itself_after_accepting():
    """Members of an enumeration are right in any order: the synonym of the second member typed into
    the first box is right once accepted, and the member typed into the second box stays right."""
    question = QuestionFactory(
        prompt="＿＿＿＿和＿＿＿＿",
        blanks=[
            {"answer": "职工书屋", "accepted": [], "group": 0, "any_order": True},
            {"answer": KEY, "accepted": [], "group": 0, "any_order": True},
        ],
    )
    learner = UserFactory()
    attempt = take(learner, [(question, [SYNONYM, "职工书屋"])], day(0))
    assert answer_of(attempt, question).marks == [False, True]

    impact = accept_synonym(question=question, blank_index=1, text=SYNONYM, user=None)

    answer = answer_of(attempt, question)
    assert (impact.answers, answer.marks, answer.is_correct) == (1, [True, True], True)
    attempt.refresh_from_db()
    assert (attempt.correct_count, attempt.credit) == (1, pytest.approx(1.0))


def edit_blanks(question: Question, blanks: list[dict[str, Any]]) -> None:
    """What an edit of the key does (without re-marking anything)."""
    Question.objects.filter(pk=question.pk).update(blanks=blanks)
    question.refresh_from_db()


def test_an_answer_marked_against_an_older_key_changes_only_as_far_as_the_synonym_goes():
    question = two_blank_question()
    learner = UserFactory()
    old_key = take(learner, [(question, [KEY, SECOND])], day(0))
    synonym = take(learner, [(question, [SYNONYM, SECOND])], day(1))
    # The second blank's key is edited afterwards: both answers would now be wrong on it.
    edited = [question.blanks[0], {**question.blanks[1], "answer": "职业培训", "accepted": ["职业培训"]}]
    edit_blanks(question, edited)

    impact = accept_synonym(question=question, blank_index=0, text=SYNONYM, user=None)

    assert impact.answers == 1
    assert answer_of(old_key, question).marks == [True, True]  # not re-marked against the new key
    # Re-marked on the synonym's blank only: the second blank stays as it was marked when answered.
    answer = answer_of(synonym, question)
    assert (answer.marks, answer.credit, answer.is_correct) == ([True, True], 1.0, True)


def test_a_form_accepted_through_the_editor_still_remarks_the_answers_given_before():
    question = two_blank_question()
    learner = UserFactory()
    attempt = take(learner, [(question, ["職工的家", SECOND])], day(0))
    edit_blanks(question, [{**question.blanks[0], "accepted": [KEY, SYNONYM]}, question.blanks[1]])

    impact = accept_synonym(question=question, blank_index=0, text=SYNONYM, user=None)

    assert (impact.already_accepted, impact.answers, impact.now_correct) == (True, 1, 1)
    question.refresh_from_db()
    assert question.blanks[0]["accepted"] == [KEY, SYNONYM]  # not added twice
    assert answer_of(attempt, question).is_correct
    assert QuestionLog.objects.filter(question=question, action=QuestionLog.Action.SYNONYM).count() == 1
    assert accept_synonym(question=question, blank_index=0, text=SYNONYM, user=None).answers == 0


@pytest.mark.parametrize(
    ("accepted", "typed"),
    [
        (SYNONYM, ["職工的家", "　职工的家！", "“职工的家”", "职工 的 家"]),  # traditional, full width, quotes, spaces
        ("ＡＩ职工之家", ["AI职工之家", "ai职工之家", "ＡＩ職工之家"]),  # full-width Latin accepted, typed half width
    ],
)
def test_answers_typed_in_another_form_of_the_synonym_are_remarked_too(accepted, typed):
    question = two_blank_question()
    learner = UserFactory()
    attempts = [take(learner, [(question, [text, SECOND])], day(index)) for index, text in enumerate(typed)]
    assert not any(answer_of(attempt, question).is_correct for attempt in attempts)

    impact = accept_synonym(question=question, blank_index=0, text=accepted, user=None)

    assert (impact.answers, impact.attempts, impact.learners) == (len(typed), len(typed), 1)
    assert all(answer_of(attempt, question).marks == [True, True] for attempt in attempts)


# --- Memory state -----------------------------------------------------------------------------------


def test_the_learners_memory_is_what_a_replay_from_scratch_gives_and_has_changed():
    """A learner who knew the point (day 0), answered a choice question on it (day 2) and then typed
    the synonym (day 6, a lapse): once the synonym is accepted their memory is what it would have
    been had it been accepted from the start, and the point is mastered again."""
    question = two_blank_question()
    choice = QuestionFactory(choice=True, source=question.source)
    keys = question.source_text_keys
    learner, bystander = UserFactory(), UserFactory()
    take(learner, [(question, [KEY, SECOND])], day(0))
    take(learner, [(choice, choice.answer_index)], day(2))
    take(learner, [(question, [SYNONYM, SECOND])], day(6))
    take(bystander, [(question, [KEY, SECOND])], day(1))
    take(bystander, [(question, [KEY, "职业培训"])], day(5))
    moment = day(6) + timedelta(hours=1)
    before = states_of(learner, keys)
    bystander_before = states_of(bystander, keys)
    assert before[keys[0]].last_rating == 1 and before[keys[0]].lapses == 1
    assert not PointState.objects.filter(user=learner).mastered_at(moment).exists()

    accept_synonym(question=question, blank_index=0, text=SYNONYM, user=None)

    after = states_of(learner, keys)
    assert after != before
    assert (after[keys[0]].reps, after[keys[0]].lapses) == (3, 0)
    assert after[keys[0]].last_rating >= PointState.RIGHT_RATING_MIN
    assert after[keys[0]].stability > before[keys[0]].stability
    assert PointState.objects.filter(user=learner).mastered_at(moment).exists()
    assert replay_point_states(learner, keys) == after
    assert states_of(bystander, keys) == bystander_before  # nothing of theirs changed
    assert replay_from_scratch(learner, keys) == after


def test_replaying_a_learner_who_never_changed_gives_back_the_stored_state():
    question = two_blank_question()
    learner = UserFactory()
    for index, given in enumerate([[KEY, SECOND], ["不知道", SECOND], [KEY, SECOND], [KEY, SECOND]]):
        take(learner, [(question, given)], day(index * 3))
    keys = question.source_text_keys

    assert replay_point_states(learner, keys) == states_of(learner, keys)
    assert replay_point_states(learner, ["0000000000000000"]) == {}


# --- Twice, and refused ------------------------------------------------------------------------------


def snapshot(question: Question, users) -> tuple:
    question.refresh_from_db()
    return (
        question.blanks,
        marks_by_answer(question),
        list(Attempt.objects.order_by("pk").values_list("pk", "correct_count", "credit")),
        [states_of(user, question.source_text_keys) for user in users],
        QuestionLog.objects.count(),
    )


def test_accepting_twice_changes_nothing_the_second_time():
    question = two_blank_question()
    learners = [UserFactory(), UserFactory()]
    for index, learner in enumerate(learners):
        take(learner, [(question, [SYNONYM, SECOND])], day(index))
    first = accept_synonym(question=question, blank_index=0, text=SYNONYM, user=None)
    assert first.answers == 2
    once = snapshot(question, learners)

    # The same text again, and another form of it: already accepted once normalised.
    for text in (SYNONYM, " 職工的家。"):
        assert synonym_impact(question, 0, text).answers == 0
        again = accept_synonym(question=question, blank_index=0, text=text, user=None)
        assert (again.already_accepted, again.answers, again.attempts, again.learners) == (True, 0, 0, 0)
        assert snapshot(question, learners) == once


@pytest.mark.parametrize(
    ("blank_index", "text", "message"),
    [
        (2, SYNONYM, "没有第 3 个空"),
        (-1, SYNONYM, "没有第 0 个空"),
        (0, "", "不能为空"),
        (0, "   ", "不能为空"),
        (0, "“。”", "不能为空"),  # nothing left once normalised
        (0, "家" * 201, "太长"),
    ],
)
def test_a_missing_blank_or_an_empty_text_is_refused_in_chinese(blank_index, text, message):
    question = two_blank_question()
    learner = UserFactory()
    take(learner, [(question, [SYNONYM, SECOND])], day(0))
    before = snapshot(question, [learner])

    for call in (
        lambda: synonym_impact(question, blank_index, text),
        lambda: accept_synonym(question=question, blank_index=blank_index, text=text, user=None),
    ):
        with pytest.raises(ValidationError) as refused:
            call()
        assert message in refused.value.messages[0]

    assert snapshot(question, [learner]) == before


def test_only_a_fill_in_takes_synonyms():
    question = QuestionFactory(choice=True)
    with pytest.raises(ValidationError, match="只有填空题"):
        accept_synonym(question=question, blank_index=0, text=SYNONYM, user=None)


# --- Cost ----------------------------------------------------------------------------------------------

# The whole acceptance, whatever the number of answers, attempts and learners: lock and save the
# question, read its answers, bulk-update them, lock and bulk-update the attempts, lock the point
# states, read the questions and answers to replay, upsert the states, write the log (plus savepoints);
# read the changed answers' days and add the differences to the organisation aggregates (quizzes/orgs/).
ACCEPT_QUERIES = 15


def test_accepting_costs_the_same_queries_for_10_or_30_answers(django_assert_max_num_queries):
    counts = []
    for learners in (10, 30):
        question = two_blank_question()
        QuestionFactory(choice=True, source=question.source)  # another question on the point, to replay
        users = [UserFactory() for _ in range(learners)]
        for index, user in enumerate(users):
            take(user, [(question, [SYNONYM, SECOND])], day(index % 5))

        with django_assert_max_num_queries(ACCEPT_QUERIES) as captured:
            impact = accept_synonym(question=question, blank_index=0, text=SYNONYM, user=None)

        assert (impact.answers, impact.attempts, impact.learners) == (learners, learners, learners)
        assert all(
            states_of(user, question.source_text_keys)[question.source_text_keys[0]].last_rating > 1 for user in users
        )
        counts.append(len(captured.captured_queries))
    # Not a bound only: the very same count for 10 and 30 answers.
    assert counts[0] == counts[1]
