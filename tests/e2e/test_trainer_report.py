"""The demo trainer opens the demo group's report in a real browser: the heatmap and the chart are
there, the table sorts (htmx swaps it), and both exports download and open; an invitation by login
is accepted on a phone."""

import csv
import io
import re

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from studyapp.people.models import StudyGroup
from tests.e2e.checks import assert_accessible
from tests.e2e.conftest import PHONE


@pytest.fixture
def demo(seed_bank):
    call_command("create_demo_accounts", verbosity=0)
    return get_user_model().objects.get(username="trainer"), StudyGroup.objects.get(name="十八大精神学习班")


def member_names(page) -> list[str]:
    return [text.split("\n")[0].strip() for text in page.locator('[data-testid="member-row"] th').all_inner_texts()]


def scores(page) -> list[str]:
    return page.locator('[data-testid="member-row"] [data-testid="score"]').all_inner_texts()


def test_the_demo_trainer_reads_sorts_and_exports_the_group_report(
    new_page, demo, traffic, live_server, screenshot, tmp_path
):
    trainer, group = demo
    page = new_page(user=trainer, viewport={"width": 1280, "height": 900}, accept_downloads=True)

    page.goto("/groups/")
    page.get_by_role("link", name="十八大精神学习班").click()
    expect(page.get_by_test_id("invite-code")).to_have_text(group.invite_code_display)
    page.get_by_role("button", name="学习报告").click()

    expect(page.locator("h1")).to_have_text("学习报告")
    expect(page.get_by_test_id("member-row")).to_have_count(4)
    heatmap = page.get_by_test_id("heatmap")
    expect(heatmap).to_be_visible()
    assert heatmap.locator("td.heat").count() == 4 * heatmap.locator("thead th").count() - 4
    assert heatmap.locator("td.heat:not(.heat-0)").count() > 0
    chart = page.get_by_test_id("score-chart")
    expect(chart).to_be_visible()
    assert chart.locator("circle.chart-dot").count() >= 3
    expect(page.get_by_test_id("question-table")).to_be_visible()
    assert member_names(page) == sorted(member_names(page))
    screenshot(page, "1-report")
    assert_accessible(page, "学习报告（桌面）")

    page.locator('a[data-sort="score"]').click()  # highest first
    expect(page.locator('th[aria-sort="descending"] a[data-sort="score"]')).to_be_visible()
    expect(page).to_have_url(re.compile(r"sort=-score"))
    numbers = [int(s) for s in scores(page) if s != "—"]
    assert numbers == sorted(numbers, reverse=True) and len(numbers) == 3
    assert scores(page)[-1] == "—"  # 李干部 has not started: last either way
    page.locator('a[data-sort="score"]').click()  # lowest first
    expect(page.locator('th[aria-sort="ascending"] a[data-sort="score"]')).to_be_visible()
    numbers = [int(s) for s in scores(page) if s != "—"]
    assert numbers == sorted(numbers)
    page.locator("#report-role").select_option("member")
    expect(page.get_by_test_id("member-row")).to_have_count(2)
    screenshot(page, "2-sorted-filtered")
    assert_accessible(page, "学习报告：排序和筛选（桌面）")

    with page.expect_download() as csv_info:
        page.get_by_test_id("export-csv").click()
    csv_path = tmp_path / "report.csv"
    csv_info.value.save_as(csv_path)
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "姓名"
    assert {row[0] for row in rows[1:]} == {"张会员", "陈会员"}  # the filter applies to the export

    page.locator("#report-role").select_option("")
    expect(page.get_by_test_id("member-row")).to_have_count(4)
    with page.expect_download() as xlsx_info:
        page.get_by_test_id("export-xlsx").click()
    xlsx_path = tmp_path / "report.xlsx"
    xlsx_info.value.save_as(xlsx_path)
    workbook = openpyxl.load_workbook(xlsx_path)
    assert workbook.sheetnames == ["成员", "逐题分析"]
    names = {workbook["成员"].cell(row=r, column=1).value for r in range(2, 6)}
    assert names == {"李干部", "赵干部", "张会员", "陈会员"}
    assert workbook["逐题分析"].max_row > 1

    phone = new_page(user=trainer, **PHONE)
    phone.goto(f"/groups/{group.pk}/report/")
    expect(phone.get_by_test_id("heatmap")).to_be_visible()
    screenshot(phone, "3-phone")
    assert_accessible(phone, "学习报告")

    traffic.assert_clean(live_server.url)


def test_an_invitation_is_sent_by_the_trainer_and_accepted_on_a_phone(
    new_page, demo, learner, traffic, live_server, screenshot
):
    trainer, group = demo
    desk = new_page(user=trainer, viewport={"width": 1280, "height": 900})
    desk.goto(f"/groups/{group.pk}/")
    desk.get_by_label("登录名").fill(learner.username)
    desk.get_by_role("button", name="发送邀请").click()
    expect(desk.get_by_text("对方接受后才会加入小组")).to_be_visible()
    expect(desk.get_by_test_id("pending-invitation")).to_have_count(1)

    phone = new_page(user=learner, **PHONE)
    phone.goto("/")
    invitation = phone.get_by_test_id("invitation")  # the dashboard fetches it with htmx
    expect(invitation).to_contain_text("十八大精神学习班")
    expect(phone.get_by_test_id("consent")).to_contain_text("从今天起的练习记录")
    accept = phone.get_by_role("button", name="接受并加入")
    box = accept.bounding_box()
    assert box is not None and box["height"] >= 44 and box["x"] + box["width"] <= 360
    screenshot(phone, "4-invitation-phone")
    assert_accessible(phone, "首页：小组邀请")
    accept.click()
    expect(phone.get_by_text("已加入学习小组“十八大精神学习班”。")).to_be_visible()

    desk.reload()
    expect(desk.get_by_test_id("pending-invitation")).to_have_count(0)
    expect(desk.get_by_test_id("learner")).to_have_count(5)
    traffic.assert_clean(live_server.url)
