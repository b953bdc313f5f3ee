import pytest

from studyapp.documents import parsing
from studyapp.documents.parsing import (
    MAX_HEADINGS,
    MAX_SOURCE_BYTES,
    MAX_SOURCE_LINES,
    DocumentFormatError,
    normalize_for_key,
    parse_document,
    split_heading_number,
    tidy_text,
)

MINIMAL = "# 标题\n\n## 部分\n\n### (一) 任务\n\n#### 专题\n\n第一行  \n第二行\n"


def parse(text: str):
    return parse_document(text.encode("utf-8"))


def kinds(doc) -> list[str]:
    return [node.kind for node in doc.nodes]


def test_the_published_document_has_the_expected_shape(seed_markdown):
    doc = parse_document(seed_markdown)

    assert doc.title == "中国工会十八大精神图解"
    assert doc.counts() == {"part": 3, "task": 11, "topic": 28, "point": 104, "paragraph": 2, "requirement": 8}
    points_under_topics = [n for n in doc.nodes if n.kind == "point" and doc.nodes[n.parent].kind == "topic"]
    assert len(points_under_topics) == 104


def test_task_headings_carry_their_chinese_numbers_in_order(seed_markdown):
    doc = parse_document(seed_markdown)
    tasks = [n for n in doc.nodes if n.kind == "task"]

    assert [t.number for t in tasks] == ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", ""]
    assert tasks[0].text == "总体要求"
    assert tasks[1].text == "坚持党的全面领导，引导职工群众更加紧密团结在党的周围"
    assert tasks[-1].text == "@工会干部"
    assert doc.children(doc.nodes.index(tasks[-1])) == []


def test_requirements_are_numbered_and_follow_the_lead_in_paragraph(seed_markdown):
    doc = parse_document(seed_markdown)
    remember = next(i for i, n in enumerate(doc.nodes) if n.kind == "part" and n.text == "请记住")
    children = [doc.nodes[i] for i in doc.children(remember)]

    assert [c.kind for c in children] == ["paragraph"] + ["requirement"] * 8
    assert children[0].text.endswith("强调——")
    assert [c.number for c in children[1:]] == [str(i) for i in range(1, 9)]
    assert all(c.text.startswith("要") for c in children[1:])
    assert children[5].text == "要深化产业工人队伍建设改革，努力建设高素质劳动大军。"


def test_hard_breaks_make_one_point_per_line_and_soft_breaks_join():
    doc = parse("# 标题\n\n## 部分\n\n### 任务\n\n#### 专题\n\n第一行  \n第二行\n接着第二行  \n第三行\n")

    assert [n.text for n in doc.nodes if n.kind == "point"] == ["第一行", "第二行接着第二行", "第三行"]
    assert [n.line for n in doc.nodes if n.kind == "point"] == [9, 10, 12]


def test_list_items_are_points_too():
    doc = parse("# 标题\n\n## 部分\n\n### 任务\n\n#### 专题\n\n- 甲项\n- 乙项\n")

    assert [n.text for n in doc.nodes if n.kind == "point"] == ["甲项", "乙项"]


def test_full_width_numbers_punctuation_and_spaces_are_tidied():
    doc = parse("# 标题\n\n## 部分\n\n### （三）　用心用情, 做好工作\n\n#### 专题\n\n加强工业园(区)建设,推进工作\n")
    task = next(n for n in doc.nodes if n.kind == "task")

    assert (task.number, task.text) == ("三", "用心用情，做好工作")
    assert doc.nodes[-1].text == "加强工业园（区）建设，推进工作"


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("(一) 坚持", ("一", "坚持")),
        ("（九）推动", ("九", "推动")),
        ("十、总结", ("十", "总结")),
        ("总体要求", ("", "总体要求")),
    ],
)
def test_heading_numbers_are_split_off(heading, expected):
    assert split_heading_number(heading) == expected


def test_tidy_text_keeps_latin_spacing_and_numbers():
    assert tidy_text("开展“网聚职工正能量  争做中国好网民”主题活动") == "开展“网聚职工正能量 争做中国好网民”主题活动"
    assert tidy_text("第一章　总则") == "第一章 总则"
    assert tidy_text("推进全国工会系统12351维权服务热线") == "推进全国工会系统12351维权服务热线"
    assert tidy_text("use  Django 5") == "use Django 5"


def test_keys_are_unique_stable_and_ignore_width_and_spacing(seed_markdown):
    first = parse_document(seed_markdown)
    second = parse_document(seed_markdown)
    keys = [n.key for n in first.nodes]

    assert len(set(keys)) == len(keys)
    assert keys == [n.key for n in second.nodes]
    assert normalize_for_key("（一）ａ Ｂ") == normalize_for_key("(一)ab")


def test_a_line_that_moves_keeps_its_text_key_but_not_its_key():
    before = parse("# 标题\n\n## 部分\n\n### 任务\n\n#### 专题甲\n\n共同的一行\n\n#### 专题乙\n\n另一行\n")
    after = parse("# 标题\n\n## 部分\n\n### 任务\n\n#### 专题甲\n\n另一行\n\n#### 专题乙\n\n共同的一行\n")
    moved_before = next(n for n in before.nodes if n.text == "共同的一行")
    moved_after = next(n for n in after.nodes if n.text == "共同的一行")

    assert moved_before.text_key == moved_after.text_key
    assert moved_before.key != moved_after.key


def test_repeated_lines_under_one_heading_get_distinct_keys():
    doc = parse("# 标题\n\n## 部分\n\n### 任务\n\n#### 专题\n\n同一行  \n同一行\n")
    points = [n for n in doc.nodes if n.kind == "point"]

    assert points[0].key != points[1].key
    assert points[0].text_key == points[1].text_key


def test_windows_line_endings_and_a_byte_order_mark_are_accepted():
    data = ("\ufeff" + MINIMAL).replace("\n", "\r\n").encode("utf-8")

    assert [n.text for n in parse_document(data).nodes if n.kind == "point"] == ["第一行", "第二行"]


# Refusals: each names what is wrong and, where it can, the line.


def refusal(data: bytes) -> DocumentFormatError:
    with pytest.raises(DocumentFormatError) as caught:
        parse_document(data)
    return caught.value


def test_an_empty_file_is_refused():
    assert "空" in refusal(b"  \n\n ").message


def test_text_that_is_not_utf8_is_refused_with_its_line():
    error = refusal("# 标题\n\n## 部分\n".encode() + "错误编码".encode("gb18030"))

    assert "UTF-8" in error.message
    assert error.line == 4


def test_a_binary_file_is_refused_with_its_line():
    error = refusal(b"# title\n\nabc\x00\x01\x02")

    assert "二进制" in error.message
    assert error.line == 3


def test_a_file_over_the_size_limit_is_refused():
    error = refusal(MINIMAL.encode() + b"x" * MAX_SOURCE_BYTES)

    assert "过大" in error.message


def test_a_document_without_a_title_is_refused():
    error = refusal("## 部分\n\n内容\n".encode())

    assert "一级标题" in error.message
    assert error.line == 1


def test_a_heading_level_that_jumps_is_refused_with_its_line():
    error = refusal("# 标题\n\n### 任务\n".encode())

    assert "跳跃" in error.message
    assert error.line == 3


def test_text_before_any_heading_is_refused_with_its_line():
    error = refusal("前言\n\n# 标题\n".encode())

    assert "之前" in error.message
    assert error.line == 1


def test_a_second_title_is_refused():
    error = refusal("# 标题\n\n## 部分\n\n# 又一个标题\n".encode())

    assert error.line == 5


def test_headings_deeper_than_four_levels_are_refused():
    error = refusal("# 标题\n\n## 部分\n\n### 任务\n\n#### 专题\n\n##### 太深\n".encode())

    assert error.line == 9


def test_unsupported_blocks_are_refused_with_their_line():
    error = refusal("# 标题\n\n## 部分\n\n```\ncode\n```\n".encode())

    assert error.line == 5


def test_the_error_message_reads_with_the_line_number():
    assert str(refusal("前言\n\n# 标题\n".encode())).startswith("第 1 行：")


# --- Limits, checked before parsing, and long runs of “要” ------------------------------------------

REQUIREMENT_LINE = "**要**坚持党对工运事业和工会工作的领导。"


def test_a_file_over_the_line_limit_is_refused_before_parsing(monkeypatch):
    text = "# 标题\n\n## 部分\n" + "一行\n" * (MAX_SOURCE_LINES - 3)
    assert text.count("\n") == MAX_SOURCE_LINES
    parse(text)  # exactly at the limit (a last line without "\n" counts too)

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed a file over the limit")

    monkeypatch.setattr(parsing, "MarkdownIt", no_parsing)
    error = refusal((text + "多一行").encode())

    assert error.line == 0
    assert str(error) == f"文件行数过多（{MAX_SOURCE_LINES + 1} 行），上限为 {MAX_SOURCE_LINES} 行。"


def test_a_file_over_the_heading_limit_is_refused_before_parsing(monkeypatch):
    text = "# 标题\n" + "## 部分\n段落\n" * (MAX_HEADINGS - 1)
    parse(text)  # exactly at the limit

    monkeypatch.setattr(parsing, "MarkdownIt", lambda *args: pytest.fail("parsed a file over the limit"))
    error = refusal((text + "## 多一个\n").encode())

    assert str(error) == f"标题过多（{MAX_HEADINGS + 1} 个），上限为 {MAX_HEADINGS} 个。"


def test_underlined_headings_count_towards_the_heading_limit():
    text = "# 标题\n" + "部分\n---\n段落\n" * MAX_HEADINGS

    assert str(refusal(text.encode())) == f"标题过多（{MAX_HEADINGS + 1} 个），上限为 {MAX_HEADINGS} 个。"


def test_hashes_that_are_not_headings_do_not_count():
    text = "# 标题\n\n## 部分\n\n" + "#话题# 不是标题  \n" * (MAX_HEADINGS + 1)

    assert parse(text).counts()["paragraph"] == MAX_HEADINGS + 1


def test_a_long_run_of_requirements_is_numbered_in_order_under_each_heading():
    count = 4000
    text = "# 标题\n\n## 甲\n\n" + "\n\n".join([REQUIREMENT_LINE] * count) + "\n\n## 乙\n\n" + REQUIREMENT_LINE + "\n"

    doc = parse(text)

    requirements = [node for node in doc.nodes if node.kind == "requirement"]
    assert [node.number for node in requirements] == [str(n) for n in range(1, count + 1)] + ["1"]
    assert len({node.key for node in requirements}) == count + 1
    assert requirements[-1].parent == next(i for i, node in enumerate(doc.nodes) if node.text == "乙")


class _CountingList(list):
    """A node list that counts how often it is walked from the start."""

    walks = 0

    def __iter__(self):
        type(self).walks += 1
        return super().__iter__()


def test_numbering_a_requirement_does_not_walk_the_nodes_before_it(monkeypatch):
    """Numbering each “要” by counting its siblings among all nodes made parsing quadratic:
    a long run of them must walk the node list a fixed number of times, not once per line."""

    class CountingDocument(parsing.ParsedDocument):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.nodes = _CountingList()

    monkeypatch.setattr(parsing, "ParsedDocument", CountingDocument)
    monkeypatch.setattr(_CountingList, "walks", 0)

    doc = parse("# 标题\n\n## 甲\n\n" + "\n\n".join([REQUIREMENT_LINE] * 500) + "\n")

    assert isinstance(doc.nodes, _CountingList) and _CountingList.walks > 0
    walks = _CountingList.walks
    assert doc.counts()["requirement"] == 500
    assert walks < 10
