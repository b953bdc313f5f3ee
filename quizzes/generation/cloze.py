"""填空: blank the key terms of a line; an enumeration may be blanked as a group, in any order."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from studyapp.documents.parsing import TOPIC

from .questions import CLOZE, UNDERSCORE, Blank, GeneratedQuestion, clamp, line_context, question_key
from .terms import STOP_WORDS, WORD, Enumeration, LineTerms, Term

MIN_WORD_SCORE = 17.0  # below this a plain word is too generic to be worth a blank
FALLBACK_WORD_SCORE = 15.5  # …unless a topic would otherwise have fewer than three questions
MIN_PER_TOPIC = 3
CN_DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class Unit:
    """What one question blanks: a single term or a whole enumeration."""

    terms: tuple[Term, ...]
    score: float
    group: bool

    @property
    def start(self) -> int:
        return self.terms[0].start


def cloze_questions(analysed: Sequence[LineTerms]) -> list[GeneratedQuestion]:
    """Fill-in questions for every line, best units first.

    A line's quota depends only on its own length and on how many lines its topic has (so that
    every topic gets three questions), never on what its neighbours contain: editing one line
    cannot change the questions asked about another.
    """
    per_topic: dict[str, int] = defaultdict(int)
    for lt in analysed:
        per_topic[lt.line.topic] += lt.line.kind != TOPIC
    questions: list[GeneratedQuestion] = []
    for lt in analysed:
        text = lt.line.text
        share = -(-MIN_PER_TOPIC // per_topic[lt.line.topic]) if per_topic[lt.line.topic] else 1
        quota = 1 if lt.line.kind == TOPIC else max(1 + (len(text) >= 16) + (len(text) >= 32), share)
        units = line_units(lt)
        strong = [u for u in units if u.group or u.terms[0].category != WORD or u.score >= MIN_WORD_SCORE]
        chosen = strong[:quota]
        if len(chosen) < quota:  # a thin topic: accept weaker words rather than fewer than three questions
            chosen += [u for u in units if u not in chosen][: quota - len(chosen)]
        questions.extend(make_cloze(lt, unit) for unit in sorted(chosen, key=lambda u: u.start))
    return questions


def line_units(lt: LineTerms) -> list[Unit]:
    """Candidate blanks of a line, best first."""
    units = []
    grouped: set[Term] = set()
    for enum in lt.enumerations:
        # A generic member (工会 in 工会+法院+…) stays as the clue; the others are blanked.
        members = tuple(sorted((m for m in enum.members if m.text not in STOP_WORDS), key=lambda m: m.start))
        if len(members) >= 2 and _groupable(Enumeration(members), lt.line.text):
            units.append(Unit(members, sum(m.score for m in members) / len(members) + 1, True))
            grouped.update(members)
    seen = {m.text for m in grouped}
    for term in lt.terms:
        if term.text in seen:
            continue  # a member of a blanked list, or a repeat
        seen.add(term.text)
        if term.category == WORD and (term.score < FALLBACK_WORD_SCORE or len(term.text) > 8):
            continue
        units.append(Unit((term,), term.score, False))
    return sorted(units, key=lambda u: (-u.score, u.start))


def _groupable(enum: Enumeration, text: str) -> bool:
    lengths = [len(m.text) for m in enum.members]
    return len(lengths) <= 6 and max(lengths) <= 8 and sum(lengths) <= 0.75 * len(text)


def make_cloze(lt: LineTerms, unit: Unit) -> GeneratedQuestion:
    """The question blanking `unit` in its line."""
    line = lt.line
    width = max(len(t.text) for t in unit.terms) if unit.group else 0
    blanks = tuple(Blank(t.text, accepted_variants(t.text), 0, unit.group) for t in unit.terms)
    prompt = blank_out(line.text, [(t.start, t.end, max(2, width or len(t.text))) for t in unit.terms])
    answers = [f"{t.start}:{t.text}" for t in unit.terms]
    rarity = sum(min(1.0, max(0.0, (t.score - 14) / 16)) for t in unit.terms) / len(unit.terms)
    length = sum(len(t.text) for t in unit.terms)
    return GeneratedQuestion(
        key=question_key(CLOZE, "enumeration" if unit.group else "term", [line.text_key], answers),
        type=CLOZE,
        form="enumeration" if unit.group else "term",
        prompt=prompt,
        blanks=blanks,
        **line_context(line),
        difficulty=clamp(0.15 + 0.35 * rarity + 0.3 * min(1, (len(blanks) - 1) / 4) + 0.2 * min(1, length / 16)),
    )


def blank_out(text: str, spans: list[tuple[int, int, int]]) -> str:
    """Replace each (start, end, width) span with a run of `width` full-width underscores."""
    out, last = [], 0
    for start, end, width in sorted(spans):
        out.append(text[last:start] + UNDERSCORE * width)
        last = end
    return "".join(out) + text[last:]


def accepted_variants(answer: str) -> tuple[str, ...]:
    """The answer, then forms a careful reader might type instead: quotes, dots, digits."""
    variants = [answer, f"“{answer}”", answer.replace("‘", "“").replace("’", "”"), re.sub(r"[‘’“”]", "", answer)]
    if "·" in answer:
        variants += [answer.replace("·", ""), answer.replace("·", "•"), answer.replace("·", ".")]
    variants.append(answer.translate(str.maketrans("0123456789", "０１２３４５６７８９")))
    digits = re.search(r"\d+", answer)
    if digits and len(digits.group()) <= 4:  # 1000个 ↔ 一千个; a hotline number stays digits
        variants.append(answer.replace(digits.group(), to_chinese(int(digits.group()))))
    numeral = re.search(r"[一二三四五六七八九十]+", answer)
    if numeral and re.fullmatch(r"[二三四五六七八九十]+(?:年规划|项规定|年|个|项|方|地)", answer):
        variants.append(answer.replace(numeral.group(), str(from_chinese(numeral.group()))))
    return tuple(dict.fromkeys(v for v in variants if v))


def to_chinese(number: int) -> str:
    """0..9999 in Chinese numerals (十五, 一千, 一千零五)."""
    if number < 10:
        return CN_DIGITS[number]
    if number < 20:
        return "十" + (CN_DIGITS[number - 10] if number % 10 else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // value % 10
        if digit:
            out += ("零" if zero and out else "") + CN_DIGITS[digit] + unit
            zero = False
        else:
            zero = True
    return out


def from_chinese(text: str) -> int:
    """Small Chinese numerals: 三 → 3, 十五 → 15, 二十 → 20."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (CN_DIGITS.index(tens) if tens else 1) * 10 + (CN_DIGITS.index(ones) if ones else 0)
    return CN_DIGITS.index(text)
