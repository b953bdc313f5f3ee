import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quizzes.models import Question
from studyapp.documents.models import DocumentVersion, ImportLog
from studyapp.documents.services import document_import
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OLD_LINE = "推动完善社会保险法规政策体系"
NEW_LINE = "推动健全社会保障法规政策体系"


@pytest.fixture
def staff(client):
    user = UserFactory(username="editor", is_staff=True)
    client.force_login(user)
    return user


def upload(client, data: bytes, name: str = "v2.md"):
    return client.post(reverse("documents:upload"), {"source": SimpleUploadedFile(name, data, "text/markdown")})


def changed_copy(markdown: bytes) -> bytes:
    return markdown.decode().replace(OLD_LINE, NEW_LINE).replace("  \n加强工会系统援藏援疆工作", "").encode()


def test_uploading_stores_an_inactive_version_and_shows_the_difference(client, staff, seed_bank, seed_markdown):
    response = upload(client, changed_copy(seed_markdown))

    assert response.status_code == 302 and response["Location"].endswith("/staff/document/versions/2/")
    version = DocumentVersion.objects.get(number=2)
    assert not version.is_active and version.created_by == staff
    page = client.get(response["Location"])
    body = page.content.decode()
    # The changed words are marked within each line, the rest of the line left as it is.
    assert "推动<del>完善社会保险</del>法规政策体系" in body and "推动<ins>健全社会保障</ins>法规政策体系" in body
    assert page.context["counts"]["changed"] == 1 and page.context["counts"]["removed"] == 1
    assert page.context["bank"].retired > 0 and page.context["bank"].created > 0
    assert ImportLog.objects.filter(action="import", version=version, user=staff, source_name="v2.md").exists()


def test_activating_from_the_preview_switches_versions_and_logs_it(client, staff, seed_bank, seed_markdown):
    upload(client, changed_copy(seed_markdown))

    response = client.post(reverse("documents:activate", kwargs={"number": 2}))

    assert response.status_code == 302
    assert DocumentVersion.objects.get(is_active=True).number == 2
    entry = ImportLog.objects.get(action="activate")
    assert entry.user == staff and entry.counts["questions_retired"] > 0
    assert not Question.objects.active().filter(source__text=OLD_LINE).exists()


def test_activating_an_older_version_is_logged_as_a_rollback(client, staff, seed_bank, seed_markdown):
    upload(client, changed_copy(seed_markdown))
    client.post(reverse("documents:activate", kwargs={"number": 2}))

    client.post(reverse("documents:activate", kwargs={"number": 1}))

    assert DocumentVersion.objects.get(is_active=True).number == 1
    assert ImportLog.objects.filter(action="rollback", version__number=1).exists()
    assert Question.objects.active().filter(source__text=OLD_LINE).exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bad.md", "# 标题\n\n### 跳级\n".encode(), "第 3 行"),
        ("bad.md", b"\xff\xfe\x00\x01", "二进制"),
        ("bad.md", "# 标题\n\n".encode() + "编码".encode("gb18030"), "UTF-8"),
        ("bad.pdf", b"%PDF-1.4", "只接受 Markdown"),
        ("big.md", b"# t\n" + b"x" * (1024 * 1024 + 1), "过大"),
        ("empty.md", b"", ""),
        ("long.md", b"# t\n" + b"x\n" * 10_000, "文件行数过多（10001 行），上限为 10000 行。"),
        ("headings.md", b"# t\n" + "## 部分\n正文\n".encode() * 3_000, "标题过多（3001 个），上限为 3000 个。"),
    ],
)
def test_a_bad_upload_is_refused_with_a_clear_message_and_changes_nothing(
    client, staff, seed_bank, name, data, message
):
    before = (DocumentVersion.objects.count(), Question.objects.count(), ImportLog.objects.count())

    response = upload(client, data, name)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert (DocumentVersion.objects.count(), Question.objects.count(), ImportLog.objects.count()) == before


def test_a_duplicate_upload_points_to_the_existing_version(client, staff, seed_bank, seed_markdown):
    response = upload(client, seed_markdown)

    assert response["Location"].endswith("/staff/document/versions/1/")
    assert DocumentVersion.objects.count() == 1


def test_the_versions_page_lists_versions_and_the_log(client, staff, seed_bank, seed_markdown):
    document_import(source=changed_copy(seed_markdown), source_name="v2.md")

    body = client.get(reverse("documents:versions")).content.decode()

    assert "v2" in body and "v2.md" in body and "导入日志" in body


def test_members_cannot_reach_the_staff_pages(client, seed_bank):
    client.force_login(UserFactory(username="member"))

    assert client.get(reverse("documents:versions")).status_code == 403
    assert client.post(reverse("documents:activate", kwargs={"number": 1})).status_code == 403
    assert upload(client, b"# t\n").status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, seed_bank):
    response = client.get(reverse("documents:versions"))

    assert response.status_code == 302 and "login" in response["Location"]


def test_the_admin_links_to_the_import_page(client, seed_bank):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    body = client.get(reverse("admin:documents_documentversion_changelist")).content.decode()

    assert reverse("documents:versions") in body


# --- Refusals and confirmations ------------------------------------------------------------------

TITLE_ONLY = "# 第十八次代表大会报告\n\n## 部分\n\n### (一) 任务\n\n#### 专题\n".encode()
LAW = "# 中华人民共和国工会法\n\n## 第一章 总则\n\n第一条 为保障工会在国家政治、经济和社会生活中的地位。\n".encode()


def test_a_title_only_upload_is_refused_and_changes_nothing(client, staff, seed_bank):
    before = (DocumentVersion.objects.count(), Question.objects.active().count(), ImportLog.objects.count())

    response = upload(client, TITLE_ONLY, "empty.md")

    assert response.status_code == 400
    assert "文件只有标题，没有任何正文" in response.content.decode()
    assert (DocumentVersion.objects.count(), Question.objects.active().count(), ImportLog.objects.count()) == before


def test_a_stored_version_without_lines_is_not_activated(client, staff, seed_bank, seed_markdown):
    version = document_import(source=changed_copy(seed_markdown), source_name="v2.md").version
    version.nodes.studyable().delete()  # as stored before such imports were refused
    active_questions = Question.objects.active().count()

    response = client.post(reverse("documents:activate", kwargs={"number": 2}))

    assert response.status_code == 400 and "没有任何正文" in response.content.decode()
    assert DocumentVersion.objects.get(is_active=True).number == 1
    assert Question.objects.active().count() == active_questions


def test_another_title_is_flagged_in_red_and_its_activation_needs_a_confirmation(client, staff, seed_bank):
    response = upload(client, LAW, "law.md")
    page = client.get(response["Location"])
    body = page.content.decode()

    assert 'class="form-error title-changed"' in body and "标题不同" in body
    assert "《中华人民共和国工会法》" in body and f"《{seed_bank.title}》" in body
    assert 'name="confirm_title"' in body

    refused = client.post(reverse("documents:activate", kwargs={"number": 2}))

    assert refused.status_code == 400
    assert "请先勾选确认" in refused.content.decode()
    assert DocumentVersion.objects.get(is_active=True) == seed_bank
    assert not ImportLog.objects.filter(action="activate").exists()

    confirmed = client.post(reverse("documents:activate", kwargs={"number": 2}), {"confirm_title": "1"})

    assert confirmed.status_code == 302
    assert DocumentVersion.objects.get(is_active=True).number == 2


def test_the_upload_message_warns_about_another_title(client, staff, seed_bank):
    page = client.get(upload(client, LAW, "law.md")["Location"])

    assert "可能是另一份文件" in page.content.decode()


def test_the_same_title_needs_no_confirmation(client, staff, seed_bank, seed_markdown):
    upload(client, changed_copy(seed_markdown))

    body = client.get(reverse("documents:version", kwargs={"number": 2})).content.decode()

    assert "标题不同" not in body and 'name="confirm_title"' not in body


def test_the_activation_message_counts_reactivated_questions(client, staff, seed_bank, seed_markdown, monkeypatch):
    from studyapp.documents import services
    from studyapp.documents.signals import QuestionChange

    upload(client, changed_copy(seed_markdown))
    monkeypatch.setattr(services, "activation_changes", lambda **kwargs: [QuestionChange(1, 2, 3, reactivated=4)])

    page = client.post(reverse("documents:activate", kwargs={"number": 2}), follow=True)

    assert "新增题目 1，恢复 4，保留 2，停用 3。" in page.content.decode()


def test_a_rollback_reports_the_questions_it_brings_back(client, staff, seed_bank, seed_markdown):
    upload(client, changed_copy(seed_markdown))
    client.post(reverse("documents:activate", kwargs={"number": 2}))
    retired = Question.objects.filter(is_active=False, retired_in__number=2).count()

    client.post(reverse("documents:activate", kwargs={"number": 1}))

    entry = ImportLog.objects.get(action="rollback")
    assert retired > 0 and entry.counts.get("questions_reactivated") == retired
    assert entry.counts["questions_kept"] + entry.counts["questions_reactivated"] == Question.objects.active().count()


def test_the_preview_counts_questions_a_rollback_would_bring_back(client, staff, seed_bank, seed_markdown, monkeypatch):
    from studyapp.documents import staff_views
    from studyapp.documents.signals import QuestionChange

    upload(client, changed_copy(seed_markdown))
    monkeypatch.setattr(staff_views, "preview_changes", lambda **kwargs: QuestionChange(1, 2, 3, reactivated=4))

    body = client.get(reverse("documents:version", kwargs={"number": 2})).content.decode()

    assert "新建题目 1 道，保留 2 道，停用 3 道。另有曾停用的题目 4 道恢复使用。" in body


# --- The version list stays cheap; deleting an inactive version ----------------------------------


def test_the_version_list_reads_neither_source_texts_nor_nodes(client, staff, seed_bank, seed_markdown):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(3):
        document_import(source=changed_copy(seed_markdown) + f"\n补充一行{n}\n".encode(), source_name=f"v{n + 2}.md")
    client.get(reverse("documents:versions"))  # the session, the user: the same on every page

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("documents:versions"))

    assert response.status_code == 200
    # The page's own queries: the user, the document, the versions, the log; not one per version.
    sql = [
        q["sql"] for q in queries.captured_queries if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    ]
    assert len(sql) <= 4, sql
    assert not [query for query in sql if "source_text" in query]
    assert not [query for query in sql if "documents_node" in query]
    rows = {version.number: version.line_count for version in response.context["versions"]}
    assert rows == {v.number: v.nodes.studyable().count() for v in DocumentVersion.objects.all()}
    assert rows[2] > 0


def test_an_import_counts_its_lines_on_the_version(seed_markdown, db):
    version = document_import(source=seed_markdown, source_name="seed.md").version

    assert version.line_count == version.nodes.studyable().count() == 114


def test_the_migration_counts_the_lines_of_stored_versions(seed_bank):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("studyapp.documents.migrations.0003_version_line_count_delete_action")
    DocumentVersion.objects.update(line_count=0)

    migration.count_lines(apps, None)

    assert DocumentVersion.objects.get().line_count == seed_bank.nodes.studyable().count() > 0


def delete_url(number: int) -> str:
    return reverse("documents:delete", kwargs={"number": number})


def test_deleting_a_version_asks_first_then_deletes_it_and_logs_it(client, staff, seed_bank, seed_markdown):
    version = document_import(source=changed_copy(seed_markdown), source_name="v2.md").version
    nodes = version.nodes.count()
    assert nodes > 0

    page = client.get(delete_url(2))

    body = page.content.decode()
    assert page.status_code == 200 and "无法恢复" in body and "确认删除版本 v2" in body
    assert DocumentVersion.objects.filter(number=2).exists()

    response = client.post(delete_url(2), follow=True)

    assert response.redirect_chain[-1][0].endswith(reverse("documents:versions"))
    assert "已删除版本 v2（v2.md）" in response.content.decode()
    assert not DocumentVersion.objects.filter(number=2).exists()
    assert DocumentVersion.objects.get(is_active=True) == seed_bank
    from studyapp.documents.models import Node

    assert not Node.objects.filter(version_id=version.pk).exists()
    entry = ImportLog.objects.get(action="delete")
    assert entry.user == staff and entry.source_name == "v2.md"
    assert entry.document == seed_bank.document and entry.version is None and entry.version_number == 2
    assert entry.counts == {"version": 2, "lines": version.line_count}
    log_row = response.content.decode().split("导入日志")[-1]
    assert "删除版本" in log_row and "v2" in log_row


def test_the_active_version_cannot_be_deleted(client, staff, seed_bank):
    page = client.get(delete_url(1))

    assert "是当前版本，不能删除" in page.content.decode() and "确认删除" not in page.content.decode()

    response = client.post(delete_url(1), follow=True)

    assert "是当前版本，不能删除" in response.content.decode()
    assert DocumentVersion.objects.filter(pk=seed_bank.pk).exists()
    assert not ImportLog.objects.filter(action="delete").exists()


def test_a_version_the_bank_was_generated_in_cannot_be_deleted(client, staff, seed_bank, seed_markdown):
    upload(client, changed_copy(seed_markdown))
    client.post(reverse("documents:activate", kwargs={"number": 2}))
    questions = Question.objects.count()

    page = client.get(delete_url(1))

    assert "题目生成于或停用于这个版本" in page.content.decode() and "确认删除" not in page.content.decode()

    response = client.post(delete_url(1), follow=True)

    assert "题目生成于或停用于这个版本" in response.content.decode()
    assert DocumentVersion.objects.filter(pk=seed_bank.pk).exists() and Question.objects.count() == questions
    assert not ImportLog.objects.filter(action="delete").exists()


def test_only_staff_can_delete_versions(client, seed_bank, seed_markdown):
    document_import(source=changed_copy(seed_markdown), source_name="v2.md")
    client.force_login(UserFactory(username="member"))

    assert client.get(delete_url(2)).status_code == 403
    assert client.post(delete_url(2)).status_code == 403
    assert DocumentVersion.objects.filter(number=2).exists()
