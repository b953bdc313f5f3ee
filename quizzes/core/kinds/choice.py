"""单选 (single choice): a line with one blank and four options of the answer's kind."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..checking import MalformedAnswer
from ..picking import shuffled_order
from ..rules import BLANK
from .base import (
    AnswerInputs,
    FormData,
    Moodle,
    Option,
    QuestionData,
    QuestionKind,
    Row,
    gift_escape,
    index_from_post,
    is_index,
    mark,
    single_value,
    xml_text,
)


class Choice(QuestionKind):
    """`choices` holds the options and `answer_index` the right one; the answer is an option's index."""

    name = "choice"
    label = gettext_lazy("单选")
    template = "quizzes/kinds/choice.html"

    def layout(self, question: QuestionData, rng: random.Random, lines: Mapping[str, str]) -> dict[str, Any]:
        """The order the options are shown in (their values stay the options' own indexes)."""
        return {"choice_order": shuffled_order(len(question.choices), rng)}

    def inputs(self, question: QuestionData, layout: Mapping[str, Any], data: FormData | None) -> AnswerInputs:
        picked = data.get("choice", "") if data else ""
        return AnswerInputs(
            choices=[
                Option(index, question.choices[index], "1" if picked == str(index) else "")
                for index in choice_order(len(question.choices), layout)
            ]
        )

    def answer_from_post(self, question: QuestionData, layout: Mapping[str, Any], data: FormData) -> Any:
        message = _("请选择一个选项。")
        return index_from_post(single_value(data, "choice", message), message)

    def problems(self, question: QuestionData) -> list[str]:
        return (
            super().problems(question)
            + option_problems(question.choices)
            + (
                []
                if question.answer_index is not None and 0 <= question.answer_index < len(question.choices)
                else [_("正确选项不在选项之中。")]
            )
        )

    def validate(self, question: QuestionData, given: Any) -> None:
        if not is_index(given, len(question.choices)):
            raise MalformedAnswer(_("请选择一个选项。"))

    def marks(self, question: QuestionData, given: Any) -> list[bool]:
        return [given == question.answer_index]

    def _chosen(self, question: QuestionData, given: Any) -> str:
        return question.choices[given] if is_index(given, len(question.choices)) else ""

    def _correct(self, question: QuestionData) -> str:
        return question.choices[question.answer_index] if question.answer_index is not None else ""

    def feedback_rows(self, question: QuestionData, given: Any, marks: Sequence[Any]) -> list[Row]:
        return [Row("", self._chosen(question, given), self._correct(question), mark(marks, 0))]

    def key_texts(self, question: QuestionData) -> list[str]:
        return [self._correct(question)]

    def wrong_answer_texts(
        self, question: QuestionData, given: Any, marks: Sequence[Any], normalise: Callable[[str], str]
    ) -> list[str]:
        """The option chosen."""
        chosen = self._chosen(question, given)
        return [chosen] if chosen else []

    def right_answer(self, question: QuestionData) -> Any:
        return question.answer_index

    def wrong_answer(self, question: QuestionData) -> Any:
        return ((question.answer_index or 0) + 1) % len(question.choices)

    def post_data(self, question: QuestionData, layout: Mapping[str, Any], given: Any) -> dict[str, Any]:
        return {"choice": str(given)}

    def sample_answer(self, question: QuestionData, right: bool, rng: random.Random) -> Any:
        if right:
            return question.answer_index
        return rng.choice([i for i in range(len(question.choices)) if i != question.answer_index])

    def gift(self, question: QuestionData) -> list[str]:
        pieces = BLANK.split(question.prompt, maxsplit=1)
        options = " ".join(
            ("=" if index == question.answer_index else "~") + gift_escape(choice)
            for index, choice in enumerate(question.choices)
        )
        if len(pieces) == 2:
            return [f"{gift_escape(pieces[0])}{{ {options} }}{gift_escape(pieces[1])}"]
        return [f"{gift_escape(question.prompt)} {{ {options} }}"]

    def moodle_xml(self, question: QuestionData, start: Moodle) -> None:
        element = start("multichoice", question.prompt)
        options(element, question.choices, {question.answer_index}, single=True)


def options(element: ET.Element, choices: Sequence[str], right: set[int | None], *, single: bool) -> None:
    """A Moodle multichoice's options: the right ones share 100%; when several may be picked, a wrong
    one costs the whole question (错选不得分), so that ticking everything scores nothing."""
    ET.SubElement(element, "single").text = "true" if single else "false"
    ET.SubElement(element, "shuffleanswers").text = "true"
    ET.SubElement(element, "answernumbering").text = "abc"
    for index, choice in enumerate(choices):
        fraction = _fraction(100 / len(right)) if index in right else "0" if single else "-100"
        xml_text(element, "answer", choice, fraction=fraction, format="html")


def _fraction(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


def choice_order(size: int, layout: Mapping[str, Any]) -> list[int]:
    """The options' indexes in the order `layout` shows them: its `choice_order` when it is a
    permutation of them (a layout from before options were shuffled has none), else as stored."""
    order = layout.get("choice_order")
    if isinstance(order, list) and sorted(order) == list(range(size)):
        return order
    return list(range(size))


def option_problems(choices: Sequence[str]) -> list[str]:
    """Options of a choice or multiple-select question: at least two, none empty, none twice."""
    found = []
    if len(choices) < 2:
        found.append(_("至少要有两个选项。"))
    if any(not str(choice).strip() for choice in choices):
        found.append(_("选项不能为空。"))
    if len({str(choice).strip() for choice in choices}) != len(choices):
        found.append(_("选项不能重复。"))
    return found
