"""The staff document pages: the confirmation before activating or rolling back, the preview's figures
against the activation's, the import log in sentences, the word-level diff, the nav link."""

import pytest
from django.urls import reverse

from studyapp.documents.change_marks import Piece, change_marks
from studyapp.documents.log_sentences import log_sentence
from studyapp.documents.models import DocumentVersion, ImportLog
from studyapp.documents.signals import QuestionChange
from tests.documents.test_staff_views import NEW_LINE, OLD_LINE, changed_copy, upload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(username="editor", is_staff=True)
    client.force_login(user)
    return user


def test_the_preview_button_leads_to_a_confirmation_that_changes_nothing(client, staff, seed_bank, seed_markdown):
    upload(client, changed_copy(seed_markdown))
    preview = client.get(reverse("documents:version", kwargs={"number": 2})).content.decode()
    assert reverse("documents:confirm", kwargs={"number": 2}) in preview

    page = client.post(reverse("documents:confirm", kwargs={"number": 2}))

    body = page.content.decode()
    assert page.status_code == 200
    assert "启用 v2？" in body and "从 v1 换成 v2" in body and "确认启用 v2" in body
    assert f'action="{reverse("documents:activate", kwargs={"number": 2})}"' in body
    assert DocumentVersion.objects.get(is_active=True).number == 1
    assert not ImportLog.objects.filter(action="activate").exists()


def test_the_confirmation_is_a_post(client, staff, seed_bank, seed_markdown):
    upload(client, changed_copy(seed_markdown))

    assert client.get(reverse("documents:confirm", kwargs={"number": 2})).status_code == 405


def test_the_figures_previewed_are_those_the_activation_reports(client, staff, seed_bank, seed_markdown):
    upload(client, changed_copy(seed_markdown))
    preview = client.get(reverse("documents:version", kwargs={"number": 2})).context["bank"]
    confirmation = client.post(reverse("documents:confirm", kwargs={"number": 2}))
    assert confirmation.context["bank"] == preview

    done = client.post(reverse("documents:activate", kwargs={"number": 2}), follow=True)

    logged = QuestionChange.from_log(ImportLog.objects.get(action="activate").counts)
    assert (logged.created, logged.kept, logged.retired, logged.reactivated) == (
        preview.created,
        preview.kept,
        preview.retired,
        preview.reactivated,
    )
    assert preview.created > 0 and preview.retired > 0
    message = " ".join(str(m) for m in done.context["messages"])
    assert f"新增题目 {preview.created}" in message and f"停用 {preview.retired}" in message
    assert f"新建题目 {preview.created} 道" in confirmation.content.decode()


def test_a_rollback_is_confirmed_as_one_with_its_figures(client, staff, seed_bank, seed_markdown):
    upload(client, changed_copy(seed_markdown))
    client.post(reverse("documents:activate", kwargs={"number": 2}))
    preview = client.get(reverse("documents:version", kwargs={"number": 1})).context["bank"]

    page = client.post(reverse("documents:confirm", kwargs={"number": 1}))

    body = page.content.decode()
    assert "回滚到 v1？" in body and "确认回滚到 v1" in body and "这是回滚" in body
    assert f"恢复曾停用的题目 {preview.reactivated} 道" in body and preview.reactivated > 0
    client.post(reverse("documents:activate", kwargs={"number": 1}))
    logged = QuestionChange.from_log(ImportLog.objects.get(action="rollback").counts)
    assert logged == preview


def test_another_title_is_ticked_before_the_confirmation_and_carried_through_it(client, staff, seed_bank):
    upload(client, "# 另一份文件\n\n## 第一部分\n\n一句新的要点\n".encode())

    refused = client.post(reverse("documents:confirm", kwargs={"number": 2}))
    confirmation = client.post(reverse("documents:confirm", kwargs={"number": 2}), {"confirm_title": "1"})

    assert refused.status_code == 400 and "请先勾选确认" in refused.content.decode()
    assert confirmation.status_code == 200
    assert 'name="confirm_title" value="1"' in confirmation.content.decode()


def test_the_import_log_reads_as_chinese_sentences(client, staff, seed_bank, seed_markdown):
    upload(client, changed_copy(seed_markdown))
    client.post(reverse("documents:activate", kwargs={"number": 2}))

    body = client.get(reverse("documents:versions")).content.decode()

    log = body.split("导入日志")[-1]
    activation = ImportLog.objects.get(action="activate")
    change = QuestionChange.from_log(activation.counts)
    assert (
        f"启用版本 v2（替换 v1）：新建题目 {change.created} 道，保留 {change.kept} 道，停用 {change.retired} 道。"
        in log
    )
    assert "导入版本 v2：" in log and "条要点" in log
    assert "questions_created" not in log and "point " not in log


@pytest.mark.parametrize(
    ("action", "number", "counts", "sentence"),
    [
        (
            "import",
            3,
            {"part": 2, "task": 5, "point": 40, "requirement": 8},
            "导入版本 v3：2 个部分、5 项任务、40 条要点、8 条“要”。",
        ),
        (
            "activate",
            1,
            {"previous": None, "questions_created": 9, "questions_kept": 0, "questions_retired": 0},
            "启用版本 v1（首个启用的版本）：新建题目 9 道，保留 0 道，停用 0 道。",
        ),
        (
            "rollback",
            1,
            {
                "previous": 2,
                "questions_created": 0,
                "questions_kept": 5,
                "questions_retired": 1,
                "questions_reactivated": 3,
            },
            "从 v2 回滚到 v1：新建题目 0 道，保留 5 道，停用 1 道，恢复 3 道。",
        ),
        ("delete", 4, {"version": 4, "lines": 120}, "删除版本 v4（共 120 行）。"),
        ("activate", 2, {"previous": 1, "novel_figure": 7}, "启用版本 v2（替换 v1）：novel_figure 7。"),
    ],
)
def test_each_kind_of_log_entry_as_a_sentence(action, number, counts, sentence):
    assert log_sentence(ImportLog(action=action, version_number=number, counts=counts)) == sentence


def test_a_changed_line_marks_the_words_that_changed():
    old, new = change_marks(OLD_LINE, NEW_LINE)

    assert old == [Piece("推动", False), Piece("完善社会保险", True), Piece("法规政策体系", False)]
    assert new == [Piece("推动", False), Piece("健全社会保障", True), Piece("法规政策体系", False)]
    assert "".join(p.text for p in old) == OLD_LINE and "".join(p.text for p in new) == NEW_LINE


def test_words_added_at_the_end_are_marked_in_the_new_line_only():
    old, new = change_marks("加强职工之家建设", "加强职工之家建设和管理")

    assert old == [Piece("加强职工之家建设", False)]
    assert [p for p in new if p.changed] == [Piece("和管理", True)]


def test_staff_see_a_link_to_the_document_pages_and_members_do_not(client, staff, seed_bank):
    link = f'href="{reverse("documents:versions")}"'
    assert link in client.get(reverse("quizzes:home")).content.decode()

    client.force_login(UserFactory(username="member"))
    assert link not in client.get(reverse("quizzes:home")).content.decode()


def test_imports_and_activations_are_logged_in_chinese(client, staff, seed_bank, seed_markdown, caplog):
    caplog.set_level("INFO", logger="studyapp.documents.staff_views")

    upload(client, changed_copy(seed_markdown))
    client.post(reverse("documents:activate", kwargs={"number": 2}))

    messages = [record.getMessage() for record in caplog.records if record.name == "studyapp.documents.staff_views"]
    assert messages[0].startswith("editor 导入了《") and messages[0].endswith("：版本 v2")
    assert messages[1].startswith("editor 启用版本 v2（替换 v1）：新建题目")
