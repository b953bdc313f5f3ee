"""Bulk enrolment in a real browser: an admin on a desktop imports 5,000 people into a three-level
tree, follows the import, takes the codes sheet; one of them activates their account on a phone."""

from __future__ import annotations

import io
import time

import openpyxl
import pytest
from playwright.sync_api import expect

from studyapp.people import enrolment
from studyapp.people.models import EnrolmentImport, Invitation, Organisation
from tests.e2e.checks import assert_accessible
from tests.e2e.conftest import DESKTOP, PHONE, SCREENSHOT_DIR
from tests.factories import StudyGroupFactory, UserFactory

PEOPLE = 5000
PASSWORD = "river-lantern-2026"


@pytest.fixture
def admin_user(transactional_db):
    return UserFactory(username="boss", is_staff=True)


def shot(page, name: str, full_page: bool = True) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"enrolment-{name}.png"), full_page=full_page)
    assert_accessible(page, name)


def people_file(path, group_code: str) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "登录名", "身份", "组织", "学习小组"])
    for i in range(PEOPLE):
        sheet.append(
            [
                f"职工{i:04d}",
                f"1380000{i:04d}",
                "干部" if i % 10 == 0 else "会员",
                f"北京市总工会/区工会{i % 5}/公司工会{i % 50}",
                group_code if i < 20 else "",
            ]
        )
    workbook.save(path)


def fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "sideways scrolling"
    small = page.evaluate(
        """() => [...document.querySelectorAll('main button, main [role=button], main input:not([type=hidden]), main a')]
              .filter(el => el.offsetParent !== null)
              .map(el => [el.textContent.trim() || el.name, el.getBoundingClientRect().height])
              .filter(([, height]) => height < 44)"""
    )
    assert not small, f"tap targets under 44 px: {small}"


def test_an_admin_enrols_5000_people_and_one_activates_on_a_phone(
    new_page, admin_user, tmp_path, traffic, live_server, monkeypatch
):
    group = StudyGroupFactory(name="十八大精神学习班")
    people = tmp_path / "五千人名单.xlsx"
    people_file(people, group.invite_code)
    # The import goes to the background path; the test plays the thread (enrolment_run) itself, since
    # SQLite's in-memory test database cannot be shared with another thread.
    started: list[int] = []
    monkeypatch.setattr(enrolment, "SYNCHRONOUS", False)
    monkeypatch.setattr(enrolment, "_thread_start", started.append)
    page = new_page(user=admin_user, **DESKTOP)
    failed: list[str] = []
    page.on("response", lambda response: response.status >= 400 and failed.append(f"{response.status} {response.url}"))

    page.goto("/")
    page.get_by_role("link", name="导入人员").click()
    expect(page.get_by_role("heading", name="批量导入人员")).to_be_visible()
    page.set_input_files("input[type=file]", str(people))
    page.get_by_role("button", name="上传并检查").click()

    expect(page.get_by_role("heading", name="导入预览")).to_be_visible()
    expect(page.get_by_test_id("count-new")).to_have_text("5000")
    expect(page.get_by_test_id("count-bad")).to_have_text("0")
    expect(page.get_by_test_id("new-organisations")).to_contain_text("将新建 56 个组织")
    expect(page.get_by_test_id("enrolment-row")).to_have_count(100)
    expect(page.get_by_test_id("enrolment-row").first).to_contain_text("新建")
    shot(page, "preview")
    shot(page, "preview-top", full_page=False)
    small = new_page(user=admin_user, **PHONE)  # the same preview on a phone: the table scrolls, not the page
    small.goto(page.url)
    expect(small.get_by_test_id("count-new")).to_have_text("5000")
    assert small.evaluate("document.documentElement.scrollWidth") <= 360
    shot(small, "preview-phone", full_page=False)

    page.get_by_role("button", name="确认导入 5000 人").click()
    status = page.get_by_test_id("status")
    expect(status).to_contain_text("排队中")
    import_id = EnrolmentImport.objects.get().pk
    assert started == [import_id]
    # The test thread and the live server share one SQLite connection: while it writes, the
    # page's polls wait in the browser (a routed request goes on only when this thread lets it).
    detail = f"**/accounts/enrolment/{import_id}/"
    page.route(detail, lambda route: route.continue_())
    # Halfway, as the thread would report it: the page polls and shows it.
    EnrolmentImport.objects.filter(pk=import_id).update(status=EnrolmentImport.Status.RUNNING)
    enrolment.LIVE_PROGRESS[import_id] = 2500
    expect(status).to_contain_text("已处理 2500 / 5000 人", timeout=6000)
    shot(page, "progress")
    enrolment.LIVE_PROGRESS.pop(import_id)
    EnrolmentImport.objects.filter(pk=import_id).update(status=EnrolmentImport.Status.QUEUED)

    with page.expect_response(detail, timeout=6000):
        pass  # the run starts right after a poll, so none is on its way
    begun = time.perf_counter()
    done = enrolment.enrolment_run(import_id)
    took = time.perf_counter() - begun
    print(f"\nenrolment_run, 5,000 people (live server's database): {took:.2f} s")
    assert done is not None and (done.status, done.created) == (EnrolmentImport.Status.DONE, PEOPLE)
    expect(page.get_by_test_id("done")).to_contain_text("新建 5000 人", timeout=6000)
    shot(page, "done")

    page.get_by_test_id("codes-confirm").check()
    with page.expect_download() as download_info:
        page.get_by_test_id("codes").click()
    sheet = openpyxl.load_workbook(io.BytesIO(download_info.value.path().read_bytes())).worksheets[0]
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0] == ("姓名", "登录名", "组织", "激活码") and len(lines) == PEOPLE + 1
    codes = {line[1]: line for line in lines[1:]}
    person = codes["13800000007"]
    assert person[0] == "职工0007" and person[2] == "北京市总工会/区工会2/公司工会7"
    page.reload()
    expect(page.get_by_test_id("codes-taken")).to_contain_text("激活码表已于")
    shot(page, "codes-taken")
    assert EnrolmentImport.objects.get().codes == {}
    assert Organisation.objects.count() == 1 + 5 + 50
    assert Invitation.objects.filter(group=group).count() == 20

    assert not failed, failed
    phone = new_page(user=None, **PHONE)
    phone.on("response", lambda response: response.status >= 400 and failed.append(f"{response.status} {response.url}"))
    phone.goto("/accounts/login/")
    phone.get_by_role("link", name="首次登录？用激活码设置密码").click()
    expect(phone.get_by_role("heading", name="首次登录")).to_be_visible()
    fits(phone, 360)
    phone.get_by_label("登录名").fill("13800000007")
    phone.get_by_label("激活码").fill("WRONG-CODE-22")
    phone.get_by_label("新密码", exact=True).fill(PASSWORD)
    phone.get_by_label("再输一次新密码").fill(PASSWORD)
    phone.get_by_role("button", name="设置密码并登录").click()
    expect(phone.get_by_test_id("activate-error")).to_contain_text("登录名或激活码不对")
    shot(phone, "activate-error")
    # The refused form answers 400, which the browser logs; that one message is expected.
    assert failed == [f"400 {live_server.url}/accounts/activate/"], failed
    assert traffic.console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    traffic.console_errors.clear()

    phone.get_by_label("激活码").fill(person[3])
    phone.get_by_label("新密码", exact=True).fill(PASSWORD)
    phone.get_by_label("再输一次新密码").fill(PASSWORD)
    shot(phone, "activate")
    phone.get_by_role("button", name="设置密码并登录").click()

    expect(phone.get_by_role("heading", name="你好，职工0007")).to_be_visible()
    expect(phone.get_by_test_id("invitation")).to_contain_text("十八大精神学习班")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    shot(phone, "dashboard")
    traffic.assert_clean(live_server.url)
