"""Bulk enrolment: a file of people is checked row by row, imported all or nothing (in the background
for large files), creates the organisation tree it names, and gives new people activation codes that
are shown once."""

from __future__ import annotations

import csv
import hashlib
import io
import time
from datetime import timedelta

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from studyapp.people import enrolment
from studyapp.people.activation import code_hash
from studyapp.people.models import ActivationCode, EnrolmentImport, Invitation, Organisation, Profile
from studyapp.spreadsheets import declared_rows
from tests.factories import OrganisationFactory, ProfileFactory, StudyGroupFactory, UserFactory
from tests.support import HTMX, THREADED_DATABASE

pytestmark = pytest.mark.django_db

User = get_user_model()
HEADER = ["姓名", "登录名", "身份", "组织", "学习小组"]
TREE = "北京市总工会/朝阳区总工会/某公司工会"


def xlsx(rows: list[list[object]], header: list[str] = HEADER) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("人员")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def csv_bytes(rows: list[list[object]], encoding: str = "utf-8-sig", header: list[str] = HEADER) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


@pytest.fixture
def admin(db):
    return UserFactory(username="boss", is_staff=True)


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def upload(admin, rows, **kwargs) -> tuple[EnrolmentImport, enrolment.EnrolmentCheck]:
    return enrolment.enrolment_upload(data=xlsx(rows, **kwargs), filename="名单.xlsx", user=admin)


def imported(admin, rows) -> EnrolmentImport:
    upload_row, checked = upload(admin, rows)
    assert checked.ok, [row.errors for row in checked.refused]
    return enrolment.enrolment_start(enrolment=upload_row)


# --- Reading and checking ------------------------------------------------------------------------------


def test_the_preview_gives_each_row_its_outcome(admin):
    ProfileFactory(user__username="old1", display_name="旧名")
    UserFactory(username="chief", is_staff=True)
    group = StudyGroupFactory(name="十八大精神学习班")
    StudyGroupFactory(name="同名班")
    StudyGroupFactory(name="同名班")
    rows = [
        ["张三", "13800000001", "会员", TREE, ""],  # 2: new
        ["李四", "old1", "工会干部", "北京市总工会/朝阳区总工会", "十八大精神学习班"],  # 3: update
        ["王五", "13800000001", "member", TREE, ""],  # 4: duplicate of row 2
        ["赵六", "a006", "群众", TREE, ""],  # 5: unknown role
        ["钱七", "a007", "干部", "北京市总工会//某公司工会", ""],  # 6: empty segment
        ["孙八", "a008", "干部", "/".join(f"第{i}级" for i in range(7)), ""],  # 7: 7 levels
        ["周九", "a009", "干部", "北京市总工会/" + "长" * 201, ""],  # 8: name too long
        ["吴十", "has space", "干部", TREE, ""],  # 9: a character usernames do not allow
        ["郑一", "x" * 151, "干部", TREE, ""],  # 10: too long
        ["冯二", "a012", "会员", TREE, "没有这个班"],  # 11: unknown group
        ["", "a013", "会员", TREE, ""],  # 12: no name
        ["陈三", "chief", "会员", TREE, ""],  # 13: an admin account
        ["褚四", "a015", "会员", TREE, "同名班"],  # 14: ambiguous group name
        ["卫五", "a016", "CADRE", TREE, group.invite_code.lower()],  # 15: a group by its code
        [None, None, None, None, None],  # an empty row is skipped
    ]

    _upload, checked = upload(admin, rows)

    by_number = {row.number: row for row in checked.rows}
    assert [row.number for row in checked.rows] == list(range(2, 16))
    assert (by_number[2].action_label, by_number[2].errors) == ("有误", [by_number[2].errors[0]])
    assert "在文件中重复（另见第 4 行）" in by_number[2].errors[0]
    assert "另见第 2 行" in by_number[4].errors[0]
    assert by_number[3].accepted and by_number[3].action_label == "更新" and by_number[3].group_id == group.pk
    assert by_number[3].role == Profile.Role.CADRE
    assert "身份“群众”无法识别" in by_number[5].errors[0]
    assert "有空的一级" in by_number[6].errors[0]
    assert "最多 6 级" in by_number[7].errors[0]
    assert "不能超过 200 个字" in by_number[8].errors[0]
    assert "不允许的字符" in by_number[9].errors[0]
    assert "登录名过长" in by_number[10].errors[0]
    assert "找不到学习小组“没有这个班”" in by_number[11].errors[0]
    assert by_number[12].errors == ["请填写姓名"]
    assert "管理员账号" in by_number[13].errors[0]
    assert "有 2 个学习小组都叫“同名班”" in by_number[14].errors[0]
    assert by_number[15].accepted and by_number[15].action_label == "新建" and by_number[15].group_id == group.pk
    assert not checked.ok and len(checked.refused) == 12
    assert checked.new_organisations == [("北京市总工会",), ("北京市总工会", "朝阳区总工会"), tuple(TREE.split("/"))]
    assert not User.objects.filter(username__in=["13800000001", "a016"]).exists()  # a preview writes nothing


def test_csv_as_excel_writes_it_gbk_or_utf8_with_bom_and_other_separators(admin):
    rows = [["张三", "1001", "会员", "北京市总工会／朝阳区总工会 > 某公司工会", ""]]
    for encoding in ("gbk", "utf-8-sig", "utf-8"):
        checked = enrolment.check_file(csv_bytes(rows, encoding), "名单.csv")
        assert checked.ok, (encoding, checked.file_errors)
        assert checked.rows[0].path == tuple(TREE.split("/")) and checked.rows[0].name == "张三"


def test_header_aliases_and_a_number_cell_login(admin):
    _upload, checked = upload(
        admin, [["张三", 13800000001, "会员", TREE]], header=["姓名", "手机号", "角色", "所在组织"]
    )
    assert checked.ok and checked.rows[0].login == "13800000001"


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"hello", "名单.txt", "只能导入 .xlsx"),
        (b"not a zip", "名单.xlsx", "无法读取该文件"),
        (xlsx([], header=["姓名", "工号"]), "名单.xlsx", "缺少必填列：身份、组织"),
        (xlsx([]), "名单.xlsx", "没有人员行"),
        (
            csv_bytes([["a", "b", "会员", "x"]], header=["姓名", "登录名", "身份", "组织", "备注"]),
            "a.csv",
            "无法识别的列：备注",
        ),
    ],
)
def test_a_file_refused_as_a_whole_is_not_kept(admin, data, filename, message):
    with pytest.raises(Exception, match=message):
        enrolment.enrolment_upload(data=data, filename=filename, user=admin)
    assert not EnrolmentImport.objects.exists()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_file_over_50000_rows_is_refused_before_its_rows_are_read(admin, kind, monkeypatch):
    rows = [["某人", f"u{i}", "会员", "甲"] for i in range(enrolment.MAX_ROWS + 1)]
    data = csv_bytes(rows, header=HEADER[:4]) if kind == "csv" else xlsx(rows, header=HEADER[:4])

    def no_reading(*args, **kwargs):
        raise AssertionError("the rows were read")

    monkeypatch.setattr(enrolment, "_table", no_reading)
    monkeypatch.setattr(enrolment, "_csv_lines", no_reading)
    monkeypatch.setattr(enrolment, "_xlsx_lines", no_reading)
    table = enrolment.read_table(data, f"名单.{kind}")

    assert table.errors == ["文件有 50001 行人员，超过每个文件 50000 行的上限：请拆分成几个文件分别导入。"]


def test_exactly_the_limit_is_not_refused_up_front():
    data = csv_bytes([["某人", f"u{i}", "会员", "甲"] for i in range(3)], header=HEADER[:4])
    assert declared_rows(data, csv=True) == 4


# --- Importing --------------------------------------------------------------------------------------------


def test_an_import_creates_people_the_tree_and_hashed_codes(admin):
    existing_root = OrganisationFactory(name="北京市总工会")
    rows = [
        ["张三", "1001", "会员", TREE],
        ["李四", "1002", "干部", "北京市总工会/朝阳区总工会"],
        ["王五", "1003", "会员", "北京市总工会/海淀区总工会/某学校工会"],
    ]

    done = imported(admin, [[*row, ""] for row in rows])

    assert (done.status, done.created, done.updated, done.processed) == (EnrolmentImport.Status.DONE, 3, 0, 3)
    assert Organisation.objects.filter(name="北京市总工会").get() == existing_root  # reused, not doubled
    for org in Organisation.objects.all():
        expected = f"{org.parent.path if org.parent else '/'}{org.pk}/"
        assert (org.path, org.depth) == (expected, expected.count("/") - 2)
    company = Organisation.objects.get(name="某公司工会")
    assert company.parent.name == "朝阳区总工会" and company.parent.parent == existing_root
    assert set(existing_root.subtree().values_list("name", flat=True)) == {
        "北京市总工会",
        "朝阳区总工会",
        "某公司工会",
        "海淀区总工会",
        "某学校工会",
    }
    zhang = User.objects.get(username="1001")
    assert not zhang.has_usable_password() and zhang.is_active and not zhang.is_staff
    assert (zhang.profile.display_name, zhang.profile.role, zhang.profile.organisation) == ("张三", "member", company)
    assert User.objects.get(username="1002").profile.role == Profile.Role.CADRE
    # The codes: 12 characters of the unambiguous alphabet, only their sha256 in ActivationCode.
    assert set(done.codes) == {"1001", "1002", "1003"}
    for login, code in done.codes.items():
        assert len(code) == 12 and set(code) <= set("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
        stored = ActivationCode.objects.get(user__username=login)
        assert stored.code_hash == hashlib.sha256(code.encode()).hexdigest() == code_hash(code)
        assert stored.enrolment == done and stored.used_at is None
    assert len(set(done.codes.values())) == 3


def test_a_rerun_updates_people_and_keeps_their_passwords(admin):
    done = imported(admin, [["张三", "1001", "会员", TREE, ""], ["李四", "1002", "会员", TREE, ""]])
    zhang = User.objects.get(username="1001")
    zhang.set_password("own-password-2026")
    zhang.save()
    first_code = ActivationCode.objects.get(user__username="1002").code_hash

    again = imported(
        admin,
        [
            ["张三丰", "1001", "干部", "北京市总工会/海淀区总工会", ""],
            ["李四", "1002", "会员", TREE, ""],
            ["王五", "1003", "会员", TREE, ""],
        ],
    )

    assert (again.created, again.updated) == (1, 2) and set(again.codes) == {"1003"}
    assert User.objects.filter(username__in=["1001", "1002", "1003"]).count() == 3
    assert Profile.objects.filter(user__username="1001").count() == 1
    zhang.refresh_from_db()
    assert zhang.check_password("own-password-2026")
    assert (zhang.profile.display_name, zhang.profile.role, zhang.profile.organisation.name) == (
        "张三丰",
        "cadre",
        "海淀区总工会",
    )
    assert ActivationCode.objects.get(user__username="1002").code_hash == first_code  # no new code
    assert Organisation.objects.filter(name="北京市总工会").count() == 1 and done.pk != again.pk


def test_an_import_is_all_or_nothing(admin, monkeypatch):
    rows = [[f"人{i}", f"u{i}", "会员", f"北京市总工会/区{i % 3}", ""] for i in range(1200)]
    enrolment_row, _checked = upload(admin, rows)
    calls = []
    original = enrolment._invitations_create

    def fail_in_the_third_chunk(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(enrolment, "_invitations_create", fail_in_the_third_chunk)
    result = enrolment.enrolment_start(enrolment=enrolment_row)

    assert len(calls) == 3
    assert result.status == EnrolmentImport.Status.FAILED and "没有导入任何人员" in result.message
    assert (result.created, result.codes, result.processed) == (0, {}, 0)
    assert not User.objects.filter(username__startswith="u").exists()
    assert not Organisation.objects.exists() and not ActivationCode.objects.exists() and not Profile.objects.exists()
    assert result.pk not in enrolment.LIVE_PROGRESS

    monkeypatch.setattr(enrolment, "_invitations_create", original)  # 重新导入 after the failure
    assert enrolment.enrolment_start(enrolment=result).status == EnrolmentImport.Status.DONE
    assert User.objects.filter(username__startswith="u").count() == 1200


def test_a_file_with_an_error_cannot_be_imported(admin, admin_client):
    enrolment_row, _checked = upload(admin, [["张三", "1001", "会员", TREE, ""], ["", "1002", "会员", TREE, ""]])

    with pytest.raises(Exception, match="文件中还有错误的行"):
        enrolment.enrolment_start(enrolment=enrolment_row)
    page = admin_client.post(reverse("enrolment_apply", args=[enrolment_row.pk]), follow=True).content.decode()

    assert "文件中还有错误的行" in page and "导入预览" in page
    assert EnrolmentImport.objects.get().status == EnrolmentImport.Status.CHECKED
    assert not User.objects.filter(username="1001").exists()


def test_rows_that_went_wrong_since_the_preview_fail_the_import_and_leave_nothing(admin):
    enrolment_row, _checked = upload(admin, [["张三", "1001", "会员", TREE, ""], ["李四", "1002", "会员", TREE, ""]])
    UserFactory(username="1002", is_staff=True)  # meanwhile an admin account took the login

    result = enrolment.enrolment_start(enrolment=enrolment_row)

    assert result.status == EnrolmentImport.Status.FAILED and "文件中有错误" in result.message
    assert not User.objects.filter(username="1001").exists() and not Organisation.objects.exists()


def test_a_file_imported_once_is_not_imported_again(admin):
    done = imported(admin, [["张三", "1001", "会员", TREE, ""]])
    with pytest.raises(Exception, match="已经导入过了"):
        enrolment.enrolment_start(enrolment=done)


def test_a_group_in_a_row_becomes_one_pending_invitation(admin, client, study_group):
    member = ProfileFactory(user__username="inside").user
    study_group.memberships.create(user=member)
    rows = [["张三", "1001", "会员", TREE, study_group.name], ["组员", "inside", "会员", TREE, study_group.invite_code]]

    imported(admin, rows)
    imported(admin, rows)  # a re-run invites nobody twice

    invitation = Invitation.objects.get()
    assert (invitation.user.username, invitation.group, invitation.invited_by) == ("1001", study_group, admin)
    assert invitation.status == Invitation.Status.PENDING and invitation.role == "member"
    client.force_login(invitation.user)
    page = client.get(reverse("groups:invitations"), **HTMX).content.decode()
    assert study_group.name in page and "接受并加入" in page


# --- Codes: shown once -----------------------------------------------------------------------------------


def test_the_codes_sheet_is_given_once_then_cleared(admin, admin_client):
    done = imported(admin, [["张三", "1001", "会员", TREE, ""], ["李四", "1002", "干部", "北京市总工会", ""]])
    codes = dict(done.codes)
    url = reverse("enrolment_codes", args=[done.pk])

    unconfirmed = admin_client.post(url)
    assert unconfirmed.status_code == 302 and not EnrolmentImport.objects.get(pk=done.pk).codes_taken_at
    response = admin_client.post(url, {"confirm": "1"})

    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    lines = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert lines[0] == ["姓名", "登录名", "组织", "激活码"]
    assert sorted(lines[1:]) == sorted(
        [
            ["张三", "1001", TREE, enrolment.code_display(codes["1001"])],
            ["李四", "1002", "北京市总工会", enrolment.code_display(codes["1002"])],
        ]
    )
    done.refresh_from_db()
    assert done.codes == {} and done.codes_taken_at is not None
    again = admin_client.post(url, {"confirm": "1"}, follow=True).content.decode()
    assert "激活码只能下载一次" in again and "已于" in again
    assert "激活码表已于" in admin_client.get(reverse("enrolment_detail", args=[done.pk])).content.decode()


# --- Background ------------------------------------------------------------------------------------------


def test_a_5000_row_file_imports_in_the_background(admin, monkeypatch, django_capture_on_commit_callbacks, capsys):
    rows = [
        [f"人员{i}", f"1390000{i:04d}", "会员" if i % 5 else "干部", f"某省总工会/市{i % 10}/基层工会{i % 100}", ""]
        for i in range(5000)
    ]
    data = xlsx(rows)
    started = time.perf_counter()
    enrolment_row, checked = enrolment.enrolment_upload(data=data, filename="五千人.xlsx", user=admin)
    checked_in = time.perf_counter() - started
    assert checked.ok and enrolment.in_background(enrolment_row)
    threads: list[int] = []
    monkeypatch.setattr(enrolment, "SYNCHRONOUS", False)
    monkeypatch.setattr(enrolment, "_thread_start", threads.append)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        queued = enrolment.enrolment_start(enrolment=enrolment_row)
    assert queued.status == EnrolmentImport.Status.QUEUED and len(callbacks) == 1
    assert threads == [enrolment_row.pk]  # the thread would start only after the commit

    seen: list[int] = []
    original = enrolment._Progress.__call__

    def watch(progress, processed):
        original(progress, processed)
        seen.append(enrolment.LIVE_PROGRESS[enrolment_row.pk])

    monkeypatch.setattr(enrolment._Progress, "__call__", watch)
    started = time.perf_counter()
    done = enrolment.enrolment_run(enrolment_row.pk)
    took = time.perf_counter() - started

    assert (
        done is not None
        and done.status == EnrolmentImport.Status.DONE
        and (done.created, done.processed) == (5000, 5000)
    )
    assert seen == list(range(500, 5001, 500))
    assert User.objects.filter(username__startswith="1390000").count() == 5000
    assert Organisation.objects.count() == 1 + 10 + 100 and len(done.codes) == 5000
    assert enrolment.enrolment_run(enrolment_row.pk) is None  # not queued: a second run does nothing
    with capsys.disabled():
        print(f"\n5,000 rows: checked on upload in {checked_in:.2f} s, imported by enrolment_run in {took:.2f} s")
    assert took < 30


def test_the_page_shows_progress_and_polls_while_running(admin, admin_client):
    enrolment_row, _checked = upload(admin, [["张三", "1001", "会员", TREE, ""]])
    EnrolmentImport.objects.filter(pk=enrolment_row.pk).update(
        status=EnrolmentImport.Status.RUNNING, started_at=timezone.now(), rows=4000
    )
    enrolment.LIVE_PROGRESS[enrolment_row.pk] = 1500
    try:
        url = reverse("enrolment_detail", args=[enrolment_row.pk])
        page = admin_client.get(url).content.decode()
        partial = admin_client.get(url, **HTMX).content.decode()
    finally:
        enrolment.LIVE_PROGRESS.pop(enrolment_row.pk)

    assert "已处理 1500 / 4000 人" in page and 'hx-trigger="every 2s"' in page and "刷新" in page
    assert partial.lstrip().startswith('<section id="enrolment-status"') and "<html" not in partial
    assert "重新导入" not in page


def test_a_stalled_import_can_be_run_again(admin, admin_client):
    enrolment_row, _checked = upload(admin, [["张三", "1001", "会员", TREE, ""]])
    long_ago = timezone.now() - enrolment.STALE_AFTER - timedelta(minutes=1)
    EnrolmentImport.objects.filter(pk=enrolment_row.pk).update(
        status=EnrolmentImport.Status.RUNNING, started_at=long_ago
    )
    url = reverse("enrolment_detail", args=[enrolment_row.pk])

    page = admin_client.get(url).content.decode()
    assert "重新导入" in page and "every 2s" not in page
    admin_client.post(reverse("enrolment_apply", args=[enrolment_row.pk]))

    assert EnrolmentImport.objects.get(pk=enrolment_row.pk).status == EnrolmentImport.Status.DONE
    assert User.objects.filter(username="1001").exists()


def test_a_recent_running_import_is_not_started_twice(admin):
    enrolment_row, _checked = upload(admin, [["张三", "1001", "会员", TREE, ""]])
    EnrolmentImport.objects.filter(pk=enrolment_row.pk).update(
        status=EnrolmentImport.Status.RUNNING, started_at=timezone.now()
    )
    with pytest.raises(Exception, match="正在导入"):
        enrolment.enrolment_start(enrolment=enrolment_row)


# --- Pages and permissions -------------------------------------------------------------------------------


def test_upload_preview_import_through_the_pages(admin_client, admin):
    template = admin_client.get(reverse("enrolment_template"))
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    assert book.sheetnames == ["人员", "填写说明"] and [c.value for c in book["人员"][1]] == HEADER
    # The template's own example rows are a valid file.
    assert enrolment.check_file(template.content, "模板.xlsx").ok

    data = xlsx([["张三", "1001", "会员", TREE, ""], ["李四", "1002", "群众", TREE, ""]])
    response = admin_client.post(reverse("enrolment"), {"file": _file(data, "名单.xlsx")})
    assert response.status_code == 302
    preview = admin_client.get(response["Location"]).content.decode()
    assert "身份“群众”无法识别" in preview and "disabled" in preview and "将新建 3 个组织" in preview
    bad_only = admin_client.get(response["Location"] + "?show=bad").content.decode()
    assert bad_only.count('data-testid="enrolment-row"') == 1

    data = xlsx([["张三", "1001", "会员", TREE, ""], ["李四", "1002", "干部", TREE, ""]])
    response = admin_client.post(reverse("enrolment"), {"file": _file(data, "名单.xlsx")})
    pk = int(response["Location"].rstrip("/").split("/")[-1])
    done = admin_client.post(reverse("enrolment_apply", args=[pk]), follow=True).content.decode()
    assert "导入完成：新建 2 人，更新 0 人。" in done and "下载激活码表" in done
    assert User.objects.filter(username__in=["1001", "1002"]).count() == 2


def test_a_refused_upload_says_why_in_chinese(admin_client):
    response = admin_client.post(reverse("enrolment"), {"file": _file(b"a,b\n1,2\n", "x.csv")})
    assert response.status_code == 400 and "缺少必填列" in response.content.decode()
    assert not EnrolmentImport.objects.exists()


def test_learners_get_403_and_others_imports_404(learner_client, admin, client):
    enrolment_row, _checked = upload(admin, [["张三", "1001", "会员", TREE, ""]])
    urls = [
        ("get", reverse("enrolment")),
        ("get", reverse("enrolment_template")),
        ("get", reverse("enrolment_reissue")),
        ("get", reverse("enrolment_detail", args=[enrolment_row.pk])),
        ("post", reverse("enrolment_apply", args=[enrolment_row.pk])),
        ("post", reverse("enrolment_codes", args=[enrolment_row.pk])),
    ]
    for method, url in urls:
        assert getattr(learner_client, method)(url).status_code == 403, url
    learner_client.logout()
    assert client.get(reverse("enrolment")).status_code == 302
    other = UserFactory(username="other-admin", is_staff=True)
    client.force_login(other)
    assert client.get(reverse("enrolment_detail", args=[enrolment_row.pk])).status_code == 404
    assert client.post(reverse("enrolment_apply", args=[enrolment_row.pk])).status_code == 404
    assert EnrolmentImport.objects.get().status == EnrolmentImport.Status.CHECKED


def _file(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


@THREADED_DATABASE[0]
@THREADED_DATABASE[1]
def test_a_large_file_imports_in_a_real_thread(monkeypatch):
    # Needs a database that threads can share (PostgreSQL); on SQLite the 5,000-row test plays the thread.
    admin = UserFactory(username="boss", is_staff=True)
    monkeypatch.setattr(enrolment, "SYNCHRONOUS", False)
    monkeypatch.setattr(enrolment, "BACKGROUND_THRESHOLD", 2)
    enrolment_row, _checked = upload(admin, [[f"人{i}", f"t{i}", "会员", TREE, ""] for i in range(5)])

    enrolment.enrolment_start(enrolment=enrolment_row)
    for _wait in range(100):
        enrolment_row.refresh_from_db()
        if enrolment_row.status == EnrolmentImport.Status.DONE:
            break
        time.sleep(0.1)

    assert (enrolment_row.status, enrolment_row.created) == (EnrolmentImport.Status.DONE, 5)
