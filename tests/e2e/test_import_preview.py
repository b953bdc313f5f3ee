"""An admin uploads an updated text in a real browser, reads the preview and activates it."""

import pytest
from playwright.sync_api import expect

from quizzes.bank import bank_sync
from studyapp.documents.models import DocumentVersion, ImportLog
from tests.e2e.checks import assert_accessible
from tests.factories import UserFactory

OLD_LINE = "推动完善社会保险法规政策体系"
NEW_LINE = "推动健全社会保障法规政策体系"


@pytest.fixture
def admin_user(transactional_db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


def test_an_admin_previews_an_updated_text_and_activates_it(
    new_page, admin_user, seed_version, seed_markdown, tmp_path, screenshot, traffic, live_server
):
    bank_sync(version=seed_version)
    updated = tmp_path / "十八大-修订.md"
    updated.write_bytes(seed_markdown.decode().replace(OLD_LINE, NEW_LINE).encode())
    page = new_page(user=admin_user, viewport={"width": 1280, "height": 900})

    page.goto("/staff/document/")
    page.set_input_files("input[type=file]", str(updated))
    page.get_by_role("button", name="上传并预览").click()

    expect(page.get_by_role("heading", name="版本 v2")).to_be_visible()
    changed = page.locator(".diff-table")
    # Only the words that changed are marked, within the whole lines.
    expect(changed.locator("del")).to_have_text("完善社会保险")
    expect(changed.locator("ins")).to_have_text("健全社会保障")
    expect(changed.locator(".diff-line").first).to_have_text(OLD_LINE)
    expect(changed.locator(".diff-line").last).to_have_text(NEW_LINE)
    expect(page.locator(".bank-preview")).to_contain_text("新建题目")
    screenshot(page, "preview")
    assert_accessible(page, "导入预览（桌面）")

    page.get_by_role("button", name="启用 v2").click()
    expect(page.get_by_role("heading", name="启用 v2？")).to_be_visible()
    assert DocumentVersion.objects.get(is_active=True).number == 1  # nothing happens before the confirmation
    page.get_by_role("button", name="确认启用 v2").click()

    expect(page.locator(".messages")).to_contain_text("已启用到版本 v2")
    assert DocumentVersion.objects.get(is_active=True).number == 2
    assert ImportLog.objects.filter(action="activate", user=admin_user).exists()
    screenshot(page, "activated")
    assert_accessible(page, "已启用（桌面）")
    traffic.assert_clean(live_server.url)


def test_a_bad_upload_shows_the_line_and_keeps_the_active_version(new_page, admin_user, seed_version, tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_bytes("# 标题\n\n### 跳级\n".encode())
    page = new_page(user=admin_user)

    page.goto("/staff/document/")
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="上传并预览").click()

    expect(page.get_by_role("alert")).to_contain_text("第 3 行")
    assert DocumentVersion.objects.count() == 1
