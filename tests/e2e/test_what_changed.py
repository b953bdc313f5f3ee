"""On a phone (360 px): an admin imports a changed version; a learner who studied the old text sees
the offer on the dashboard, reads the old and new wording side by side, takes the quiz on the
changed lines, and the offer is gone. The reader's search and a bookmark that follows a re-import."""

from __future__ import annotations

import random
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quizzes import services
from quizzes.models import Attempt
from quizzes.selectors import attempt_current_item
from studyapp.documents.services import document_import
from tests import revisions
from tests.e2e.checks import assert_accessible
from tests.e2e.conftest import PHONE
from tests.e2e.test_quiz_flow import answer
from tests.factories import UserFactory
from tests.support import answer_all


def no_horizontal_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide on a 360px screen"


@pytest.fixture
def admin(transactional_db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def v1(transactional_db):
    return revisions.import_v1()


def import_update(admin):
    """The admin imports the changed text and activates it, through the import service."""
    return document_import(source=revisions.v2_text(), source_name="v2.md", user=admin, activate=True).version


def test_a_learner_who_studied_the_old_text_studies_what_changed(new_page, learner, admin, v1, screenshot):
    studied = (
        revisions.questions_on(v1, revisions.CHANGED_OLD)[:1] + revisions.questions_on(v1, revisions.UNCHANGED)[:1]
    )
    attempt = services.attempt_create(user=learner, question_ids=[q.pk for q in studied], rng=random.Random(1))
    answer_all(attempt, learner, now=timezone.now() - timedelta(days=1))
    v2 = import_update(admin)
    page = new_page(**PHONE)

    page.goto("/")
    card = page.get_by_test_id("changes-offer")
    expect(card).to_be_visible()
    expect(card).to_contain_text("学习文件已更新到第 2 版")
    expect(card).to_contain_text("有 2 处新的或修改过的内容")
    no_horizontal_scroll(page)
    screenshot(page, "1-dashboard-offer")
    assert_accessible(page, "首页：修订学习")

    card.get_by_role("button", name="查看修改并练习").click()
    expect(page).to_have_url(re.compile(r"/changes/$"))
    changed = page.get_by_test_id("change-changed")
    expect(changed).to_have_count(1)
    expect(changed.locator(".change-old")).to_contain_text(revisions.CHANGED_OLD)
    expect(changed.locator(".change-new ins")).to_have_text("[增]和网上阵地")
    expect(changed).to_contain_text("你学过")
    expect(page.get_by_test_id("change-added").locator("ins")).to_contain_text(revisions.ADDED)
    expect(page.get_by_test_id("change-removed").locator("del")).to_contain_text(revisions.REMOVED)
    old, new = changed.locator(".change-old").bounding_box(), changed.locator(".change-new").bounding_box()
    assert old["x"] + old["width"] <= new["x"] and abs(old["y"] - new["y"]) < 2, "old and new are not side by side"
    no_horizontal_scroll(page)
    screenshot(page, "2-old-and-new")
    assert_accessible(page, "修改前后对照")

    page.get_by_test_id("changes-start").click()
    session = Attempt.objects.get(user=learner, kind=Attempt.Kind.CHANGES)
    new_keys = {revisions.line(v2, text).text_key for text in (revisions.CHANGED_NEW, revisions.ADDED)}
    for position in range(session.question_count):
        expect(page.get_by_test_id("position")).to_have_text(f"第 {position + 1} / {session.question_count} 题")
        item = attempt_current_item(session)
        assert new_keys.intersection(item.question.source_text_keys)
        answer(page, item, right=True, keyboard=False)
        if position == 0:
            no_horizontal_scroll(page)
            screenshot(page, "3-question")
            assert_accessible(page, "修订学习的题目")
        page.get_by_test_id("submit").click()
        expect(page.locator(".feedback-verdict")).to_contain_text("回答正确")
        page.get_by_test_id("next").click()
    expect(page).to_have_url(re.compile(rf"/quiz/{session.pk}/result/$"))
    screenshot(page, "4-result")
    assert_accessible(page, "修订学习的成绩")

    page.goto("/")
    expect(page.locator("#changes-offer")).to_have_count(0)  # the card's request came back empty
    expect(page.locator(".recent-list")).to_contain_text("修订学习")
    screenshot(page, "5-dashboard-after")
    assert_accessible(page, "首页：修订学习之后")


def test_reader_search_and_a_bookmark_that_follows_the_update(new_page, admin, v1, traffic, live_server, screenshot):
    page = new_page(**PHONE)
    page.goto("/read/")

    page.get_by_role("searchbox").fill("文化阵地")
    hits = page.locator("#search-results .search-hit")
    expect(hits).to_have_count(1)
    expect(hits.first.locator("mark")).to_have_text("文化阵地")
    expect(page.get_by_test_id("search-summary")).to_contain_text("共 1 处")
    no_horizontal_scroll(page)
    screenshot(page, "1-search")
    assert_accessible(page, "原文搜索")

    line = revisions.line(v1, revisions.CHANGED_OLD)
    hits.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/read/\w+/#l-{line.key}$"))
    target = page.locator(f"#l-{line.key}")
    expect(target).to_be_in_viewport()
    toggle = page.get_by_test_id(f"bookmark-{line.key}")
    box = toggle.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44, f"bookmark button is {box}"
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(page.get_by_test_id(f"bookmark-{line.key}")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#bookmark-count")).to_have_text("我的书签（1）")
    no_horizontal_scroll(page)
    screenshot(page, "2-bookmarked", full_page=False)
    assert_accessible(page, "加了书签的原文")

    page.locator("#bookmark-count").click()
    entry = page.get_by_test_id("bookmark-entry")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(revisions.CHANGED_OLD)
    screenshot(page, "3-bookmarks")
    assert_accessible(page, "我的书签")

    import_update(admin)
    page.reload()
    expect(entry).to_contain_text("已修改")
    expect(entry.locator("del")).to_have_text(revisions.CHANGED_OLD)
    expect(entry.get_by_role("link", name=re.compile(revisions.CHANGED_NEW))).to_be_visible()
    no_horizontal_scroll(page)
    screenshot(page, "4-bookmarks-after-update")
    assert_accessible(page, "我的书签：原文更新之后")
    traffic.assert_clean(live_server.url)


def test_search_works_without_javascript(new_page, v1):
    page = new_page(java_script_enabled=False, **PHONE)
    page.goto("/read/")

    page.get_by_role("searchbox").fill("<b>工匠")
    page.get_by_role("button", name="搜索").click()
    expect(page).to_have_url(re.compile(r"/read/search/\?q="))
    expect(page.get_by_text("没有找到“<b>工匠”。")).to_be_visible()
    page.get_by_role("searchbox").fill("工匠")
    page.get_by_role("button", name="搜索").click()
    expect(page.locator(".search-hit mark").first).to_have_text("工匠")
