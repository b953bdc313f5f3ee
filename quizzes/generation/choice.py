"""单选: one blank, the answer and three distractors of the same kind from elsewhere in the document."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from .cloze import MIN_WORD_SCORE, accepted_variants, blank_out, from_chinese, to_chinese
from .questions import CHOICE, Blank, GeneratedQuestion, clamp, line_context, question_key
from .terms import ENUM, NUMBER, QUOTE, WORD, LineTerms, Term

SHORTLIST = 8  # distractors are drawn from the closest few, so they look like the answer


def choice_questions(analysed: Sequence[LineTerms], rng: random.Random) -> list[GeneratedQuestion]:
    """At most one choice question per line, on its best single term that has three good distractors."""
    salt = rng.getrandbits(64)  # one draw; each question's own Random comes from it and the question's key
    pool = sorted({(t.text, t.category, t.pos) for lt in analysed for t in lt.terms if _askable(t)})
    texts = {lt.line.text for lt in analysed}
    questions = []
    for lt in analysed:
        for term in sorted((t for t in lt.terms if _askable(t)), key=lambda t: (-t.score, t.start)):
            question = _question(lt, term, pool, texts, salt)
            if question:
                questions.append(question)
                break
    return questions


def _askable(term: Term) -> bool:
    if term.category == WORD:
        return term.score >= MIN_WORD_SCORE and len(term.text) <= 8
    return len(term.text) <= 14


def distractors(term: Term, line_text: str, pool: Sequence[tuple[str, str, str]], texts: set[str]) -> list[str]:
    """Same-kind candidates that cannot also be right, closest in shape first."""
    same = [text for text, category, pos in pool if category == term.category and _same_pos(term, category, pos)]
    if term.category == NUMBER:
        shape = _number_shape(term.text)
        same = [text for text in same if _number_shape(text) == shape] + synthetic_numbers(term.text)
    answer = term.text
    fits = []
    for text in dict.fromkeys(same):
        filled = line_text[: term.start] + text + line_text[term.end :]
        if text in line_text or answer in text or text in answer or filled in texts:
            continue  # it is in the sentence already, or would make another line of the document
        fits.append(text)
    return sorted(fits, key=lambda t: (_shape_distance(answer, t), t))


def synthetic_numbers(text: str) -> list[str]:
    """Plausible wrong numbers of the same form: 12351 → 12315, 三年 → 五年, 1000个 → 500个."""
    digits = re.search(r"\d+", text)
    if digits:
        d = digits.group()
        if len(d) >= 5:  # a hotline or code: swap or change digits
            options = {d[:i] + d[i + 1] + d[i] + d[i + 2 :] for i in range(len(d) - 1)}
            options |= {d[:-1] + str((int(d[-1]) + k) % 10) for k in (1, 2, 3)}
        else:
            value = int(d)
            near: tuple[int, ...] = (value * 2, value // 2 if value % 2 == 0 else 0, value * 10, value + 5, value + 10)
            options = {str(v) for v in (near if value < 100 else near[:3]) if v > 1}
        return sorted(text.replace(d, o, 1) for o in options if o != d)
    numeral = re.match(r"[一二三四五六七八九十]+", text)
    if numeral:
        value = from_chinese(numeral.group())
        nearby = sorted({v for v in (value - 2, value - 1, value + 1, value + 2) if v > 1} - {value})
        return [text.replace(numeral.group(), "两" if v == 2 else to_chinese(v), 1) for v in nearby]
    return []


def _same_pos(term: Term, category: str, pos: str) -> bool:
    return category != WORD or pos[:1] == term.pos[:1]


def _number_shape(text: str) -> tuple[bool, str]:
    """三年 and 五年 share a shape; 三年 and 三方 do not."""
    return bool(re.search(r"\d", text)), re.sub(r"[\d一二三四五六七八九十两]", "", text)


def _shape_distance(answer: str, other: str) -> float:
    shared_end = answer[-1] == other[-1]
    return abs(len(answer) - len(other)) - 0.5 * shared_end


def _question(
    lt: LineTerms, term: Term, pool: Sequence[tuple[str, str, str]], texts: set[str], salt: int
) -> GeneratedQuestion | None:
    candidates = distractors(term, lt.line.text, pool, texts)
    if len(candidates) < 3:
        return None
    line = lt.line
    form = {QUOTE: "name", NUMBER: "number", ENUM: "member", WORD: "term"}[term.category]
    key = question_key(CHOICE, form, [line.text_key], [f"{term.start}:{term.text}"])
    local = random.Random(f"{salt}|{key}")
    options = [term.text, *local.sample(candidates[:SHORTLIST], 3)]
    local.shuffle(options)
    width = max(2, *(len(o) for o in options))  # as wide as the longest option: no hint from the length
    rarity = min(1.0, max(0.0, (term.score - 14) / 16))
    return GeneratedQuestion(
        key=key,
        type=CHOICE,
        form=form,
        prompt=blank_out(line.text, [(term.start, term.end, width)]),
        blanks=(Blank(term.text, accepted_variants(term.text), 0, False),),
        choices=tuple(options),
        answer_index=options.index(term.text),
        **line_context(line),
        difficulty=clamp(0.1 + 0.35 * rarity + 0.1 * min(1, len(term.text) / 8)),
    )
