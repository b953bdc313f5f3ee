"""连线 (matching): left items to pair with right items (a task and its number, a name and its topic,
the halves of a sentence, a “要” and its statement)."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from fsrs import Rating

from .. import scheduling
from ..checking import Check, MalformedAnswer
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
    mark,
    single_value,
    xml_text,
)


class Matching(QuestionKind):
    """`pairs` holds the right pairs [left, right]; the attempt shows the right column shuffled
    (`right_order` in its layout). The answer lists, for each left item, the index of the pair whose
    right item was chosen."""

    name = "matching"
    label = gettext_lazy("连线")
    template = "quizzes/kinds/matching.html"
    shows_prompt_in_feedback = False
    uses_heading_sources = False
    needs_lines = True

    def layout(self, question: QuestionData, rng: random.Random, lines: Mapping[str, str]) -> dict[str, Any]:
        """The right column's order, and the line each pair was taken from (which the answer rates)."""
        own = {key: lines[key] for key in question.source_text_keys or () if key in lines}
        return {
            "right_order": shuffled_order(len(question.pairs), rng),
            "pair_keys": pair_line_keys(question.pairs, own),
        }

    def _order(self, question: QuestionData, layout: Mapping[str, Any]) -> list[int]:
        return layout.get("right_order") or list(range(len(question.pairs)))

    def inputs(self, question: QuestionData, layout: Mapping[str, Any], data: FormData | None) -> AnswerInputs:
        pairs = question.pairs
        return AnswerInputs(
            lefts=[
                Option(index, pair[0], data.get(f"pair-{index}", "") if data else "")
                for index, pair in enumerate(pairs)
            ],
            rights=[Option(shown, pairs[original][1]) for shown, original in enumerate(self._order(question, layout))],
        )

    def answer_from_post(self, question: QuestionData, layout: Mapping[str, Any], data: FormData) -> Any:
        order = self._order(question, layout)
        given = []
        for index in range(len(question.pairs)):
            message = _("请为左边的每一项选好配对。")
            shown = index_from_post(single_value(data, f"pair-{index}", message), message)
            if not 0 <= shown < len(order):
                raise MalformedAnswer(_("请为左边的每一项选好配对。"))
            given.append(order[shown])
        return given

    def problems(self, question: QuestionData) -> list[str]:
        found = []
        pairs = question.pairs
        if len(pairs) < 3:
            found.append(_("连线题至少要有三对。"))
        if any(len(pair) != 2 or not all(str(side).strip() for side in pair) for pair in pairs):
            found.append(_("每一对都要有左右两项。"))
        elif len({left for left, _right in pairs}) != len(pairs) or len({right for _left, right in pairs}) != len(
            pairs
        ):
            found.append(_("左项和右项都不能重复。"))
        return found

    def validate(self, question: QuestionData, given: Any) -> None:
        size = len(question.pairs)
        if not isinstance(given, list) or len(given) != size or not all(is_index(g, size) for g in given):
            raise MalformedAnswer(_("请为左边的每一项选好配对。"))

    def marks(self, question: QuestionData, given: Any) -> list[bool]:
        return matching_marks(question.pairs, given)

    def ratings(
        self, question: QuestionData, check: Check, elapsed_seconds: float | None, layout: Mapping[str, Any]
    ) -> dict[str, Rating]:
        """Pair by pair, the line each pair was taken from (`pair_keys` of the layout); pairs of
        headings rate nothing, and a line rated by several pairs keeps the lowest rating."""
        ratings: dict[str, Rating] = {}
        per_pair = elapsed_seconds / len(check.marks) if elapsed_seconds is not None and check.marks else None
        for key, right in zip(layout.get("pair_keys") or [], check.marks, strict=False):
            if key:
                rating = scheduling.rating_for(correct=right, elapsed_seconds=per_pair)
                ratings[key] = min(rating, ratings.get(key, rating))
        return ratings

    def feedback_rows(self, question: QuestionData, given: Any, marks: Sequence[Any]) -> list[Row]:
        pairs = question.pairs
        given = given if isinstance(given, list) else []
        return [
            Row(left, pairs[given[index]][1] if index < len(given) else "", right, mark(marks, index))
            for index, (left, right) in enumerate(pairs)
        ]

    def key_texts(self, question: QuestionData) -> list[str]:
        return [text for pair in question.pairs for text in pair]

    def wrong_answer_texts(
        self, question: QuestionData, given: Any, marks: Sequence[Any], normalise: Callable[[str], str]
    ) -> list[str]:
        """Each wrong pairing “left → right”."""
        pairs = question.pairs
        return [
            f"{pairs[index][0]} → {pairs[choice][1]}"
            for index, choice in enumerate(given if isinstance(given, list) else [])
            if not mark(marks, index) and is_index(choice, len(pairs)) and index < len(pairs)
        ]

    def right_answer(self, question: QuestionData) -> Any:
        return list(range(len(question.pairs)))

    def wrong_answer(self, question: QuestionData) -> Any:
        size = len(question.pairs)
        return [(index + 1) % size for index in range(size)]

    def post_data(self, question: QuestionData, layout: Mapping[str, Any], given: Any) -> dict[str, Any]:
        order = self._order(question, layout)
        return {f"pair-{index}": str(order.index(chosen)) for index, chosen in enumerate(given)}

    def sample_answer(self, question: QuestionData, right: bool, rng: random.Random) -> Any:
        size = len(question.pairs)
        given = list(range(size))
        if right or size < 2:
            return given
        first, second = rng.sample(range(size), 2)
        given[first], given[second] = given[second], given[first]
        return given

    def gift(self, question: QuestionData) -> list[str]:
        pairs = " ".join(f"={gift_escape(left)} -> {gift_escape(right)}" for left, right in question.pairs)
        return [f"{gift_escape(question.prompt)} {{ {pairs} }}"]

    def moodle_xml(self, question: QuestionData, start: Moodle) -> None:
        element = start("matching", question.prompt)
        ET.SubElement(element, "shuffleanswers").text = "true"
        for left, right in question.pairs:
            sub = xml_text(element, "subquestion", left, format="html")
            xml_text(sub, "answer", right)


def matching_marks(pairs: Sequence[Sequence[str]], given: Sequence[int]) -> list[bool]:
    """Left item i is right when paired with its own right item, or with one of the same text."""
    return [choice == index or pairs[choice][1] == pairs[index][1] for index, choice in enumerate(given)]


def pair_line_keys(pairs: Sequence[Sequence[str]], lines: Mapping[str, str]) -> list[str]:
    """For each pair, the text key of the line it was taken from ("" for a pair of headings).

    A pair belongs to the line that contains both its items (前半句/后半句), else its right item
    (a “要” and its statement), else its left item (a quoted name and its topic).
    """
    result = []
    for left, right in pairs:
        found = ""
        for wanted in ((left, right), (right,), (left,)):
            found = next((key for key, text in lines.items() if all(part and part in text for part in wanted)), "")
            if found:
                break
        result.append(found)
    return result
