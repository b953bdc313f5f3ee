"""The dashboard's day: nothing due explained, the weakest topic offered, the daily goal set and shown,
and the deadlines of open group quizzes with the review aimed at them."""

import random
from datetime import datetime, time, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from fsrs import Rating

from quizzes import services
from quizzes.core.rules import STUDY_TIMEZONE
from quizzes.models import Assignment, Attempt, DailyActivity, PointState, Question
from quizzes.selectors import attempt_current_item
from tests.factories import AssignmentFactory, MembershipFactory, ProfileFactory, UserFactory
from tests.quizzes.test_today import remembered
from tests.support import right_answer

pytestmark = pytest.mark.django_db


def tomorrow_at(hour: int, minute: int) -> datetime:
    return datetime.combine(timezone.localdate() + timedelta(days=1), time(hour, minute), tzinfo=STUDY_TIMEZONE)


# --- Nothing due -------------------------------------------------------------------------------------------


def test_with_nothing_due_the_dashboard_says_why_when_next_and_offers_the_weakest_topic(
    learner_client, learner, small_bank
):
    services.points_review(
        user=learner, ratings={p.text_key: Rating.Good for p in small_bank.points[:3]}, now=timezone.now()
    )
    PointState.objects.filter(user=learner).update(due=tomorrow_at(9, 30))

    html = learner_client.get("/").content.decode()

    assert 'data-testid="due">0<' in html
    assert "没有到期的复习" in html and "下次复习：明天 9:30" in html
    assert reverse("quizzes:review") not in html  # no dead button
    weakest = small_bank.topics[1]  # the first topic with nothing mastered
    assert f'<strong data-testid="weakest-topic">{weakest.display_title}</strong>（掌握 0%）' in html
    assert f'name="scope" value="topic:{weakest.key}"' in html


def test_the_weakest_topic_form_starts_a_practice_quiz_on_that_topic(learner_client, learner, small_bank):
    weakest = small_bank.topics[0]
    data = {"scope": f"topic:{weakest.key}", "question_type": "mixed", "length": "10"}
    html = learner_client.get("/").content.decode()
    assert all(f'name="{name}" value="{value}"' in html for name, value in data.items())

    response = learner_client.post(reverse("quizzes:start"), data)

    attempt = Attempt.objects.get(user=learner)
    assert response.status_code == 302 and response["Location"] == attempt.get_absolute_url()
    assert (attempt.kind, attempt.scope, attempt.scope_key) == (Attempt.Kind.PRACTICE, "topic", weakest.key)
    assert {item.question.topic_key for item in attempt.items.select_related("question")} == {weakest.key}


def test_a_learner_who_has_answered_nothing_is_told_how_reviews_begin(learner_client, small_bank):
    html = learner_client.get("/").content.decode()
    assert "没有到期的复习" in html and "做一次练习就会开始安排复习" in html and "下次复习" not in html


def test_with_points_due_the_review_button_is_there_and_no_excuse(learner_client, learner, small_bank):
    services.points_review(
        user=learner, ratings={small_bank.points[0].text_key: Rating.Again}, now=timezone.now() - timedelta(days=2)
    )
    html = learner_client.get("/").content.decode()
    assert reverse("quizzes:review") in html and "没有到期的复习" not in html


# --- The daily goal --------------------------------------------------------------------------------------


def test_the_dashboard_shows_todays_answers_against_the_goal_and_the_week(learner_client, learner, small_bank):
    learner.profile.daily_goal = 10
    learner.profile.save()
    today = timezone.localdate()
    DailyActivity.objects.create(user=learner, day=today, answers=4)
    DailyActivity.objects.create(user=learner, day=today - timedelta(days=1), answers=12)

    html = learner_client.get("/").content.decode()

    assert 'data-testid="goal-today">4<' in html and 'data-testid="goal">10<' in html
    assert "还差 6 题" in html
    assert 'data-testid="streak">2<' in html
    met_this_week = 1 if today.weekday() > 0 else 0  # yesterday is in this week unless today is Monday
    assert f'data-testid="week-met">{met_this_week}<' in html
    assert html.count('data-testid="week-day"') == 7
    assert "今天" in html and "4题" in html


def test_the_goal_page_shows_the_form(learner_client):
    response = learner_client.get(reverse("quizzes:goal"))

    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert "修改每日目标（现为 20 题）" in html
    assert html.count('name="goal"') == 5  # four choices and the typed number


def test_setting_the_goal_by_a_plain_post_saves_it_and_goes_home(learner_client, learner):
    response = learner_client.post(reverse("quizzes:goal_set"), {"goal": "30"})

    assert response.status_code == 302 and response["Location"] == reverse("quizzes:home")
    learner.profile.refresh_from_db()
    assert learner.profile.daily_goal == 30
    html = learner_client.get("/").content.decode()
    assert "每日目标已改为 30 题。" in html and 'data-testid="goal">30<' in html


def test_setting_the_goal_by_htmx_swaps_the_goal_card(learner_client, learner):
    DailyActivity.objects.create(user=learner, day=timezone.localdate(), answers=12)

    response = learner_client.post(reverse("quizzes:goal_set"), {"goal": "10"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="goal"' in html
    assert 'data-testid="goal">10<' in html and "今日已达标" in html
    learner.profile.refresh_from_db()
    assert learner.profile.daily_goal == 10


@pytest.mark.parametrize("given", ["0", "201", "abc", ""])
def test_a_bad_goal_gets_a_chinese_error_and_keeps_what_was_typed(learner_client, learner, given):
    full = learner_client.post(reverse("quizzes:goal_set"), {"goal": given})
    fragment = learner_client.post(reverse("quizzes:goal_set"), {"goal": given}, HTTP_HX_REQUEST="true")

    assert full.status_code == 400 and "<html" in full.content.decode()
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()
    for response in (full, fragment):
        html = response.content.decode()
        assert "每日目标请填 1 到 200 之间的整数。" in html or "请填写每日目标题数。" in html
        assert f'value="{given}"' in html if given else 'aria-invalid="true"' in html
    learner.profile.refresh_from_db()
    assert learner.profile.daily_goal == 20


def test_a_learner_without_a_profile_can_set_a_goal(client):
    user = UserFactory()
    client.force_login(user)

    assert 'data-testid="goal">20<' in client.get("/").content.decode()
    client.post(reverse("quizzes:goal_set"), {"goal": "50"})

    assert 'data-testid="goal">50<' in client.get("/").content.decode()


def test_the_goal_form_takes_only_posts(learner_client):
    assert learner_client.get(reverse("quizzes:goal_set")).status_code == 405


# --- Deadlines of group quizzes ------------------------------------------------------------------------------


@pytest.fixture
def group_quiz(small_bank, learner):
    group = MembershipFactory(user=learner).group
    return AssignmentFactory(
        group=group, scope=Attempt.Scope.TASK, scope_key=small_bank.tasks[0].key, title="第一次小组测验"
    )


def test_the_dashboard_asks_for_the_deadlines_in_a_second_request(learner_client, small_bank):
    html = learner_client.get("/").content.decode()
    assert f'hx-get="{reverse("quizzes:deadlines")}"' in html


def test_the_deadlines_fragment_shows_how_many_points_would_be_remembered(learner_client, learner, group_quiz):
    for point in group_quiz_points(group_quiz)[:2]:
        remembered(learner, point, stability=60, last_review=timezone.now())

    response = learner_client.get(reverse("quizzes:deadlines"), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "第一次小组测验" in html and "按期掌握 2/6 个要点" in html
    assert "有 4 个要点到截止时可能忘记" in html
    assert reverse("quizzes:deadline_review", args=[group_quiz.pk]) in html
    assert "可提取性" not in html and "FSRS" not in html and "stability" not in html


def test_the_deadlines_page_in_full(learner_client, learner, group_quiz):
    for point in group_quiz_points(group_quiz):
        remembered(learner, point, stability=60, last_review=timezone.now())

    html = learner_client.get(reverse("quizzes:deadlines")).content.decode()

    assert "<html" in html and "按期掌握 6/6 个要点" in html and "都能记到截止时" in html
    assert reverse("quizzes:deadline_review", args=[group_quiz.pk]) not in html


def test_without_open_group_quizzes_the_fragment_is_empty(learner_client, small_bank):
    html = learner_client.get(reverse("quizzes:deadlines"), HTTP_HX_REQUEST="true").content.decode()
    assert 'id="deadlines"' in html and "按期掌握" not in html
    full = learner_client.get(reverse("quizzes:deadlines")).content.decode()
    assert "现在没有开放中的小组测验" in full


def test_a_learner_sees_only_their_own_deadlines(client, learner, group_quiz):
    other = ProfileFactory().user
    other_quiz = AssignmentFactory(group=MembershipFactory(user=other).group, title="别的小组的测验")
    for point in group_quiz_points(group_quiz):
        remembered(other, point, stability=60, last_review=timezone.now())
    client.force_login(learner)

    html = client.get(reverse("quizzes:deadlines"), HTTP_HX_REQUEST="true").content.decode()

    assert "第一次小组测验" in html and "按期掌握 0/6 个要点" in html  # the other learner's memory is theirs
    assert "别的小组的测验" not in html
    response = client.post(reverse("quizzes:deadline_review", args=[other_quiz.pk]))
    assert response.status_code == 404
    assert not Attempt.objects.filter(user=learner).exists()


def test_the_deadline_review_starts_a_quiz_on_the_points_that_would_be_forgotten(learner_client, learner, group_quiz):
    points = group_quiz_points(group_quiz)
    for point in points[1:]:
        remembered(learner, point, stability=60, last_review=timezone.now())

    response = learner_client.post(reverse("quizzes:deadline_review", args=[group_quiz.pk]))

    attempt = Attempt.objects.get(user=learner)
    assert response.status_code == 302 and response["Location"] == attempt.get_absolute_url()
    assert attempt.kind == Attempt.Kind.REVIEW and attempt.assignment is None
    asked = Question.objects.filter(pk__in=attempt.items.values("question_id"))
    assert [q.source_text_keys for q in asked] == [[points[0].text_key]]


def test_a_deadline_review_with_everything_on_track_goes_home_with_a_word(learner_client, learner, group_quiz):
    for point in group_quiz_points(group_quiz):
        remembered(learner, point, stability=60, last_review=timezone.now())

    response = learner_client.post(reverse("quizzes:deadline_review", args=[group_quiz.pk]), follow=True)

    assert response.redirect_chain == [(reverse("quizzes:home"), 302)]
    assert "都记得住，暂时不用复习" in response.content.decode()
    assert learner_client.get(reverse("quizzes:deadline_review", args=[group_quiz.pk])).status_code == 405


def group_quiz_points(assignment: Assignment):
    from studyapp.documents.models import Node

    return list(Node.objects.filter(parent__parent__key=assignment.scope_key).order_by("position", "pk"))


# --- Queries ------------------------------------------------------------------------------------------------


def test_the_dashboard_with_goal_days_and_nothing_due_takes_a_constant_number_of_queries(
    learner_client, learner, small_bank, django_assert_num_queries
):
    for length in (5, 10):
        attempt = services.attempt_start(user=learner, length=length, rng=random.Random(length))
        item = attempt_current_item(attempt)
        services.answer_submit(item=item, user=learner, given=right_answer(item.question))
    for days_ago in range(1, 30):
        DailyActivity.objects.create(user=learner, day=timezone.localdate() - timedelta(days=days_ago), answers=25)
    PointState.objects.filter(user=learner).update(due=tomorrow_at(8, 0))
    # session with its user, profile, active version, outline, mastery (tasks and topics), due and next due,
    # answers per day (goal, week, streak), recent, in progress, attempts whose time is up (none); at `/`
    # one more: whether they train a group
    with django_assert_num_queries(10):
        html = learner_client.get(reverse("quizzes:study")).content.decode()
    assert "没有到期的复习" in html and 'data-testid="streak">30<' in html


def test_the_deadlines_fragment_takes_a_constant_number_of_queries(
    learner_client, learner, group_quiz, small_bank, django_assert_num_queries
):
    group = group_quiz.group
    AssignmentFactory(group=group)
    AssignmentFactory(group=group, mode=Assignment.Mode.FIXED, question_ids=[q.pk for q in small_bank.questions[:5]])
    AssignmentFactory(group=MembershipFactory(user=learner).group, scope=Attempt.Scope.TOPIC, scope_key="abc")
    for point in small_bank.points[::2]:
        remembered(learner, point, stability=30, last_review=timezone.now())
    # session with its user, open assignments, active version, outline, the fixed ones' questions, point states
    with django_assert_num_queries(6):
        html = learner_client.get(reverse("quizzes:deadlines"), HTTP_HX_REQUEST="true").content.decode()
    assert html.count('class="deadline-item') == 4


def test_other_pages_need_a_login():
    client = Client()
    for name in ("quizzes:goal", "quizzes:deadlines"):
        assert client.get(reverse(name)).status_code == 302
