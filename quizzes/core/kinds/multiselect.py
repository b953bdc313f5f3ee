"""多选 (multiple select): which of the options belong to an enumeration or a topic; several are right."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..checking import MalformedAnswer
from ..picking import shuffled_order
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
)
from .choice import choice_order, option_problems, options

PARTIAL_CREDIT = 0.5  # some right options picked and no wrong one


class MultiSelect(QuestionKind):
    """`choices` holds the options and `correct_choices` the indexes of the right ones. The answer is
    the sorted list of the indexes picked (at least one).

    Marked as contest banks mark it: every right option and no wrong one earns the question; some
    right ones and no wrong one earn half of it; any wrong option earns nothing."""

    name = "multiselect"
    label = gettext_lazy("多选")
    template = "quizzes/kinds/multiselect.html"

    def layout(self, question: QuestionData, rng: random.Random, lines: Mapping[str, str]) -> dict[str, Any]:
        """The order the options are shown in (their values stay the options' own indexes)."""
        return {"choice_order": shuffled_order(len(question.choices), rng)}

    def inputs(self, question: QuestionData, layout: Mapping[str, Any], data: FormData | None) -> AnswerInputs:
        picked = set(data.getlist("choice")) if data else set()
        return AnswerInputs(
            choices=[
                Option(index, question.choices[index], "1" if str(index) in picked else "")
                for index in choice_order(len(question.choices), layout)
            ]
        )

    def answer_from_post(self, question: QuestionData, layout: Mapping[str, Any], data: FormData) -> Any:
        values = data.getlist("choice")
        if not values:
            raise MalformedAnswer(_("请至少选择一个选项。"))
        if len(values) > len(question.choices):
            raise MalformedAnswer(_("答案格式不对：选项重复。"))
        picked = {index_from_post(value, _("请至少选择一个选项。")) for value in values}
        return sorted(picked)

    def problems(self, question: QuestionData) -> list[str]:
        found = super().problems(question) + option_problems(question.choices)
        right = question.correct_choices
        if len(right) < 2:
            found.append(_("多选题至少要有两个正确选项（只有一个的请用单选题）。"))
        if len(set(right)) != len(right) or any(not 0 <= index < len(question.choices) for index in right):
            found.append(_("正确选项不在选项之中，或有重复。"))
        if right and len(set(right)) >= len(question.choices):
            found.append(_("至少要有一个错误选项。"))
        return found

    def validate(self, question: QuestionData, given: Any) -> None:
        size = len(question.choices)
        if (
            not isinstance(given, list)
            or not given
            or not all(is_index(g, size) for g in given)
            or len(set(given)) != len(given)
        ):
            raise MalformedAnswer(_("请至少选择一个选项。"))

    def marks(self, question: QuestionData, given: Any) -> list[bool]:
        """One mark per option: picked when right, left alone when wrong."""
        right = set(question.correct_choices)
        picked = set(given)
        return [(index in picked) == (index in right) for index in range(len(question.choices))]

    def credit(self, question: QuestionData, marks: Sequence[bool]) -> float:
        right = set(question.correct_choices)
        wrong_picked = any(not ok and index not in right for index, ok in enumerate(marks))
        missed = sum(1 for index, ok in enumerate(marks) if not ok and index in right)
        if wrong_picked:
            return 0.0
        if not missed:
            return 1.0
        return PARTIAL_CREDIT if missed < len(right) else 0.0

    def _texts(self, question: QuestionData, indexes: Any) -> str:
        indexes = indexes if isinstance(indexes, list) else []
        return "、".join(question.choices[i] for i in sorted(indexes) if is_index(i, len(question.choices)))

    def feedback_rows(self, question: QuestionData, given: Any, marks: Sequence[Any]) -> list[Row]:
        return [Row("", self._texts(question, given), self._texts(question, question.correct_choices), all(marks))]

    def key_texts(self, question: QuestionData) -> list[str]:
        return [question.choices[i] for i in question.correct_choices if is_index(i, len(question.choices))]

    def wrong_answer_texts(
        self, question: QuestionData, given: Any, marks: Sequence[Any], normalise: Callable[[str], str]
    ) -> list[str]:
        """The options picked, together."""
        picked = self._texts(question, given)
        return [picked] if picked else []

    def right_answer(self, question: QuestionData) -> Any:
        return sorted(question.correct_choices)

    def wrong_answer(self, question: QuestionData) -> Any:
        """The options that are wrong (every mark wrong); the first right one when none is."""
        wrong = [i for i in range(len(question.choices)) if i not in question.correct_choices]
        return wrong or sorted(question.correct_choices)[:1]

    def post_data(self, question: QuestionData, layout: Mapping[str, Any], given: Any) -> dict[str, Any]:
        return {"choice": [str(index) for index in given]}

    def sample_answer(self, question: QuestionData, right: bool, rng: random.Random) -> Any:
        correct = sorted(question.correct_choices)
        if right:
            return correct
        wrong = [i for i in range(len(question.choices)) if i not in correct]
        if wrong and (len(correct) < 2 or rng.random() < 0.5):
            return sorted([*correct, rng.choice(wrong)])
        return sorted(rng.sample(correct, len(correct) - 1))

    def gift(self, question: QuestionData) -> list[str]:
        """Right options share 100%; a wrong one costs the whole question (错选不得分)."""
        right = set(question.correct_choices)
        weight = f"{100 / len(right):.5f}".rstrip("0").rstrip(".") if right else "0"
        answers = " ".join(
            f"~%{weight if index in right else '-100'}%{gift_escape(choice)}"
            for index, choice in enumerate(question.choices)
        )
        return [f"{gift_escape(question.prompt)} {{ {answers} }}"]

    def moodle_xml(self, question: QuestionData, start: Moodle) -> None:
        element = start("multichoice", question.prompt)
        options(element, question.choices, set(question.correct_choices), single=False)
