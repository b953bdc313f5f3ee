"""Each role's home on a phone (360 px): the demo trainer lands on their groups — who has not started
the open assignment, what is due, the weakest tasks —, opens the group page to copy the invite link or
show its QR code, and reads the group report with the names staying put while the heatmap scrolls
sideways; an admin lands on the document, the bank and the usage figures."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from studyapp.documents.models import DocumentVersion, ImportLog
from studyapp.people.models import StudyGroup
from tests.e2e.checks import assert_accessible
from tests.e2e.conftest import PHONE, keep_for_readme
from tests.factories import UserFactory


@pytest.fixture
def demo(seed_bank):
    call_command("create_demo_accounts", verbosity=0)
    return get_user_model().objects.get(username="trainer"), StudyGroup.objects.get(name="十八大精神学习班")


def copy_in_a_hurry(group) -> None:
    """Two new learners take a fixed quiz of three fill-ins a tenth of a second per question, giving
    the same odd wrong answers: both integrity signals."""
    from datetime import timedelta

    from django.utils import timezone

    from quizzes import services
    from quizzes.groups import services as group_services
    from quizzes.models import Question
    from tests.factories import AssignmentFactory, MembershipFactory, ProfileFactory

    questions = list(Question.objects.active().filter(type="cloze").order_by("position")[:3])
    assignment = AssignmentFactory(
        group=group, title="第三次测验：抽查", mode="fixed", question_ids=[q.pk for q in questions], length=3
    )
    for name in ("孙会员", "周会员"):
        user = MembershipFactory(group=group, user=ProfileFactory(display_name=name).user).user
        attempt = group_services.assignment_start(assignment=assignment, user=user)
        for item in attempt.items.order_by("position"):
            at = timezone.now() + timedelta(seconds=0.1 * (item.position + 1))
            services.answer_submit(item=item, user=user, given=[f"不知道{item.position}"], now=at)


def fits_the_phone(locator) -> None:
    box = locator.bounding_box()
    assert box is not None and box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 360, box


def test_the_trainer_lands_on_their_groups_invites_and_reads_the_report_on_a_phone(
    new_page, demo, traffic, live_server, screenshot
):
    trainer, group = demo
    page = new_page(user=trainer, **PHONE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)

    page.goto("/")
    expect(page.locator("hgroup p")).to_contain_text("培训师首页")
    due = page.get_by_test_id("home-due")
    expect(due).to_contain_text("第二次测验：随堂练习")
    expect(due).to_contain_text("截止")
    expect(due).to_contain_text("已开始 2 · 已交 2 / 4 人")
    expect(page.get_by_test_id("not-started")).to_contain_text("未开始 2 人")
    expect(page.get_by_test_id("weakest").locator("li")).to_have_count(3)
    fits_the_phone(page.get_by_test_id("own-study"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    path = screenshot(page, "1-trainer-home")
    assert_accessible(page, "培训师首页")
    keep_for_readme(path, "trainer-home-phone.png")

    page.get_by_test_id("own-study").click()
    expect(page).to_have_url(f"{live_server.url}/study/")
    expect(page.locator("h1")).to_contain_text("你好")

    page.goto(f"/groups/{group.pk}/")
    qr = page.get_by_test_id("invite-qr")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 150 and box["x"] + box["width"] <= 360
    copy = page.get_by_test_id("copy-link")
    fits_the_phone(copy)
    copy.click()
    expect(page.locator("#join-url-status")).to_have_text("已复制链接。")
    join_url = page.get_by_test_id("join-url").input_value()
    assert join_url.endswith(f"/groups/join/?code={group.invite_code}")
    assert page.evaluate("navigator.clipboard.readText()") == join_url
    qr.scroll_into_view_if_needed()
    screenshot(page, "2-invite", full_page=False)
    assert_accessible(page, "小组：邀请链接和二维码")

    # Without a clipboard (an older phone browser) the link is selected for the learner's own copy.
    page.evaluate("Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true})")
    copy.click()
    expect(page.locator("#join-url-status")).to_have_text("已选中链接，请长按复制。")
    assert page.evaluate("document.activeElement.id") == "join-url"
    assert page.evaluate("[document.activeElement.selectionStart, document.activeElement.selectionEnd]") == [
        0,
        len(join_url),
    ]

    copy_in_a_hurry(group)
    page.goto(f"/groups/{group.pk}/report/")
    expect(page.get_by_test_id("source-note")).to_contain_text("本组全部小组测验，不含自主练习")
    expect(page.get_by_test_id("integrity")).to_contain_text("不会据此扣分")
    heatmap = page.get_by_test_id("heatmap")
    heatmap.scroll_into_view_if_needed()
    scroller = page.locator(".table-scroll").filter(has=heatmap)
    assert scroller.evaluate("element => element.scrollWidth > element.clientWidth")  # it does scroll
    name = heatmap.locator("tbody th").first
    cell = heatmap.locator("tbody td").first
    name_before, cell_before = name.bounding_box(), cell.bounding_box()
    assert scroller.evaluate("element => { element.scrollLeft = 200; return element.scrollLeft; }") > 100
    name_after, cell_after = name.bounding_box(), cell.bounding_box()
    assert name_after["x"] == pytest.approx(name_before["x"], abs=3)  # the name stays put (the 2 px spacing aside)
    assert cell_after["x"] < cell_before["x"] - 50  # the heatmap moved under it
    screenshot(page, "3-report-heatmap-scrolled", full_page=False)
    assert_accessible(page, "小组报告：热力图")
    signals = page.get_by_test_id("integrity")
    expect(signals.get_by_test_id("signal-pair")).to_contain_text("孙会员、周会员")
    expect(signals.get_by_test_id("signal-fast")).to_have_count(2)
    signals.get_by_test_id("signal-pair").locator("summary").click()
    expect(signals.get_by_test_id("signal-pair").locator("tbody tr")).to_have_count(3)
    signals.scroll_into_view_if_needed()
    screenshot(page, "4-report-signals", full_page=False)
    assert_accessible(page, "小组报告：诚信提示")

    page.get_by_test_id("source-practice").click()
    expect(page.get_by_test_id("source-note")).to_contain_text("自主练习")
    expect(page.get_by_test_id("source-practice")).to_have_attribute("aria-current", "page")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    traffic.assert_clean(live_server.url)


def test_an_admin_lands_on_the_document_the_bank_and_the_usage_on_a_phone(
    new_page, demo, traffic, live_server, screenshot
):
    admin = UserFactory(username="admin", is_staff=True)
    version = DocumentVersion.objects.get(is_active=True)
    ImportLog.objects.create(version=version, action=ImportLog.Action.IMPORT, source_name="图解.md", user=admin)
    page = new_page(user=admin, **PHONE)

    page.goto("/")
    expect(page.locator("hgroup p")).to_have_text("管理首页")
    expect(page.get_by_test_id("active-version")).to_contain_text(f"当前第 {version.number} 版")
    expect(page.get_by_test_id("imports")).to_contain_text("图解.md")
    assert int(page.get_by_test_id("bank-total").inner_text()) > 100
    assert int(page.get_by_test_id("active-week").inner_text()) >= 2  # the demo learners of the last days
    assert int(page.get_by_test_id("answers-week").inner_text()) > 0
    fits_the_phone(page.get_by_test_id("own-study"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    path = screenshot(page, "1-admin-home")
    assert_accessible(page, "管理首页")
    keep_for_readme(path, "admin-home-phone.png")

    page.get_by_role("button", name="版本与导入").click()
    expect(page).to_have_url(f"{live_server.url}/staff/document/")
    traffic.assert_clean(live_server.url)
