"""On a phone (360 px): a learner prints a worksheet from the quiz start page, an admin imports an
updated text, reads its preview and confirms before it is activated, and the error pages (404, 403, 500,
the login lockout) lead home."""

import re

import pytest
from django.conf import settings
from django.test import RequestFactory
from playwright.sync_api import expect

from quizzes.bank import bank_sync
from studyapp.documents.models import DocumentVersion, ImportLog
from studyapp.errors import server_error
from tests.e2e.checks import assert_accessible
from tests.e2e.conftest import PHONE
from tests.factories import UserFactory

OLD_LINE = "推动完善社会保险法规政策体系"
NEW_LINE = "推动健全社会保障法规政策体系"


def assert_fits_the_phone(page) -> None:
    """Nothing wider than the screen: no sideways scrolling of the whole page."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["viewport"]["width"], width


def narrowest_cell(page, selector: str) -> float:
    return page.evaluate(
        "(selector) => Math.min(...[...document.querySelectorAll(selector)].map((cell) => cell.getBoundingClientRect().width))",
        selector,
    )


def test_a_learner_prints_a_worksheet_on_a_phone(new_page, learner, seed_bank, screenshot, traffic, live_server):
    page = new_page(**PHONE)

    page.goto("/quiz/")
    assert_fits_the_phone(page)
    screenshot(page, "start")
    assert_accessible(page, "开始练习")
    page.get_by_role("button", name="打印练习卷").click()

    expect(page.locator("[data-testid=sheet-item]")).to_have_count(10)
    assert "seed=" in page.url
    header = page.locator(".sheet-header")
    expect(header).to_contain_text("姓名")
    expect(header).to_contain_text("得分")
    expect(header).to_contain_text("全文")
    expect(page.get_by_role("button", name="打印")).to_be_visible()  # the script showed it
    assert_fits_the_phone(page)
    screenshot(page, "screen")
    assert_accessible(page, "练习卷")

    # The PDF behind the link is the same sheet.
    pdf = page.request.get(page.get_by_test_id("worksheet-pdf").get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:4] == b"%PDF"

    page.emulate_media(media="print")
    key = page.get_by_test_id("sheet-key")
    assert key.evaluate("(element) => getComputedStyle(element).breakBefore") == "page"
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".worksheet-toolbar")).to_be_hidden()
    expect(key).to_contain_text("参考答案")
    screenshot(page, "print")
    traffic.assert_clean(live_server.url)


@pytest.fixture
def admin_user(transactional_db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


def test_an_admin_imports_on_a_phone_and_confirms_before_activation(
    new_page, admin_user, seed_version, seed_markdown, tmp_path, screenshot, traffic, live_server
):
    bank_sync(version=seed_version)
    updated = tmp_path / "十八大-修订.md"
    updated.write_bytes(seed_markdown.decode().replace(OLD_LINE, NEW_LINE).encode())
    page = new_page(user=admin_user, **PHONE)

    page.goto("/")
    page.get_by_role("link", name="文件版本").click()
    field = page.locator(".file-field")
    expect(field).to_contain_text("选择文件")  # in Chinese, whatever the browser's language
    expect(field).to_contain_text("未选择文件")
    page.set_input_files("input[type=file]", str(updated))
    expect(field.locator(".file-field-chosen")).to_have_text(updated.name)
    expect(field.locator(".file-field-none")).to_be_hidden()
    assert_fits_the_phone(page)
    screenshot(page, "upload")
    assert_accessible(page, "文件版本：已选择文件")
    page.get_by_role("button", name="上传并预览").click()

    expect(page.get_by_role("heading", name="版本 v2")).to_be_visible()
    changed = page.get_by_test_id("diff-changed")
    expect(changed.locator("del")).to_have_text("完善社会保险")
    expect(changed.locator("ins")).to_have_text("健全社会保障")
    assert_fits_the_phone(page)
    assert narrowest_cell(page, ".diff-table td") > 200  # a card per change, not a squeezed column
    preview = page.locator(".bank-preview").inner_text()
    screenshot(page, "preview")
    assert_accessible(page, "导入预览")

    page.get_by_role("button", name="启用 v2").click()

    confirmation = page.get_by_test_id("confirm-activation")
    expect(page.get_by_role("heading", name="启用 v2？")).to_be_visible()
    expect(confirmation).to_contain_text("从 v1 换成 v2")
    figures = page.get_by_test_id("confirm-bank").inner_text()
    for number in [word for word in preview.replace("，", " ").split() if word.isdigit()]:
        assert number in figures
    assert DocumentVersion.objects.get(is_active=True).number == 1
    assert_fits_the_phone(page)
    screenshot(page, "confirm")
    assert_accessible(page, "启用确认")

    page.get_by_role("button", name="确认启用 v2").click()

    expect(page.locator(".messages")).to_contain_text("已启用到版本 v2")
    assert DocumentVersion.objects.get(is_active=True).number == 2
    assert ImportLog.objects.filter(action="activate", user=admin_user).exists()
    expect(page.get_by_test_id("log-entry").first).to_contain_text("启用版本 v2（替换 v1）：新建题目")
    assert_fits_the_phone(page)
    assert narrowest_cell(page, ".log-table td") > 200
    screenshot(page, "log")
    assert_accessible(page, "导入记录")
    traffic.assert_clean(live_server.url)


def test_a_missing_page_and_a_staff_page_on_a_phone_say_so_in_chinese_with_a_way_home(
    new_page, learner, seed_version, screenshot
):
    page = new_page(**PHONE)

    response = page.goto("/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="找不到这个页面")).to_be_visible()
    assert_fits_the_phone(page)
    screenshot(page, "404")
    assert_accessible(page, "404")

    response = page.goto("/staff/document/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="没有访问权限")).to_be_visible()
    assert_fits_the_phone(page)
    screenshot(page, "403")
    assert_accessible(page, "403")
    page.get_by_role("button", name="回到首页").click()  # a link styled as a button
    expect(page).to_have_url(re.compile(r"/$"))


def test_the_server_error_and_lockout_pages_on_a_phone_pass_the_checks(new_page, learner, screenshot, live_server):
    # The 500 page as handler500 renders it (no request context), served at an address of the live server
    # so that its stylesheet loads as it would.
    body = server_error(RequestFactory().get("/broken/")).content
    page = new_page(user=None, **PHONE)
    page.route(
        f"{live_server.url}/broken/", lambda route: route.fulfill(status=500, body=body, content_type="text/html")
    )
    response = page.goto("/broken/")
    assert response.status == 500
    expect(page.get_by_role("heading", name="服务器出错了")).to_be_visible()
    assert_fits_the_phone(page)
    screenshot(page, "500")
    assert_accessible(page, "500")

    # Wrong passwords until django-axes locks the login out.
    learner.set_password("the-right-one-2026")
    learner.save()
    page.goto("/accounts/login/")
    for _ in range(settings.LOCKOUT_FAILURE_LIMIT + 1):
        page.get_by_label("登录名").fill(learner.username)
        page.get_by_label("密码").fill("a-wrong-guess")
        page.get_by_role("button", name="登录").click()
        if page.get_by_role("heading", name="暂时无法登录").count():
            break
    expect(page.get_by_role("heading", name="暂时无法登录")).to_be_visible()
    assert_fits_the_phone(page)
    screenshot(page, "lockout")
    assert_accessible(page, "登录锁定")
    page.get_by_role("button", name="回到首页").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
