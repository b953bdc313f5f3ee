"""The question records every generator returns; plain frozen data, JSON-able via `to_dict()`."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .source import SourceLine

from ..core.kinds import CHOICE, CLOZE, MATCHING, MULTISELECT, TRUEFALSE

__all__ = ["CHOICE", "CLOZE", "MATCHING", "MULTISELECT", "TRUEFALSE", "Blank", "GeneratedQuestion"]
UNDERSCORE = "＿"


@dataclass(frozen=True)
class Blank:
    answer: str  # canonical answer, exactly as in the source line
    accepted: tuple[str, ...]  # answer first, then variants (no quotes, other digit forms…)
    group: int  # blanks of one enumeration share a group number
    any_order: bool  # True when the group's answers may be given in any order
    shown: str = ""  # true/false only: the term the statement shows in its place (the answer when true)


@dataclass(frozen=True)
class GeneratedQuestion:
    """One generated question.

    `to_dict()` gives::

        {
          "key": str,                 # stable: type + form + source text_keys + answers
          "type": "cloze" | "matching" | "choice" | "truefalse" | "multiselect",
          "form": str,                # cloze: "term"|"enumeration"; choice: "name"|"number"|"member"|"term";
                                      # matching: "topic_task"|"heading_gist"|"article_gist"|"number"|"name"|"name_topic"|"halves";
                                      # truefalse: "name"|"number"|"member"|"term"; multiselect: "member"|"topic"
          "prompt": str,              # cloze/choice: the line with ＿ runs for the blanks; truefalse: the statement;
                                      # matching/multiselect: the instruction or question
          "blanks": [{"answer": str, "accepted": [str, ...], "group": int, "any_order": bool}, ...],
                                      # truefalse: one blank, with "shown": the term the statement shows
          "pairs": [[left, right], ...],          # matching only: the correct pairs (shuffle the right column to show)
          "choices": [str, ...],                  # choice only: four options
          "answer_index": int,                    # choice: index of the correct option; truefalse: 1 true, 0 false; else -1
          "correct_choices": [int, ...],          # multiselect only: indexes of the correct options
          "source_keys": [str, ...],              # ParsedNode.key of the lines / headings used
          "source_text_keys": [str, ...],         # ParsedNode.text_key of the same
          "part": str, "task": str, "task_number": str, "topic": str,   # "" when the question spans several
          "difficulty": float                     # 0 (easy) .. 1 (hard)
        }

    In a cloze prompt the blanks appear in the order of `blanks`; each is a run of ＿ as long as
    its answer (a group's blanks share the length of its longest member, so they give no hint).
    """

    key: str
    type: str
    prompt: str
    form: str = ""
    blanks: tuple[Blank, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    choices: tuple[str, ...] = ()
    answer_index: int = -1
    correct_choices: tuple[int, ...] = ()
    source_keys: tuple[str, ...] = ()
    source_text_keys: tuple[str, ...] = ()
    part: str = ""
    task: str = ""
    task_number: str = ""
    topic: str = ""
    difficulty: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict (schema in the class docstring)."""
        return {
            "key": self.key,
            "type": self.type,
            "form": self.form,
            "prompt": self.prompt,
            "blanks": [
                {
                    "answer": b.answer,
                    "accepted": list(b.accepted),
                    "group": b.group,
                    "any_order": b.any_order,
                    **({"shown": b.shown} if b.shown else {}),
                }
                for b in self.blanks
            ],
            "pairs": [list(pair) for pair in self.pairs],
            "choices": list(self.choices),
            "answer_index": self.answer_index,
            "correct_choices": list(self.correct_choices),
            "source_keys": list(self.source_keys),
            "source_text_keys": list(self.source_text_keys),
            "part": self.part,
            "task": self.task,
            "task_number": self.task_number,
            "topic": self.topic,
            "difficulty": self.difficulty,
        }


def line_context(line: SourceLine) -> dict[str, Any]:
    """Where a question on one line comes from: its keys and its place in the document."""
    return {
        "source_keys": (line.key,),
        "source_text_keys": (line.text_key,),
        "part": line.part,
        "task": line.task,
        "task_number": line.task_number,
        "topic": line.topic,
    }


def question_key(kind: str, form: str, text_keys: Iterable[str], answers: Iterable[str]) -> str:
    """Depends only on what is asked, never on the seed or on the rest of the document."""
    basis = "\x1f".join([kind, form, *text_keys, "\x1e", *answers])
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]


def clamp(value: float) -> float:
    """Into [0, 1], rounded so that the bank prints and compares stably."""
    return round(min(1.0, max(0.0, value)), 3)
