import io

import pytest
from django.core.management import CommandError, call_command

from studyapp.documents.models import Document, DocumentVersion, Node
from studyapp.documents.parsing import DocumentFormatError
from studyapp.documents.services import document_import, version_activate
from studyapp.documents.signals import version_activated

pytestmark = pytest.mark.django_db

SMALL = "# 小文件\n\n## 部分\n\n### (一) 任务\n\n#### 专题\n\n第一行“甲乙”  \n第二行12351\n".encode()


def test_importing_the_seed_stores_the_whole_tree_and_activates_it(seed_markdown):
    result = document_import(source=seed_markdown, source_name="seed.md")

    version = result.version
    assert result.activated and version.is_active and version.number == 1
    assert version.nodes.count() == 3 + 11 + 28 + 104 + 2 + 8
    assert version.nodes.filter(kind=Node.Kind.POINT, parent__kind=Node.Kind.TOPIC).count() == 104
    assert version.nodes.filter(kind=Node.Kind.TOPIC, parent__kind=Node.Kind.TASK).count() == 28
    assert version.nodes.filter(parent__isnull=True).count() == 3
    assert list(version.nodes.values_list("position", flat=True)) == list(range(version.nodes.count()))


def test_a_dry_run_writes_nothing(seed_markdown):
    result = document_import(source=seed_markdown, source_name="seed.md", dry_run=True)

    assert result.counts["point"] == 104
    assert not Document.objects.exists() and not Node.objects.exists()


def test_a_bad_file_changes_nothing(seed_markdown):
    document_import(source=seed_markdown, source_name="seed.md")
    before = Node.objects.count()

    with pytest.raises(DocumentFormatError):
        document_import(source="# 标题\n\n### 跳级\n".encode(), source_name="bad.md", activate=True)

    assert DocumentVersion.objects.count() == 1 and Node.objects.count() == before


def test_a_failure_after_the_nodes_are_written_rolls_the_whole_import_back(seed_markdown):
    document_import(source=seed_markdown, source_name="seed.md")

    def explode(**kwargs):
        raise RuntimeError("receiver failed")

    version_activated.connect(explode, dispatch_uid="test-explode")
    try:
        with pytest.raises(RuntimeError):
            document_import(source=SMALL, source_name="small.md", activate=True)
    finally:
        version_activated.disconnect(dispatch_uid="test-explode")

    assert DocumentVersion.objects.count() == 1
    assert DocumentVersion.objects.get().is_active


def test_a_later_version_waits_until_it_is_activated(seed_markdown):
    first = document_import(source=seed_markdown, source_name="seed.md").version
    second = document_import(source=SMALL, source_name="small.md")

    assert not second.activated and second.version.number == 2
    first.refresh_from_db()
    assert first.is_active

    version_activate(version=second.version)
    first.refresh_from_db()
    assert not first.is_active and DocumentVersion.objects.get(is_active=True) == second.version
    assert Document.objects.get().title == "小文件"


def test_importing_the_same_text_twice_creates_no_new_version(seed_markdown):
    document_import(source=seed_markdown, source_name="seed.md")
    again = document_import(source=seed_markdown, source_name="copy.md")

    assert again.duplicate_of is not None
    assert DocumentVersion.objects.count() == 1


def test_the_command_prints_counts_per_kind_and_the_active_version(tmp_path):
    path = tmp_path / "small.md"
    path.write_bytes(SMALL)
    out = io.StringIO()

    call_command("import_document", str(path), stdout=out)

    text = out.getvalue()
    assert "要点（point）：2" in text and "专题（topic）：1" in text and "标题（title）：1" in text
    assert "当前版本：v1（small.md）" in text


def test_the_command_dry_run_reports_without_writing(tmp_path):
    path = tmp_path / "small.md"
    path.write_bytes(SMALL)
    out = io.StringIO()

    call_command("import_document", str(path), "--dry-run", stdout=out)

    assert "试运行" in out.getvalue() and "当前版本：无" in out.getvalue()
    assert not DocumentVersion.objects.exists()


def test_the_command_names_the_line_of_a_bad_file(tmp_path):
    path = tmp_path / "bad.md"
    path.write_bytes("# 标题\n\n### 跳级\n".encode())

    with pytest.raises(CommandError, match="第 3 行"):
        call_command("import_document", str(path))


def test_the_command_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="无法读取"):
        call_command("import_document", str(tmp_path / "missing.md"))
