"""Every question of a document: fill-in, matching, single choice, true/false and multiple select, in
one deterministic pass."""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence

from studyapp.documents.parsing import PART, TASK, TOPIC, ParsedDocument

from .choice import choice_questions
from .cloze import cloze_questions, extra_questions, full_quota
from .matching import matching_questions
from .multiselect import multiselect_questions
from .questions import Blank, GeneratedQuestion
from .source import (
    SourceLine,
    heading_lines,
    heading_lines_from_lines,
    headings,
    headings_from_lines,
    in_order,
    source_lines,
)
from .terms import LineTerms, analyse
from .truefalse import truefalse_questions


def generate_questions(
    doc_or_lines: ParsedDocument | Sequence[SourceLine],
    *,
    seed: int = 0,
    avoid: Collection[tuple[str, str]] = (),
) -> list[GeneratedQuestion]:
    """Every question for the document: cloze, then choice (both in line order), then matching sets,
    then true/false (in line order), then multiple select (lists in line order, then topics).

    Deterministic: the same text and seed give the same bank, in the same order. Keys do not depend
    on the seed or on other lines; the seed only decides distractors, option and pair order. Kinds
    added later come after the earlier ones and draw from the seed after them, so adding a kind
    leaves the questions of the others, their order and their keys as they were.
    Prefer passing the ParsedDocument: from bare lines, topics without lines are lost.

    `avoid`: (line text key, answer text) of fill-ins staff suppressed (the answer as
    cloze.answer_text joins a fill-in's blanks). Such a blank is not offered again on its line: the
    line's next best unit is blanked instead, and no single choice or true/false asks the answer
    either (it counts as asked).
    """
    if isinstance(doc_or_lines, ParsedDocument):
        lines, heads = source_lines(doc_or_lines), headings(doc_or_lines)
    else:
        lines = sorted(doc_or_lines, key=lambda line: line.position)
        heads = headings_from_lines(lines)
    rng = random.Random(seed)
    # Titles are asked too, as themselves (实施大抓基层三年行动); a title with no line under it is not.
    titles = (
        heading_lines(doc_or_lines) if isinstance(doc_or_lines, ParsedDocument) else heading_lines_from_lines(lines)
    )
    used = {text for line in lines for text in (line.part, line.task, line.topic)}
    analysed = analyse(in_order([*lines, *(t for t in titles if t.text in used)]))
    body = [lt for lt in analysed if lt.line.kind not in (PART, TASK, TOPIC)]
    avoided: dict[str, set[str]] = {}
    for text_key, answer in sorted(avoid):
        avoided.setdefault(text_key, set()).add(answer)
    cloze = cloze_questions(analysed, avoided)
    # One idea, one item: what each line's questions ask already (or staff did not want asked).
    asked: dict[str, set[str]] = {text_key: set(answers) for text_key, answers in avoided.items()}
    for question in cloze:
        asked.setdefault(question.source_text_keys[0], set()).update(b.answer for b in question.blanks)
    # A line's next idea goes to a true/false when it has a plausible false swap, else to a single
    # choice: true/false draws nothing from the seed, so computing it first changes no seeded draw.
    statements = truefalse_questions(body, asked, swapped_only=True)
    for question in statements:
        asked.setdefault(question.source_text_keys[0], set()).update(b.answer for b in question.blanks)
    choices = choice_questions(analysed, rng, asked)
    for question in choices:
        asked.setdefault(question.source_text_keys[0], set()).update(b.answer for b in question.blanks)
    # A line whose next idea no false statement or single choice asks gets it as one more fill-in.
    other_kinds = {question.source_text_keys[0] for question in statements + choices}
    keys = {question.key for question in cloze}
    more = [
        question
        for question in cloze_questions(analysed, avoided, full_quota)
        if question.key not in keys and question.source_text_keys[0] not in other_kinds
    ]
    for question in more:
        asked.setdefault(question.source_text_keys[0], set()).update(b.answer for b in question.blanks)
    # A line's further key phrases, beyond what its fill-ins and single choice ask, are fill-ins too:
    # a key phrase is a fill-in before it is the term a false statement swaps (a single choice keeps
    # its term: options of the answer's kind are scarcer than a statement's other terms).
    swapped = {q.source_text_keys[0]: {b.answer for b in q.blanks} for q in statements}
    extra = extra_questions(
        analysed, {key: answers - swapped.get(key, set()) for key, answers in asked.items()}, avoided
    )
    for question in extra:
        asked.setdefault(question.source_text_keys[0], set()).update(b.answer for b in question.blanks)
    statements = _restated(statements, extra, body, asked)
    for question in statements:
        asked.setdefault(question.source_text_keys[0], set()).update(b.answer for b in question.blanks)
    stated = {question.source_text_keys[0] for question in statements}
    # A line stated as written judges what its fill-ins leave: the key phrases are fill-ins first.
    true_ones = [q for q in truefalse_questions(body, asked, true_only=True) if q.source_text_keys[0] not in stated]
    cloze = _in_line_order(cloze + more + extra, analysed)
    # A line with nothing specific to blank (完善创新工作体系、工作内容和工作方式) is stated as written.
    covered = {q.source_text_keys[0] for q in cloze + statements + choices + true_ones}
    unasked = [lt for lt in body if lt.line.text_key not in covered]
    true_ones += truefalse_questions(unasked, asked, true_only=True, every=True) if unasked else []
    questions = cloze + choices + matching_questions(lines, heads, rng)
    questions += _in_line_order(statements + true_ones, body) + multiselect_questions(body, lines, heads, rng)
    unique: dict[str, GeneratedQuestion] = {}
    for question in questions:  # a line repeated word for word asks the same question once
        unique.setdefault(question.key, question)
    return list(unique.values())


def _restated(
    statements: list[GeneratedQuestion],
    extra: Sequence[GeneratedQuestion],
    body: Sequence[LineTerms],
    asked: Mapping[str, Collection[str]],
) -> list[GeneratedQuestion]:
    """The false statements once a line's further key phrases are fill-ins: a statement whose swapped
    term a fill-in now asks swaps another term of its line, or gives way (one idea, one item)."""
    taken = {(q.source_text_keys[0], b.answer) for q in extra for b in q.blanks}
    stale = {
        q.source_text_keys[0] for q in statements if any((q.source_text_keys[0], b.answer) in taken for b in q.blanks)
    }
    if not stale:
        return statements
    again = {
        q.source_text_keys[0]: q
        for q in truefalse_questions(body, asked, swapped_only=True)
        if q.source_text_keys[0] in stale
    }
    kept = []
    for question in statements:
        key = question.source_text_keys[0]
        if key not in stale:
            kept.append(question)
        elif key in again:
            kept.append(again[key])
    return kept


def _in_line_order(questions: list[GeneratedQuestion], analysed: Sequence[LineTerms]) -> list[GeneratedQuestion]:
    position = {lt.line.text_key: index for index, lt in enumerate(analysed)}
    return sorted(questions, key=lambda q: position.get(q.source_text_keys[0], len(position)))


__all__ = ["Blank", "GeneratedQuestion", "generate_questions"]
