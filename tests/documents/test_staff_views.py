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
    assert OLD_LINE in body and NEW_LINE in body
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
