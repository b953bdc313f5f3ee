"""What a question kind is: everything the app does with one kind of question, in one class.

The quiz engine, the reports, the exports and the demo know kinds only through this interface
(as Moodle's question types do), so a new kind is one class, one template and its generator.
Everything here is pure: a question is any object with the fields of `QuestionData` (the
`Question` model has them), an answer is plain JSON data, randomness is passed in.
"""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from django.utils.translation import gettext as _
from fsrs import Rating

from .. import scheduling
from ..checking import Check, MalformedAnswer

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class QuestionData(Protocol):
    """The fields of a question that its kind reads (the `Question` model has them all)."""

    key: str
    type: str
    prompt: str
    blanks: list[dict[str, Any]]
    pairs: list[list[str]]
    choices: list[str]
    answer_index: int | None
    correct_choices: list[int]
    source_text_keys: list[str]


class FormData(Protocol):
    """A submitted form (Django's QueryDict has this shape)."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def getlist(self, key: str) -> list[Any]: ...


@dataclass(frozen=True)
class Option:
    """One input of the answer form: a blank, a choice, one side of a matching pair."""

    value: int
    text: str
    picked: str = ""  # after a refused submit: the text typed, the radio checked, the select's value


@dataclass
class AnswerInputs:
    """What the kind's template draws for the answer form."""

    prompt_parts: list[tuple[str, int | None]] = field(default_factory=list)  # text, or ("", blank number)
    blanks: list[Option] = field(default_factory=list)
    choices: list[Option] = field(default_factory=list)
    lefts: list[Option] = field(default_factory=list)
    rights: list[Option] = field(default_factory=list)  # value = position shown, what a select sends


@dataclass(frozen=True)
class Row:
    """One line of the feedback: what the learner gave beside the key."""

    label: str
    given: str
    correct: str
    ok: bool


class Moodle(Protocol):
    """Starts a <question> element of a Moodle XML quiz with the parts every kind shares."""

    def __call__(self, moodle_type: str, text: str) -> ET.Element: ...


class QuestionKind:
    """The default behaviour of a kind; each kind overrides what differs."""

    name: ClassVar[str]  # stored in Question.type
    label: ClassVar[StrOrPromise]  # shown to people (a lazy translation)
    template: ClassVar[str]  # partials `form` (the answer inputs) and `key` (the key, for staff)
    shows_prompt_in_feedback: ClassVar[bool] = True
    uses_heading_sources: ClassVar[bool] = True  # feedback may quote a heading the question came from
    needs_lines: ClassVar[bool] = False  # the layout needs the text of the question's source lines

    @property
    def form_template(self) -> str:
        return f"{self.template}#form"

    @property
    def key_template(self) -> str:
        return f"{self.template}#key"

    # --- The attempt and the form -------------------------------------------------------------

    def layout(self, question: QuestionData, rng: random.Random, lines: Mapping[str, str]) -> dict[str, Any]:
        """How the question is laid out for one attempt (stored with it); `lines` maps the text keys
        of its source lines to their text when `needs_lines`."""
        return {}

    def inputs(self, question: QuestionData, layout: Mapping[str, Any], data: FormData | None) -> AnswerInputs:
        """The answer form's inputs; `data` refills them after a refused submit."""
        raise NotImplementedError

    def answer_from_post(self, question: QuestionData, layout: Mapping[str, Any], data: FormData) -> Any:
        """What the learner gave, from the answer form, in the shape `check` takes. Raises
        MalformedAnswer with a message for the learner when the form could not have sent it."""
        raise NotImplementedError

    # --- Shape -------------------------------------------------------------------------------

    def problems(self, question: QuestionData) -> list[str]:
        """What keeps a hand-written, imported or edited question from being asked, in Chinese (none
        for a well-formed one)."""
        return [] if question.prompt.strip() else [str(_("题干不能为空。"))]

    # --- Marking ------------------------------------------------------------------------------

    def validate(self, question: QuestionData, given: Any) -> None:
        """Raise MalformedAnswer unless `given` has this question's shape."""
        raise NotImplementedError

    def marks(self, question: QuestionData, given: Any) -> list[bool]:
        """One mark per part of the answer (blank, pair, option), for a validated `given`."""
        raise NotImplementedError

    def credit(self, question: QuestionData, marks: Sequence[bool]) -> float:
        """0..1 for the marks: by default the share that are right."""
        return sum(marks) / len(marks) if marks else 0.0

    def check(self, question: QuestionData, given: Any) -> Check:
        """Validate and mark `given`; raises MalformedAnswer for an answer of the wrong shape."""
        self.validate(question, given)
        marks = self.marks(question, given)
        return Check(marks=marks, credit=self.credit(question, marks), is_correct=bool(marks) and all(marks))

    def ratings(
        self, question: QuestionData, check: Check, elapsed_seconds: float | None, layout: Mapping[str, Any]
    ) -> dict[str, Rating]:
        """The FSRS rating each point (line, by text key) gets from this answer: by default one
        rating for every source line, from the whole answer."""
        keys = [key for key in question.source_text_keys or [] if key]
        rating = scheduling.rating_for(
            correct=check.is_correct, elapsed_seconds=elapsed_seconds, items=len(check.marks)
        )
        return dict.fromkeys(keys, rating)

    # --- Feedback and reports -----------------------------------------------------------------

    def feedback_rows(self, question: QuestionData, given: Any, marks: Sequence[Any]) -> list[Row]:
        """The learner's answer beside the key, part by part."""
        raise NotImplementedError

    def key_texts(self, question: QuestionData) -> list[str]:
        """The texts to mark in the source lines shown with the feedback."""
        return []

    def wrong_answer_texts(
        self, question: QuestionData, given: Any, marks: Sequence[Any], normalise: Callable[[str], str]
    ) -> list[str]:
        """The wrong parts of one answer, as the per-question analysis counts them."""
        raise NotImplementedError

    def right_answer(self, question: QuestionData) -> Any:
        """The key, as a learner would give it."""
        raise NotImplementedError

    def wrong_answer(self, question: QuestionData) -> Any:
        """A well-formed answer with every part wrong."""
        raise NotImplementedError

    def sample_answer(self, question: QuestionData, right: bool, rng: random.Random) -> Any:
        """An answer a learner might give (the demo's learners): the key, or a plausible mistake."""
        raise NotImplementedError

    def post_data(self, question: QuestionData, layout: Mapping[str, Any], given: Any) -> dict[str, Any]:
        """The answer form's fields that send `given` (the inverse of answer_from_post): for tests,
        the load test and benchmarks."""
        raise NotImplementedError

    # --- Export -------------------------------------------------------------------------------

    def gift(self, question: QuestionData) -> list[str]:
        """The question in Moodle's GIFT format: one entry or more (without the ::name:: title)."""
        raise NotImplementedError

    def moodle_xml(self, question: QuestionData, start: Moodle) -> None:
        """The question in Moodle XML: `start` the element, then add the kind's own parts."""
        raise NotImplementedError


# --- Helpers the kinds share -------------------------------------------------------------------------


def mark(marks: Sequence[Any], index: int) -> bool:
    return bool(marks[index]) if index < len(marks) else False


SMALL_NUMBER = re.compile(r"\s*[0-9]{1,4}\s*")


def index_from_post(value: Any, message: str) -> int:
    """A small non-negative number (ASCII digits) from a form field, or MalformedAnswer(message)."""
    if not isinstance(value, str) or not SMALL_NUMBER.fullmatch(value):
        raise MalformedAnswer(message)
    return int(value)


def single_value(data: FormData, key: str, message: str) -> Any:
    """The one value of field `key`: None when it is missing; MalformedAnswer(message) when it was
    sent more than once (the form sends each field once)."""
    values = data.getlist(key)
    if len(values) > 1:
        raise MalformedAnswer(message)
    return values[0] if values else None


def is_index(value: Any, size: int) -> bool:
    return not isinstance(value, bool) and isinstance(value, int) and 0 <= value < size


def gift_escape(text: str) -> str:
    return re.sub(r"([~=#{}:\\])", r"\\\1", text)


def embedded_escape(text: str) -> str:
    """Characters with a meaning inside Moodle's {1:SHORTANSWER:…} syntax."""
    return re.sub(r'([}#~/"\\])', r"\\\1", text)


def xml_text(parent: ET.Element, tag: str, value: str, **attrs: str) -> ET.Element:
    """<tag attrs><text>value</text></tag> under `parent`, as Moodle XML nests its texts."""
    element = ET.SubElement(parent, tag, attrs)
    ET.SubElement(element, "text").text = value
    return element
