"""The 题库 Excel import (quizzes/curation/spreadsheet.py): files built in memory with openpyxl."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

import openpyxl
import pytest

from quizzes.core.kinds import KINDS
from quizzes.curation import spreadsheet
from quizzes.curation.drafts import QuestionDraft
from quizzes.curation.spreadsheet import COLUMNS, MAX_ROWS, UNREADABLE, read_workbook, template_workbook

HEADER = list(COLUMNS)


def xlsx(rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER, setup=None) -> bytes:
    """An .xlsx file: `header` in row 1, then `rows`; `setup(sheet)` may change the sheet first."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    if setup:
        setup(sheet)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def row(kind: str, prompt: str, options: Sequence[str] = (), answer: Any = "", **rest: str) -> list[Any]:
    """A row in the template's column order."""
    cells = {"题型": kind, "题干": prompt, "答案": answer, **rest}
    cells.update({f"选项{letter}": text for letter, text in zip("ABCDEF", options, strict=False)})
    return [cells.get(column) for column in COLUMNS]


def one_draft(*cells: Any, **rest: str) -> QuestionDraft:
    preview = read_workbook(xlsx([row(*cells, **rest)]))
    assert preview.file_errors == []
    [outcome] = preview.rows
    assert outcome.errors == []
    assert outcome.draft is not None
    return outcome.draft


def errors_of(*cells: Any, **rest: str) -> list[str]:
    preview = read_workbook(xlsx([row(*cells, **rest)]))
    assert preview.file_errors == []
    [outcome] = preview.rows
    assert not outcome.accepted
    assert outcome.draft is None
    return outcome.errors


def right(draft: QuestionDraft, given: Any) -> bool:
    return KINDS[draft.type].check(draft, given).is_correct


SPIRITS = ["工匠精神", "奉献精神", "创新精神", "奋斗精神"]


# --- Each kind ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["单选", "单选题", "单项选择", "单项选择题", " 单选 "])
@pytest.mark.parametrize(("answer", "index"), [("A", 0), ("b", 1), ("Ｃ", 2), ("ｄ", 3), (" D ", 3)])
def test_choice(kind, answer, index):
    draft = one_draft(kind, "要大力弘扬劳模精神、劳动精神、（　）。", SPIRITS, answer, 解析="原文如此")
    assert draft.type == "choice"
    assert draft.prompt == "要大力弘扬劳模精神、劳动精神、（　）。"
    assert draft.choices == SPIRITS
    assert draft.answer_index == index
    assert draft.explanation == "原文如此"
    assert right(draft, index)
    assert not right(draft, (index + 1) % 4)


def test_choice_with_two_options_and_six():
    assert one_draft("单选", "题", ["对的", "错的"], "B").choices == ["对的", "错的"]
    six = one_draft("单选", "题", list("一二三四五六"), "F")
    assert six.choices == list("一二三四五六")
    assert six.answer_index == 5


@pytest.mark.parametrize("kind", ["多选", "多选题", "多项选择", "多项选择题"])
@pytest.mark.parametrize("answer", ["ABD", "A,B,D", "A，B，D", "A、B、D", "abd", "ＡＢＤ", "D B A", "A;B;D"])
def test_multiselect(kind, answer):
    draft = one_draft(kind, "要大力弘扬哪些精神？", ["劳模精神", "劳动精神", "企业家精神", "工匠精神"], answer)
    assert draft.type == "multiselect"
    assert draft.choices == ["劳模精神", "劳动精神", "企业家精神", "工匠精神"]
    assert draft.correct_choices == [0, 1, 3]
    assert right(draft, [0, 1, 3])
    assert not right(draft, [0, 1])
    assert not right(draft, [0, 1, 2, 3])


@pytest.mark.parametrize(
    ("answer", "truth"),
    [
        ("对", True),
        ("正确", True),
        ("√", True),
        ("T", True),
        ("t", True),
        ("是", True),
        (True, True),  # Excel's TRUE
        ("错", False),
        ("错误", False),
        ("×", False),
        ("F", False),
        ("Ｆ", False),
        ("否", False),
        (False, False),
    ],
)
def test_truefalse(answer, truth):
    draft = one_draft("判断题", "要坚持以职工为中心的工作导向。", (), answer)
    assert draft.type == "truefalse"
    assert draft.answer_index == (1 if truth else 0)
    assert draft.choices == []
    assert right(draft, truth)
    assert not right(draft, not truth)


def test_cloze_one_blank():
    draft = one_draft("填空", "要坚持以＿＿为中心的工作导向", (), "职工")
    assert draft.type == "cloze"
    assert draft.prompt == "要坚持以＿＿为中心的工作导向"
    assert draft.blanks == [{"answer": "职工", "accepted": [], "group": 0, "any_order": False}]
    assert right(draft, ["职工"])
    assert not right(draft, ["企业"])


def test_cloze_marks_normalised_and_answers_split():
    draft = one_draft("填空题", "要大力弘扬___、劳动精神、（  ），依靠( )创造。", (), "劳模精神/劳模 | 工匠精神｜劳动")
    assert draft.prompt == "要大力弘扬＿＿＿、劳动精神、＿＿＿＿，依靠＿＿＿创造。"
    assert [blank["answer"] for blank in draft.blanks] == ["劳模精神", "工匠精神", "劳动"]
    assert draft.blanks[0]["accepted"] == ["劳模"]
    assert [blank["group"] for blank in draft.blanks] == [0, 1, 2]
    assert right(draft, ["劳模", "工匠精神", "劳动"])
    assert right(draft, ["劳模精神", "工匠精神", "劳动"])
    assert not right(draft, ["工匠精神", "劳模精神", "劳动"])


@pytest.mark.parametrize(
    ("prompt", "normalised"),
    [
        ("以_为中心", "以＿＿为中心"),
        ("以＿为中心", "以＿＿为中心"),
        ("以（）为中心", "以＿＿为中心"),
        ("以(　)为中心", "以＿＿＿为中心"),
    ],
)
def test_cloze_blank_marks_become_runs_of_at_least_two_low_lines(prompt, normalised):
    assert one_draft("填空", prompt, (), "职工").prompt == normalised


def test_cloze_semicolons_separate_answers_when_the_count_matches():
    assert [b["answer"] for b in one_draft("填空", "＿＿和＿＿", (), "职工；群众").blanks] == ["职工", "群众"]
    # One blank: the semicolon is part of the answer.
    assert one_draft("填空", "＿＿", (), "职工;群众").blanks[0]["answer"] == "职工;群众"


def test_cloze_number_typed_as_a_number():
    draft = one_draft("填空", "推进全国工会系统＿＿维权服务热线建设", (), 12351)
    assert draft.blanks[0]["answer"] == "12351"
    assert right(draft, ["12351"])
    assert one_draft("填空", "＿＿", (), 2024.0).blanks[0]["answer"] == "2024"
    assert one_draft("填空", "＿＿", (), 3.5).blanks[0]["answer"] == "3.5"


@pytest.mark.parametrize("kind", ["连线", "连线题", "匹配", "匹配题"])
@pytest.mark.parametrize("answer", ["", "按选项配对", None])
def test_matching(kind, answer):
    options = ["根本方针=全心全意依靠工人阶级", "工作导向 ＝ 以职工为中心", "时代主题->民族复兴", "首要任务→高质量发展"]
    draft = one_draft(kind, "将提法与内容连线", options, answer)
    assert draft.type == "matching"
    assert draft.pairs == [
        ["根本方针", "全心全意依靠工人阶级"],
        ["工作导向", "以职工为中心"],
        ["时代主题", "民族复兴"],
        ["首要任务", "高质量发展"],
    ]
    assert right(draft, [0, 1, 2, 3])
    assert not right(draft, [1, 0, 2, 3])


# --- Row errors ----------------------------------------------------------------------------------


def test_answer_not_among_the_options():
    assert errors_of("单选", "题", SPIRITS, "E") == ["第2行：答案“E”不在已填写的选项中（A–D）"]
    assert errors_of("单选", "题", SPIRITS, "G") == ["第2行：答案“G”应是选项字母，如“A”或“ABD”"]


def test_choice_errors():
    assert errors_of("单选", "题", ["只有一个"], "A") == ["第2行：单选题至少要有 2 个选项（已填写 1 个）"]
    assert errors_of("单选", "题", SPIRITS, "AB") == [
        "第2行：答案“AB”有 2 个字母，单选题只能有一个答案（多个答案请把题型改为“多选”）"
    ]
    assert errors_of("单选", "题", ["甲", "乙", "甲"], "A") == ["第2行：选项C的选项“甲”与选项A重复"]


def test_options_must_be_contiguous_from_a():
    assert errors_of("单选", "题", ["甲", "乙", "", "丁"], "A") == [
        "第2行：选项C为空，但后面的选项已填写：选项要从A起连续填写"
    ]
    assert errors_of("单选", "题", ["甲", "乙", "", "丁"], "D") == [
        "第2行：选项C为空，但后面的选项已填写：选项要从A起连续填写"
    ]
    assert errors_of("单选", "题", ["甲", "乙", "", "丁"], "C") == [
        "第2行：选项C为空，但后面的选项已填写：选项要从A起连续填写",
        "第2行：答案“C”不在已填写的选项中（A、B、D）",
    ]


def test_multiselect_errors():
    options = ["甲", "乙", "丙"]
    assert errors_of("多选", "题", options, "B") == [
        "第2行：答案“B”只有 1 个，多选题至少要有 2 个正确答案（只有一个正确答案请把题型改为“单选”）"
    ]
    assert errors_of("多选", "题", options, "ABA") == ["第2行：答案“ABA”中有重复的字母"]
    assert errors_of("多选", "题", options, "ABE") == ["第2行：答案“E”不在已填写的选项中（A–C）"]


def test_truefalse_errors():
    assert errors_of("判断", "题", (), "也许") == [
        "第2行：答案“也许”无法识别：判断题请填写“对”或“错”（也可写 正确/错误、√/×、T/F、是/否）"
    ]
    assert errors_of("判断", "题", ["正确", "错误"], "对") == ["第2行：判断题不用填写选项（已填写选项A、选项B）"]


def test_cloze_errors():
    assert errors_of("填空", "没有空的题干", (), "职工") == ["第2行：题干中没有找到空：请用＿＿或（　）标出要填的位置"]
    assert errors_of("填空", "＿＿和＿＿", (), "职工") == ["第2行：答案有 1 个，题干有 2 个空：每个空的答案用“|”隔开"]
    assert errors_of("填空", "＿＿和＿＿", (), "甲|乙|丙") == [
        "第2行：答案有 3 个，题干有 2 个空：每个空的答案用“|”隔开"
    ]
    assert errors_of("填空", "＿＿和＿＿", (), "甲|/") == ["第2行：第2个空的答案为空"]
    assert errors_of("填空", "＿＿", (), "……") == ["第2行：答案“……”只有标点或符号，学员无法答对"]


def test_matching_errors():
    assert errors_of("连线", "连线", ["甲=1", "乙=2"]) == [
        "第2行：连线题至少要有 3 对（已填写 2 个选项），每个选项写成“左项=右项”"
    ]
    assert errors_of("连线", "连线", ["甲=1", "乙", "丙=", "甲=3", "丁=1"], "A") == [
        "第2行：选项B“乙”不是“左项=右项”的形式",
        "第2行：选项C“丙=”缺少右项",
        "第2行：选项D的左项“甲”与选项A重复",
        "第2行：选项E的右项“1”与选项A重复",
        "第2行：答案“A”：连线题的配对写在选项里，答案请留空或填写“按选项配对”",
    ]


def test_every_problem_of_a_row_is_listed():
    preview = read_workbook(xlsx([row("单选", "", ["甲", "", "丙"], "", 所属章节="不存在的章节")]))
    [outcome] = preview.rows
    assert outcome.errors == [
        "第2行：题干为空",
        "第2行：选项B为空，但后面的选项已填写：选项要从A起连续填写",
        "第2行：答案为空",
    ]
    refused = read_workbook(xlsx([row("问答", "", (), "", 所属章节="不存在的章节")]), known_sections=["“八个要”"]).rows[
        0
    ]
    assert refused.errors == [
        "第2行：题型“问答”无法识别，应为单选、多选、判断、填空、连线之一",
        "第2行：题干为空",
        "第2行：所属章节“不存在的章节”不是文档中的标题",
    ]


def test_empty_rows_are_skipped_and_numbers_are_excel_rows():
    rows = [row("填空", "＿＿", (), "甲"), [None] * len(COLUMNS), ["  ", "\u3000"], row("填空", "＿＿", (), "")]
    preview = read_workbook(xlsx(rows))
    assert [outcome.number for outcome in preview.rows] == [2, 5]
    assert preview.rows[1].errors == ["第5行：答案为空"]
    assert len(preview.accepted) == 1
    assert [outcome.number for outcome in preview.refused] == [5]
    assert not preview.ok


def test_empty_type():
    assert errors_of("", "题", (), "对") == ["第2行：题型为空"]


# --- 所属章节 ---------------------------------------------------------------------------------------

SECTIONS = ["“八个要”", "(一) 坚持党的全面领导, 引导职工群众更加紧密团结在党的周围"]


def test_section_kept_without_known_sections():
    assert one_draft("填空", "＿＿", (), "甲", 所属章节="任何标题").section == "任何标题"


def test_section_checked_against_known_sections():
    rows = [
        row("填空", "＿＿", (), "甲", 所属章节="“八个要”"),
        row("填空", "＿＿", (), "甲", 所属章节="（一）坚持党的全面领导，引导职工群众更加紧密团结在党的周围"),
        row("填空", "＿＿", (), "甲", 所属章节="第九章"),
        row("填空", "＿＿", (), "甲"),
    ]
    preview = read_workbook(xlsx(rows), known_sections=SECTIONS)
    drafts = [outcome.draft for outcome in preview.rows]
    assert drafts[0] is not None and drafts[0].section == "“八个要”"
    # Typed with full-width punctuation: found, and stored as the document writes it.
    assert drafts[1] is not None and drafts[1].section == SECTIONS[1]
    assert preview.rows[2].errors == ["第4行：所属章节“第九章”不是文档中的标题"]
    assert drafts[3] is not None and drafts[3].section == ""


# --- The template ------------------------------------------------------------------------------------


def test_template_reads_back_with_every_example_accepted(seed_markdown):
    headings = re.findall(r"^#+\s*(.+?)\s*$", seed_markdown.decode(), flags=re.MULTILINE)
    preview = read_workbook(template_workbook(), known_sections=headings)
    assert preview.file_errors == []
    assert preview.ok
    drafts = [outcome.draft for outcome in preview.rows]
    assert [draft.type for draft in drafts if draft] == ["choice", "multiselect", "truefalse", "cloze", "matching"]
    for draft in drafts:
        assert draft is not None
        assert KINDS[draft.type].check(draft, KINDS[draft.type].right_answer(draft)).is_correct
    cloze = drafts[3]
    assert cloze is not None
    assert cloze.prompt.startswith("要坚持以＿＿为中心的工作导向")
    assert cloze.blanks[0]["answer"] == "职工"
    assert "劳模精神、劳动精神、工匠精神" in seed_markdown.decode()


def test_template_layout():
    workbook = openpyxl.load_workbook(io.BytesIO(template_workbook()))
    sheet, guide = workbook.worksheets
    assert [cell.value for cell in sheet[1]] == HEADER
    assert sheet.column_dimensions["B"].width == 60
    [validation] = sheet.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == '"单选,多选,判断,填空,连线"'
    assert "A2" in validation.sqref
    assert guide.title == "填写说明"
    guide_text = "\n".join(str(cell.value) for line in guide.iter_rows() for cell in line if cell.value)
    for column in ("题型", "题干", "答案", "解析", "所属章节", "按选项配对", "左项=右项", "|"):
        assert column in guide_text


def test_first_sheet_is_read_even_when_another_is_active():
    workbook = openpyxl.load_workbook(io.BytesIO(template_workbook()))
    workbook.active = 1
    output = io.BytesIO()
    workbook.save(output)
    assert len(read_workbook(output.getvalue()).accepted) == 5


# --- A large file with a few bad rows ------------------------------------------------------------


def test_200_rows_with_5_bad_ones():
    good = [
        row("单选", "单选题", SPIRITS, "A"),
        row("多选", "多选题", SPIRITS, "AB"),
        row("判断", "判断题", (), "对"),
        row("填空", "以＿＿为中心", (), "职工"),
        row("连线", "连线题", ["甲=1", "乙=2", "丙=3"], ""),
    ]
    rows = [good[index % len(good)] for index in range(200)]
    bad = {
        10: (row("单选", "题", SPIRITS, ""), "第12行：答案为空"),
        50: (row("单选", "题", SPIRITS, "E"), "第52行：答案“E”不在已填写的选项中（A–D）"),
        99: (
            row("多选", "题", SPIRITS, "C"),
            "第101行：答案“C”只有 1 个，多选题至少要有 2 个正确答案（只有一个正确答案请把题型改为“单选”）",
        ),
        150: (row("填空", "＿＿与＿＿", (), "职工"), "第152行：答案有 1 个，题干有 2 个空：每个空的答案用“|”隔开"),
        199: (row("简答", "题", (), "答"), "第201行：题型“简答”无法识别，应为单选、多选、判断、填空、连线之一"),
    }
    for index, (bad_row, _message) in bad.items():
        rows[index] = bad_row
    preview = read_workbook(xlsx(rows))
    assert preview.file_errors == []
    assert len(preview.rows) == 200
    assert len(preview.accepted) == 195
    assert {outcome.number: outcome.errors for outcome in preview.refused} == {
        index + 2: [message] for index, (_row, message) in bad.items()
    }
    assert not preview.ok


# --- File errors -------------------------------------------------------------------------------------


def assert_file_refused(preview, *errors: str) -> None:
    assert preview.rows == []
    assert preview.file_errors == list(errors)
    assert not preview.ok


@pytest.mark.parametrize(
    "data",
    [b"", b"not a spreadsheet", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "题型,题干,答案\n".encode()],
    ids=["empty", "text", "xls", "csv"],
)
def test_not_an_xlsx(data):
    assert_file_refused(read_workbook(data), UNREADABLE)


def test_a_zip_that_is_not_a_workbook():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert_file_refused(read_workbook(output.getvalue()), UNREADABLE)


def test_missing_and_unknown_columns():
    header = ["题型", "题目内容", "选项A", "选项G", "难度", "正确答案"]
    assert_file_refused(
        read_workbook(xlsx([["单选", "题", "甲", "乙", "易", "A"]], header=header)),
        "无法识别的列：选项G、难度（可用的列：题型、题干、选项A、选项B、选项C、选项D、选项E、选项F、答案、解析、所属章节）",
    )
    assert_file_refused(
        read_workbook(xlsx([["单选", "A"]], header=["类型", "答案"])),
        "缺少必填列：题型、题干（第1行应是表头：题型、题干、选项A、选项B、选项C、选项D、选项E、选项F、答案、解析、所属章节）",
        "无法识别的列：类型（可用的列：题型、题干、选项A、选项B、选项C、选项D、选项E、选项F、答案、解析、所属章节）",
    )
    assert_file_refused(read_workbook(xlsx([], header=["题型", "题干", "答案", "题干"])), "表头重复的列：题干")


def test_header_variants_are_read():
    header = ["*题型", "题 干", "选项Ａ", "选项b", "答案", "答案解析", "章节"]
    preview = read_workbook(xlsx([["单选", "题", "甲", "乙", "b", "因为", "某章"]], header=header))
    [outcome] = preview.rows
    assert outcome.draft == QuestionDraft(
        type="choice", prompt="题", choices=["甲", "乙"], answer_index=1, explanation="因为", section="某章"
    )


def test_optional_columns_may_be_left_out():
    header = ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案"]
    preview = read_workbook(xlsx([["单选", "题", *SPIRITS, "D"], ["判断", "题", None, None, None, None, "错"]], header))
    assert preview.ok
    assert [outcome.draft.answer_index for outcome in preview.rows if outcome.draft] == [3, 0]


def test_content_under_no_header():
    preview = read_workbook(xlsx([["判断", "题", "对", None, "备注"]], header=["题型", "题干", "答案"]))
    assert_file_refused(preview, "第E列没有表头，但下面填写了内容")


def test_formulas_are_refused():
    rows = [row("填空", "＿＿", (), "=B3&C3"), row("单选", "题", ["=1+1", "乙"], "A")]
    assert_file_refused(
        read_workbook(xlsx(rows)),
        "I2 是公式（=B3&C3）：请复制后“选择性粘贴→数值”再上传",
        "C3 是公式（=1+1）：请复制后“选择性粘贴→数值”再上传",
    )


def test_formula_cells_are_seen_as_formulas():
    def set_formula(sheet):
        sheet["J2"] = '=CONCATENATE("职","工")'
        assert sheet["J2"].data_type == "f"

    preview = read_workbook(xlsx([row("填空", "＿＿", (), "")], setup=set_formula))
    assert preview.file_errors == ['J2 是公式（=CONCATENATE("职","工")）：请复制后“选择性粘贴→数值”再上传']


def test_many_formulas_are_counted():
    rows = [row("填空", "＿＿", (), f"=A{index}") for index in range(15)]
    errors = read_workbook(xlsx(rows)).file_errors
    assert len(errors) == 11
    assert errors[-1] == "另有 5 个公式单元格"


def test_merged_cells_are_refused():
    rows = [row("填空", "＿＿", (), "甲"), row("填空", "＿＿", (), "乙"), row("填空", "＿＿", (), "丙")]
    preview = read_workbook(xlsx(rows, setup=lambda sheet: sheet.merge_cells("B3:B4")))
    assert_file_refused(preview, "B3:B4 是合并单元格：请取消合并，每格填写完整")


def test_only_a_header():
    assert_file_refused(read_workbook(xlsx([])), "没有题目行：请从第2行起填写题目（第1行是表头）")
    assert_file_refused(
        read_workbook(xlsx([[None] * len(COLUMNS)] * 3)), "没有题目行：请从第2行起填写题目（第1行是表头）"
    )


def cheap_rows(count: int) -> bytes:
    return xlsx([["判断", f"第{index}题", None, None, None, None, None, None, "对"] for index in range(count)])


def test_more_than_5000_rows_are_refused_before_any_row_is_read(monkeypatch):
    data = cheap_rows(MAX_ROWS + 1)

    def must_not_run(*args, **kwargs):
        raise AssertionError("rows were read")

    monkeypatch.setattr(spreadsheet, "_first_sheet", must_not_run)
    monkeypatch.setattr(spreadsheet, "_row_outcome", must_not_run)
    assert_file_refused(read_workbook(data), "表格有 5001 行题目，超过 5000 行的上限：请分成几个文件上传")


def test_5000_rows_are_read():
    preview = read_workbook(cheap_rows(MAX_ROWS))
    assert len(preview.accepted) == MAX_ROWS
    assert preview.ok


def test_too_many_rows_are_refused_when_the_file_declares_no_size():
    """Some writers leave out <dimension>: the rows are counted once the sheet is loaded."""
    source = zipfile.ZipFile(io.BytesIO(cheap_rows(MAX_ROWS + 1)))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content, found = re.subn(rb"<dimension [^>]*/>", b"", content)
                assert found == 1
            archive.writestr(item, content)
    assert_file_refused(read_workbook(output.getvalue()), "表格有 5001 行题目，超过 5000 行的上限：请分成几个文件上传")
