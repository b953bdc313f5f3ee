"""Normalising and checking answers, and marking the answer in its source line.

Pure functions over plain data (the question's `blanks`/`pairs`/`choices` JSON and what the
learner gave): no database, no request. `answer_check()` is the one entry point services use.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _

MAX_ANSWER_LENGTH = 200

CLOZE, MATCHING, CHOICE = "cloze", "matching", "choice"

# After NFKC full-width forms are ASCII already, so only the CJK-only marks are listed twice.
_QUOTES = "“”‘’「」『』\"'`〝〞＂"
_BRACKETS = "()[]{}<>《》〈〉【】〔〕〖〗"
_DROP = str.maketrans("", "", _QUOTES + _BRACKETS)
_SPACE = re.compile(r"\s+")
_EDGE_PUNCTUATION = "。.，,、；;：:！!？?…·・—–-~～/\\|"
# What separates enumeration members typed into one box.
_MEMBER_SEPARATOR = re.compile(r"[、，,；;\s]+")


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


def normalize(text: str) -> str:
    """Compare form of an answer: NFKC width folding, simplified characters, no quotes, brackets,
    spaces or punctuation at the ends, lower case."""
    text = unicodedata.normalize("NFKC", text)
    text = _t2s().convert(text)
    text = text.translate(_DROP)
    text = _SPACE.sub("", text)
    return text.strip(_EDGE_PUNCTUATION).lower()


def accepted_forms(blank: dict[str, Any]) -> set[str]:
    """Every normalised form that counts as right for `blank`."""
    forms = {normalize(blank.get("answer", ""))}
    forms.update(normalize(variant) for variant in blank.get("accepted", []) or [])
    forms.discard("")
    return forms


def validate_answer(*, question_type: str, size: int, given: Any) -> None:
    """Raise MalformedAnswer unless `given` has the shape a question of `question_type` and `size`
    (blanks, left items or choices) expects."""
    if question_type == CLOZE:
        if not isinstance(given, list) or len(given) != size or not all(isinstance(g, str) for g in given):
            raise MalformedAnswer(_("答案格式不对：每个空都要有一个输入框。"))
        if any(len(g) > MAX_ANSWER_LENGTH for g in given):
            raise MalformedAnswer(_("答案太长：每个空最多 %(max)d 个字。") % {"max": MAX_ANSWER_LENGTH})
        if not any(g.strip() for g in given):
            raise MalformedAnswer(_("请至少填写一个空。"))
    elif question_type == CHOICE:
        if isinstance(given, bool) or not isinstance(given, int) or not 0 <= given < size:
            raise MalformedAnswer(_("请选择一个选项。"))
    elif question_type == MATCHING:
        if (
            not isinstance(given, list)
            or len(given) != size
            or any(isinstance(g, bool) or not isinstance(g, int) or not 0 <= g < size for g in given)
        ):
            raise MalformedAnswer(_("请为左边的每一项选好配对。"))
    else:
        raise MalformedAnswer(_("未知题型。"))


def answer_check(
    *,
    question_type: str,
    given: Any,
    blanks: Sequence[dict[str, Any]] = (),
    pairs: Sequence[Sequence[str]] = (),
    answer_index: int | None = None,
) -> Check:
    """Mark `given` (already validated) against the question's key."""
    if question_type == CLOZE:
        marks = cloze_marks(blanks, given)
    elif question_type == CHOICE:
        marks = [given == answer_index]
    elif question_type == MATCHING:
        marks = matching_marks(pairs, given)
    else:
        raise MalformedAnswer(_("未知题型。"))
    credit = sum(marks) / len(marks) if marks else 0.0
    return Check(marks=marks, credit=credit, is_correct=bool(marks) and all(marks))


def cloze_marks(blanks: Sequence[dict[str, Any]], given: Sequence[str]) -> list[bool]:
    """One mark per blank. Blanks of one `any_order` group take their members in any order, and a
    group with several members may be typed into one box, separated by 、，, ; or spaces."""
    marks = [False] * len(blanks)
    groups: dict[Any, list[int]] = {}
    for index, blank in enumerate(blanks):
        if blank.get("any_order") and blank.get("group") is not None:
            groups.setdefault(blank["group"], []).append(index)
        else:
            marks[index] = normalize(given[index]) in accepted_forms(blank)
    for positions in groups.values():
        for position, mark in zip(
            positions, _group_marks([blanks[p] for p in positions], [given[p] for p in positions]), strict=True
        ):
            marks[position] = mark
    return marks


def _group_marks(members: Sequence[dict[str, Any]], boxes: Sequence[str]) -> list[bool]:
    forms = [accepted_forms(member) for member in members]
    pieces: list[tuple[int, str]] = []  # (box, normalised piece)
    for box, raw in enumerate(boxes):
        whole = normalize(raw)
        if not whole:
            continue
        if len(members) > 1 and not any(whole in f for f in forms):
            parts = [normalize(part) for part in _MEMBER_SEPARATOR.split(unicodedata.normalize("NFKC", raw))]
            pieces.extend((box, part) for part in parts if part)
        else:
            pieces.append((box, whole))
    matched = _max_matching([piece for _box, piece in pieces], forms)
    marks = [False] * len(boxes)
    box_pieces: dict[int, list[bool]] = {}
    for index, (box, _piece) in enumerate(pieces):
        box_pieces.setdefault(box, []).append(index in matched)
    for box, results in box_pieces.items():
        marks[box] = all(results)
    # Members typed together into one box also fill the boxes left empty.
    spare = len(matched) - sum(marks)
    for box in range(len(boxes)):
        if spare <= 0:
            break
        if box not in box_pieces:
            marks[box] = True
            spare -= 1
    return marks


def _max_matching(pieces: Sequence[str], forms: Sequence[set[str]]) -> set[int]:
    """Indexes of `pieces` in a maximum matching of pieces to distinct members (Kuhn's algorithm)."""
    owner: dict[int, int] = {}  # member -> piece

    def augment(piece: int, seen: set[int]) -> bool:
        for member, accepted in enumerate(forms):
            if pieces[piece] in accepted and member not in seen:
                seen.add(member)
                if member not in owner or augment(owner[member], seen):
                    owner[member] = piece
                    return True
        return False

    for piece in range(len(pieces)):
        augment(piece, set())
    return set(owner.values())


def matching_marks(pairs: Sequence[Sequence[str]], given: Sequence[int]) -> list[bool]:
    """Left item i is right when paired with its own right item, or with one of the same text."""
    return [choice == index or pairs[choice][1] == pairs[index][1] for index, choice in enumerate(given)]


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
