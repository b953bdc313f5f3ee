"""The organisation reports' aggregates (DailyActivity) are kept in step with the answers: after random
answers over several days (seeded), a quiz that ran out of time, stale practice closed, and a
re-marking, the kept rows equal a computation from scratch, and rebuilding changes nothing."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

import pytest

from quizzes import services
from quizzes.activity import activity_computed, activity_kept, activity_rebuild
from quizzes.curation.remarking import accept_synonym
from quizzes.models import Answer, Attempt, DailyActivity
from tests.curation.test_remarking import KEY, SECOND, SYNONYM, two_blank_question
from tests.factories import UserFactory
from tests.support import right_answer, wrong_answer

pytestmark = pytest.mark.django_db

# 23:30 UTC is 07:30 the next day in China: the study day is not the UTC date.
T0 = datetime(2025, 3, 3, 23, 30, tzinfo=UTC)


def same(kept: dict, computed: dict) -> bool:
    if kept.keys() != computed.keys():
        return False
    return all(
        kept[key][:2] == computed[key][:2]
        and kept[key][3] == computed[key][3]
        and math.isclose(kept[key][2], computed[key][2], abs_tol=1e-9)
        for key in kept
    )


def test_the_kept_aggregates_equal_a_computation_from_scratch(small_bank):
    rng = random.Random(20261127)
    users = [UserFactory() for _ in range(4)]
    synonym_question = two_blank_question()
    questions = [*small_bank.questions, synonym_question]

    for step in range(40):
        user = rng.choice(users)
        moment = T0 + timedelta(days=rng.randrange(6), hours=rng.uniform(0, 20))
        chosen = rng.sample(questions, rng.randint(1, 4))
        attempt = services.attempt_create(user=user, question_ids=[q.pk for q in chosen], started_at=moment)
        items = list(attempt.items.select_related("question").order_by("position"))
        answered = items if rng.random() < 0.7 else items[: rng.randrange(len(items) + 1)]  # some left open
        for offset, item in enumerate(answered):
            question = item.question
            if question.pk == synonym_question.pk:
                given = [SYNONYM if rng.random() < 0.6 else KEY, SECOND]
            else:
                given = right_answer(question) if rng.random() < 0.6 else wrong_answer(question)
            services.answer_submit(item=item, user=user, given=given, now=moment + timedelta(seconds=30 * offset))
        if step % 10 == 0:  # the new practice quiz closes the oldest beyond five unfinished ones
            services.attempt_start(user=user, length=2, rng=rng)

    # A timed quiz that runs out: finished at its deadline, a day later, with one answer of three.
    user = users[0]
    timed = services.attempt_create(
        user=user,
        question_ids=[q.pk for q in small_bank.questions[:3]],
        started_at=T0,
        deadline=T0 + timedelta(hours=1),
    )
    first = timed.items.select_related("question").order_by("position").first()
    services.answer_submit(item=first, user=user, given=right_answer(first.question), now=T0 + timedelta(minutes=5))
    assert services.attempt_close_if_expired(attempt=timed, now=T0 + timedelta(days=1))
    # Its two unanswered questions are recorded as timed out, once, however often it is closed.
    assert services.attempt_time_out(attempt=timed, now=T0 + timedelta(days=2)) == 0
    assert services.attempts_time_out(Attempt.objects.all(), now=T0 + timedelta(days=2)) == 0
    assert Answer.objects.filter(attempt_question__attempt=timed, timed_out=True).count() == 2
    # A late answer to it is refused and changes nothing.
    with pytest.raises(services.AttemptClosed):
        last = timed.items.select_related("question").order_by("position").last()
        services.answer_submit(item=last, user=user, given=right_answer(last.question), now=T0 + timedelta(days=1))

    before = activity_kept()
    assert same(before, activity_computed())

    impact = accept_synonym(question=synonym_question, blank_index=0, text=SYNONYM, user=None)

    assert impact.answers > 0  # the re-marking did change answers…
    kept = activity_kept()
    assert kept != before and same(kept, activity_computed())  # …and the aggregates followed
    assert Attempt.objects.filter(finished_at__isnull=True).exists()  # some quizzes stayed open
    assert sum(row[3] for row in kept.values()) == Attempt.objects.filter(finished_at__isnull=False).count()

    assert activity_rebuild() == len(kept)
    assert same(activity_kept(), kept)


def test_the_first_answer_of_a_day_creates_the_row_and_the_others_add_to_it(small_bank):
    user = UserFactory()
    attempt = services.attempt_create(user=user, question_ids=[q.pk for q in small_bank.questions[:3]])
    items = list(attempt.items.select_related("question").order_by("position"))
    for index, item in enumerate(items):
        given = right_answer(item.question) if index else wrong_answer(item.question)
        services.answer_submit(item=item, user=user, given=given, now=T0 + timedelta(minutes=index))

    row = DailyActivity.objects.get(user=user)
    assert (row.day.isoformat(), row.answers, row.correct, row.credit, row.finished) == ("2025-03-04", 3, 2, 2.0, 1)
