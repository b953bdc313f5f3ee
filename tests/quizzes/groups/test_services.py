"""Assigned quizzes: setting them, one attempt per member, opening and closing times and time limits
enforced by the server; the learner's list and the trainer's form."""

import random
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from quizzes import services
from quizzes.groups import services as group_services
from quizzes.models import Answer, Assignment, Attempt, PointState
from quizzes.selectors import attempt_current_item
from tests.factories import AssignmentFactory, MembershipFactory
from tests.support import HTMX, form_data, right_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(study_group, learner):
    MembershipFactory(group=study_group, user=learner)
    return learner


def create(study_group, trainer, **overrides):
    now = timezone.now()
    arguments = {
        "group": study_group,
        "created_by": trainer,
        "title": "第一次测验",
        "opens_at": now - timedelta(hours=1),
        "closes_at": now + timedelta(days=1),
    } | overrides
    return group_services.assignment_create(**arguments)


# --- Setting an assignment ----------------------------------------------------------------------------


def test_a_fixed_assignment_keeps_its_questions_in_the_given_order(small_bank, study_group, trainer):
    ids = [small_bank.questions[5].pk, small_bank.questions[0].pk, small_bank.questions[9].pk]

    assignment = create(study_group, trainer, mode="fixed", question_ids=ids)

    assert assignment.question_ids == ids and assignment.length == 3 and assignment.size == 3


def test_a_generated_assignment_remembers_scope_type_and_size(small_bank, study_group, trainer):
    task = small_bank.tasks[1]

    assignment = create(study_group, trainer, scope="task", scope_key=task.key, question_type="cloze", length=4)

    assert assignment.mode == "generated" and assignment.question_ids == []
    assert assignment.scope_label == task.display_title and assignment.length == 4


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"mode": "fixed", "question_ids": []}, "至少选一道"),
        ({"mode": "fixed", "question_ids": [999999]}, "已停用或不存在"),
        ({"scope": "topic", "scope_key": "nope"}, "没有这个学习范围"),
        ({"closes_at": timezone.now() - timedelta(days=2)}, "截止时间必须晚于开放时间"),
        ({"time_limit_minutes": 0}, "限时应在"),
        ({"length": 0}, "题数应在"),
    ],
)
def test_an_assignment_that_cannot_be_taken_is_refused(small_bank, study_group, trainer, overrides, message):
    with pytest.raises(ValidationError, match=message):
        create(study_group, trainer, **overrides)

    assert not Assignment.objects.exists()


def test_a_fixed_assignment_refuses_a_question_twice(small_bank, study_group, trainer):
    question = small_bank.questions[0].pk

    with pytest.raises(ValidationError, match="只能选一次"):
        create(study_group, trainer, mode="fixed", question_ids=[question, question])


# --- Starting: one attempt per member, only while open ------------------------------------------------


def test_a_fixed_assignment_asks_every_member_the_same_questions_in_order(small_bank, study_group, trainer, member):
    other = MembershipFactory(group=study_group).user
    ids = [q.pk for q in small_bank.questions[:6]][::-1]
    assignment = create(study_group, trainer, mode="fixed", question_ids=ids)

    attempts = [group_services.assignment_start(assignment=assignment, user=user) for user in (member, other)]

    for attempt in attempts:
        assert list(attempt.items.order_by("position").values_list("question_id", flat=True)) == ids
        assert attempt.kind == Attempt.Kind.ASSIGNMENT and attempt.assignment == assignment
        assert attempt.scope_label == "第一次测验"


def test_a_generated_assignment_draws_each_members_questions_from_its_scope(small_bank, study_group, trainer, member):
    topic = small_bank.topics[2]
    assignment = create(study_group, trainer, scope="topic", scope_key=topic.key, question_type="cloze", length=3)

    attempt = group_services.assignment_start(assignment=assignment, user=member, rng=random.Random(3))

    questions = [item.question for item in attempt.items.select_related("question")]
    assert len(questions) == 3
    assert all(q.topic_key == topic.key and q.type == "cloze" for q in questions)


def test_starting_again_resumes_the_one_attempt(small_bank, study_group, trainer, member):
    assignment = create(study_group, trainer)

    first = group_services.assignment_start(assignment=assignment, user=member)
    again = group_services.assignment_start(assignment=assignment, user=member)

    assert first == again
    assert Attempt.objects.filter(assignment=assignment).count() == 1


def test_an_assignment_cannot_be_started_before_it_opens(small_bank, study_group, trainer, member):
    now = timezone.now()
    assignment = create(study_group, trainer, opens_at=now + timedelta(hours=2), closes_at=now + timedelta(days=1))

    with pytest.raises(ValidationError, match="还没有开始"):
        group_services.assignment_start(assignment=assignment, user=member, now=now)

    assert not Attempt.objects.exists()


def test_an_assignment_cannot_be_started_once_closed(small_bank, study_group, trainer, member):
    assignment = create(study_group, trainer)

    with pytest.raises(ValidationError, match="已经截止"):
        group_services.assignment_start(assignment=assignment, user=member, now=assignment.closes_at)


def test_only_a_learner_of_the_group_can_start_its_assignment(small_bank, study_group, trainer, learner):
    assignment = create(study_group, trainer)

    for user in (learner, trainer):
        with pytest.raises(PermissionDenied):
            group_services.assignment_start(assignment=assignment, user=user)


def test_the_deadline_is_the_time_limit_or_the_closing_time_whichever_comes_first(
    small_bank, study_group, trainer, member
):
    now = timezone.now()
    limited = create(study_group, trainer, time_limit_minutes=20, closes_at=now + timedelta(hours=3))
    closing = create(study_group, trainer, time_limit_minutes=90, closes_at=now + timedelta(minutes=30))

    assert group_services.assignment_start(assignment=limited, user=member, now=now).deadline == now + timedelta(
        minutes=20
    )
    assert group_services.assignment_start(assignment=closing, user=member, now=now).deadline == closing.closes_at


# --- The server enforces the deadline ------------------------------------------------------------------


@pytest.fixture
def timed_attempt(small_bank, study_group, trainer, member):
    """A member's attempt at a 10-minute assignment, started now; two questions answered."""
    now = timezone.now()
    assignment = create(study_group, trainer, time_limit_minutes=10, length=5)
    attempt = group_services.assignment_start(assignment=assignment, user=member, now=now)
    for _step in range(2):
        item = attempt_current_item(attempt)
        services.answer_submit(item=item, user=member, given=right_answer(item.question), now=now)
    attempt.refresh_from_db()
    return attempt


def test_an_answer_within_the_time_limit_counts(timed_attempt, member):
    item = attempt_current_item(timed_attempt)

    submission = services.answer_submit(
        item=item, user=member, given=right_answer(item.question), now=timed_attempt.deadline
    )

    assert submission.created and submission.answer.credit == 1


def test_an_answer_after_the_time_limit_is_refused_and_the_rest_is_recorded_as_timed_out(timed_attempt, member):
    item = attempt_current_item(timed_attempt)
    answers, states = Answer.objects.count(), list(PointState.objects.values_list("point_text_key", "reps"))
    late = timed_attempt.deadline + timedelta(seconds=1)

    with pytest.raises(services.AttemptClosed, match="作答时间已到"):
        services.answer_submit(item=item, user=member, given=right_answer(item.question), now=late)

    timed_attempt.refresh_from_db()
    assert Answer.objects.filter(timed_out=False).count() == answers == 2  # the late answer is dropped
    assert Answer.objects.filter(timed_out=True, credit=0, is_correct=False).count() == 3
    assert list(PointState.objects.values_list("point_text_key", "reps")) == states
    assert timed_attempt.finished_at == timed_attempt.deadline and timed_attempt.timed_out
    assert (timed_attempt.answered_count, timed_attempt.credit) == (5, 2.0)


def test_an_answer_after_the_closing_time_is_refused(small_bank, study_group, trainer, member):
    now = timezone.now()
    assignment = create(study_group, trainer, closes_at=now + timedelta(minutes=5))
    attempt = group_services.assignment_start(assignment=assignment, user=member, now=now)
    item = attempt_current_item(attempt)

    with pytest.raises(services.AttemptClosed):
        services.answer_submit(
            item=item, user=member, given=right_answer(item.question), now=assignment.closes_at + timedelta(seconds=1)
        )

    assert not Answer.objects.filter(timed_out=False).exists()
    assert Answer.objects.filter(timed_out=True).count() == attempt.question_count
    assert Attempt.objects.get().is_finished


def test_a_closed_attempt_refuses_every_later_answer(timed_attempt, member):
    late = timed_attempt.deadline + timedelta(minutes=1)
    item = attempt_current_item(timed_attempt)
    with pytest.raises(services.AttemptClosed):
        services.answer_submit(item=item, user=member, given=right_answer(item.question), now=late)

    # Even with a clock that has gone back: the attempt is finished now.
    with pytest.raises(services.AttemptClosed):
        services.answer_submit(item=item, user=member, given=right_answer(item.question), now=timezone.now())
    assert Answer.objects.filter(timed_out=False).count() == 2 and Answer.objects.count() == 5


def test_practice_quizzes_have_no_deadline(small_bank, learner):
    attempt = services.attempt_start(user=learner, length=5)
    item = attempt_current_item(attempt)

    submission = services.answer_submit(
        item=item, user=learner, given=right_answer(item.question), now=timezone.now() + timedelta(days=400)
    )

    assert attempt.deadline is None and submission.created


# --- Pages: taking an assignment with the quiz pages ------------------------------------------------------


def test_the_question_page_shows_the_time_left_computed_by_the_server(learner_client, timed_attempt):
    for headers in ({}, HTMX):
        html = learner_client.get(timed_attempt.get_absolute_url(), **headers).content.decode()
        assert 'data-testid="timer"' in html
        seconds = int(html.split('data-countdown="')[1].split('"')[0])
        assert 0 < seconds <= 600
        assert "countdown.js" in html or headers


def test_a_practice_question_page_shows_no_timer(learner_client, learner, small_bank):
    attempt = services.attempt_start(user=learner, length=5)

    html = learner_client.get(attempt.get_absolute_url()).content.decode()

    assert 'data-testid="timer"' not in html


def test_an_answer_posted_after_the_deadline_gets_a_clear_message_and_is_not_recorded(learner_client, timed_attempt):
    Attempt.objects.filter(pk=timed_attempt.pk).update(deadline=timezone.now() - timedelta(seconds=5))
    item = attempt_current_item(timed_attempt)

    page = learner_client.post(reverse("quizzes:answer", args=[timed_attempt.pk]), form_data(item))
    fragment = learner_client.post(reverse("quizzes:answer", args=[timed_attempt.pk]), form_data(item), **HTMX)

    assert page.status_code == 409 and fragment.status_code == 200
    for response in (page, fragment):
        html = response.content.decode()
        assert "作答时间已到" in html and "没有被记录" in html
        assert reverse("quizzes:result", args=[timed_attempt.pk]) in html
    assert Answer.objects.filter(timed_out=False).count() == 2
    assert Attempt.objects.get(pk=timed_attempt.pk).is_finished


def test_opening_an_expired_attempt_closes_it_and_shows_the_result(learner_client, timed_attempt):
    Attempt.objects.filter(pk=timed_attempt.pk).update(deadline=timezone.now() - timedelta(seconds=5))

    response = learner_client.get(timed_attempt.get_absolute_url())
    result = learner_client.get(response["Location"]).content.decode()

    assert response["Location"] == reverse("quizzes:result", args=[timed_attempt.pk])
    assert Attempt.objects.get(pk=timed_attempt.pk).is_finished
    assert 'data-testid="timed-out"' in result and "答了 2/5 题" in result


def test_the_learner_sees_open_upcoming_and_closed_assignments_with_results(
    learner_client, small_bank, study_group, trainer, member
):
    now = timezone.now()
    open_one = create(study_group, trainer, title="进行中的测验", length=3)
    create(
        study_group, trainer, title="下周的测验", opens_at=now + timedelta(days=7), closes_at=now + timedelta(days=8)
    )
    closed = create(study_group, trainer, title="上周的测验", length=3)
    attempt = group_services.assignment_start(assignment=closed, user=member)
    for item in attempt.items.select_related("question"):
        services.answer_submit(item=item, user=member, given=right_answer(item.question))
    Assignment.objects.filter(pk=closed.pk).update(opens_at=now - timedelta(days=8), closes_at=now - timedelta(days=7))
    AssignmentFactory(title="别组的测验")  # another group's

    page = learner_client.get(reverse("groups:assignments")).content.decode()
    fragment = learner_client.get(reverse("groups:assignments"), **HTMX).content.decode()

    for html in (page, fragment):
        assert 'data-testid="assignment-open"' in html and "进行中的测验" in html
        assert reverse("groups:assignment_start", args=[open_one.pk]) in html
        assert 'data-testid="assignment-upcoming"' in html and "下周的测验" in html
        assert 'data-testid="assignment-closed"' in html and "得分 100（已答 3/3）" in html
        assert "别组的测验" not in html
    assert "<html" in page and "<html" not in fragment


def test_the_dashboard_loads_the_assignments_with_htmx(learner_client, small_bank):
    html = learner_client.get(reverse("quizzes:home")).content.decode()

    assert f'hx-get="{reverse("groups:assignments")}"' in html and 'hx-trigger="load"' in html


def test_a_learner_without_groups_gets_an_empty_fragment(learner_client, learner):
    fragment = learner_client.get(reverse("groups:assignments"), **HTMX).content.decode()

    assert 'id="assigned"' in fragment and "<li" not in fragment


def test_starting_from_the_page_opens_the_first_question_and_resumes_later(
    learner_client, small_bank, study_group, trainer, member
):
    assignment = create(study_group, trainer, length=3)
    url = reverse("groups:assignment_start", args=[assignment.pk])

    first = learner_client.post(url)
    again = learner_client.post(url)

    attempt = Attempt.objects.get(assignment=assignment, user=member)
    assert first["Location"] == again["Location"] == attempt.get_absolute_url()
    assert learner_client.get(url).status_code == 405


def test_starting_before_the_opening_shows_a_message(learner_client, small_bank, study_group, trainer, member):
    now = timezone.now()
    assignment = create(study_group, trainer, opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=2))

    response = learner_client.post(reverse("groups:assignment_start", args=[assignment.pk]), follow=True)

    assert "还没有开始" in response.content.decode()
    assert not Attempt.objects.exists()


# --- The trainer's form ------------------------------------------------------------------------------


def form_post(**overrides):
    now = timezone.localtime()
    return {
        "title": "第一次测验",
        "mode": "generated",
        "scope": "document",
        "question_type": "mixed",
        "length": "5",
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "time_limit_minutes": "15",
        "action": "create",
    } | overrides


def test_the_assignment_form_offers_scopes_and_types(trainer_client, small_bank, study_group):
    html = trainer_client.get(reverse("groups:assignment_new", args=[study_group.pk])).content.decode()

    assert f'value="task:{small_bank.tasks[0].key}"' in html
    assert 'type="datetime-local"' in html and 'name="time_limit_minutes"' in html
    assert 'hx-post="' in html and "预览题目" in html


def test_the_preview_lists_the_scopes_questions_as_page_and_fragment(trainer_client, small_bank, study_group):
    topic = small_bank.topics[0]
    data = form_post(mode="fixed", scope=f"topic:{topic.key}", question_type="cloze", action="preview")
    url = reverse("groups:assignment_new", args=[study_group.pk])

    page = trainer_client.post(url, data).content.decode()
    fragment = trainer_client.post(url, data, **HTMX).content.decode()

    for html in (page, fragment):
        assert html.count('name="questions"') == 3
    assert "<html" in page and "<html" not in fragment and 'name="title"' not in fragment
    assert not Assignment.objects.exists()


def test_a_trainer_sets_a_fixed_assignment_from_the_form(trainer_client, small_bank, study_group):
    picked = [str(small_bank.questions[3].pk), str(small_bank.questions[1].pk)]

    response = trainer_client.post(
        reverse("groups:assignment_new", args=[study_group.pk]), form_post(mode="fixed", questions=picked)
    )

    assignment = Assignment.objects.get()
    assert response.status_code == 302 and response["Location"] == study_group.get_absolute_url()
    assert assignment.question_ids == [int(pk) for pk in picked]
    assert assignment.time_limit_minutes == 15 and assignment.group == study_group


def test_a_trainer_sets_a_generated_assignment_from_the_form(trainer_client, small_bank, study_group):
    response = trainer_client.post(
        reverse("groups:assignment_new", args=[study_group.pk]), form_post(time_limit_minutes="")
    )

    assignment = Assignment.objects.get()
    assert response.status_code == 302
    assert (assignment.mode, assignment.length, assignment.time_limit_minutes) == ("generated", 5, None)


def test_the_form_shows_why_an_assignment_was_refused(trainer_client, small_bank, study_group):
    response = trainer_client.post(
        reverse("groups:assignment_new", args=[study_group.pk]), form_post(mode="fixed", questions=[])
    )

    assert response.status_code == 400 and "请至少选一道题" in response.content.decode()
    assert not Assignment.objects.exists()


def test_the_dashboard_does_not_offer_to_resume_an_attempt_whose_time_is_up(learner_client, timed_attempt):
    resume = "继续上次练习"
    assert resume in learner_client.get(reverse("quizzes:home")).content.decode()

    Attempt.objects.filter(pk=timed_attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))

    assert resume not in learner_client.get(reverse("quizzes:home")).content.decode()
