"""判断 (true/false): a line as written, or with one term swapped for another of its kind; the
learner judges whether it matches the document."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..checking import MalformedAnswer
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
    mark,
    single_value,
)

TRUE, FALSE = 1, 0  # the form's values, and `answer_index` of a true or a false statement


class TrueFalse(QuestionKind):
    """`prompt` is the statement; `answer_index` is 1 when it is the document's wording and 0 when a
    term was swapped. `blanks` holds the term asked about: {answer: the document's term, shown: the
    term in the statement} (the same for a true statement). The answer is a bool: judged true."""

    name = "truefalse"
    label = gettext_lazy("判断")
    template = "quizzes/kinds/truefalse.html"

    def _truth(self, question: QuestionData) -> bool:
        return question.answer_index == TRUE

    def inputs(self, question: QuestionData, layout: Mapping[str, Any], data: FormData | None) -> AnswerInputs:
        picked = data.get("choice", "") if data else ""
        return AnswerInputs(
            choices=[
                Option(value, text, "1" if picked == str(value) else "")
                for value, text in ((TRUE, _("正确")), (FALSE, _("错误")))
            ]
        )

    def answer_from_post(self, question: QuestionData, layout: Mapping[str, Any], data: FormData) -> Any:
        message = _("请判断这句话是否正确。")
        value = index_from_post(single_value(data, "choice", message), message)
        if value not in (TRUE, FALSE):
            raise MalformedAnswer(_("请判断这句话是否正确。"))
        return value == TRUE

    def problems(self, question: QuestionData) -> list[str]:
        return super().problems(question) + (
            [] if question.answer_index in (TRUE, FALSE) else [_("判断题的答案只能是“正确”或“错误”。")]
        )

    def validate(self, question: QuestionData, given: Any) -> None:
        if not isinstance(given, bool):
            raise MalformedAnswer(_("请判断这句话是否正确。"))

    def marks(self, question: QuestionData, given: Any) -> list[bool]:
        return [given == self._truth(question)]

    def _verdict(self, judged: Any) -> str:
        return _("正确") if judged is True else _("错误") if judged is False else ""

    def feedback_rows(self, question: QuestionData, given: Any, marks: Sequence[Any]) -> list[Row]:
        correct = self._verdict(self._truth(question))
        if not self._truth(question) and question.blanks:
            blank = question.blanks[0]
            correct = _("错误：原文为“%(answer)s”，不是“%(shown)s”") % {
                "answer": blank.get("answer", ""),
                "shown": blank.get("shown", ""),
            }
        return [Row("", self._verdict(given), correct, mark(marks, 0))]

    def key_texts(self, question: QuestionData) -> list[str]:
        return [blank.get("answer", "") for blank in question.blanks[:1]]

    def wrong_answer_texts(
        self, question: QuestionData, given: Any, marks: Sequence[Any], normalise: Callable[[str], str]
    ) -> list[str]:
        """The verdict given."""
        verdict = self._verdict(given)
        return [_("判为%(verdict)s") % {"verdict": verdict}] if verdict else []

    def right_answer(self, question: QuestionData) -> Any:
        return self._truth(question)

    def wrong_answer(self, question: QuestionData) -> Any:
        return not self._truth(question)

    def post_data(self, question: QuestionData, layout: Mapping[str, Any], given: Any) -> dict[str, Any]:
        return {"choice": str(TRUE if given else FALSE)}

    def sample_answer(self, question: QuestionData, right: bool, rng: random.Random) -> Any:
        return self._truth(question) if right else not self._truth(question)

    def gift(self, question: QuestionData) -> list[str]:
        return [f"{gift_escape(question.prompt)} {{{'T' if self._truth(question) else 'F'}}}"]

    def moodle_xml(self, question: QuestionData, start: Moodle) -> None:
        element = start("truefalse", question.prompt)
        for value in (True, False):
            fraction = "100" if value == self._truth(question) else "0"
            answer = ET.SubElement(element, "answer", {"fraction": fraction, "format": "moodle_auto_format"})
            ET.SubElement(answer, "text").text = "true" if value else "false"
