"""The import log in words: each entry as one Chinese sentence for the staff page, instead of the
figures' raw keys (`questions_created 23`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .models import ImportLog
from .parsing import PARAGRAPH, PART, POINT, REQUIREMENT, TASK, TOPIC

# An import's figures are counts of the text's parts, by node kind: how each is counted in Chinese.
NODE_COUNTS = {
    PART: "%(n)d 个部分",
    TASK: "%(n)d 项任务",
    TOPIC: "%(n)d 个专题",
    POINT: "%(n)d 条要点",
    PARAGRAPH: "%(n)d 段文字",
    REQUIREMENT: "%(n)d 条“要”",
}
# An activation's figures: what it did to the question bank.
QUESTION_COUNTS = {
    "questions_created": "新建题目 %(n)d 道",
    "questions_kept": "保留 %(n)d 道",
    "questions_retired": "停用 %(n)d 道",
    "questions_reactivated": "恢复 %(n)d 道",
}


def _figures(counts: dict[str, Any], wording: dict[str, str]) -> list[str]:
    return [_(text) % {"n": counts[key]} for key, text in wording.items() if isinstance(counts.get(key), int)]


def _unknown(counts: dict[str, Any], known: set[str]) -> list[str]:
    # Figures a later version of the app may log: shown as they are rather than lost.
    return [f"{key} {value}" for key, value in counts.items() if key not in known and value is not None]


def log_sentence(entry: ImportLog) -> str:
    """What the entry records, as a sentence: who is shown beside it, not in it."""
    counts = entry.counts or {}
    number = entry.version_number
    if entry.action == ImportLog.Action.IMPORT:
        parts = _figures(counts, NODE_COUNTS) + _unknown(counts, set(NODE_COUNTS))
        return _("导入版本 v%(number)d：%(parts)s。") % {"number": number, "parts": "、".join(parts) or _("没有内容")}
    if entry.action == ImportLog.Action.DELETE:
        lines = counts.get("lines")
        if isinstance(lines, int):
            return _("删除版本 v%(number)d（共 %(lines)d 行）。") % {"number": number, "lines": lines}
        return _("删除版本 v%(number)d。") % {"number": number}
    previous = counts.get("previous")
    if entry.action == ImportLog.Action.ROLLBACK:
        sentence = _("从 v%(previous)s 回滚到 v%(number)d") % {"previous": previous, "number": number}
    elif previous:
        sentence = _("启用版本 v%(number)d（替换 v%(previous)s）") % {"number": number, "previous": previous}
    else:
        sentence = _("启用版本 v%(number)d（首个启用的版本）") % {"number": number}
    figures = _figures(counts, QUESTION_COUNTS) + _unknown(counts, {"previous", *QUESTION_COUNTS})
    return sentence + (_("：%(figures)s。") % {"figures": "，".join(figures)} if figures else "。")
