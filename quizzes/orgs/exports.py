"""The roll-up table of an organisation as an XLSX workbook: pure formatting of what reports.py
computed, with the group report's cell helpers (text stays text, forbidden characters dropped)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook

from ..groups.exports import _bold, _cells, fit_columns
from ..progress import Column
from .reports import Figures, Rollup


def rollup_header(tasks: Sequence[Column] = ()) -> list[str]:
    return [
        _("组织"),
        _("在册人数"),
        _("参与人数"),
        _("参与率（%）"),
        _("完成测验"),
        _("作答次数"),
        _("平均得分"),
        *(_("掌握度（%%）：%(task)s") % {"task": task.node.display_title} for task in tasks),
    ]


def rollup_values(label: str, figures: Figures) -> list[object]:
    """One row as cells: numbers stay numbers (percentages as whole numbers), missing ones empty."""
    return [
        label,
        figures.enrolled,
        figures.participated,
        figures.rate if figures.rate is not None else "",
        figures.finished,
        figures.answers,
        figures.average if figures.average is not None else "",
        *(mastery.percent if mastery.total else "" for mastery in figures.task_mastery),
    ]


def rollup_xlsx(rollup: Rollup) -> bytes:
    """Sheet 汇总: the organisation and the period on top, then one row per child organisation (and the
    people attached directly), then the total."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("汇总"))
    rows = [rollup_values(row.label, row) for row in rollup.rows]
    total = rollup_values(_("合计"), rollup.total)
    # The two lines on top span the first columns: the table alone sets the widths.
    fit_columns(sheet, [rollup_header(rollup.tasks), *rows, total])
    sheet.append(_cells(sheet, [_("组织"), rollup.organisation.name]))
    sheet.append(_cells(sheet, [_("统计时间"), rollup.period.label]))
    sheet.append([])
    sheet.append(_bold(sheet, rollup_header(rollup.tasks)))
    for values in rows:
        sheet.append(_cells(sheet, values))
    sheet.append(_cells(sheet, total))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
