"""import_document never reads more of a file than the import limit allows."""

import io
import os
import threading
import tracemalloc

import pytest
from django.core.management import CommandError, call_command

from studyapp.documents.models import DocumentVersion
from studyapp.documents.parsing import MAX_SOURCE_BYTES
from studyapp.documents.services import read_source

pytestmark = pytest.mark.django_db

SMALL = "# 小文件\n\n## 部分\n\n### (一) 任务\n\n#### 专题\n\n第一行“甲乙”  \n第二行12351\n".encode()


def test_a_file_just_over_the_limit_is_refused_with_the_parsers_message(tmp_path):
    path = tmp_path / "big.md"
    path.write_bytes(b"# t\n" + b"x" * (MAX_SOURCE_BYTES - 3))

    with pytest.raises(CommandError) as caught:
        call_command("import_document", str(path))

    assert str(caught.value) == f"big.md：文件过大（{MAX_SOURCE_BYTES + 1} 字节），上限为 {MAX_SOURCE_BYTES} 字节。"
    assert not DocumentVersion.objects.exists()


def test_a_large_file_is_measured_not_read(tmp_path):
    path = tmp_path / "huge.md"
    with path.open("wb") as file:
        file.write(b"# t\n")
        file.truncate(64 * MAX_SOURCE_BYTES)  # sparse: 64 MiB on paper, nothing on disk

    tracemalloc.start()
    try:
        with pytest.raises(CommandError, match=f"文件过大（{64 * MAX_SOURCE_BYTES} 字节）"):
            call_command("import_document", str(path))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 4 * MAX_SOURCE_BYTES


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_an_endless_stream_is_read_only_just_past_the_limit(tmp_path):
    """Like /dev/zero: a pipe has no size to measure, so the reader must stop by itself."""
    path = tmp_path / "stream.md"
    os.mkfifo(path)
    offered = 32 * MAX_SOURCE_BYTES
    written = [0]

    def feed() -> None:
        chunk = b"x" * 65536
        try:
            with path.open("wb") as pipe:
                while written[0] < offered:
                    pipe.write(chunk)
                    written[0] += len(chunk)
        except BrokenPipeError:
            pass  # the reader stopped, as it should

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    with pytest.raises(CommandError, match="文件过大（超过 1048576 字节），上限为 1048576 字节。"):
        call_command("import_document", str(path))
    writer.join(timeout=10)

    assert not writer.is_alive()
    assert written[0] < offered / 2
    assert not DocumentVersion.objects.exists()


def test_a_small_stream_is_imported(tmp_path):
    path = tmp_path / "stream.md"
    os.mkfifo(path)

    def feed() -> None:
        with path.open("wb") as pipe:
            pipe.write(SMALL)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    call_command("import_document", str(path), stdout=io.StringIO())
    writer.join(timeout=10)

    assert DocumentVersion.objects.get().source_text == SMALL.decode()


def test_read_source_returns_a_file_of_exactly_the_limit(tmp_path):
    path = tmp_path / "limit.md"
    path.write_bytes(b"x" * MAX_SOURCE_BYTES)

    assert len(read_source(path)) == MAX_SOURCE_BYTES


def test_a_directory_is_reported_as_unreadable(tmp_path):
    with pytest.raises(CommandError, match="无法读取"):
        call_command("import_document", str(tmp_path))


def test_a_file_over_the_line_limit_is_refused_by_the_command_and_stores_nothing(tmp_path):
    from studyapp.documents.parsing import MAX_SOURCE_LINES

    path = tmp_path / "long.md"
    path.write_bytes(SMALL + b"\n" * MAX_SOURCE_LINES)

    with pytest.raises(CommandError, match=f"long.md：文件行数过多（.* 行），上限为 {MAX_SOURCE_LINES} 行。"):
        call_command("import_document", str(path))

    assert not DocumentVersion.objects.exists()


def test_a_file_over_the_heading_limit_is_refused_by_the_command_and_stores_nothing(tmp_path):
    from studyapp.documents.parsing import MAX_HEADINGS

    path = tmp_path / "headings.md"
    path.write_bytes(SMALL + "#### 专题\n正文\n".encode() * MAX_HEADINGS)

    with pytest.raises(CommandError, match=f"headings.md：标题过多（.* 个），上限为 {MAX_HEADINGS} 个。"):
        call_command("import_document", str(path))

    assert not DocumentVersion.objects.exists()


def test_a_long_run_of_requirements_within_the_limits_is_imported(tmp_path):
    path = tmp_path / "requirements.md"
    path.write_bytes("# 标题\n\n## 请记住\n\n".encode() + "**要**坚持党的领导。\n\n".encode() * 3000)

    call_command("import_document", str(path), stdout=io.StringIO())

    version = DocumentVersion.objects.get()
    assert version.line_count == 3000
    assert list(
        version.nodes.filter(kind="requirement").order_by("position").values_list("number", flat=True)[2997:]
    ) == [
        "2998",
        "2999",
        "3000",
    ]
