"""单选: one blank, the answer and three distractors of the same kind from elsewhere in the document."""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from .cloze import (
    FALLBACK_WORD_SCORE,
    accepted_variants,
    blank_out,
    from_chinese,
    mostly_in,
    shown_headings,
    to_chinese,
)
from .heads import head_kind
from .phrases import CONTEXT, GENERIC, made_of_kind_words
from .questions import CHOICE, Blank, GeneratedQuestion, clamp, line_context, question_key
from .terms import ENUM, NESTED, NUMBER, PHRASE, QUOTE, STOP_WORDS, WORD, LineTerms, Term, is_number

SHORTLIST = 8  # distractors are drawn from the closest few, so they look like the answer


MAX_REUSE = 4  # a distractor string serves at most this many questions: the pool stays wide


def choice_questions(
    analysed: Sequence[LineTerms], rng: random.Random, asked: Mapping[str, Iterable[str]] | None = None
) -> list[GeneratedQuestion]:
    """At most one choice question per line, on its best term that its fill-ins do not ask (`asked`: a
    line's text key → the answers of its fill-ins), that no heading shown with it and no other part of
    the stem gives away, and that has three distractors of its kind (`KindPool`)."""
    salt = rng.getrandbits(64)  # one draw; each question's own Random comes from it and the question's key
    asked = asked or {}
    pool = KindPool(analysed)
    texts = {lt.line.text for lt in analysed}
    slots = SlotIndex(analysed)
    used: Counter[str] = Counter()
    questions = []
    for lt in analysed:
        taken = set(asked.get(lt.line.text_key, ()))
        headings = shown_headings(lt)
        text = lt.line.text
        for term in _choice_terms(lt, taken):
            if term.text in taken or any(term.text in a or a in term.text for a in taken):
                continue  # one idea, one item: the fill-ins ask it already
            if (
                term.text in headings
                or mostly_in(term.text, headings)
                or term.text in text[: term.start] + "\n" + text[term.end :]
                or _hinted(term, text)
            ):
                continue  # readable from the heading or from the rest of the stem
            question = _question(lt, term, pool, texts, salt, slots, used)
            if question:
                used.update(question.choices)
                questions.append(question)
                break
    return questions


def _hinted(term: Term, text: str) -> bool:
    """The answer's opening word, its specific modifier, stands elsewhere in the stem (把＿＿摆在…，强化
    经常性纪律教育 for 纪律建设): of four options, the one sharing it is picked for that alone."""
    rest = text[: term.start] + "\n" + text[term.end :]
    lead = term.text[:2]  # the modifier that tells the answer apart: 纪律|建设
    return (
        len(term.text) >= 4
        and bool(re.fullmatch(r"[\u4e00-\u9fff]{2}", lead))
        and lead not in STOP_WORDS | GENERIC | CONTEXT
        and lead in rest
    )


def _choice_terms(lt: LineTerms, taken: set[str]) -> list[Term]:
    """The line's candidates worth a single choice, best first, that overlap no fill-in answer of the
    line (`taken`): a single choice asks the line's next idea, not a part of one already asked."""
    text = lt.line.text
    spans = [(m.start(), m.end()) for answer in taken for m in re.finditer(re.escape(answer), text)]
    terms = [
        t
        for t in (lt.candidates or lt.terms)
        if _askable(t)
        and not any(t.start < end and start < t.end for start, end in spans)
        and not _shares_its_modifier(t, text)
    ]
    return sorted(terms, key=lambda t: (-t.score, t.start, t.text))


def _shares_its_modifier(term: Term, text: str) -> bool:
    """The term's modifier also governs the generic head after 和 (工会|改革和建设): the term is half
    of a pair, or the pair without its modifier; no option set fits it."""
    if re.search(r"[和与及](?:" + "|".join(sorted(GENERIC, key=lambda w: (-len(w), w))) + ")$", term.text):
        return True  # 工会|改革和建设: two heads of one modifier
    rest = text[term.end :]
    return rest[:1] in ("和", "与", "及") and any(
        rest[1:].startswith(g) and not rest[1 + len(g) : 2 + len(g)].strip("，。；、") for g in GENERIC
    )


# --- Kinds -------------------------------------------------------------------------------------------

MEMBER = "member"  # a term standing in a list (next to 、 or +), whatever its category


def quoted_at(text: str, start: int, end: int) -> bool:
    """The stretch stands in quotes: “安康杯”, ‘十四五’."""
    return start > 0 and end < len(text) and text[start - 1] in "“‘" and text[end] in "”’"


def member_at(text: str, start: int, end: int) -> bool:
    """The stretch stands in a list: next to 、 or + (quotes aside), or after 和/及/与 that follows a 、
    in the same clause (新兴产业、数字经济和技术创新)."""
    before, after = text[:start].rstrip("“‘"), text[end:].lstrip("”’")
    if before.endswith(("、", "+", "＋")) or after.startswith(("、", "+", "＋")):
        return True
    for conjunction in ("以及", "和", "及", "与", "或"):
        if before.endswith(conjunction):
            clause = re.split(r"[，。；：！？,.;:!?]", before[: -len(conjunction)])[-1]
            return "、" in clause
    return False


def kind_at(text: str, term: Term) -> str:
    """What a reader takes the term for where it stands: a number, a quoted name, a list member, a
    phrase (four characters or more) or a word; distractors are of the same kind."""
    if term.category == NUMBER or is_number(term.text):
        return NUMBER
    if quoted_at(text, term.start, term.end):
        return QUOTE
    if term.category == ENUM or member_at(text, term.start, term.end):
        return MEMBER
    return PHRASE if len(term.text) >= 4 else WORD


class KindPool:
    """Every string of the document worth an option, by the kind it takes where it stands (one pass
    over the candidates of all lines; a string may have several kinds). Phrases, words and members also
    come by the kind of their head (`heads.head_kind`), so a …精神 answer finds the ideas of the
    document at once."""

    MIN_SCORE = 14.0  # a candidate this weak is no plausible option

    def __init__(self, analysed: Sequence[LineTerms]) -> None:
        self.by_kind: dict[str, set[str]] = defaultdict(set)
        self.by_head: dict[str, set[str]] = defaultdict(set)
        self.by_last: dict[str, set[str]] = defaultdict(set)
        self.kind_of: dict[str, set[str]] = {}
        nested = {m.group(1) for lt in analysed for m in NESTED.finditer(lt.line.text)}
        for lt in analysed:
            text = lt.line.text
            members = [m for e in lt.enumerations for m in e.members]
            for term in [*(lt.candidates or lt.terms), *members]:
                if term.text in nested or term.text in STOP_WORDS or term.text in GENERIC:
                    continue
                if term.fragment or term.verbal:
                    continue
                if "的" in term.text and term.category in (PHRASE, WORD):
                    continue  # 引领力强的竞赛 is no option
                if term.category in (PHRASE, WORD) and (term.score < self.MIN_SCORE or len(term.text) > 10):
                    continue
                kind = kind_at(text, term)
                self.by_kind[kind].add(term.text)
                self.kind_of.setdefault(term.text, set()).add(kind)
                if kind not in (NUMBER, QUOTE):
                    self.by_head[head_kind(term.text)].add(term.text)
                    self.by_last[term.text[-1]].add(term.text)

    def kinds(self, text: str) -> set[str]:
        return self.kind_of.get(text, set())

    def same_kind(self, answer: str, kind: str, *, siblings: bool = False) -> list[str]:
        """Strings of the answer's kind, the likeliest first. With `siblings`, also strings of the same
        last character whatever their head (技术革新 → 技术创新): true/false judges those by form itself."""
        if kind == NUMBER:
            shape = _number_shape(answer)
            found = [t for t in sorted(self.by_kind[NUMBER]) if _number_shape(t) == shape]
            return found + synthetic_numbers(answer)
        if kind == QUOTE:  # names for a name
            return sorted(self.by_kind[kind], key=lambda t: (_shape_distance(answer, t), t))
        # A phrase, word or list member: strings whose head is of the answer's kind (`heads`) and of a
        # length within three: 产业工人 → 技术工人, 联动机制 → 激励机制, 平衡发展 → 高质量发展. Of the
        # answer's own kind where it stands first (a member for a member).
        # A process (…化) is one of a like length: 常态化 is how, 中国式现代化 a goal.
        spread = 1 if head_kind(answer) == "process" else 3
        found = [t for t in self.by_head[head_kind(answer)] if abs(len(t) - len(answer)) <= spread]
        if siblings:
            found = sorted(set(found) | {t for t in self.by_last[answer[-1]] if abs(len(t) - len(answer)) <= 3})
        return sorted(
            found, key=lambda t: (kind not in self.kinds(t), answer[-1] != t[-1], _shape_distance(answer, t), t)
        )


class SlotIndex:
    """Which terms fill the same slot (the same two characters before and after) anywhere in the
    document, and which terms are siblings in a list: neither may be a distractor."""

    def __init__(self, analysed: Sequence[LineTerms]) -> None:
        self.fillers: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.siblings: dict[str, set[str]] = defaultdict(set)
        for lt in analysed:
            text = lt.line.text
            for term in lt.terms:
                self.fillers[self.slot(text, term)].add(term.text)
            for enum in lt.enumerations:
                for member in enum.members:
                    self.siblings[member.text].update(m.text for m in enum.members)

    @staticmethod
    def slot(text: str, term: Term) -> tuple[str, str]:
        return text[max(0, term.start - 2) : term.start], text[term.end : term.end + 2]

    def excluded(self, text: str, term: Term) -> set[str]:
        return self.fillers.get(self.slot(text, term), set()) | self.siblings.get(term.text, set())


def _askable(term: Term) -> bool:
    if term.fragment or term.verbal or "的" in term.text:
        return False  # part of a longer name, or a modifier with its head: no option set fits it
    if term.category in (WORD, PHRASE) and made_of_kind_words(term.text):
        return False
    if term.category in (WORD, PHRASE):
        return term.score >= FALLBACK_WORD_SCORE and len(term.text) <= 10
    return len(term.text) <= 14


def acceptable_options(
    term: Term, line_text: str, candidates: Iterable[str], texts: set[str], excluded: set[str]
) -> list[str]:
    """The candidates that cannot also be right: not a sibling or a filler of the same slot, not in the
    sentence already, not part of the answer nor holding it, not making another line of the document."""
    answer = term.text
    fits = []
    for text in dict.fromkeys(candidates):
        filled = line_text[: term.start] + text + line_text[term.end :]
        if text in excluded or text in line_text or answer in text or text in answer or filled in texts:
            continue
        if (answer[-2:] in text[:-2] and answer[-2:] not in CONTEXT) or (
            text[-2:] in answer[:-2] and text[-2:] not in CONTEXT
        ):
            continue  # 国际交流 — 交流活动: one is a kind of the other's head, nearly a synonym
        fits.append(text)
    return fits


DRAWS = 8  # samples of distractors tried, in a fixed order, for one without an odd one out


def odd_one_out(answer: str, distractors: Sequence[str]) -> bool:
    """The three distractors share a head the answer lacks (工匠精神, 劳模精神, 实施细则精神 — 重要论述): a
    reader picks the answer for being the different one."""
    heads = {d[-2:] for d in distractors}
    return len(heads) == 1 and answer[-2:] not in heads


def _apart(candidates: list[str]) -> list[str]:
    """Options none of which holds another (二十大精神 and 党的二十大精神 are one option twice)."""
    kept: list[str] = []
    for text in candidates:
        if not any(text in other or other in text for other in kept):
            kept.append(text)
    return kept


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


def _number_shape(text: str) -> tuple[bool, str]:
    """三年 and 五年 share a shape; 三年 and 三方 do not."""
    return bool(re.search(r"\d", text)), re.sub(r"[\d一二三四五六七八九十两]", "", text)


def _shape_distance(answer: str, other: str) -> float:
    shared_end = answer[-1] == other[-1]
    return abs(len(answer) - len(other)) - 0.5 * shared_end


def _question(
    lt: LineTerms,
    term: Term,
    pool: KindPool,
    texts: set[str],
    salt: int,
    slots: SlotIndex | None = None,
    used: Counter[str] | None = None,
) -> GeneratedQuestion | None:
    excluded = slots.excluded(lt.line.text, term) if slots else set()
    kind = kind_at(lt.line.text, term)
    candidates = acceptable_options(term, lt.line.text, pool.same_kind(term.text, kind), texts, excluded)
    if used is not None:
        candidates = [c for c in candidates if used[c] < MAX_REUSE]
    candidates = _apart(candidates)
    if len(candidates) < 3:
        return None
    line = lt.line
    form = {QUOTE: "name", NUMBER: "number", ENUM: "member", PHRASE: "phrase", WORD: "term"}[term.category]
    key = question_key(CHOICE, form, [line.text_key], [f"{term.start}:{term.text}"])
    local = random.Random(f"{salt}|{key}")
    shortlist = candidates[:SHORTLIST]
    draws = [local.sample(shortlist, 3) for _ in range(DRAWS)]
    options = [term.text, *next((d for d in draws if not odd_one_out(term.text, d)), draws[0])]
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
