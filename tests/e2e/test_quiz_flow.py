"""A demo cadre on a phone: logs in, takes a mixed quiz of ten real questions of every kind (some right,
some wrong), sees feedback after each and the summary, and sees mastery rise on the dashboard."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from quizzes.models import Attempt, Question
from quizzes.selectors import attempt_current_item
from studyapp.people.services import DEMO_ACCOUNTS
from tests.e2e.checks import assert_accessible
from tests.e2e.conftest import PHONE

WRONG_POSITIONS = {2, 5, 9}


@pytest.fixture
def cadre(seed_bank):
    call_command("create_demo_accounts", verbosity=0)
    return next(a for a in DEMO_ACCOUNTS if a.username == "cadre1")


def mastery_values(page) -> list[int]:
    return [int(text.rstrip("%")) for text in page.locator(".mastery-value").all_inner_texts()]


def answer(page, item, *, right: bool, keyboard: bool) -> None:
    """Fill in the form as a learner would, whatever the kind: the fields its form sends for the
    right (or a wrong) answer, typed, ticked or paired on the page."""
    question = item.question
    kind = question.kind
    given = kind.right_answer(question) if right else kind.wrong_answer(question)
    fields = kind.post_data(question, item.layout, given)
    pairs = {name: value for name, value in fields.items() if name.startswith("pair-")}
    for name, value in fields.items():
        if name.startswith("blank-"):
            page.locator(f"#{name}").fill(value)
        elif name == "choice":
            for picked in value if isinstance(value, list) else [value]:
                page.locator(f'label[for="choice-{picked}"]').click()
    if pairs:
        expect(page.locator(".match-left")).to_have_count(len(pairs))  # the selects were enhanced
        for index in range(len(pairs)):
            left = page.locator(".match-left").nth(index)
            partner = page.locator(f'.match-right[data-value="{pairs[f"pair-{index}"]}"]')
            if keyboard:  # focus and Enter: no pointer needed
                left.focus()
                page.keyboard.press("Enter")
                partner.focus()
                page.keyboard.press("Enter")
            else:
                left.click()
                partner.click()
        expect(page.locator(".matching-pairs li")).to_have_count(len(pairs))
        assert page.locator(".matching-selects").is_hidden()


def test_a_cadre_takes_a_mixed_quiz_on_a_phone(new_page, cadre, traffic, live_server, screenshot):
    page = new_page(user=None, **PHONE)

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("登录名").fill(cadre.username)
    page.get_by_label("密码").fill(cadre.password)
    screenshot(page, "1-login")
    assert_accessible(page, "登录")
    page.get_by_role("button", name="登录").click()

    expect(page.locator("h1")).to_have_text(f"你好，{cadre.display_name}")
    before = mastery_values(page)
    assert before and not any(before)
    screenshot(page, "2-dashboard-before")
    assert_accessible(page, "首页：练习之前")

    page.get_by_role("button", name="开始练习").click()
    page.get_by_label("混合").check()
    page.get_by_label("10 题").check()
    screenshot(page, "3-start")
    assert_accessible(page, "开始练习")
    page.get_by_role("button", name="开始").click()

    attempt = Attempt.objects.get(user__username=cadre.username)
    assert attempt.question_count == 10
    seen_types = set()
    matching_done = 0
    for position in range(10):
        expect(page.get_by_test_id("position")).to_have_text(f"第 {position + 1} / 10 题")
        item = attempt_current_item(attempt)
        assert item.position == position
        right = position not in WRONG_POSITIONS
        question_type = item.question.type
        answer(page, item, right=right, keyboard=question_type == "matching" and matching_done % 2 == 1)
        if question_type not in seen_types:
            screenshot(page, f"4-question-{question_type}")
            assert_accessible(page, f"题目：{question_type}")
        page.get_by_test_id("submit").click()

        verdict = page.locator(".feedback-verdict")
        expect(verdict).to_be_visible()
        if right:
            expect(verdict).to_contain_text("回答正确")
        else:
            expect(verdict).not_to_contain_text("回答正确")
            expect(page.locator(".row-correct").first).to_be_visible()  # the correct answer is shown
        if item.question.type != "matching" or page.locator(".source-line").count():
            expect(page.locator(".source-line mark").first).to_be_visible()
        if question_type not in seen_types:
            screenshot(page, f"5-feedback-{question_type}-{'right' if right else 'wrong'}")
            assert_accessible(page, f"反馈：{question_type}")
            seen_types.add(question_type)
        matching_done += question_type == "matching"
        page.get_by_test_id("next").click()

    assert seen_types == set(Question.Type.values)  # a mixed quiz of ten asks every kind twice
    expect(page).to_have_url(re.compile(rf"/quiz/{attempt.pk}/result/$"))
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.correct_count == 7
    expect(page.get_by_test_id("score")).to_have_text(str(attempt.score_percent))
    expect(page.get_by_test_id("review-item")).to_have_count(10)
    expect(page.get_by_test_id("retry")).to_contain_text("重做答错的 3 题")
    screenshot(page, "6-summary")
    assert_accessible(page, "练习成绩")

    page.get_by_role("button", name="回到首页").click()
    after = mastery_values(page)
    assert sum(after) > sum(before)
    expect(page.get_by_test_id("streak")).to_have_text("1")
    expect(page.locator(".recent-list li")).to_have_count(1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"dashboard is {width}px wide"
    screenshot(page, "7-dashboard-after")
    assert_accessible(page, "首页：练习之后")

    page.get_by_role("link", name="学习", exact=True).click()
    raised = page.locator("#reader [data-testid=topic-mastery]", has_text=re.compile(r"掌握 [1-9]"))
    expect(raised.first).to_be_visible()
    traffic.assert_clean(live_server.url)
