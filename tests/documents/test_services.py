import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from studyapp.documents import services
from studyapp.documents.models import Document, DocumentVersion, ImportLog, Node
from studyapp.documents.parsing import DocumentFormatError
from studyapp.documents.services import TitleChangeError, document_import, version_activate
from studyapp.documents.signals import QuestionChange, version_activated

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


# --- The same text in other clothes is no new version ----------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        SMALL.replace(b"\n", b"\r\n"),
        SMALL.replace(b"\n", b"\r"),
        b"\xef\xbb\xbf" + SMALL,
        SMALL + b"\n\n  \t\n",
        SMALL.rstrip(b"\n"),
        b"\xef\xbb\xbf" + SMALL.replace(b"\n", b"\r\n") + b"\r\n",
    ],
    ids=["crlf", "cr", "bom", "trailing-blank-lines", "no-final-newline", "all-at-once"],
)
def test_a_text_differing_only_in_line_endings_bom_or_final_whitespace_is_a_duplicate(variant):
    first = document_import(source=SMALL, source_name="small.md").version

    again = document_import(source=variant, source_name="small-windows.md")

    assert again.duplicate_of == first
    assert DocumentVersion.objects.count() == 1


def test_a_change_inside_the_text_is_still_a_new_version():
    document_import(source=SMALL, source_name="small.md")

    again = document_import(source=SMALL.replace("第二行".encode(), "第二行 ".encode()), source_name="v2.md")

    assert again.duplicate_of is None and again.version.number == 2


def test_a_version_hashed_over_its_raw_bytes_is_still_found():
    first = document_import(source=SMALL, source_name="small.md").version
    DocumentVersion.objects.filter(pk=first.pk).update(source_sha256=hashlib.sha256(SMALL).hexdigest())

    again = document_import(source=SMALL, source_name="small.md")

    assert again.duplicate_of == first


# --- A text without lines ------------------------------------------------------------------------

TITLE_ONLY = "# 小文件\n\n## 部分\n\n### (一) 任务\n\n#### 专题\n".encode()


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_text_with_headings_but_no_lines_is_refused(dry_run):
    document_import(source=SMALL, source_name="small.md")

    with pytest.raises(DocumentFormatError, match="没有任何正文"):
        document_import(source=TITLE_ONLY, source_name="empty.md", activate=True, dry_run=dry_run)

    assert DocumentVersion.objects.count() == 1 and DocumentVersion.objects.get().is_active


def test_the_command_refuses_a_text_without_lines(tmp_path):
    path = tmp_path / "empty.md"
    path.write_bytes(TITLE_ONLY)

    with pytest.raises(CommandError, match="empty.md：文件只有标题，没有任何正文"):
        call_command("import_document", str(path), "--activate")

    assert not DocumentVersion.objects.exists()


def test_a_stored_version_without_lines_cannot_be_activated():
    first = document_import(source=SMALL, source_name="small.md").version
    second = document_import(source=SMALL.replace("第二行".encode(), "第三行".encode()), source_name="v2.md").version
    second.nodes.studyable().delete()  # as a title-only import stored before they were refused

    with pytest.raises(ValidationError, match="没有任何正文"):
        version_activate(version=second)

    first.refresh_from_db()
    assert first.is_active and not ImportLog.objects.filter(action="activate", version=second).exists()


# --- Another document's text -----------------------------------------------------------------------

LAW = "# 中华人民共和国工会法\n\n## 第一章 总则\n\n第一条 为保障工会在国家政治、经济和社会生活中的地位。\n".encode()


def test_a_text_with_another_title_is_flagged():
    document_import(source=SMALL, source_name="small.md")

    result = document_import(source=LAW, source_name="law.md")

    assert result.title_changed_from == "小文件" and not result.activated


def test_with_same_title_a_text_with_another_title_is_refused_and_nothing_stored():
    document_import(source=SMALL, source_name="small.md")

    with pytest.raises(TitleChangeError, match="《中华人民共和国工会法》与当前版本的《小文件》不同"):
        document_import(source=LAW, source_name="law.md", activate=True, same_title=True)

    assert DocumentVersion.objects.count() == 1


def test_the_command_activates_another_title_only_when_told_to(tmp_path):
    document_import(source=SMALL, source_name="small.md")
    path = tmp_path / "law.md"
    path.write_bytes(LAW)

    with pytest.raises(CommandError, match="--confirm-title-change"):
        call_command("import_document", str(path), "--activate", stdout=io.StringIO())
    assert DocumentVersion.objects.count() == 1

    err = io.StringIO()
    call_command("import_document", str(path), "--activate", "--confirm-title-change", stdout=io.StringIO(), stderr=err)
    assert DocumentVersion.objects.get(is_active=True).title == "中华人民共和国工会法"
    assert "小文件" in err.getvalue()


def test_the_command_warns_when_it_stores_another_title(tmp_path):
    document_import(source=SMALL, source_name="small.md")
    path = tmp_path / "law.md"
    path.write_bytes(LAW)
    err = io.StringIO()

    call_command("import_document", str(path), stdout=io.StringIO(), stderr=err)

    assert "注意：标题与当前版本的《小文件》不同" in err.getvalue()
    assert DocumentVersion.objects.get(is_active=True).title == "小文件"


# --- Reactivated questions -------------------------------------------------------------------------


def test_reactivated_questions_are_logged_and_read_back():
    change = QuestionChange(created=1, kept=2, retired=3, reactivated=4)

    assert change.total == 7
    assert QuestionChange.from_log(change.as_log()) == change
    assert QuestionChange.from_log({"questions_created": 1}).reactivated == 0


def test_the_activation_log_holds_the_reactivated_questions(monkeypatch):
    document_import(source=SMALL, source_name="small.md")
    second = document_import(source=SMALL.replace("第二行".encode(), "第三行".encode()), source_name="v2.md").version
    monkeypatch.setattr(services, "activation_changes", lambda **kwargs: [QuestionChange(0, 5, 1, reactivated=9)])

    entry = version_activate(version=second)

    assert entry.counts["questions_reactivated"] == 9


# --- Activation: the slow work before the transaction ----------------------------------------------


def test_the_bank_is_generated_before_the_activation_transaction_and_only_written_in_it(seed_markdown, monkeypatch):
    from django.db import connection

    from quizzes import bank
    from quizzes.models import Question

    document_import(source=seed_markdown, source_name="seed.md")
    second = document_import(source=SMALL, source_name="small.md").version
    bank.generated_bank.cache_clear()
    generate = bank.generated_bank
    depths = []

    def generated_bank(source_text, seed):
        depths.append(len(connection.savepoint_ids))  # tests run in a transaction: count the blocks inside it
        return generate(source_text, seed)

    monkeypatch.setattr(bank, "generated_bank", generated_bank)
    outside = len(connection.savepoint_ids)

    version_activate(version=second)

    assert depths == [outside]  # generated once, outside the activation's atomic block
    generated = {question.key for question in generate(second.source_text, bank.bank_seed())}
    assert set(Question.objects.active().values_list("key", flat=True)) == generated


def test_a_version_activated_between_prepare_and_swap_leaves_the_bank_of_the_one_activated_last(
    seed_markdown, monkeypatch
):
    """Another activation slips in while the bank is generated: the swap diffs against the bank
    as it finds it, so the bank ends as the generated one of the version activated last."""
    from quizzes import bank
    from quizzes.models import Question
    from studyapp.documents import signals

    document_import(source=seed_markdown, source_name="seed.md")
    second = document_import(source=SMALL, source_name="v2.md").version
    third = document_import(source=SMALL.replace("第二行".encode(), "第三行".encode()), source_name="v3.md").version
    prepare = bank.bank_on_preparing
    slipped_in = []

    def preparing(sender, *, source_text, **kwargs):
        prepared = prepare(sender, source_text=source_text)
        if source_text == second.source_text:  # while v2's bank is generated, v3 is activated
            slipped_in.append(version_activate(version=third))
        return prepared

    monkeypatch.setattr(signals, "version_preparing", signals.Signal())
    signals.version_preparing.connect(preparing, weak=False)

    entry = version_activate(version=second)

    assert [logged.version for logged in slipped_in] == [third]
    assert entry.version == second and entry.counts["previous"] == 3
    assert DocumentVersion.objects.get(is_active=True) == second
    generated = {question.key for question in bank.generated_bank(second.source_text, bank.bank_seed())}
    assert set(Question.objects.active().values_list("key", flat=True)) == generated
    assert entry.counts["questions_retired"] > 0  # v3's own questions, retired by the swap


def test_a_version_deleted_before_its_activation_swaps_in_is_refused():
    document_import(source=SMALL, source_name="small.md")
    second = document_import(source=SMALL.replace("第二行".encode(), "第三行".encode()), source_name="v2.md").version
    DocumentVersion.objects.filter(pk=second.pk).delete()

    with pytest.raises(ValidationError, match="v2 已被删除，不能启用。"):
        version_activate(version=second)


# --- The log outlives the versions ---------------------------------------------------------------------


def test_the_log_of_a_deleted_version_survives_when_the_version_active_then_is_deleted(monkeypatch):
    """Without a question bank no version is protected; the delete of v3 was logged while v2 was
    active, and deleting v2 later must not take that entry (nor v2's own) with it."""
    from studyapp.documents import selectors, signals

    for name in ("version_preparing", "version_activated"):
        monkeypatch.setattr(signals, name, signals.Signal())
    texts = [SMALL.replace("第二行".encode(), f"第{n}行".encode()) for n in "一二三"]
    first = document_import(source=texts[0], source_name="v1.md").version
    second = document_import(source=texts[1], source_name="v2.md", activate=True).version
    third = document_import(source=texts[2], source_name="v3.md").version

    services.version_delete(version=third)
    version_activate(version=first)
    services.version_delete(version=second)

    deletes = ImportLog.objects.filter(action="delete").order_by("id")
    assert [(entry.version, entry.version_number, entry.counts["version"]) for entry in deletes] == [
        (None, 3, 3),
        (None, 2, 2),
    ]
    log = selectors.import_log(first.document_id)
    assert sorted((entry.action, entry.version_number) for entry in log) == [
        ("activate", 1),
        ("activate", 2),
        ("delete", 2),
        ("delete", 3),
        ("import", 1),
        ("import", 2),
        ("import", 3),
        ("rollback", 1),
    ]
    assert all(entry.document_id == first.document_id for entry in log)
    assert str(deletes[0]).startswith("删除版本 v3")
