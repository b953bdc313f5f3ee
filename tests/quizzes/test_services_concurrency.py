"""Simultaneous submits (a double tap, two tabs) record each answer once and lose no counter update."""

import threading
import time

from django.db import connections

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
