"""A learner on a phone answers a question wrongly, finds it in the 错题本, practises the book, answers it
right, and the question leaves the book; the review's “只看错题” filter along the way. Keyboard hints
only with a fine pointer, and the countdown in Chinese."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quizzes import services
from quizzes.models import Attempt
from quizzes.selectors import attempt_current_item
from tests.e2e.checks import assert_accessible
from tests.e2e.conftest import DESKTOP, PHONE
from tests.factories import AssignmentFactory


def fill_in(page, item, *, right: bool) -> None:
    """Type or tick the right (or a wrong) answer of a fill-in or single-choice question."""
    question = item.question
    given = question.kind.right_answer(question) if right else question.kind.wrong_answer(question)
    for name, value in question.kind.post_data(question, item.layout, given).items():
        if name.startswith("blank-"):
            page.locator(f"#{name}").fill(value)
        else:
            page.locator(f'label[for="choice-{value}"]').click()
    page.get_by_test_id("submit").click()
    expect(page.locator(".feedback-verdict")).to_be_visible()


def assert_fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width}px wide"


def test_a_wrong_question_goes_into_the_book_and_leaves_it_when_answered_right(
    new_page, learner, small_bank, traffic, live_server, screenshot
):
    cloze = small_bank.of_type("cloze")[4]  # a question of the second topic
    choice = small_bank.of_type("choice")[0]
    attempt = services.attempt_create(
        user=learner, question_ids=[cloze.pk, choice.pk], kind=Attempt.Kind.PRACTICE, scope_label="全文"
    )
    page = new_page(**PHONE)

    # A quiz: the fill-in answered wrongly, the choice right.
    page.goto(attempt.get_absolute_url())
    fill_in(page, attempt_current_item(attempt), right=False)
    page.get_by_test_id("next").click()
    fill_in(page, attempt_current_item(attempt), right=True)
    page.get_by_test_id("next").click()
    expect(page).to_have_url(re.compile(rf"/quiz/{attempt.pk}/result/$"))
    expect(page.get_by_test_id("review-item")).to_have_count(2)
    expect(page.get_by_test_id("duration")).to_have_text(re.compile(r"^\d+秒$"))

    # The review shows only the wrong one when asked, by htmx, with the address to come back to.
    page.get_by_test_id("show-wrong").click()
    expect(page).to_have_url(re.compile(r"\?show=wrong$"))
    expect(page.get_by_test_id("review-item")).to_have_count(1)
    expect(page.get_by_test_id("review-item")).to_contain_text("回答错误")
    assert_fits(page)
    screenshot(page, "1-result-only-wrong")
    assert_accessible(page, "练习成绩：只看错题")

    # The book, from the dashboard: the question, what was given, the key and the source line.
    page.goto("/")
    assert_fits(page)
    screenshot(page, "2-dashboard", full_page=False)
    assert_accessible(page, "首页")
    page.get_by_test_id("wrong-book-link").click()
    expect(page.locator("h1")).to_have_text("错题本")
    entry = page.get_by_test_id("book-entry")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("你的答案")
    expect(entry.locator(".row-correct")).to_contain_text(cloze.blanks[0]["answer"])
    expect(entry.locator(".source-line mark").first).to_be_visible()
    assert_fits(page)
    screenshot(page, "3-book")
    assert_accessible(page, "错题本")

    # One topic's group, swapped in by htmx.
    page.get_by_test_id("book-groups").get_by_role("link", name=cloze.topic).click()
    expect(page).to_have_url(re.compile(rf"\?group=topic:{cloze.topic_key}$"))
    expect(page.get_by_test_id("book-group-title")).to_contain_text(cloze.topic)
    expect(page.get_by_test_id("book-entry")).to_have_count(1)
    screenshot(page, "4-book-topic")
    assert_accessible(page, "错题本：一个专题")

    # Practised, and answered right this time.
    page.get_by_test_id("practise").click()
    retry = Attempt.objects.get(kind=Attempt.Kind.RETRY)
    expect(page).to_have_url(re.compile(rf"/quiz/{retry.pk}/$"))
    expect(page.locator(".quiz-title")).to_contain_text("错题本")
    screenshot(page, "5-practice")
    assert_accessible(page, "错题本练习")
    fill_in(page, attempt_current_item(retry), right=True)
    expect(page.locator(".feedback-verdict")).to_contain_text("回答正确")
    page.get_by_test_id("next").click()
    expect(page).to_have_url(re.compile(rf"/quiz/{retry.pk}/result/$"))

    # Out of the book.
    page.get_by_role("link", name="错题本", exact=True).click()
    expect(page.get_by_test_id("book-empty")).to_be_visible()
    expect(page.get_by_test_id("book-entry")).to_have_count(0)
    assert_fits(page)
    screenshot(page, "6-book-empty")
    assert_accessible(page, "错题本：已清空")
    traffic.assert_clean(live_server.url)


@pytest.mark.parametrize(("device", "shown"), [(PHONE, False), (DESKTOP, True)], ids=["phone", "desktop"])
def test_the_keyboard_hint_shows_only_with_a_fine_pointer(new_page, learner, small_bank, screenshot, device, shown):
    matching = small_bank.of_type("matching")[0]
    attempt = services.attempt_create(user=learner, question_ids=[matching.pk], kind=Attempt.Kind.PRACTICE)
    page = new_page(**device)
    page.goto(attempt.get_absolute_url())
    expect(page.locator(".matching-hint")).to_contain_text("先点左边一项")
    hint = page.locator(".keyboard-hint")
    if shown:
        expect(hint).to_be_visible()
    else:
        expect(hint).to_be_hidden()
    # Not a full-page shot: Chromium drops the touch emulation while it takes one, and shows the hint.
    screenshot(page, "matching", full_page=False)
    assert_accessible(page, "连线题")


def test_the_countdown_reads_as_chinese_as_it_ticks(new_page, learner, small_bank, screenshot):
    assignment = AssignmentFactory(time_limit_minutes=75)
    attempt = services.attempt_create(
        user=learner,
        question_ids=[small_bank.of_type("cloze")[0].pk],
        kind=Attempt.Kind.ASSIGNMENT,
        assignment=assignment,
        deadline=timezone.now() + timedelta(minutes=9, seconds=30),
    )
    page = new_page(**PHONE)
    page.goto(attempt.get_absolute_url())
    value = page.locator(".quiz-timer-value")
    expect(value).to_have_text(re.compile(r"^9分(2\d|30)秒$"))
    first = value.inner_text()
    expect(value).not_to_have_text(first)  # the script counts down in the same words
    expect(value).to_have_text(re.compile(r"^9分(1\d|2\d)秒$"))
    screenshot(page, "timer", full_page=False)
    assert_accessible(page, "限时测验的倒计时")
