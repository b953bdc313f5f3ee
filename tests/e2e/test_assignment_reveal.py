"""A fair group test on a phone: the trainer sets one with the answers hidden until the deadline; the
learner takes it and sees no key; a timed one runs out (the countdown in view down a long question)
and shows 超时; after the deadline the learner sees the answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.groups import services as group_services
from quizzes.models import Assignment, Attempt
from tests.e2e.checks import assert_accessible
from tests.e2e.conftest import PHONE
from tests.factories import ANSWER, MembershipFactory, QuestionFactory

KEY_LABEL = "正确答案："
LONG_LINE = "。".join(
    f"第{n}条：坚持以职工为中心，推动产业工人队伍建设改革，深化劳动和技能竞赛，维护职工合法权益" for n in range(1, 13)
)


@pytest.fixture
def group_of(small_bank, make_trainer, learner):
    trainer = make_trainer("王培训")
    group = MembershipFactory(user=trainer, trainer=True).group
    MembershipFactory(group=group, user=learner)
    return trainer, group


def answer_wrong_on_the_page(page) -> None:
    """Type a wrong answer in every blank of the question shown and submit it."""
    for blank in page.locator("input[id^='blank-']").all():
        blank.fill("不知道")
    page.get_by_test_id("submit").click()


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the page scrolls sideways at 360 px"


def test_answers_hidden_until_the_deadline_and_a_timed_test_that_runs_out(
    new_page, small_bank, group_of, learner, traffic, live_server, screenshot
):
    trainer, group = group_of

    # The trainer sets a test of two fill-ins: answers shown after the deadline (the default).
    coach = new_page(user=trainer, **PHONE)
    coach.goto(f"/groups/{group.pk}/assignments/new/")
    help_text = coach.locator("#show-answers-help")
    expect(help_text).to_contain_text("截止后")
    expect(coach.get_by_label("截止后")).to_be_checked()
    coach.get_by_label("标题").fill("第一单元闭卷测验")
    coach.get_by_label("按范围随机抽题").check()
    coach.get_by_label("填空", exact=True).check()
    coach.locator("#id_length").fill("2")
    fits(coach)
    screenshot(coach, "1-trainer-form")
    assert_accessible(coach, "布置测验")
    coach.get_by_test_id("create").click()
    expect(coach.get_by_text("已布置测验“第一单元闭卷测验”。")).to_be_visible()
    assignment = Assignment.objects.get(title="第一单元闭卷测验")
    assert assignment.show_answers == Assignment.ShowAnswers.DEADLINE

    # The learner takes it: after each answer only that it was recorded; no key on the result.
    page = new_page(**PHONE)
    page.goto("/assignments/")
    page.get_by_role("button", name="开始测验").click()
    for number in (1, 2):
        expect(page.get_by_test_id("position")).to_contain_text(f"第 {number} / 2 题")
        answer_wrong_on_the_page(page)
        expect(page.get_by_test_id("recorded")).to_contain_text("答案已记录")
        expect(page.get_by_test_id("when-shown")).to_contain_text("测验截止")
        assert KEY_LABEL not in page.content() and "回答错误" not in page.content()
        if number == 1:
            fits(page)
            screenshot(page, "2-answer-recorded")
            assert_accessible(page, "测验：答案已记录")
        page.get_by_test_id("next").click()
    expect(page.locator("h1")).to_have_text("练习成绩")
    expect(page.get_by_test_id("score")).to_have_text("0")  # the score, without the keys
    expect(page.get_by_test_id("recorded")).to_have_count(2)
    html = page.content()
    assert KEY_LABEL not in html and ANSWER not in html and "<mark>" not in html
    expect(page.get_by_test_id("retry")).to_have_count(0)
    fits(page)
    screenshot(page, "3-result-hidden")
    assert_accessible(page, "测验成绩：答案截止后公布")
    attempt = Attempt.objects.get(assignment=assignment)

    # A timed test with a long question: the countdown stays in view mid-question, then runs out.
    cloze = small_bank.of_type("cloze")
    long_question = QuestionFactory(
        source=cloze[0].source,
        prompt=f"{LONG_LINE}。＿＿＿＿是工会的基本职责。{LONG_LINE}",
        blanks=[{"answer": ANSWER, "accepted": [ANSWER], "group": None, "any_order": False}],
    )
    now = timezone.now()
    timed = group_services.assignment_create(
        group=group,
        created_by=trainer,
        title="限时小测",
        mode="fixed",
        question_ids=[long_question.pk, cloze[1].pk, cloze[2].pk],
        opens_at=now - timedelta(minutes=5),
        closes_at=now + timedelta(days=1),
        time_limit_minutes=5,
    )
    page.goto("/assignments/")
    page.locator("li", has_text="限时小测").get_by_role("button", name="开始测验").click()
    timer = page.get_by_test_id("timer")
    expect(timer).to_be_visible()
    page.get_by_test_id("submit").scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 300, "the question is long enough to scroll"
    box = timer.bounding_box()
    assert box is not None and 0 <= box["y"] <= 2 and box["height"] < 120  # stuck to the top, compact
    screenshot(page, "4-timer-sticky-mid-question", full_page=False)
    assert_accessible(page, "限时测验：题目中途")

    # Time runs out: a few seconds left, the countdown reaches zero and the quiz ends as 超时.
    timed_attempt = Attempt.objects.get(assignment=timed)
    Attempt.objects.filter(pk=timed_attempt.pk).update(deadline=timezone.now() + timedelta(seconds=3))
    page.reload()
    expect(page.get_by_test_id("timer")).to_be_visible()
    expect(page.locator("h1")).to_have_text("练习成绩", timeout=15_000)
    expect(page.get_by_test_id("timed-out")).to_contain_text("超时")
    expect(page.locator(".feedback-verdict", has_text="超时未答")).to_have_count(3)
    assert KEY_LABEL not in page.content()
    fits(page)
    screenshot(page, "5-timed-out")
    assert_accessible(page, "限时测验：超时")
    timed_attempt.refresh_from_db()
    assert timed_attempt.timed_out and timed_attempt.answered_count == 3
    page.goto("/")
    expect(page.get_by_test_id("recent-timed-out")).to_have_count(1)
    assert "进行中" not in page.locator("#recent-title + ul").inner_text()

    # After the deadline the learner sees the answers.
    past = timezone.now() - timedelta(minutes=1)
    Assignment.objects.filter(pk=assignment.pk).update(opens_at=past - timedelta(hours=1), closes_at=past)
    page.goto(f"/quiz/{attempt.pk}/result/")
    expect(page.locator(".row-correct")).to_have_count(2)
    expect(page.locator(".row-correct").first).to_contain_text(ANSWER)
    expect(page.locator(".feedback-verdict", has_text="回答错误")).to_have_count(2)
    expect(page.get_by_test_id("retry")).to_be_visible()
    fits(page)
    screenshot(page, "6-answers-after-deadline")
    assert_accessible(page, "测验成绩：截止后的答案")

    traffic.assert_clean(live_server.url)
