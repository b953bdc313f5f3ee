"""An assignment's time running out: the unanswered questions recorded once as timed out (超时) —
wrong in the score, out of the item statistics and of the memory model — and the attempt finished
everywhere it is shown or counted."""

from __future__ import annotations

import importlib
import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quizzes import services
from quizzes.activity import activity_computed, activity_kept
from quizzes.curation.statistics import item_statistics
from quizzes.groups import reports
from quizzes.groups import services as group_services
from quizzes.groups.filters import ReportFilter
from quizzes.models import Answer, Assignment, Attempt, PointState
from studyapp.people.models import Organisation, OrganisationManager
from tests.factories import ANSWER, MembershipFactory, ProfileFactory
from tests.support import HTMX, THREADED_DATABASE, right_answer

SHOW = Assignment.ShowAnswers


@pytest.fixture
def member(study_group, learner):
    MembershipFactory(group=study_group, user=learner)
    return learner


def timed(small_bank, study_group, trainer, member, *, mode: str = SHOW.DEADLINE) -> Attempt:
    """A member's attempt at a fixed, ten-minute assignment of three fill-ins, one answered right."""
    now = timezone.now()
    cloze = small_bank.of_type("cloze")
    assignment = group_services.assignment_create(
        group=study_group,
        created_by=trainer,
        title="限时测验",
        mode="fixed",
        question_ids=[cloze[0].pk, cloze[3].pk, cloze[6].pk],
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
        time_limit_minutes=10,
        show_answers=mode,
    )
    attempt = group_services.assignment_start(assignment=assignment, user=member, now=now - timedelta(minutes=5))
    first = attempt.items.select_related("question").order_by("position").first()
    services.answer_submit(item=first, user=member, given=right_answer(first.question), now=now - timedelta(minutes=4))
    attempt.refresh_from_db()
    return attempt


def run_out(attempt: Attempt) -> None:
    """Move the attempt's deadline into the past, as the clock would."""
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=5))
    attempt.refresh_from_db()


# --- The service ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_time_up_records_each_unanswered_question_once_as_a_wrong_timed_out_answer(
    small_bank, study_group, trainer, member
):
    attempt = timed(small_bank, study_group, trainer, member)
    states = list(PointState.objects.values_list("point_text_key", "reps", "last_review"))

    assert services.attempt_time_out(attempt=attempt, now=attempt.deadline) == 0  # not yet: at the deadline
    late = attempt.deadline + timedelta(seconds=1)
    assert services.attempt_time_out(attempt=attempt, now=late) == 2

    timed_out = Answer.objects.filter(timed_out=True)
    assert [(a.credit, a.is_correct, a.given, a.answered_at) for a in timed_out] == [
        (0.0, False, [], attempt.deadline)
    ] * 2
    assert attempt.finished_at == attempt.deadline and attempt.timed_out
    assert (attempt.answered_count, attempt.correct_count, attempt.credit) == (3, 1, 1.0)
    assert attempt.score_percent == 33
    # No review of the points' memory for a question nobody answered.
    assert list(PointState.objects.values_list("point_text_key", "reps", "last_review")) == states
    # Again, by any path: nothing more.
    assert services.attempt_time_out(attempt=Attempt.objects.get(pk=attempt.pk), now=late) == 0
    assert services.attempts_time_out(Attempt.objects.all(), now=late) == 0
    assert services.attempt_close_if_expired(attempt=Attempt.objects.get(pk=attempt.pk), now=late)
    assert Answer.objects.count() == 3
    assert activity_kept() == activity_computed()
    assert sum(row[3] for row in activity_kept().values()) == 1  # one quiz finished
    # The two questions left are no answers given: the day counts the one answer (the daily goal,
    # 作答次数 and participation read it).
    assert sum(row[0] for row in activity_kept().values()) == 1


@pytest.mark.django_db
def test_an_answer_after_the_time_is_up_is_refused_and_the_rest_recorded(small_bank, study_group, trainer, member):
    attempt = timed(small_bank, study_group, trainer, member)
    second = attempt.items.select_related("question").order_by("position")[1]

    with pytest.raises(services.AttemptClosed):
        services.answer_submit(
            item=second, user=member, given=right_answer(second.question), now=attempt.deadline + timedelta(seconds=1)
        )

    assert Answer.objects.filter(timed_out=True).count() == 2
    assert Answer.objects.get(attempt_question=second).timed_out
    assert activity_kept() == activity_computed()


@pytest.mark.django_db
def test_timed_out_answers_are_left_out_of_the_item_statistics(small_bank, study_group, trainer, member):
    attempt = timed(small_bank, study_group, trainer, member)
    services.attempt_time_out(attempt=attempt, now=attempt.deadline + timedelta(seconds=1))
    first, *rest = attempt.items.order_by("position").values_list("question_id", flat=True)

    stats = item_statistics()

    assert stats[first].answers == 1 and stats[first].facility == 1.0
    assert not set(rest) & set(stats)


@pytest.mark.django_db
def test_a_practice_quiz_never_times_out(small_bank, learner):
    attempt = services.attempt_start(user=learner, length=2)

    assert services.attempt_time_out(attempt=attempt, now=timezone.now() + timedelta(days=400)) == 0
    assert not Answer.objects.exists() and not attempt.is_finished


@pytest.mark.parametrize("threaded", [pytest.param(True, marks=THREADED_DATABASE)])
def test_two_requests_at_once_record_the_timeouts_once(threaded, small_bank, study_group, trainer, member):
    attempt = timed(small_bank, study_group, trainer, member)
    run_out(attempt)
    barrier = threading.Barrier(2)
    counts, errors = [], []

    def run() -> None:
        try:
            mine = Attempt.objects.get(pk=attempt.pk)  # each request reads it unfinished
            barrier.wait()
            counts.append(services.attempt_time_out(attempt=mine))
        except Exception as error:  # noqa: BLE001 - the test reports any failure
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == [] and sorted(counts) == [0, 2]
    assert Answer.objects.filter(timed_out=True).count() == 2
    assert Attempt.objects.get(pk=attempt.pk).answered_count == 3
    assert activity_kept() == activity_computed()


# --- Where it shows ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_result_page_shows_the_timeout_with_the_answers_when_they_may_be_shown(
    small_bank, study_group, trainer, member, learner_client
):
    attempt = timed(small_bank, study_group, trainer, member, mode=SHOW.EACH)
    run_out(attempt)

    html = learner_client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()

    assert 'data-testid="timed-out"' in html and "答了 1/3 题" in html and "未答的 2 题记为超时" in html
    assert html.count("超时未答") == 2 and "正确答案：" in html and ANSWER in html
    assert "还没做完" not in html and 'data-testid="score"' in html


@pytest.mark.django_db
def test_a_timeout_hides_its_answers_until_the_deadline(small_bank, study_group, trainer, member, learner_client):
    attempt = timed(small_bank, study_group, trainer, member, mode=SHOW.DEADLINE)
    run_out(attempt)

    html = learner_client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()

    assert html.count("超时未答") == 2 and "正确答案：" not in html
    assert html.count(ANSWER) == 1  # the learner's own (right) answer to the first question, no key


@pytest.mark.django_db
def test_the_dashboard_and_the_assignment_list_show_a_timeout_as_finished(
    small_bank, study_group, trainer, member, learner_client
):
    attempt = timed(small_bank, study_group, trainer, member)
    run_out(attempt)

    dashboard = learner_client.get(reverse("quizzes:home")).content.decode()
    assigned = learner_client.get(reverse("groups:assignments"), **HTMX).content.decode()

    assert 'data-testid="recent-timed-out"' in dashboard and "进行中" not in dashboard
    assert "超时" in assigned and "继续测验" not in assigned
    assert Attempt.objects.get(pk=attempt.pk).timed_out


@pytest.mark.django_db
def test_the_group_report_records_timeouts_before_counting(small_bank, study_group, trainer, member, trainer_client):
    attempt = timed(small_bank, study_group, trainer, member)
    run_out(attempt)

    assert trainer_client.get(reverse("groups:report", args=[study_group.pk])).status_code == 200

    row = next(
        row
        for row in reports.member_report(viewer=trainer, group=study_group, filter=ReportFilter()).rows
        if row.user_id == member.pk
    )
    assert row.state == "done" and row.completion == 100 and row.score == 33
    assert activity_kept() == activity_computed()


@pytest.mark.django_db
def test_the_organisation_pages_record_timeouts_before_counting(small_bank, study_group, trainer, member):
    organisation = Organisation.objects.create(name="某市总工会")
    member.profile.organisation = organisation
    member.profile.save()
    manager = ProfileFactory(organisation=None).user
    OrganisationManager.objects.create(user=manager, organisation=organisation)
    attempt = timed(small_bank, study_group, trainer, member)
    run_out(attempt)
    client = Client()
    client.force_login(manager)

    html = client.get(reverse("orgs:people", args=[organisation.pk])).content.decode()

    assert Attempt.objects.get(pk=attempt.pk).timed_out
    assert "完成 1/1" in html
    assert activity_kept() == activity_computed()


@pytest.mark.django_db
def test_attempts_that_ran_out_before_timeouts_were_recorded_get_them_once(small_bank, study_group, trainer, member):
    from django.apps import apps

    from quizzes import activity

    migration = importlib.import_module("quizzes.migrations.0009_record_past_timeouts")
    attempt = timed(small_bank, study_group, trainer, member)
    # As such an attempt was closed before: finished at its deadline, its questions left unanswered.
    Attempt.objects.filter(pk=attempt.pk).update(finished_at=attempt.deadline)
    activity.activity_finished(user_id=member.pk, finished_at=attempt.deadline)

    migration.record_past_timeouts(apps, None)
    migration.record_past_timeouts(apps, None)
    # 0009 counted the timed-out answers as answers given; 0013 gives them back.
    importlib.import_module("quizzes.migrations.0013_timed_out_answers_not_counted_as_given").uncount_timed_out(
        apps, None
    )

    attempt.refresh_from_db()
    assert Answer.objects.filter(timed_out=True, answered_at=attempt.deadline).count() == 2
    assert attempt.answered_count == 3 and attempt.timed_out
    assert activity_kept() == activity_computed()


@pytest.mark.django_db
def test_days_that_counted_timed_out_answers_give_them_back_and_take_them_again_on_reversal(
    small_bank, study_group, trainer, member
):
    from django.apps import apps

    from quizzes.core.rules import study_day
    from quizzes.models import DailyActivity

    migration = importlib.import_module("quizzes.migrations.0013_timed_out_answers_not_counted_as_given")
    attempt = timed(small_bank, study_group, trainer, member)
    run_out(attempt)
    services.attempt_time_out(attempt=attempt)
    right = activity_kept()
    day = study_day(attempt.deadline)
    # As the days were kept before: the two timed-out answers counted as given.
    DailyActivity.objects.filter(user=member, day=day).update(answers=F("answers") + 2)

    migration.uncount_timed_out(apps, None)
    assert activity_kept() == right == activity_computed()
    assert sum(row[0] for row in right.values()) == 1

    migration.count_timed_out(apps, None)  # the reversal
    assert DailyActivity.objects.get(user=member, day=day).answers == right[(member.pk, day)][0] + 2


@pytest.mark.django_db
def test_a_timeout_is_no_study_day_of_the_streak(small_bank, study_group, trainer, member):
    from quizzes.progress import streak_days

    attempt = timed(small_bank, study_group, trainer, member)
    Answer.objects.filter(attempt_question__attempt=attempt).update(
        answered_at=timezone.now() - timedelta(days=1)
    )  # the one answer given yesterday
    services.attempt_time_out(attempt=attempt, now=attempt.deadline + timedelta(seconds=1))
    Answer.objects.filter(timed_out=True).update(answered_at=timezone.now())  # timed out today

    assert streak_days(member) == 1  # yesterday's answer; today's timeouts are not a day of study
