"""A group report as files: the member table as CSV, and as XLSX with the per-question analysis as a
second sheet. Pure formatting of what quizzes/reports.py computed."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..core.rules import STUDY_TIMEZONE, task_label
from .analysis import QuestionAnalysis
from .reports import MemberReport, MemberRow


def member_header(report: MemberReport) -> list[str]:
    return [
        _("姓名"),
        _("登录名"),
        _("身份"),
        _("所在组织"),
        _("测验得分"),
        _("已完成测验"),
        _("应完成测验"),
        _("完成率"),
        _("状态"),
        _("最近活跃"),
        *[_("掌握度·%(task)s") % {"task": task.node.display_title} for task in report.tasks],
    ]


def member_values(row: MemberRow) -> list[object]:
    """One member as cells: numbers stay numbers (percentages as whole numbers), missing ones empty."""
    return [
        row.name,
        row.username,
        row.role_label,
        row.organisation,
        row.score if row.score is not None else "",
        row.completed,
        row.due,
        row.completion if row.completion is not None else "",
        row.state_label,
        _local(row.last_active),
        *[mastery.percent for mastery in row.mastery],
    ]


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment, STUDY_TIMEZONE).strftime("%Y-%m-%d %H:%M") if moment else ""


# Characters XML 1.0 (and so XLSX) cannot hold: C0 controls other than tab, line feed and carriage
# return, lone surrogates, U+FFFE and U+FFFF. A learner can type them into an answer or a name; openpyxl
# refuses the whole workbook for one of them (IllegalCharacterError), and a surrogate cannot be encoded
# in UTF-8 for the CSV. They are dropped from every cell of both exports.
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def cell_text(value: object) -> object:
    """`value`, with the characters an XLSX cell cannot hold taken out of a text."""
    return FORBIDDEN_CHARACTERS.sub("", value) if isinstance(value, str) else value


# A cell starting with one of these is a formula to Excel: learners' typed answers must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> object:
    """`value` without forbidden characters, with a text that Excel would run as a formula quoted by a
    leading apostrophe (checked after the cleaning, so that “\\x01=…” cannot turn into a formula)."""
    value = cell_text(value)
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def members_csv(report: MemberReport) -> bytes:
    """The member table as CSV in UTF-8 with a byte-order mark, which Excel needs to read Chinese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([cell_text(value) for value in member_header(report)])
    for row in report.rows:
        writer.writerow([csv_safe(value) for value in member_values(row)])
    return buffer.getvalue().encode("utf-8-sig")


def analysis_header() -> list[str]:
    return [
        _("题型"),
        _("题干"),
        _("任务"),
        _("作答次数"),
        _("答对次数"),
        _("正确率（%）"),
        _("区分度"),
        _("常见错误答案"),
    ]


def report_xlsx(report: MemberReport, analysis: QuestionAnalysis) -> bytes:
    """Sheet 成员 (the member table) and sheet 逐题分析 (the per-question analysis)."""
    workbook = Workbook(write_only=True)
    members = workbook.create_sheet(_("成员"))
    members.freeze_panes = "B2"
    member_rows = [member_values(row) for row in report.rows]
    fit_columns(members, [member_header(report), *member_rows])
    members.append(_bold(members, member_header(report)))
    for values in member_rows:
        members.append(_cells(members, values))
    questions = workbook.create_sheet(_("逐题分析"))
    questions.freeze_panes = "A2"
    question_rows: list[list[object]] = [
        [
            stat.question.get_type_display(),
            stat.question.prompt,
            task_label(stat.question.task_number, stat.question.task),
            stat.answers,
            stat.correct,
            stat.correct_percent,
            stat.discrimination if stat.discrimination is not None else "",
            "；".join(f"{text}（{count}）" for text, count in stat.wrong_answers),
        ]
        for stat in analysis.questions
    ]
    fit_columns(questions, [analysis_header(), *question_rows])
    questions.append(_bold(questions, analysis_header()))
    for question_row in question_rows:
        questions.append(_cells(questions, question_row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cells(sheet, values: list[object]) -> list[WriteOnlyCell]:
    """Cells for a row; text is always stored as text (openpyxl would store “=…” as a formula), without
    the characters XLSX forbids."""
    cells = []
    for value in map(cell_text, values):
        cell = WriteOnlyCell(sheet, value=value if value != "" else None)
        if isinstance(value, str) and value:
            cell.data_type = "s"
        cells.append(cell)
    return cells


def _bold(sheet, values: list[str]) -> list[WriteOnlyCell]:
    cells = []
    for value in map(cell_text, values):
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


# Column widths in Excel's unit (about one Latin character): a Chinese character takes two. Long text
# (a question's prompt) stops at MAX_COLUMN_WIDTH rather than making a column wider than a screen.
MIN_COLUMN_WIDTH = 6
MAX_COLUMN_WIDTH = 60


def text_width(value: object) -> int:
    """How many Latin-character widths `value` takes as shown in a cell: wide (CJK) characters count two."""
    if value is None or value == "":
        return 0
    text = f"{value:g}" if isinstance(value, float) else str(value)
    if text.isascii():  # numbers, login names: one width a character, without asking each one's width
        return len(text)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def column_widths(rows: Sequence[Sequence[object]]) -> list[int]:
    """Each column's width to fit its widest cell among `rows`, with a little room, within bounds."""
    widths: list[int] = []
    for row in rows:
        for index, value in enumerate(row):
            if index == len(widths):
                widths.append(0)
            widths[index] = max(widths[index], text_width(cell_text(value)))
    return [min(MAX_COLUMN_WIDTH, max(MIN_COLUMN_WIDTH, width + 2)) for width in widths]


def fit_columns(sheet: Any, rows: Sequence[Sequence[object]]) -> None:
    """Size `sheet`'s columns to `rows` (a write-only sheet takes widths only before its first row)."""
    for index, width in enumerate(column_widths(rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
