"""What every kind's marking shares: the compare form of a typed answer, the result of a check, the
refusal of a malformed answer, and the answer marked in its source line.

Pure functions over plain data: no database, no request. Each kind marks its own answers
(quizzes/core/kinds/); a question is checked with `kind_of(question.type).check(question, given)`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .numerals import with_digits

MAX_ANSWER_LENGTH = 200

# After NFKC full-width forms are ASCII already, so only the CJK-only marks are listed twice.
_QUOTES = "“”‘’「」『』\"'`〝〞＂"
_BRACKETS = "()[]{}<>《》〈〉【】〔〕〖〗"
_DROP = str.maketrans("", "", _QUOTES + _BRACKETS)
_SPACE = re.compile(r"\s+")
_EDGE_PUNCTUATION = "。.，,、；;：:！!？?…·・—–-~～/\\|"
# Invisible format characters (Unicode category Cf) that a paste or an input method leaves in a
# typed answer: zero-width spaces and joiners, LRM/RLM and the bidi embeddings, the word joiner,
# the BOM, the soft hyphen… They change nothing a reader sees, so they change nothing in the mark.
_INVISIBLE_CATEGORY = "Cf"


class MalformedAnswer(ValueError):
    """The answer does not have the question's shape; nothing may be recorded."""


@dataclass(frozen=True)
class Check:
    marks: list[bool]  # one per blank (cloze), per left item (matching), one for a choice
    credit: float  # 0..1: share of marks that are right
    is_correct: bool


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC  # loading its dictionaries takes a moment; do it once, when first needed

    return OpenCC("t2s")


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """Compare form of an answer: NFKC width folding, simplified characters, numbers in digits
    (两个 = 2个), no invisible format characters, no quotes, brackets, spaces or punctuation at the
    ends, lower case. Kept per process for each text (a pure function; 30 µs a call, mostly the
    traditional-to-simplified conversion): the forms a fill-in's key accepts are asked on every answer."""
    text = "".join(char for char in text if unicodedata.category(char) != _INVISIBLE_CATEGORY)
    text = _t2s().convert(unicodedata.normalize("NFKC", text))
    # Quotes, brackets and spaces go before numbers are read: “两”个 and 两 个 are 两个 = 2个.
    text = with_digits(_SPACE.sub("", text.translate(_DROP)))
    # Composed again: removing a space can leave a combining mark next to a letter (E¯ → ē).
    return unicodedata.normalize("NFKC", text.strip(_EDGE_PUNCTUATION).lower())


def accepted_forms(blank: dict[str, Any]) -> set[str]:
    """Every normalised form that counts as right for `blank`."""
    forms = {normalize(blank.get("answer", ""))}
    forms.update(normalize(variant) for variant in blank.get("accepted", []) or [])
    forms.discard("")
    return forms


@dataclass(frozen=True)
class Segment:
    text: str
    marked: bool = False


def highlight(text: str, answers: Sequence[str]) -> list[Segment]:
    """`text` cut into segments with each of `answers` marked where it occurs, scanning in order so
    that repeated words are marked at the place the question asked about."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for answer in answers:
        if not answer:
            continue
        start = text.find(answer, cursor)
        if start < 0:
            start = text.find(answer)
        if start < 0 or any(start < end and start + len(answer) > begin for begin, end in spans):
            continue
        spans.append((start, start + len(answer)))
        cursor = start + len(answer)
    segments: list[Segment] = []
    position = 0
    for begin, end in sorted(spans):
        if begin > position:
            segments.append(Segment(text[position:begin]))
        segments.append(Segment(text[begin:end], marked=True))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments
