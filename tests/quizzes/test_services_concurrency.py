"""Simultaneous submits (a double tap, two tabs) record each answer once and lose no counter update."""

import threading
import time

from django.db import connections
from fsrs import Rating

from quizzes import services
from quizzes.core.kinds import KINDS
from quizzes.models import Answer, Attempt, PointState
from tests.support import THREADED_DATABASE, right_answer

pytestmark = THREADED_DATABASE


def submit_together(monkeypatch, learner, items) -> tuple[list, list]:
    cloze = KINDS["cloze"]
    check = cloze.check

    def slow_check(question, given):
        time.sleep(0.2)  # both submits are inside the service at once
        return check(question, given)

    monkeypatch.setattr(cloze, "check", slow_check)
    barrier = threading.Barrier(len(items))
    results, errors = [], []

    def run(item) -> None:
        try:
            barrier.wait()
            results.append(services.answer_submit(item=item, user=learner, given=right_answer(item.question, item)))
        except Exception as error:  # noqa: BLE001 - the test reports any failure
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_two_submits_of_one_question_record_one_answer_and_one_review(monkeypatch, small_bank, learner):
    attempt = services.attempt_start(user=learner, question_type="cloze", length=3)
    item = attempt.items.select_related("question").order_by("position").first()
    twin = attempt.items.select_related("question").get(pk=item.pk)

    results, errors = submit_together(monkeypatch, learner, [item, twin])

    assert errors == []
    assert sorted(result.created for result in results) == [False, True]
    assert results[0].answer.pk == results[1].answer.pk == Answer.objects.get().pk
    assert Attempt.objects.get(pk=attempt.pk).answered_count == 1
    assert PointState.objects.get().reps == 1


def test_two_questions_answered_at_once_both_count(monkeypatch, small_bank, learner):
    attempt = services.attempt_start(user=learner, question_type="cloze", length=3)
    items = list(attempt.items.select_related("question").order_by("position")[:2])

    results, errors = submit_together(monkeypatch, learner, items)

    assert errors == []
    assert all(result.created for result in results)
    attempt.refresh_from_db()
    assert (attempt.answered_count, attempt.correct_count, attempt.credit) == (2, 2, 2.0)
    assert Answer.objects.count() == 2


def test_an_answer_in_one_statement_takes_its_locks_in_the_order_of_the_transaction(small_bank, learner):
    """PostgreSQL's one statement and the transaction of several statements both write the learner's
    day before their point states: a transaction holding the day and then wanting a point state waits
    for no statement that holds that point state and wants the day (no deadlock)."""
    from django.db import transaction

    from quizzes import activity, step_reads
    from quizzes.selectors import answer_step

    attempt = services.attempt_start(user=learner, question_type="cloze", length=2)
    first = attempt.items.select_related("question").order_by("position").first()
    keys = sorted(key for key in first.question.source_text_keys if key)
    services.points_review(user=learner, ratings=dict.fromkeys(keys, Rating.Good), now=attempt.started_at)
    item = answer_step(learner, attempt.pk, first.pk).item  # read before either starts
    day_held, errors, results = threading.Event(), [], []

    def other_answer() -> None:  # as the transaction of several statements orders its writes
        try:
            with transaction.atomic():
                activity.activity_answer(
                    user_id=learner.pk, answered_at=attempt.started_at, is_correct=True, credit=1.0
                )
                day_held.set()
                time.sleep(0.5)  # the statement below has started meanwhile
                step_reads.point_states(user_id=learner.pk, keys=keys)  # locks them
        except Exception as error:  # noqa: BLE001 - the test reports any failure
            errors.append(error)
        finally:
            day_held.set()
            connections.close_all()

    def this_answer() -> None:
        try:
            day_held.wait()
            results.append(services.answer_submit(item=item, user=learner, given=right_answer(first.question)))
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=other_answer), threading.Thread(target=this_answer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert [result.created for result in results] == [True]
    assert sorted(PointState.objects.values_list("point_text_key", "reps")) == [(key, 2) for key in keys]
