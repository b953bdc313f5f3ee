"""判断: a line as written (true), or with one key term swapped for a same-kind term (false).

The statement, its verdict and the swapped-in term depend only on the line, its terms and the
document's pool of terms, never on the seed: they are what is asked, so they are in the key.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence

from .choice import KindPool, SlotIndex, acceptable_options, kind_at
from .cloze import FALLBACK_WORD_SCORE, mostly_in
from .questions import TRUEFALSE, Blank, GeneratedQuestion, clamp, line_context, question_key
from .terms import ENUM, NUMBER, PHRASE, QUOTE, WORD, LineTerms, Term

MAX_STATEMENT = 80  # longer lines hold several ideas: a learner cannot judge them as one statement
LEAD_IN = ("——", "：", ":")  # a line introducing what follows is not a statement
TRUE_OF_OTHERS = (1, 2)  # lines not stated false are stated true on 1 line in 2
FALSE_OF_SWAPPABLE = (2, 3)  # lines with a plausible swap are stated false on 2 lines in 3
# A shared generic word makes no sibling: 工会工作 → 试点工作, 劳动大军 → 劳动竞赛.
GENERIC = frozenset({"工作", "劳动", "职工", "建设", "服务", "发展"})
# Words the document uses for the same people: swapping one for another is no error.
SAME_PEOPLE = frozenset({"职工", "劳动者", "工人", "劳动群众", "职工群众"})
FORMS = {QUOTE: "name", NUMBER: "number", ENUM: "member", PHRASE: "phrase", WORD: "term"}


def truefalse_questions(
    analysed: Sequence[LineTerms],
    asked: Mapping[str, Iterable[str]] | None = None,
    *,
    swapped_only: bool = False,
    true_only: bool = False,
    every: bool = False,
) -> list[GeneratedQuestion]:
    """At most one true/false question per line, in line order.

    The term judged is the line's best term that no other question on the line asks (`asked` maps a
    line's text key to those terms: one idea, one item) and that no heading above the line shows.
    On two lines in three (FALSE_OF_SWAPPABLE, by a stable hash of the line), a line with such a term
    that has a plausible same-kind alternative is stated false, the first such term swapped; a line
    not stated false is stated true on one line in two (TRUE_OF_OTHERS), so that false statements
    stay between three and six in ten. `swapped_only` makes only the false ones, `true_only` only the
    true ones: the generator asks the false ones before single choice takes the lines' next ideas,
    and the true ones after. `every` states every line true that is not stated false (a line
    nothing else asks: its fill-ins would be filler).
    """
    asked = asked or {}
    pool = KindPool(analysed)
    slots = SlotIndex(analysed)
    texts = {lt.line.text for lt in analysed}
    questions = []
    for lt in analysed:
        line = lt.line
        if len(line.text) > MAX_STATEMENT or line.text.endswith(LEAD_IN):
            continue
        taken = set(asked.get(line.text_key, ()))
        headings = f"{line.part}\n{line.task}\n{line.topic}"  # shown above the question
        # Candidates overlapping no answer another question on the line asks: one idea, one item.
        spans = [(m.start(), m.end()) for answer in taken for m in re.finditer(re.escape(answer), line.text)]
        terms = sorted(
            (
                t
                for t in (lt.candidates or lt.terms)
                if _askable(t)
                and t.text not in taken
                and t.text not in headings
                and not mostly_in(t.text, headings)
                and not any(t.start < end and start < t.end for start, end in spans)
            ),
            key=lambda t: (-t.score, t.start, t.text),
        )
        swapped = None
        if (
            not true_only
            and stable_hash(TRUEFALSE, "false", line.text_key) % FALSE_OF_SWAPPABLE[1] < FALSE_OF_SWAPPABLE[0]
        ):
            swapped = next(
                ((t, alt) for t in terms if (alt := _alternative(lt, t, pool, texts, headings, slots))), None
            )
        if swapped:
            questions.append(_question(lt, *swapped))
        elif swapped_only:
            continue
        elif terms and (every or stable_hash(TRUEFALSE, line.text_key) % TRUE_OF_OTHERS[1] < TRUE_OF_OTHERS[0]):
            questions.append(_question(lt, terms[0], None))
    return questions


def _askable(term: Term) -> bool:
    """As for single choice, but a word a thin topic would blank is good enough to judge."""
    if term.category == WORD:
        return term.score >= FALLBACK_WORD_SCORE and len(term.text) <= 8
    return len(term.text) <= 14


def likeness(answer: str, other: str) -> float:
    """How much `other` looks like `answer`: a shared head (精神, 工会, 年规划) counts most, then a
    shared start and shared characters; a different length counts against it."""
    suffix = _common_prefix(answer[::-1], other[::-1])
    prefix = _common_prefix(answer, other)
    shared = len(set(answer) & set(other))
    return 2 * min(suffix, 3) + min(prefix, 2) + shared - abs(len(answer) - len(other))


def stable_hash(*parts: str) -> int:
    """A number from text that is the same in every interpreter (hash() is salted per process)."""
    return int(hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:12], 16)


def _common_prefix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def _plausible(term: Term, other: str) -> bool:
    """A number or a name may swap for any of its kind. A word or a list member must be a sibling of
    the term: the same head (基层工会 → 地方工会, 机关干部 → 党员干部), the same lead, end and length
    (技术革新 → 技术创新), or the same suffix on a short word (责任制 → 实名制); otherwise the statement
    is false by nonsense, not by content."""
    if term.category in (NUMBER, QUOTE):
        return True
    answer = term.text
    suffix = _common_prefix(answer[::-1], other[::-1])
    prefix = _common_prefix(answer, other)
    same_length = len(answer) == len(other)
    return (
        (suffix >= 2 and abs(len(answer) - len(other)) <= 1 and answer[-2:] not in GENERIC)
        or (same_length and prefix >= 2 and suffix >= 1 and answer[:2] not in GENERIC)
        or (same_length and len(answer) == 3 and suffix == 1)
    )


def _synonym(answer: str, other: str) -> bool:
    """劳动者合法权益 → 职工合法权益 says the same thing."""
    suffix = _common_prefix(answer[::-1], other[::-1])
    prefix = _common_prefix(answer, other)
    return {answer[prefix : len(answer) - suffix], other[prefix : len(other) - suffix]} <= SAME_PEOPLE


def _stutters(text: str, term: Term, swap: str) -> bool:
    """The swap would repeat a word next to it: 建立基层工会组织 → 建立基层组织组织."""
    return swap[-2:] == text[term.end : term.end + 2] or swap[:2] == text[max(0, term.start - 2) : term.start]


def _alternative(
    lt: LineTerms, term: Term, pool: KindPool, texts: set[str], headings: str, slots: SlotIndex
) -> str | None:
    """The swapped-in term: the most alike plausible term of the same kind (`KindPool`) that cannot also
    be right, not in a heading shown with the question (ties broken by a stable hash)."""
    text = lt.line.text
    same = pool.same_kind(term.text, kind_at(text, term), siblings=True)
    candidates = [
        c
        for c in acceptable_options(term, text, same, texts, slots.excluded(text, term))
        if _plausible(term, c) and not _synonym(term.text, c) and not _stutters(text, term, c) and c not in headings
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda c: (-likeness(term.text, c), stable_hash(lt.line.text_key, c), c))


def _question(lt: LineTerms, term: Term, swap: str | None) -> GeneratedQuestion:
    """The line as written when `swap` is None, else with `term` replaced by `swap`."""
    line = lt.line
    form = FORMS[term.category]
    true = swap is None
    shown = term.text if swap is None else swap
    statement = line.text[: term.start] + shown + line.text[term.end :]
    key = question_key(
        TRUEFALSE, form, [line.text_key], [f"{term.start}:{term.text}", f"shown:{shown}", "true" if true else "false"]
    )
    rarity = min(1.0, max(0.0, (term.score - 14) / 16))
    closeness = 0.0 if swap is None else min(1.0, max(0.0, likeness(term.text, swap) / 8))
    return GeneratedQuestion(
        key=key,
        type=TRUEFALSE,
        form=form,
        prompt=statement,
        blanks=(Blank(term.text, (term.text,), 0, False, shown),),
        answer_index=1 if true else 0,
        **line_context(line),
        difficulty=clamp(
            0.15 + 0.25 * rarity + (0.1 + 0.2 * closeness) * (not true) + 0.1 * min(1, len(line.text) / 60)
        ),
    )
