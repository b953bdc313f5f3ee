"""The question kinds, one class each; the rest of the app reaches a kind through `kind_of()`.

Adding a kind: a class here (see base.QuestionKind), its template in templates/quizzes/kinds/, its
generator in quizzes/generation/, and a migration for the new choice of Question.type.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..checking import MalformedAnswer
from .base import AnswerInputs, Option, QuestionData, QuestionKind, Row
from .choice import Choice
from .cloze import Cloze
from .matching import Matching
from .multiselect import MultiSelect
from .truefalse import TrueFalse

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# In the order the app lists them.
KINDS: dict[str, QuestionKind] = {
    kind.name: kind for kind in (Cloze(), Matching(), Choice(), TrueFalse(), MultiSelect())
}
CLOZE, MATCHING, CHOICE, TRUEFALSE, MULTISELECT = KINDS
MIXED = "mixed"  # a quiz of every kind, taken in turn


def kind_of(name: str) -> QuestionKind:
    """The kind called `name`; MalformedAnswer for an unknown one (nothing may be recorded)."""
    try:
        return KINDS[name]
    except KeyError:
        raise MalformedAnswer("未知题型。") from None


def kind_choices() -> list[tuple[str, StrOrPromise]]:
    """(name, label) of every kind, for model and form choices."""
    return [(kind.name, kind.label) for kind in KINDS.values()]


__all__ = [
    "CHOICE",
    "CLOZE",
    "KINDS",
    "MATCHING",
    "MIXED",
    "MULTISELECT",
    "TRUEFALSE",
    "AnswerInputs",
    "MalformedAnswer",
    "Option",
    "QuestionData",
    "QuestionKind",
    "Row",
    "kind_choices",
    "kind_of",
]
