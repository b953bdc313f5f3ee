"""填空 (fill-in): a line with its key phrases blanked out; the learner types each one."""

from __future__ import annotations

import itertools
import random
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..checking import MAX_ANSWER_LENGTH, MalformedAnswer, accepted_forms, normalize
from ..rules import BLANK
from .base import (
    AnswerInputs,
    FormData,
    Moodle,
    Option,
    QuestionData,
    QuestionKind,
    Row,
    embedded_escape,
    gift_escape,
    mark,
    single_value,
)

# What separates enumeration members typed into one box.
MEMBER_SEPARATOR = re.compile(r"[、，,；;\s]+")
# Wrong answers a demo learner gives: phrases of the document, plausible but not the key.
PLAUSIBLE_WRONG = ["职工群众", "高质量发展", "劳动竞赛", "民主管理", "产业工人", "改革创新", "不知道"]


class Cloze(QuestionKind):
    """`blanks` holds one {answer, accepted, group, any_order} per blank, in prompt order; blanks of
    one `any_order` group are members of an enumeration, right in any order. The answer is a list
    of strings, one per blank."""

    name = "cloze"
    label = gettext_lazy("填空")
    template = "quizzes/kinds/cloze.html"

    def inputs(self, question: QuestionData, layout: Mapping[str, Any], data: FormData | None) -> AnswerInputs:
        return AnswerInputs(
            prompt_parts=prompt_parts(question.prompt),
            blanks=[
                Option(index, "", data.get(f"blank-{index}", "") if data else "")
                for index in range(len(question.blanks))
            ],
        )

    def answer_from_post(self, question: QuestionData, layout: Mapping[str, Any], data: FormData) -> Any:
        given = []
        for index in range(len(question.blanks)):
            value = single_value(data, f"blank-{index}", _("答案格式不对：每个空只能有一个答案。"))
            if value is None:
                raise MalformedAnswer(_("答案格式不对：缺少第 %(number)d 个空。") % {"number": index + 1})
            given.append(value)
        return given

    def problems(self, question: QuestionData) -> list[str]:
        found = super().problems(question)
        runs = len(BLANK.findall(question.prompt))
        if not question.blanks:
            found.append(_("填空题至少要有一个空。"))
        elif runs != len(question.blanks):
            found.append(
                _("题干中有 %(runs)d 处空格（＿＿），答案却有 %(answers)d 个。")
                % {"runs": runs, "answers": len(question.blanks)}
            )
        for number, blank in enumerate(question.blanks, start=1):
            if not str(blank.get("answer", "")).strip():
                found.append(_("第%(n)d空没有答案。") % {"n": number})
            if any(not str(form).strip() for form in blank.get("accepted", [])):
                found.append(_("第%(n)d空的同义答案中有空白项。") % {"n": number})
        return found

    def validate(self, question: QuestionData, given: Any) -> None:
        if (
            not isinstance(given, list)
            or len(given) != len(question.blanks)
            or not all(isinstance(g, str) for g in given)
        ):
            raise MalformedAnswer(_("答案格式不对：每个空都要有一个输入框。"))
        if any(len(g) > MAX_ANSWER_LENGTH for g in given):
            raise MalformedAnswer(_("答案太长：每个空最多 %(max)d 个字。") % {"max": MAX_ANSWER_LENGTH})
        if any("\x00" in g for g in given):  # PostgreSQL cannot store it; no one types it
            raise MalformedAnswer(_("答案中有无法识别的字符。"))
        if not any(g.strip() for g in given):
            raise MalformedAnswer(_("请至少填写一个空。"))

    def marks(self, question: QuestionData, given: Any) -> list[bool]:
        return cloze_marks(question.blanks, given)

    def feedback_rows(self, question: QuestionData, given: Any, marks: Sequence[Any]) -> list[Row]:
        given = given if isinstance(given, list) else []
        return [
            Row(
                _("第 %(number)d 空") % {"number": index + 1},
                given[index] if index < len(given) else "",
                blank.get("answer", ""),
                mark(marks, index),
            )
            for index, blank in enumerate(question.blanks)
        ]

    def key_texts(self, question: QuestionData) -> list[str]:
        return [blank.get("answer", "") for blank in question.blanks]

    def wrong_answer_texts(
        self, question: QuestionData, given: Any, marks: Sequence[Any], normalise: Callable[[str], str]
    ) -> list[str]:
        """Each wrong blank's normalised text (“（空）” when left empty), numbered when there are several."""
        several = len(question.blanks) > 1
        texts = []
        for index, text in enumerate(given if isinstance(given, list) else []):
            if mark(marks, index):
                continue
            shown = normalise(str(text)) or _("（空）")
            texts.append(_("第%(number)d空：%(text)s") % {"number": index + 1, "text": shown} if several else shown)
        return texts

    def right_answer(self, question: QuestionData) -> Any:
        return [blank["answer"] for blank in question.blanks]

    def wrong_answer(self, question: QuestionData) -> Any:
        return ["不知道"] * len(question.blanks)

    def post_data(self, question: QuestionData, layout: Mapping[str, Any], given: Any) -> dict[str, Any]:
        return {f"blank-{index}": text for index, text in enumerate(given)}

    def sample_answer(self, question: QuestionData, right: bool, rng: random.Random) -> Any:
        answers = [blank["answer"] for blank in question.blanks]
        if right:
            return answers
        wrong = list(answers)
        for index in rng.sample(range(len(wrong)), k=max(1, len(wrong) // 2)):
            wrong[index] = rng.choice([w for w in PLAUSIBLE_WRONG if w != answers[index]])
        return wrong

    def gift(self, question: QuestionData) -> list[str]:
        """GIFT allows one answer block per question: each blank becomes an entry of its own that asks
        it with the other blanks shown filled in, except that the members of an any-order group are
        asked together, in one entry that keeps their blanks and accepts them typed into one box
        (`_gift_enumeration`)."""
        pieces = BLANK.split(question.prompt)
        runs = BLANK.findall(question.prompt)
        blanks = question.blanks
        if len(pieces) != len(blanks) + 1:
            return []
        entries = []
        for asked in _asked_together(blanks):
            text = gift_escape(pieces[0])
            for index, blank in enumerate(blanks):
                if index not in asked:
                    text += gift_escape(blank["answer"])
                elif len(asked) == 1:
                    text += _gift_answers(blank)
                else:
                    text += runs[index]
                text += gift_escape(pieces[index + 1])
            if len(asked) > 1:
                text += _gift_enumeration([blanks[index] for index in asked])
            entries.append(text)
        return entries

    def moodle_xml(self, question: QuestionData, start: Moodle) -> None:
        """An embedded-answers (Cloze) question with a SHORTANSWER field per blank. A field of an
        any-order group accepts every member of the group (its own first, which Moodle shows as the
        key), so the members are right in any order. Known limitation: Moodle marks each field on
        its own, so a learner who types the same member into two fields gets both marked right
        (cloze_marks counts it once); one field for the whole group, as in GIFT, would avoid that
        but lose the per-member marks and the layout the app shows."""
        pieces = BLANK.split(question.prompt)
        blanks = question.blanks
        if len(pieces) != len(blanks) + 1:
            return
        accepted = [_answers(blank) for blank in blanks]
        for asked in _asked_together(blanks):
            members = [answer for index in asked for answer in _answers(blanks[index])]
            for index in asked:
                accepted[index] = list(dict.fromkeys([*accepted[index], *members]))
        text = pieces[0]
        for answers, after in zip(accepted, pieces[1:], strict=True):
            text += "{1:SHORTANSWER:" + "~".join(f"={embedded_escape(a)}" for a in answers) + "}" + after
        start("cloze", text)


def prompt_parts(prompt: str) -> list[tuple[str, int | None]]:
    """The prompt cut at its blanks (runs of ＿): text pieces, and blank numbers counted from 1."""
    parts: list[tuple[str, int | None]] = []
    position = 0
    for number, match in enumerate(BLANK.finditer(prompt), start=1):
        if match.start() > position:
            parts.append((prompt[position : match.start()], None))
        parts.append(("", number))
        position = match.end()
    if position < len(prompt):
        parts.append((prompt[position:], None))
    return parts


def _answers(blank: dict[str, Any]) -> list[str]:
    return [blank["answer"], *[a for a in blank.get("accepted", []) if a != blank["answer"]]]


def _gift_answers(blank: dict[str, Any]) -> str:
    return "{" + " ".join(f"={gift_escape(answer)}" for answer in _answers(blank)) + "}"


# GIFT: an any-order group of up to this many members accepts its members in every order (4! = 24
# orders); a longer one only in the document's order.
GIFT_PERMUTED_MEMBERS = 4
# GIFT: what may join the members of an enumeration typed into one box.
GIFT_MEMBER_SEPARATORS = ("、", "，")


def _asked_together(blanks: Sequence[dict[str, Any]]) -> list[list[int]]:
    """The blanks in prompt order, as the exports ask them: the members of one any-order group
    together (where the first of them stands), every other blank alone."""
    asked: list[list[int]] = []
    groups: dict[Any, list[int]] = {}
    for index, blank in enumerate(blanks):
        if blank.get("any_order") and blank.get("group") is not None:
            if blank["group"] in groups:
                groups[blank["group"]].append(index)
                continue
            groups[blank["group"]] = [index]
            asked.append(groups[blank["group"]])
        else:
            asked.append([index])
    return asked


def _gift_enumeration(members: Sequence[dict[str, Any]]) -> str:
    """What follows the text of an entry that asks an any-order group: a hint (how many members,
    typed into one box with 、) and a short-answer block that accepts the members joined by 、 or ，,
    in every order for a short group and in the document's order for a longer one. Members are
    joined as the document writes them: their accepted variants are not combined (4 members with 2
    variants each would make 16 times as many answers)."""
    answers = [member["answer"] for member in members]
    if len(answers) <= GIFT_PERMUTED_MEMBERS:
        orders = list(itertools.permutations(answers))
        hint = f"（{len(answers)}项，顺序不限，用“、”隔开）"
    else:
        orders = [tuple(answers)]
        hint = f"（{len(answers)}项，按原文顺序，用“、”隔开）"
    joined = dict.fromkeys(separator.join(order) for order in orders for separator in GIFT_MEMBER_SEPARATORS)
    return hint + " {" + " ".join(f"={gift_escape(answer)}" for answer in joined) + "}"


# --- Marking ---------------------------------------------------------------------------------------


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
        for position, group_mark in zip(
            positions, _group_marks([blanks[p] for p in positions], [given[p] for p in positions]), strict=True
        ):
            marks[position] = group_mark
    return marks


def _group_marks(members: Sequence[dict[str, Any]], boxes: Sequence[str]) -> list[bool]:
    forms = [accepted_forms(member) for member in members]
    pieces: list[tuple[int, str]] = []  # (box, normalised piece)
    for box, raw in enumerate(boxes):
        whole = normalize(raw)
        if not whole:
            continue
        if len(members) > 1 and not any(whole in f for f in forms):
            parts = [normalize(part) for part in MEMBER_SEPARATOR.split(unicodedata.normalize("NFKC", raw))]
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
