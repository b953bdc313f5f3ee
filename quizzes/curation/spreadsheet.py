"""题库 Excel import: questions written by hand in the template that Chinese 题库 systems use.

The template (`template_workbook()`) is one sheet with a header row and one question per row; a
second sheet, 填写说明, explains it to the person filling it in. Only the first sheet is read.

Columns (header row 1, in any order):

    题型      required: 单选 / 多选 / 判断 / 填空 / 连线 (also 单选题, 单项选择题, 多项选择, 判断题,
              填空题, 连线题, 匹配题 …)
    题干      required: the question; a 填空 marks its blanks in it
    选项A–F   the options of 单选 and 多选, the pairs of 连线 (选项E, 选项F may be left out)
    答案      required column: the key, in the format of the question's kind (below)
    解析      optional: the explanation shown with the feedback
    所属章节  optional column: a heading of the document the question belongs to

Answer formats, by 题型:

    单选  one option letter: A (a, Ａ also do). At least 2 options, filled from A without gaps.
    多选  two or more letters: ABD, A,B,D, A、B、D. Only one right option is a 单选.
    判断  对 / 错 (also 正确/错误, √/×, T/F, 是/否). No options.
    填空  blanks in 题干 as runs of _ or ＿, or empty brackets （ ） / ( ); each becomes a run of ＿.
          答案 has one answer per blank, in order, separated by | (or ｜; ； and ; also do when the
          count then matches); synonyms of one blank are separated by / (or ／), the first is the
          key and the others are accepted too: 职工|劳模精神/劳模.
    连线  the options hold the pairs 左项=右项 (＝, -> or → also do), at least 3, every left item
          and every right item distinct. 答案 is empty or 按选项配对.

Every row is checked on its own and refused with all of its problems, in Chinese, naming the row as
Excel numbers it and the column; empty rows are skipped. The whole file is refused, before any row
is read, when it is not an .xlsx file, lacks a required column or has unknown ones, holds more than
5,000 question rows, or has merged cells or formulas (values must be typed or pasted as values).

Pure: bytes in, drafts (curation/drafts.py) out; nothing here touches the database.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from studyapp.spreadsheets import Header, cell_text, declared_rows

from ..core.checking import MAX_ANSWER_LENGTH, normalize
from .drafts import QuestionDraft, RowOutcome

__all__ = ["COLUMNS", "MAX_ROWS", "ImportPreview", "read_workbook", "template_workbook"]

MAX_ROWS = 5000  # question rows in one file: more is a mistake or a job for several files
MAX_FILE_ERRORS_LISTED = 10  # formula cells named one by one; the rest are counted

OPTION_LETTERS = "ABCDEF"
OPTION_COLUMNS = tuple(f"选项{letter}" for letter in OPTION_LETTERS)
COLUMNS = ("题型", "题干", *OPTION_COLUMNS, "答案", "解析", "所属章节")
REQUIRED = ("题型", "题干", "答案")

# Other names the header cells of 题库 templates use for the same columns.
COLUMN_ALIASES = {
    "题目类型": "题型",
    "试题类型": "题型",
    "题目": "题干",
    "题目内容": "题干",
    "试题内容": "题干",
    "正确答案": "答案",
    "参考答案": "答案",
    "答案解析": "解析",
    "试题解析": "解析",
    "章节": "所属章节",
}
HEADER = Header(COLUMNS, REQUIRED, COLUMN_ALIASES)

CHOICE, MULTISELECT, TRUEFALSE, CLOZE, MATCHING = "choice", "multiselect", "truefalse", "cloze", "matching"
KIND_NAMES = {
    **dict.fromkeys(("单选", "单选题", "单项选择", "单项选择题"), CHOICE),
    **dict.fromkeys(("多选", "多选题", "多项选择", "多项选择题"), MULTISELECT),
    **dict.fromkeys(("判断", "判断题"), TRUEFALSE),
    **dict.fromkeys(("填空", "填空题"), CLOZE),
    **dict.fromkeys(("连线", "连线题", "匹配", "匹配题"), MATCHING),
}
KIND_LABELS = ("单选", "多选", "判断", "填空", "连线")  # what the template's dropdown offers

TRUE_WORDS = frozenset({"对", "正确", "√", "✓", "✔", "T", "TRUE", "是", "Y", "YES"})
FALSE_WORDS = frozenset({"错", "错误", "×", "✗", "✘", "X", "F", "FALSE", "否", "N", "NO"})
MATCHING_ANSWERS = frozenset({"", "按选项配对"})

# A blank of a 填空 prompt as people type it: a run of low lines, or brackets with only spaces inside.
BLANK_MARK = re.compile(r"[_＿]+|[（(]\s*[）)]")
ANSWER_SEPARATOR = re.compile(r"[|｜]")
ANSWER_SEPARATOR_ALT = re.compile(r"[;；]")
SYNONYM_SEPARATOR = re.compile(r"[/／]")
# What may stand between the letters of a 多选 answer (after NFKC: ，→ , and ；→ ;).
LETTER_SEPARATOR = re.compile(r"[\s,、;.]+")
PAIR_SEPARATOR = re.compile(r"\s*(?:->|－>|－＞|→|=|＝)\s*")

UNREADABLE = "无法读取该文件：请上传 .xlsx 格式的 Excel 文件"


@dataclass
class ImportPreview:
    """What a file would import: a row outcome per question row, or the file's own errors (then no
    rows). Shown to staff before anything is saved."""

    rows: list[RowOutcome] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> list[RowOutcome]:
        return [row for row in self.rows if row.accepted]

    @property
    def refused(self) -> list[RowOutcome]:
        return [row for row in self.rows if not row.accepted]

    @property
    def ok(self) -> bool:
        """Everything can be imported as it is."""
        return not self.file_errors and bool(self.rows) and all(row.accepted for row in self.rows)


# --- Reading -----------------------------------------------------------------------------------------


def read_workbook(data: bytes, *, known_sections: Collection[str] | None = None) -> ImportPreview:
    """The questions of an uploaded .xlsx file in the template's format, checked row by row.
    `known_sections` are the document's headings; when given, 所属章节 must be one of them."""
    declared = declared_rows(data)
    if declared is None:
        return ImportPreview(file_errors=[UNREADABLE])
    if declared - 1 > MAX_ROWS:
        return ImportPreview(file_errors=[_too_many(declared - 1)])
    sheet = _first_sheet(data)
    if sheet is None:
        return ImportPreview(file_errors=[UNREADABLE])
    if sheet.max_row - 1 > MAX_ROWS:  # the declared size may be missing or wrong
        return ImportPreview(file_errors=[_too_many(sheet.max_row - 1)])
    columns, errors = _header(sheet)
    errors += _merged_errors(sheet) + _formula_errors(sheet) + _unlabelled_errors(sheet)
    if errors:
        return ImportPreview(file_errors=errors)
    sections = _SectionIndex(known_sections) if known_sections is not None else None
    rows = [_row_outcome(row, sections) for row in _rows(sheet, columns)]
    if not rows:
        return ImportPreview(file_errors=["没有题目行：请从第2行起填写题目（第1行是表头）"])
    return ImportPreview(rows=rows)


def _too_many(count: int) -> str:
    return f"表格有 {count} 行题目，超过 {MAX_ROWS} 行的上限：请分成几个文件上传"


def _first_sheet(data: bytes) -> Any:
    """The first worksheet, loaded whole; formulas kept as formulas so that they can be refused.
    The first, not the active one: the file may have been saved with 填写说明 open."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception:
        return None
    return workbook.worksheets[0] if workbook.worksheets else None


def _header(sheet: Any) -> tuple[dict[int, str], list[str]]:
    """Column number → column name from row 1, and what is wrong with the header."""
    return HEADER.read((cell.column, cell_text(cell.value)) for cell in next(sheet.iter_rows(min_row=1, max_row=1), ()))


def _merged_errors(sheet: Any) -> list[str]:
    # A merged cell keeps its value in the first cell only: the others would read as empty.
    return [f"{cells} 是合并单元格：请取消合并，每格填写完整" for cells in sorted(map(str, sheet.merged_cells.ranges))]


def _formula_errors(sheet: Any) -> list[str]:
    """Formula cells: the file stores the formula, not the value Excel shows, so nothing can be
    read from them."""
    found = [
        f"{cell.coordinate} 是公式（{_formula_text(cell.value)}）：请复制后“选择性粘贴→数值”再上传"
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("="))
    ]
    if len(found) > MAX_FILE_ERRORS_LISTED:
        rest = len(found) - MAX_FILE_ERRORS_LISTED
        return [*found[:MAX_FILE_ERRORS_LISTED], f"另有 {rest} 个公式单元格"]
    return found


def _formula_text(value: Any) -> str:
    return str(getattr(value, "text", value))  # an array formula is an object holding its text


def _unlabelled_errors(sheet: Any) -> list[str]:
    """Columns with an empty header cell that hold something: their content would be dropped unseen."""
    headed = {cell.column for cell in next(sheet.iter_rows(min_row=1, max_row=1), ()) if cell_text(cell.value)}
    letters = {
        cell.column_letter
        for row in sheet.iter_rows(min_row=2)
        for cell in row
        if cell.column not in headed and cell_text(cell.value)
    }
    return [f"第{letter}列没有表头，但下面填写了内容" for letter in sorted(letters, key=lambda x: (len(x), x))]


@dataclass(frozen=True)
class _Row:
    """One non-empty row: its number as Excel shows it and its cells' texts by column name."""

    number: int
    cells: dict[str, str]

    def __getitem__(self, name: str) -> str:
        return self.cells.get(name, "")

    def options(self) -> list[tuple[str, str]]:
        """(letter, text) of the option columns the sheet has, in order."""
        return [
            (letter, self.cells[column])
            for letter, column in zip(OPTION_LETTERS, OPTION_COLUMNS, strict=True)
            if column in self.cells
        ]


def _rows(sheet: Any, columns: dict[int, str]) -> Iterable[_Row]:
    for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        cells = {
            name: cell_text(values[column - 1]) if column <= len(values) else "" for column, name in columns.items()
        }
        if any(cells.values()):
            yield _Row(number, cells)


# --- One row -----------------------------------------------------------------------------------------


class _SectionIndex:
    """The document's headings, found again however a person types them (full-width commas,
    spaces, quotes): by their compare form."""

    def __init__(self, headings: Collection[str]) -> None:
        self._by_form = {normalize(heading): heading for heading in headings}

    def find(self, text: str) -> str | None:
        return self._by_form.get(normalize(text))


def _row_outcome(row: _Row, sections: _SectionIndex | None) -> RowOutcome:
    errors: list[str] = []
    kind = _kind(row, errors)
    if not row["题干"]:
        errors.append("题干为空")
    draft = BUILDERS[kind](row, errors) if kind else None
    section = _section(row, sections, errors)
    if errors or draft is None:
        return RowOutcome(row.number, None, [f"第{row.number}行：{error}" for error in errors])
    draft.explanation = row["解析"]
    draft.section = section
    return RowOutcome(row.number, draft)


def _kind(row: _Row, errors: list[str]) -> str | None:
    text = row["题型"]
    if not text:
        errors.append("题型为空")
        return None
    kind = KIND_NAMES.get(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)))
    if kind is None:
        errors.append(f"题型“{text}”无法识别，应为{'、'.join(KIND_LABELS)}之一")
    return kind


def _section(row: _Row, sections: _SectionIndex | None, errors: list[str]) -> str:
    text = row["所属章节"]
    if not text or sections is None:
        return text
    found = sections.find(text)
    if found is None:
        errors.append(f"所属章节“{text}”不是文档中的标题")
        return text
    return found  # as the document writes it


def _choice(row: _Row, errors: list[str]) -> QuestionDraft:
    choices, letters = _options(row, errors, kind_label="单选题")
    answer = _letters(row, errors, letters)
    if answer is not None and len(answer) > 1:
        errors.append(f"答案“{row['答案']}”有 {len(answer)} 个字母，单选题只能有一个答案（多个答案请把题型改为“多选”）")
    index = letters.index(answer[0]) if answer and len(answer) == 1 and answer[0] in letters else None
    return QuestionDraft(type=CHOICE, prompt=row["题干"], choices=choices, answer_index=index)


def _multiselect(row: _Row, errors: list[str]) -> QuestionDraft:
    choices, letters = _options(row, errors, kind_label="多选题")
    answer = _letters(row, errors, letters)
    if answer is not None:
        if len(set(answer)) != len(answer):
            errors.append(f"答案“{row['答案']}”中有重复的字母")
        if len(set(answer)) == 1:
            errors.append(
                f"答案“{row['答案']}”只有 1 个，多选题至少要有 2 个正确答案（只有一个正确答案请把题型改为“单选”）"
            )
    correct = sorted({letters.index(letter) for letter in answer or () if letter in letters})
    return QuestionDraft(type=MULTISELECT, prompt=row["题干"], choices=choices, correct_choices=correct)


def _truefalse(row: _Row, errors: list[str]) -> QuestionDraft:
    _no_options(row, errors, "判断题")
    text = row["答案"]
    word = unicodedata.normalize("NFKC", text).upper().strip("。.!！ ")
    index = 1 if word in TRUE_WORDS else 0 if word in FALSE_WORDS else None
    if not text:
        errors.append("答案为空")
    elif index is None:
        errors.append(f"答案“{text}”无法识别：判断题请填写“对”或“错”（也可写 正确/错误、√/×、T/F、是/否）")
    # The kind shows its own 正确/错误 and reads only answer_index (core/kinds/truefalse.py).
    return QuestionDraft(type=TRUEFALSE, prompt=row["题干"], answer_index=index)


def _cloze(row: _Row, errors: list[str]) -> QuestionDraft:
    _no_options(row, errors, "填空题")
    prompt, count = BLANK_MARK.subn(lambda match: "＿" * max(2, len(match.group())), row["题干"])
    if row["题干"] and not count:
        errors.append("题干中没有找到空：请用＿＿或（　）标出要填的位置")
    blanks = _blanks(row["答案"], count, errors) if count else []
    return QuestionDraft(type=CLOZE, prompt=prompt, blanks=blanks)


def _blanks(text: str, count: int, errors: list[str]) -> list[dict[str, Any]]:
    """One blank per answer: the first synonym is the key, the others are accepted too."""
    if not text:
        errors.append("答案为空")
        return []
    answers = ANSWER_SEPARATOR.split(text)
    if len(answers) != count and not ANSWER_SEPARATOR.search(text):
        answers = ANSWER_SEPARATOR_ALT.split(text)  # ；between answers, when that makes the count right
        if len(answers) != count:
            answers = [text]
    if len(answers) != count:
        errors.append(f"答案有 {len(answers)} 个，题干有 {count} 个空：每个空的答案用“|”隔开")
        return []
    blanks = []
    for number, answer in enumerate(answers, start=1):
        synonyms = _synonyms(answer, number, count, errors)
        if synonyms:
            blanks.append({"answer": synonyms[0], "accepted": synonyms[1:], "group": number - 1, "any_order": False})
    return blanks


def _synonyms(answer: str, number: int, count: int, errors: list[str]) -> list[str]:
    which = f"第{number}个空的答案" if count > 1 else "答案"
    synonyms = [word.strip() for word in SYNONYM_SEPARATOR.split(answer) if word.strip()]
    if not synonyms:
        errors.append(f"{which}为空")
    for word in synonyms:
        if not normalize(word):  # marking compares normalised forms: no one could type it right
            errors.append(f"{which}“{word}”只有标点或符号，学员无法答对")
        if len(word) > MAX_ANSWER_LENGTH:
            errors.append(f"{which}超过 {MAX_ANSWER_LENGTH} 个字")
    return list(dict.fromkeys(synonyms))


def _matching(row: _Row, errors: list[str]) -> QuestionDraft:
    options = _filled_options(row, errors)
    lettered = [(letter, pair) for letter, text in options if (pair := _pair(letter, text, errors))]
    if len(options) < 3:
        errors.append(f"连线题至少要有 3 对（已填写 {len(options)} 个选项），每个选项写成“左项=右项”")
    for side, label in ((0, "左项"), (1, "右项")):
        _distinct([(f"选项{letter}", pair[side]) for letter, pair in lettered], label, errors)
    pairs = [pair for _, pair in lettered]
    if unicodedata.normalize("NFKC", row["答案"]).strip() not in MATCHING_ANSWERS:
        errors.append(f"答案“{row['答案']}”：连线题的配对写在选项里，答案请留空或填写“按选项配对”")
    return QuestionDraft(type=MATCHING, prompt=row["题干"], pairs=pairs)


def _pair(letter: str, text: str, errors: list[str]) -> list[str] | None:
    parts = PAIR_SEPARATOR.split(text, maxsplit=1)
    if len(parts) != 2:
        errors.append(f"选项{letter}“{text}”不是“左项=右项”的形式")
        return None
    left, right = (part.strip() for part in parts)
    if not left or not right:
        errors.append(f"选项{letter}“{text}”缺少{'左项' if not left else '右项'}")
        return None
    return [left, right]


# --- Options -----------------------------------------------------------------------------------------


def _filled_options(row: _Row, errors: list[str]) -> list[tuple[str, str]]:
    """The filled options, in order; a gap (A, B, D) is an error, since a letter's meaning would
    depend on whether the empty one counts."""
    options = row.options()
    filled = [(letter, text) for letter, text in options if text]
    if filled:
        last = OPTION_LETTERS.index(filled[-1][0])
        for letter, text in options[:last]:
            if not text:
                errors.append(f"选项{letter}为空，但后面的选项已填写：选项要从A起连续填写")
    return filled


def _options(row: _Row, errors: list[str], *, kind_label: str) -> tuple[list[str], str]:
    """The option texts of a 单选 or 多选 and their letters."""
    filled = _filled_options(row, errors)
    if len(filled) < 2:
        errors.append(f"{kind_label}至少要有 2 个选项（已填写 {len(filled)} 个）")
    _distinct([(f"选项{letter}", text) for letter, text in filled], "选项", errors)
    return [text for _, text in filled], "".join(letter for letter, _ in filled)


def _distinct(items: list[tuple[str, str]], what: str, errors: list[str]) -> None:
    """An error for each item that repeats an earlier one (compared as answers are marked)."""
    seen: dict[str, str] = {}
    for column, text in items:
        form = normalize(text)
        if form in seen:
            errors.append(f"{column}的{what}“{text}”与{seen[form]}重复")
        else:
            seen[form] = column


def _no_options(row: _Row, errors: list[str], kind_label: str) -> None:
    filled = [f"选项{letter}" for letter, text in row.options() if text]
    if filled:
        errors.append(f"{kind_label}不用填写选项（已填写{'、'.join(filled)}）")


def _letters(row: _Row, errors: list[str], letters: str) -> str | None:
    """The option letters of 答案, in the order written; None (with the error) when it is not
    letters of the filled options."""
    text = row["答案"]
    if not text:
        errors.append("答案为空")
        return None
    answer = LETTER_SEPARATOR.sub("", unicodedata.normalize("NFKC", text)).upper()
    if not answer or any(letter not in OPTION_LETTERS for letter in answer):
        errors.append(f"答案“{text}”应是选项字母，如“A”或“ABD”")
        return None
    outside = [letter for letter in dict.fromkeys(answer) if letter not in letters]
    if outside:
        errors.append(f"答案“{'、'.join(outside)}”不在已填写的选项中（{_span(letters)}）")
    return answer


def _span(letters: str) -> str:
    if not letters:
        return "未填写选项"
    if len(letters) > 1 and OPTION_LETTERS.startswith(letters):
        return f"{letters[0]}–{letters[-1]}"
    return "、".join(letters)


BUILDERS: dict[str, Callable[[_Row, list[str]], QuestionDraft]] = {
    CHOICE: _choice,
    MULTISELECT: _multiselect,
    TRUEFALSE: _truefalse,
    CLOZE: _cloze,
    MATCHING: _matching,
}


# --- The template ------------------------------------------------------------------------------------

EIGHT_MUSTS = "“八个要”"  # the document's heading over the lines the examples are taken from

# One example per kind, in the columns' order, worded from the document.
EXAMPLES: list[dict[str, str]] = [
    {
        "题型": "单选",
        "题干": "要大力弘扬劳模精神、劳动精神、（　），依靠劳动创造扎实推进中国式现代化。",
        "选项A": "工匠精神",
        "选项B": "奉献精神",
        "选项C": "创新精神",
        "选项D": "奋斗精神",
        "答案": "A",
        "解析": "原文：要大力弘扬劳模精神、劳动精神、工匠精神。",
        "所属章节": EIGHT_MUSTS,
    },
    {
        "题型": "多选",
        "题干": "要大力弘扬哪些精神，依靠劳动创造扎实推进中国式现代化？",
        "选项A": "劳模精神",
        "选项B": "劳动精神",
        "选项C": "工匠精神",
        "选项D": "企业家精神",
        "答案": "ABC",
        "解析": "原文：要大力弘扬劳模精神、劳动精神、工匠精神。",
        "所属章节": EIGHT_MUSTS,
    },
    {
        "题型": "判断",
        "题干": "要坚持以企业为中心的工作导向，切实实现好、维护好、发展好工人阶级和广大劳动群众合法权益。",
        "答案": "错",
        "解析": "原文为“以职工为中心的工作导向”。",
        "所属章节": EIGHT_MUSTS,
    },
    {
        "题型": "填空",
        "题干": "要坚持以＿＿为中心的工作导向，切实实现好、维护好、发展好工人阶级和广大劳动群众合法权益。",
        "答案": "职工",
        "解析": "原文：要坚持以职工为中心的工作导向。",
        "所属章节": EIGHT_MUSTS,
    },
    {
        "题型": "连线",
        "题干": "请将“八个要”中的提法与其内容连线。",
        "选项A": "根本方针=全心全意依靠工人阶级",
        "选项B": "工作导向=以职工为中心",
        "选项C": "时代主题=为实现中华民族伟大复兴而奋斗",
        "答案": "按选项配对",
        "解析": "",
        "所属章节": EIGHT_MUSTS,
    },
]

COLUMN_WIDTHS = {"题型": 8, "题干": 60, "答案": 14, "解析": 40, "所属章节": 24, **dict.fromkeys(OPTION_COLUMNS, 18)}

GUIDE: list[tuple[str, str]] = [
    ("列", "填写说明"),
    ("题型", "必填。单选、多选、判断、填空、连线（可在下拉列表中选择；也可写“单选题”“单项选择题”“匹配题”等）。"),
    ("题干", "必填。题目内容。填空题在题干中用＿＿（或 ___、（　））标出每个空。"),
    ("选项A–选项F", "单选、多选：从选项A起依次填写，不要跳过；至少 2 个选项，选项E、F 不用时可留空或删去该列。"),
    ("", "连线：每个选项写一对，格式“左项=右项”（也可用 ＝、->、→），至少 3 对；左项不能重复，右项也不能重复。"),
    ("", "判断、填空：选项留空。"),
    ("答案", "必填（连线题除外）。格式见下方“答案格式”。"),
    ("解析", "选填。答题后向学员显示的解析。"),
    ("所属章节", "选填。题目所属的文档标题，须与文档中的标题一致，例如“八个要”。"),
    ("", ""),
    ("答案格式", ""),
    ("单选", "一个选项字母，如 A（大小写、全角半角均可）。"),
    ("多选", "两个或以上选项字母，如 ABD、A,B,D 或 A、B、D。只有一个正确答案的请用“单选”。"),
    ("判断", "对 或 错（也可写 正确/错误、√/×、T/F、是/否）。"),
    ("填空", "按空的顺序填写每个空的答案，用“|”隔开，如：职工|工匠精神。"),
    ("", "同一个空有几种说法都算对时，用“/”隔开，第一个为标准答案，如：劳模精神/劳模。"),
    ("连线", "配对已写在选项中，答案留空或填写“按选项配对”。"),
    ("", ""),
    ("注意", "第1行是表头，不要修改；从第2行起每行一道题，空行会被跳过。"),
    ("", f"一个文件最多 {MAX_ROWS} 道题；不要使用合并单元格和公式（公式请“选择性粘贴→数值”）。"),
    ("", "第一个工作表是题目表，本说明页不会被导入。导入前会逐行检查，并列出每一行的问题。"),
]


def template_workbook() -> bytes:
    """The .xlsx template staff download: the header, one example row per kind, a 题型 dropdown,
    and a 填写说明 sheet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "题目"
    sheet.append(list(COLUMNS))
    for example in EXAMPLES:
        sheet.append([example.get(column, "") for column in COLUMNS])
    _style_questions(sheet)
    _add_guide(workbook.create_sheet("填写说明"))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _style_questions(sheet: Any) -> None:
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for column, name in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=column)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        sheet.column_dimensions[get_column_letter(column)].width = COLUMN_WIDTHS[name]
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    kinds = DataValidation(
        type="list",
        formula1='"' + ",".join(KIND_LABELS) + '"',
        allow_blank=True,
        showErrorMessage=False,  # 单选题, 匹配 … are read too; the dropdown only suggests
        promptTitle="题型",
        prompt="单选、多选、判断、填空、连线",
        showInputMessage=True,
    )
    kinds.add(f"A2:A{MAX_ROWS + 1}")
    sheet.add_data_validation(kinds)


def _add_guide(sheet: Any) -> None:
    for row in GUIDE:
        sheet.append(list(row))
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 90
    for row in sheet.iter_rows():
        row[0].font = Font(bold=True)
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
