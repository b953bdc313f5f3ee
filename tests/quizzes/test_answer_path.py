"""Recording an answer writes exactly one Answer and moves the attempt's counters, the day's
aggregates (DailyActivity) and the learner's point states with it, in one transaction: a failure at
any point after the answer row is written leaves nothing behind. Also the paths beside the common
one: an attempt read open that closed before the write, and another answer of the same attempt
recorded between the read and the write."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from fsrs import Rating

from quizzes import activity, services, step_reads
from quizzes.core.rules import study_day
from quizzes.models import Answer, Attempt, DailyActivity, PointState
from quizzes.selectors import answer_step
from tests.factories import UserFactory
from tests.support import HTMX, form_data, right_answer, wrong_answer

# Real transactions (BEGIN … COMMIT), not the savepoints of a test wrapped in one.
pytestmark = pytest.mark.django_db(transaction=True)


class Boom(Exception):
    pass


def state(attempt: Attempt) -> tuple:
    """Everything an answer writes, as the database holds it."""
    attempt.refresh_from_db()
    return (
        Answer.objects.filter(attempt_question__attempt=attempt).count(),
        (attempt.answered_count, attempt.correct_count, attempt.credit, attempt.last_answer_at, attempt.finished_at),
        list(DailyActivity.objects.values_list("user_id", "day", "answers", "correct", "credit", "finished")),
        list(PointState.objects.values_list("user_id", "point_text_key", "reps", "lapses", "last_review")),
    )


def read_item(attempt: Attempt, user):
    """The first unanswered item as the answer view reads it (one query, with its attempt, question
    and any answer)."""
    item = attempt.items.filter(answer__isnull=True).order_by("position").first()
    return answer_step(user, attempt.pk, item.pk).item


def test_an_answer_writes_one_answer_the_counters_the_day_and_the_point_states(small_bank, learner, learner_client):
    attempt = services.attempt_start(user=learner, question_type="cloze", length=2)
    item = attempt.items.select_related("question").order_by("position").first()
    keys = sorted(key for key in item.question.source_text_keys if key)

    response = learner_client.post(reverse("quizzes:answer", args=[attempt.pk]), form_data(item), **HTMX)

    assert response.status_code == 200
    assert 'data-testid="next"' in response.content.decode()
    answer = Answer.objects.get()
    assert (answer.attempt_question_id, answer.is_correct, answer.credit, answer.token) == (item.pk, True, 1.0, "tok")
    assert answer.elapsed_seconds is not None and answer.elapsed_seconds >= 0
    attempt.refresh_from_db()
    assert (attempt.answered_count, attempt.correct_count, attempt.credit) == (1, 1, 1.0)
    assert attempt.last_answer_at == answer.answered_at and attempt.finished_at is None
    day = DailyActivity.objects.get()
    assert (day.user_id, day.day, day.answers, day.correct, day.credit, day.finished) == (
        learner.pk,
        study_day(answer.answered_at),
        1,
        1,
        1.0,
        0,
    )
    states = PointState.objects.filter(user=learner).order_by("point_text_key")
    assert [s.point_text_key for s in states] == keys
    assert all(s.reps == 1 and s.last_review == answer.answered_at for s in states)

    # The same question again (a repeated submit) changes nothing.
    before = state(attempt)
    learner_client.post(reverse("quizzes:answer", args=[attempt.pk]), form_data(item, right=False), **HTMX)
    assert state(attempt) == before


def test_the_last_answer_finishes_the_attempt_and_counts_the_quiz_on_its_day(small_bank, learner):
    attempt = services.attempt_start(user=learner, question_type="cloze", length=2)
    for item in attempt.items.select_related("question").order_by("position"):
        services.answer_submit(item=item, user=learner, given=wrong_answer(item.question))
    attempt.refresh_from_db()
    assert (attempt.answered_count, attempt.correct_count, attempt.credit) == (2, 0, 0.0)
    assert attempt.finished_at == attempt.last_answer_at is not None
    assert DailyActivity.objects.values_list("answers", "correct", "finished").get() == (2, 0, 1)
    assert activity.activity_kept() == activity.activity_computed()


def _fail_after(monkeypatch, module, name: str, *, after: bool = True) -> list[bool]:
    """Make `module.name` raise Boom (after doing its work, when `after`); records that it ran."""
    original = getattr(module, name)
    ran: list[bool] = []

    def failing(*args, **kwargs):
        ran.append(True)
        if after:
            original(*args, **kwargs)
        raise Boom

    monkeypatch.setattr(module, name, failing)
    return ran


@pytest.mark.parametrize(
    ("module", "name"),
    [
        (step_reads, "answer_insert"),  # the answer row is written, then the request fails
        (activity, "activity_answer"),  # the day's aggregates are written, then it fails
        (step_reads, "point_states_save"),  # the last write of all is made, then it fails
    ],
    ids=["after-the-answer-row", "after-the-daily-activity", "after-the-point-states"],
)
def test_a_failure_after_the_answer_row_is_written_leaves_nothing(small_bank, learner, monkeypatch, module, name):
    attempt = services.attempt_start(user=learner, question_type="cloze", length=2)
    first, second = attempt.items.select_related("question").order_by("position")
    services.answer_submit(item=first, user=learner, given=right_answer(first.question))
    before = state(attempt)
    # The path of several statements in a transaction (PostgreSQL's one statement is all or nothing by
    # itself): PostgreSQL takes it when something changed since the read, as here.
    monkeypatch.setattr(step_reads, "answer_write", lambda **kwargs: None)
    seen_inside: list[int] = []
    if name == "answer_insert":
        original = step_reads.answer_insert

        def insert_then_fail(answer, *args, **kwargs):
            original(answer, *args, **kwargs)
            seen_inside.append(Answer.objects.count())  # the row is there, inside the transaction
            raise Boom

        monkeypatch.setattr(step_reads, "answer_insert", insert_then_fail)
    else:
        ran = _fail_after(monkeypatch, module, name)

    item = read_item(attempt, learner)
    assert item.pk == second.pk
    with pytest.raises(Boom):
        services.answer_submit(item=item, user=learner, given=right_answer(second.question))

    assert seen_inside == ([2] if name == "answer_insert" else [])
    assert name == "answer_insert" or ran == [True]
    assert connection.in_atomic_block is False
    assert state(attempt) == before  # no answer, no counter, no aggregate, no point state stayed
    # And the question can still be answered, once.
    monkeypatch.undo()
    services.answer_submit(item=read_item(attempt, learner), user=learner, given=right_answer(second.question))
    assert state(attempt)[0] == 2
    assert activity.activity_kept() == activity.activity_computed()


def test_an_attempt_read_open_but_closed_before_the_write_records_only_timeouts(small_bank, learner):
    attempt = services.attempt_start(user=learner, question_type="cloze", length=2)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(minutes=1))
    item = read_item(attempt, learner)  # read while open
    later = timezone.now() + timedelta(minutes=2)

    with pytest.raises(services.AttemptClosed):
        services.answer_submit(item=item, user=learner, given=right_answer(item.question), now=later)

    attempt.refresh_from_db()
    # The late answer is dropped; both questions are recorded as timed out, with no point state.
    assert Answer.objects.filter(timed_out=False).count() == 0 and PointState.objects.count() == 0
    assert Answer.objects.filter(timed_out=True).count() == 2
    assert attempt.answered_count == 2 and attempt.credit == 0 and attempt.finished_at == attempt.deadline
    # Timed out: the day counts the quiz finished, and no answer given.
    assert DailyActivity.objects.values_list("answers", "correct", "finished").get() == (
        0,
        0,
        1,
    )  # timed out: no answers given


def test_an_answer_recorded_between_the_read_and_the_write_is_counted_and_timed_from(small_bank, learner):
    attempt = services.attempt_start(user=learner, question_type="cloze", length=3)
    first, second = list(attempt.items.order_by("position"))[:2]
    t0 = attempt.started_at
    stale = answer_step(learner, attempt.pk, second.pk).item  # its attempt still has no answer
    services.answer_submit(
        item=answer_step(learner, attempt.pk, first.pk).item,
        user=learner,
        given=right_answer(first.question),
        now=t0 + timedelta(seconds=40),
    )

    services.answer_submit(
        item=stale, user=learner, given=right_answer(second.question), now=t0 + timedelta(seconds=100)
    )

    attempt.refresh_from_db()
    assert (attempt.answered_count, attempt.correct_count, attempt.credit) == (2, 2, 2.0)
    assert Answer.objects.get(attempt_question=second).elapsed_seconds == pytest.approx(60.0)
    assert stale.attempt.answered_count == 2  # the page shows the counters as written


def test_someone_elses_item_is_refused_and_changes_nothing(small_bank, learner):
    attempt = services.attempt_start(user=learner, question_type="cloze", length=2)
    item = read_item(attempt, learner)
    before = state(attempt)
    with pytest.raises(PermissionDenied):
        services.answer_submit(item=item, user=UserFactory(), given=right_answer(item.question))
    assert state(attempt) == before


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL writes an answer in one statement"
)


@on_postgresql
def test_postgresql_writes_an_answer_in_one_statement(small_bank, learner):
    attempt = services.attempt_start(user=learner, question_type="cloze", length=2)
    first, second = attempt.items.select_related("question").order_by("position")
    services.answer_submit(item=read_item(attempt, learner), user=learner, given=right_answer(first.question))
    item = read_item(attempt, learner)  # with the states of its points (none yet for the second's)

    with CaptureQueriesContext(connection) as queries:
        services.answer_submit(item=item, user=learner, given=wrong_answer(second.question))

    assert len(queries) == 1 and queries[0]["sql"].startswith("WITH ")
    attempt.refresh_from_db()
    assert (attempt.answered_count, attempt.correct_count, attempt.finished_at) == (2, 1, attempt.last_answer_at)
    assert DailyActivity.objects.values_list("answers", "correct", "finished").get() == (2, 1, 1)
    assert activity.activity_kept() == activity.activity_computed()
    assert activity.totals_kept() == activity.totals_computed()  # the triggers fired
    keys = {key for item in (first, second) for key in item.question.source_text_keys if key}
    assert {s.point_text_key: s.reps for s in PointState.objects.all()} == dict.fromkeys(keys, 1)


@on_postgresql
@pytest.mark.parametrize("change", ["reviewed", "created"])
def test_a_point_state_changed_after_the_read_is_reviewed_as_it_is_now(small_bank, learner, change):
    attempt = services.attempt_start(user=learner, question_type="cloze", length=2)
    first = attempt.items.select_related("question").order_by("position").first()
    key = next(key for key in first.question.source_text_keys if key)
    if change == "reviewed":
        services.points_review(user=learner, ratings={key: Rating.Good}, now=attempt.started_at)
    item = read_item(attempt, learner)
    # Meanwhile another answer (another quiz, another tab) reviews the point.
    services.points_review(user=learner, ratings={key: Rating.Again}, now=attempt.started_at + timedelta(seconds=5))
    reviewed = PointState.objects.get(point_text_key=key)

    with CaptureQueriesContext(connection) as queries:
        services.answer_submit(item=item, user=learner, given=right_answer(first.question))

    assert queries[0]["sql"].startswith("WITH ") and len(queries) > 1  # undone, then recorded in a transaction
    now = PointState.objects.get(point_text_key=key)
    assert now.reps == reviewed.reps + 1 and now.lapses == reviewed.lapses  # one review more, none lost
    assert now.last_review == Answer.objects.get().answered_at
    assert Answer.objects.count() == 1 and Attempt.objects.get(pk=attempt.pk).answered_count == 1
    assert DailyActivity.objects.values_list("answers", "correct").get() == (1, 1)
    assert activity.totals_kept() == activity.totals_computed()


@on_postgresql
def test_a_point_state_unchanged_since_the_read_is_replaced_in_the_one_statement(small_bank, learner):
    attempt = services.attempt_start(user=learner, question_type="cloze", length=2)
    first = attempt.items.select_related("question").order_by("position").first()
    keys = sorted(key for key in first.question.source_text_keys if key)
    services.points_review(user=learner, ratings=dict.fromkeys(keys, Rating.Hard), now=attempt.started_at)
    item = read_item(attempt, learner)

    with CaptureQueriesContext(connection) as queries:
        services.answer_submit(item=item, user=learner, given=right_answer(first.question))

    assert len(queries) == 1  # the states as read (their cards compared) were replaced, nothing undone
    assert [(s.point_text_key, s.reps) for s in PointState.objects.order_by("point_text_key")] == [
        (key, 2) for key in keys
    ]
