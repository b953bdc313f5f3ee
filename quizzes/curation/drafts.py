"""A question before it is stored: what a spreadsheet row, a GIFT entry or a Moodle XML question
becomes once read and checked. It has the fields of `QuestionData` (core/kinds/base.py), so its kind
can check answers against it and export it exactly as a stored question."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class QuestionDraft:
    type: str  # a name of core.kinds.KINDS: cloze, choice, truefalse, multiselect, matching
    prompt: str  # a cloze prompt marks each blank with a run of ＿ (core/kinds/cloze.py BLANK)
    blanks: list[dict[str, Any]] = field(default_factory=list)  # {"answer", "accepted", "group", "any_order"}
    pairs: list[list[str]] = field(default_factory=list)  # [[left, right], …]
    choices: list[str] = field(default_factory=list)
    answer_index: int | None = None  # choice and truefalse
    correct_choices: list[int] = field(default_factory=list)  # multiselect
    explanation: str = ""  # 解析
    section: str = ""  # 所属章节: a heading of the document, as written in the source
    key: str = ""  # an identifier carried by the source (GIFT ::name::, Moodle idnumber), if any
    source_text_keys: list[str] = field(default_factory=list)


@dataclass
class RowOutcome:
    """One row (or entry) of an import: its number as the person sees it, and either the draft or the
    reasons it was refused, in Chinese."""

    number: int
    draft: QuestionDraft | None
    errors: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.draft is not None and not self.errors
