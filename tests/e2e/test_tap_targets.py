"""On a 360 px phone, every page a cadre, a trainer and an admin go through passes `assert_accessible`:
tap targets of at least 44×44 px, no button or link text wrapping a character per line, and axe-core's
serious and critical rules (tests/e2e/checks.py says exactly what is measured and what is exempt).

The walk: login, dashboard, table of contents and a section of the reader, quiz start, one question of
each kind (填空, 连线, 单选, 判断, 多选) and its feedback (right or wrong), the result; the groups list; as
the trainer the groups list, a group, its report and the assignment form; as an admin the staff bank
(/staff/bank/) and the staff document pages (/staff/document/, a version). Every page is checked even
when an earlier one failed; the failures are listed together at the end. Screenshots:
artifacts/screenshots/test_every_page_*.png.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from quizzes.models import Attempt, Question
from quizzes.selectors import attempt_current_item
from studyapp.people.models import StudyGroup
from studyapp.people.services import DEMO_ACCOUNTS
from tests.e2e.checks import assert_accessible
from tests.e2e.conftest import PHONE, keep_for_readme
from tests.e2e.test_quiz_flow import answer

WRONG_POSITIONS = {1, 3, 5, 7}


@pytest.fixture
def demo(seed_bank):
    call_command("create_demo_accounts", verbosity=0)
    users = get_user_model().objects
    return users.get(username="cadre1"), users.get(username="trainer"), users.get(username="admin")


class Walk:
    """Checks each page it is shown and keeps the failures, so one run lists them all."""

    def __init__(self, screenshot) -> None:
        self.screenshot = screenshot
        self.failures: list[str] = []
        self.checked: list[str] = []

    def check(self, page, name: str, readme: str = "") -> None:
        page.wait_for_load_state("load")
        self.checked.append(name)
        path = self.screenshot(page, name)
        if readme:
            keep_for_readme(path, readme)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["viewport"]["width"]:
            self.failures.append(f"[{name}] the page is {width}px wide")
        try:
            assert_accessible(page, f"{name} ({page.url})")
        except AssertionError as error:
            self.failures.append(f"[{name}] {error}")

    def assert_clean(self) -> None:
        assert not self.failures, f"{len(self.failures)} of {len(self.checked)} pages fail:\n\n" + "\n\n".join(
            self.failures
        )


def test_every_page_passes_the_accessibility_checks_on_a_phone(new_page, demo, screenshot, traffic, live_server):
    cadre, trainer, admin = demo
    walk = Walk(screenshot)
    password = next(a.password for a in DEMO_ACCOUNTS if a.username == cadre.username)

    page = new_page(user=None, **PHONE)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    walk.check(page, "login")
    page.get_by_label("登录名").fill(cadre.username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).to_contain_text("你好")
    walk.check(page, "dashboard", readme="learner-home-phone.png")

    page.get_by_role("link", name="学习", exact=True).click()
    walk.check(page, "reader-toc")
    page.locator("main a[href^='/read/']:visible").nth(1).click()
    walk.check(page, "reader-section")

    page.goto("/quiz/")
    walk.check(page, "quiz-start")
    page.get_by_label("混合").check()
    page.get_by_label("10 题").check()
    page.get_by_role("button", name="开始").click()

    attempt = Attempt.objects.get(user=cadre)
    seen: set[str] = set()
    for position in range(attempt.question_count):
        expect(page.get_by_test_id("position")).to_have_text(f"第 {position + 1} / {attempt.question_count} 题")
        item = attempt_current_item(attempt)
        kind = item.question.type
        first_of_kind = kind not in seen
        seen.add(kind)
        answer(page, item, right=position not in WRONG_POSITIONS, keyboard=False)
        if first_of_kind:
            walk.check(page, f"question-{kind}")
        page.get_by_test_id("submit").click()
        expect(page.locator(".feedback-verdict")).to_be_visible()
        if first_of_kind:
            walk.check(page, f"feedback-{kind}-{'wrong' if position in WRONG_POSITIONS else 'right'}")
        page.get_by_test_id("next").click()
    assert seen == set(Question.Type.values)
    expect(page).to_have_url(re.compile(rf"/quiz/{attempt.pk}/result/$"))
    walk.check(page, "result")
    page.goto(page.url + "?show=wrong")
    walk.check(page, "result-wrong-only")
    page.goto("/wrong-book/")
    walk.check(page, "wrong-book")
    page.goto("/groups/")
    walk.check(page, "groups-learner")

    group = StudyGroup.objects.get(name="十八大精神学习班")
    page = new_page(user=trainer, **PHONE)
    for name, url in [
        ("groups-trainer", "/groups/"),
        ("group", f"/groups/{group.pk}/"),
        ("group-report", f"/groups/{group.pk}/report/"),
        ("assignment-form", f"/groups/{group.pk}/assignments/new/"),
    ]:
        page.goto(url)
        walk.check(page, name)

    page = new_page(user=admin, **PHONE)
    for name, url in [
        ("staff-bank", "/staff/bank/"),
        ("staff-document", "/staff/document/"),
        ("staff-document-version", "/staff/document/versions/1/"),
    ]:
        page.goto(url)
        walk.check(page, name)

    walk.assert_clean()
    traffic.assert_clean(live_server.url)


def test_the_other_pages_pass_the_accessibility_checks_on_a_phone(new_page, demo, screenshot, traffic, live_server):
    """The rest of today's pages: a learner's tests, invitations and password; a member's page; the
    organisation reports; the staff's question pages, imports and reports, a version's deletion, enrolment."""
    cadre, trainer, admin = demo
    walk = Walk(screenshot)
    group = StudyGroup.objects.get(name="十八大精神学习班")
    organisation = get_user_model().objects.get(username="manager").profile.organisation
    question = Question.objects.filter(is_active=True).order_by("pk").first()
    assert organisation is not None and question is not None
    pages = {
        cadre: [
            ("assignments", "/assignments/"),
            ("invitations", "/invitations/"),
            ("password", "/accounts/password/"),
            ("goal", "/goal/"),
            ("deadlines", "/deadlines/"),
            ("reader-search", "/read/search/?q=职工"),
            ("bookmarks", "/read/bookmarks/"),
            ("worksheet", "/worksheet/?scope=document&question_type=mixed&length=10&seed=7"),
        ],
        trainer: [
            ("trainer-home", "/"),
            ("group-member", f"/groups/{group.pk}/members/{cadre.pk}/"),
            ("group-report-practice", f"/groups/{group.pk}/report/?source=practice"),
        ],
        get_user_model().objects.get(username="manager"): [
            ("orgs", "/orgs/"),
            ("org-report", f"/orgs/{organisation.pk}/", "manager-home-phone.png"),
            ("org-people", f"/orgs/{organisation.pk}/people/"),
            ("org-person", f"/orgs/{organisation.pk}/people/{cadre.pk}/"),
        ],
        admin: [
            ("admin-home", "/"),
            ("bank-question", f"/staff/bank/{question.pk}/"),
            ("bank-edit", f"/staff/bank/{question.pk}/edit/"),
            ("bank-suppress", f"/staff/bank/{question.pk}/suppress/"),
            ("bank-new", "/staff/bank/new/"),
            ("bank-new-choice", "/staff/bank/new/choice/"),
            ("bank-import", "/staff/bank/import/"),
            ("bank-reports", "/staff/bank/reports/"),
            ("enrolment", "/accounts/enrolment/"),
        ],
    }
    for user, urls in pages.items():
        page = new_page(user=user, **PHONE)
        for name, url, *readme in urls:
            response = page.goto(url)
            assert response is not None and response.ok, f"{name}: {url} answered {response and response.status}"
            walk.check(page, name, *readme)

    walk.assert_clean()
    traffic.assert_clean(live_server.url)
