"""A learner on a phone with nothing due: the dashboard says why and when the next review is, and offers
the weakest topic; the learner sets a daily goal and sees today's progress towards it; and sees whether
they will still remember a group quiz's points by its deadline, and starts the review aimed at it."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quizzes import progress
from quizzes.core.rules import STUDY_TIMEZONE
from quizzes.models import Attempt, PointState, Question
from quizzes.selectors import attempt_current_item
from studyapp.documents.models import Node
from studyapp.documents.selectors import active_outline
from tests.e2e.checks import assert_accessible
from tests.e2e.conftest import PHONE
from tests.e2e.test_quiz_flow import answer
from tests.factories import AssignmentFactory, MembershipFactory, ProfileFactory
from tests.quizzes.test_today import remembered

TAP = 44  # px: the smallest tap target


@pytest.fixture
def setting(seed_bank):
    """A learner who remembers half of the first topic well (one point falls due tomorrow at 9:30),
    in a group with a quiz on that topic closing in three days."""
    user = ProfileFactory(display_name="李干部", role="cadre").user
    topic = next(c for c in progress.heading_columns(active_outline()) if c.node.kind == Node.Kind.TOPIC)
    points = list(topic.points)
    kept = points[: len(points) // 2]
    now = timezone.now()
    for key in kept:
        remembered(user, Node(text_key=key), stability=60, last_review=now)
    tomorrow = datetime.combine(timezone.localdate() + timedelta(days=1), time(9, 30), tzinfo=STUDY_TIMEZONE)
    PointState.objects.filter(user=user, point_text_key=kept[0]).update(due=tomorrow)
    group = MembershipFactory(user=user).group
    assignment = AssignmentFactory(
        group=group,
        title="专题小测",
        scope=Attempt.Scope.TOPIC,
        scope_key=topic.node.key,
        closes_at=now + timedelta(days=3),
    )
    return user, topic, kept, assignment


def assert_fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]


def assert_tappable(locator) -> None:
    for index in range(locator.count()):
        box = locator.nth(index).bounding_box()
        assert box and box["height"] >= TAP and box["width"] >= TAP, box


def test_nothing_due_goal_and_deadline_on_a_phone(new_page, setting, traffic, live_server, screenshot):
    user, topic, kept, assignment = setting
    weakest = progress.learner_overview(user).weakest_topic
    assert weakest is not None and weakest.node != topic.node
    page = new_page(user=user, **PHONE)

    # Nothing due: why, when next, and the weakest topic instead.
    page.goto("/")
    nothing_due = page.get_by_test_id("nothing-due")
    expect(nothing_due).to_contain_text("没有到期的复习")
    expect(page.get_by_test_id("next-due")).to_have_text("下次复习：明天 9:30")
    expect(page.get_by_test_id("weakest-topic")).to_have_text(weakest.node.display_title)
    expect(page.get_by_role("button", name="复习到期要点")).to_have_count(0)
    # The group quiz's deadline arrives by htmx.
    deadline = page.get_by_test_id(f"deadline-{assignment.pk}")
    expect(deadline.get_by_test_id("on-track")).to_have_text(f"按期掌握 {len(kept)}/{len(topic.points)} 个要点")
    expect(deadline).to_contain_text("可能忘记")
    assert_fits_the_phone(page)
    assert_tappable(page.get_by_role("button", name="练习最弱专题（10 题）"))
    assert_tappable(deadline.get_by_role("button", name="复习可能忘记的要点"))
    screenshot(page, "1-nothing-due")
    screenshot(page, "1-nothing-due-top", full_page=False)
    assert_accessible(page, "首页：没有到期的复习")

    # A daily goal: a typed number out of range is refused, a tapped choice is taken.
    goal = page.locator("#goal")
    expect(page.get_by_test_id("goal")).to_have_text("20")
    goal.get_by_text("修改每日目标").click()
    assert_tappable(goal.get_by_role("button", name="10 题"))
    goal.get_by_label("或填写题数（1–200）").fill("500")
    goal.get_by_role("button", name="保存").click()
    expect(page.locator("#goal-error")).to_have_text("每日目标请填 1 到 200 之间的整数。")
    expect(goal.get_by_label("或填写题数（1–200）")).to_have_value("500")
    screenshot(page, "2-goal-refused")
    assert_accessible(page, "每日目标：超出范围")
    page.locator("#goal").get_by_role("button", name="10 题").click()
    expect(page.get_by_test_id("goal")).to_have_text("10")
    expect(page.get_by_test_id("goal-today")).to_have_text("0")
    expect(page.locator("#goal")).to_contain_text("还差 10 题")
    user.profile.refresh_from_db()
    assert user.profile.daily_goal == 10
    assert_fits_the_phone(page)
    screenshot(page, "3-goal-set")
    assert_accessible(page, "每日目标：已设定")

    # The weakest topic's quiz: one question answered counts towards today's goal.
    page.get_by_role("button", name="练习最弱专题（10 题）").click()
    expect(page).to_have_url(re.compile(r"/quiz/\d+/$"))
    practice = Attempt.objects.get(user=user, kind=Attempt.Kind.PRACTICE)
    assert (practice.scope, practice.scope_key) == (Attempt.Scope.TOPIC, weakest.node.key)
    item = attempt_current_item(practice)
    answer(page, item, right=True, keyboard=False)
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".feedback")).to_be_visible()
    page.goto("/")
    expect(page.get_by_test_id("goal-today")).to_have_text("1")
    expect(page.locator("#goal")).to_contain_text("还差 9 题")
    expect(page.locator('[data-testid="week-day"][aria-current="date"]')).to_contain_text("1题")
    expect(page.get_by_test_id("streak")).to_have_text("1")
    screenshot(page, "4-goal-progress")
    assert_accessible(page, "每日目标：今天的进度")

    # The review aimed at the deadline: exactly the points that would be forgotten by then.
    page.get_by_test_id(f"deadline-{assignment.pk}").get_by_role("button", name="复习可能忘记的要点").click()
    expect(page).to_have_url(re.compile(r"/quiz/\d+/$"))
    review = Attempt.objects.get(user=user, kind=Attempt.Kind.REVIEW)
    asked = Question.objects.filter(pk__in=review.items.values("question_id"))
    at_risk = set(topic.points) - set(kept)
    assert asked and all(set(q.source_text_keys) & at_risk for q in asked)
    assert not any(set(q.source_text_keys) & set(kept) for q in asked)
    expect(page.locator("main")).to_contain_text("截止前复习")
    assert_fits_the_phone(page)
    screenshot(page, "5-deadline-review")
    assert_accessible(page, "截止前复习")
    traffic.assert_clean(live_server.url)
