"""A worksheet: the questions of a scope or an assignment, chosen and laid out for paper, and its key.

Everything is decided by the seed: which questions (core.picking's rule, as a quiz draws them), the
order of a matching question's right column. The same seed gives the same sheet, so the page and the
PDF printed from it match, and a trainer can print the same sheet again.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import bank
from ..core.kinds import CHOICE, CLOZE, KINDS, MATCHING, MULTISELECT, TRUEFALSE, AnswerInputs, kind_of
from ..core.kinds.choice import choice_order
from ..core.rules import STUDY_TIMEZONE
from ..groups.services import assignment_draw
from ..models import Assignment, Question

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SEED_LIMIT = 1_000_000  # a new sheet's seed is below this: short enough to read off the paper
CHINESE_NUMERALS = "一二三四五六七八九十"
ANSWER_BRACKET = re.compile(r"[（(][\s　]*[）)]")  # a prompt's own “（ ）” for the answer
WIDE_BRACKET = "（　　）"  # room to write a letter or a mark in

# What the learner is told to do, per kind (the section's instruction line).
INSTRUCTIONS = {
    CLOZE: "在括号后的横线上填写原文中的词语。",
    CHOICE: "从四个选项中选出一个正确答案，把字母填在括号内。",
    TRUEFALSE: "与原文一致的在括号内画“√”，不一致的画“×”。",
    MULTISELECT: "选出所有正确答案（至少一项），把字母填在括号内。",
    MATCHING: "把左列每一项与右列中对应的一项用线连起来。",
}


@dataclass(frozen=True)
class SheetItem:
    """One question as printed: its number on the sheet, what to print and its key."""

    number: int
    kind: str
    prompt: str
    inputs: AnswerInputs
    key: str

    @property
    def printed_prompt(self) -> str:
        """The prompt with its answer bracket (if it has one) wide enough to write in."""
        return ANSWER_BRACKET.sub(WIDE_BRACKET, self.prompt)

    @property
    def has_bracket(self) -> bool:
        """Whether the prompt brings its own answer bracket (else the sheet adds one)."""
        return bool(ANSWER_BRACKET.search(self.prompt))

    @property
    def options(self) -> list[tuple[str, str]]:
        """(letter, text) of each option of a single or multiple choice."""
        return [(LETTERS[index], option.text) for index, option in enumerate(self.inputs.choices)]

    @property
    def lefts(self) -> list[tuple[int, str]]:
        return [(index + 1, option.text) for index, option in enumerate(self.inputs.lefts)]

    @property
    def rights(self) -> list[tuple[str, str]]:
        return [(LETTERS[index], option.text) for index, option in enumerate(self.inputs.rights)]


@dataclass(frozen=True)
class SheetSection:
    """The questions of one kind, under a numbered heading (一、填空题)."""

    heading: str
    instruction: str
    items: list[SheetItem]


@dataclass
class Worksheet:
    title: str
    scope_label: str
    seed: int
    printed_on: date
    sections: list[SheetSection] = field(default_factory=list)

    @property
    def items(self) -> list[SheetItem]:
        return [item for section in self.sections for item in section.items]


def new_seed() -> int:
    """A fresh seed for a new sheet."""
    return random.SystemRandom().randrange(SEED_LIMIT)


# --- The key, per kind ------------------------------------------------------------------------------


def _cloze_key(question: Question, layout: dict[str, Any], inputs: AnswerInputs) -> str:
    answers = kind_of(CLOZE).right_answer(question)
    if len(answers) == 1:
        return str(answers[0])
    return "；".join(f"（{number}）{answer}" for number, answer in enumerate(answers, start=1))


def _choice_key(question: Question, layout: dict[str, Any], inputs: AnswerInputs) -> str:
    # Options print in the layout's order (shuffled per sheet): the right one by its printed letter.
    index = kind_of(CHOICE).right_answer(question)
    order = choice_order(len(question.choices), layout)
    return LETTERS[order.index(index)] if index is not None else ""


def _truefalse_key(question: Question, layout: dict[str, Any], inputs: AnswerInputs) -> str:
    if kind_of(TRUEFALSE).right_answer(question):
        return _("√（正确）")
    originals = "；".join(
        _("原文为“%(answer)s”") % {"answer": blank["answer"]} for blank in question.blanks if blank.get("answer")
    )
    return _("×（错误）") + (f"：{originals}" if originals else "")


def _multiselect_key(question: Question, layout: dict[str, Any], inputs: AnswerInputs) -> str:
    order = choice_order(len(question.choices), layout)
    return "、".join(sorted(LETTERS[order.index(index)] for index in kind_of(MULTISELECT).right_answer(question)))


def _matching_key(question: Question, layout: dict[str, Any], inputs: AnswerInputs) -> str:
    # The right column is printed in the layout's order: each left item's partner by its printed letter.
    order = layout.get("right_order") or list(range(len(question.pairs)))
    return "；".join(f"{index + 1}—{LETTERS[order.index(index)]}" for index in range(len(question.pairs)))


KEY_WRITERS: dict[str, Callable[[Question, dict[str, Any], AnswerInputs], str]] = {
    CLOZE: _cloze_key,
    CHOICE: _choice_key,
    TRUEFALSE: _truefalse_key,
    MULTISELECT: _multiselect_key,
    MATCHING: _matching_key,
}


# --- Building a sheet -------------------------------------------------------------------------------


def sheet_build(*, questions: Sequence[Question], seed: int, title: str, scope_label: str) -> Worksheet:
    """Lay out `questions` (in the order given) for paper: grouped by kind in the app's order of kinds,
    numbered through, with each one's key. Pure: the seed alone orders a matching question's right column."""
    rng = random.Random(seed)
    by_kind: dict[str, list[tuple[Question, dict[str, Any]]]] = {}
    for question in questions:
        kind = kind_of(question.type)
        # Only the right column's order is wanted; no source lines are needed for it.
        layout = kind.layout(question, rng, {})
        by_kind.setdefault(question.type, []).append((question, layout))
    sheet = Worksheet(
        title=title, scope_label=scope_label, seed=seed, printed_on=timezone.localtime(timezone=STUDY_TIMEZONE).date()
    )
    number = 0
    for name, kind in KINDS.items():
        if name not in by_kind:
            continue
        items = []
        for question, layout in by_kind[name]:
            number += 1
            inputs = kind.inputs(question, layout, None)
            key = KEY_WRITERS[name](question, layout, inputs)
            items.append(SheetItem(number=number, kind=name, prompt=question.prompt, inputs=inputs, key=key))
        numeral = CHINESE_NUMERALS[len(sheet.sections)] if len(sheet.sections) < 10 else str(len(sheet.sections) + 1)
        sheet.sections.append(
            SheetSection(heading=f"{numeral}、{kind.label}题", instruction=_(INSTRUCTIONS[name]), items=items)
        )
    return sheet


def _in_order(ids: Sequence[int]) -> list[Question]:
    found = Question.objects.in_bulk(list(ids))
    return [found[pk] for pk in ids if pk in found]


def scope_sheet(*, scope: str, scope_key: str, question_type: str, length: int, seed: int) -> Worksheet:
    """A practice sheet of `length` active questions of `question_type` from the scope, chosen as a quiz
    chooses them (bank.scope_draw) with the seed. ValidationError for an unknown or empty scope."""
    chosen, label = bank.scope_draw(
        scope=scope, scope_key=scope_key, question_type=question_type, length=length, rng=random.Random(seed)
    )
    if not chosen:
        raise ValidationError(_("这个范围内还没有这种题型的题目。"))
    return sheet_build(questions=_in_order(chosen), seed=seed, title=_("练习卷"), scope_label=label or _("全文"))


def assignment_sheet(*, assignment: Assignment, seed: int) -> Worksheet:
    """The assignment's questions as a sheet: a fixed assignment's own list in its order; for one drawn
    per member, a draw from its scope with the seed (as one member might get it)."""
    questions = _in_order(assignment_draw(assignment, rng=random.Random(seed)))
    if not questions:
        raise ValidationError(_("这个测验的范围内已没有可出的题目。"))
    return sheet_build(
        questions=questions, seed=seed, title=assignment.title, scope_label=assignment.scope_label or _("全文")
    )
