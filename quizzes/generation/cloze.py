"""填空: blank the key terms of a line; an enumeration may be blanked as a group, in any order."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from studyapp.documents.parsing import PART, TASK, TOPIC

from .heads import head_kind
from .phrases import FRAME, GENERIC, TRAILING, is_people, made_of_kind_words
from .questions import CLOZE, UNDERSCORE, Blank, GeneratedQuestion, clamp, line_context, question_key
from .source import SourceLine
from .terms import ENUM, NUMBER, PHRASE, QUOTE, STOP_WORDS, WORD, Enumeration, LineTerms, Term

MIN_WORD_SCORE = 17.0  # below this a plain word is too generic to be worth a blank
FALLBACK_WORD_SCORE = 15.5  # …unless a topic would otherwise have fewer than three questions
MIN_PHRASE_SCORE = 17.0  # a phrase below this is too generic to be worth a blank
MAX_FILL = 14
MIN_PER_TOPIC = 3
HEADING_KINDS = (PART, TASK, TOPIC)
GROUP_BONUS = 3.0  # a list known whole is what a trainer asks first
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

    @property
    def answer(self) -> str:
        """What the unit asks, as `avoid` names it."""
        return answer_text(term.text for term in self.terms)


def answer_text(answers: Iterable[str]) -> str:
    """A fill-in's answer as one text: its blanks' answers in order, joined by 、 (a list's members
    never contain one); a single blank's answer as it is."""
    return "、".join(answers)


def cloze_questions(
    analysed: Sequence[LineTerms],
    avoid: Mapping[str, Collection[str]] | None = None,
    quota_of: Callable[[str], int] | None = None,
) -> list[GeneratedQuestion]:
    """Fill-in questions for every line, best units first, one question per key phrase.

    A line's quota depends only on its own length (1 to 4 blanks), never on what its neighbours
    contain: editing one line cannot change the questions asked about another (the document-wide
    checks — an ambiguous stem — only ever drop a unit). A unit is not asked when its answer can be
    read from the headings shown with the question or from the rest of the stem, or when another
    line of the document fits the stem with another answer. Every line with a candidate gets at
    least one question: when no strong unit is left, the best remaining one is asked.

    `avoid` maps a line's text key to answers (`answer_text`) not to blank on it again (staff
    suppressed them): the line's next best units take their place. `quota_of` is `quota` (a line's
    first ideas) unless given (`full_quota`: every key phrase of the line).
    """
    avoid = avoid or {}
    stems = StemIndex([lt.line for lt in analysed])
    per_topic: dict[str, int] = defaultdict(int)
    for lt in analysed:
        per_topic[lt.line.topic] += 1
    questions: list[GeneratedQuestion] = []
    for lt in analysed:
        # A thin topic (one or two lines) still gets three fill-ins: its lines take more blanks each.
        share = -(-MIN_PER_TOPIC // per_topic[lt.line.topic]) if lt.line.topic else 1
        units = chosen_units(lt, stems, share, avoid.get(lt.line.text_key, ()), quota_of or quota)
        questions.extend(make_cloze(lt, unit) for unit in sorted(units, key=lambda u: u.start))
    return questions


def quota(text: str) -> int:
    """Fill-ins a line gets first, besides its numbers, quoted names and formula lists: 1 under 20 characters, 2 under
    45, 3 under 80, 4 under 120, 5 under 160, else 6. The line's next idea is left for a true/false or
    a single choice, so that a line is asked in more than one way."""
    return 1 + (len(text) >= 20) + (len(text) >= 45) + (len(text) >= 80) + (len(text) >= 120) + (len(text) >= 160)


def full_quota(text: str) -> int:
    """Fill-ins a line gets when no true/false or single choice asks its next idea: one more for most
    lengths (1 under 12 characters, 2 under 30, 3 under 60, 4 under 100, 5 under 140, else 6), since a
    short line holds a verb frame and one or two key phrases (推进国有企业工会|规范化建设)."""
    return 1 + (len(text) >= 12) + (len(text) >= 30) + (len(text) >= 60) + (len(text) >= 100) + (len(text) >= 140)


def chosen_units(
    lt: LineTerms,
    stems: StemIndex | None = None,
    least: int = 1,
    avoid: Collection[str] = (),
    quota_of: Callable[[str], int] | None = None,
) -> list[Unit]:
    """The units a line's fill-ins blank, best first (at least `least` when there are as many); none
    whose answer is in `avoid`; as many as `quota_of` (default `quota`) gives the line."""
    units = [
        u
        for u in line_units(lt)
        if not gives_away(lt, u) and not (stems and stems.ambiguous(lt.line, u)) and u.answer not in avoid
    ]
    strong = [u for u in units if _strong(u)]
    # Numbers, quoted names and lists of one shape (实现好、维护好、发展好) are always asked (each is a
    # fact to know); the quota is for the rest, one of it taken by them.
    named = [u for u in strong if _formula_list(u) or (not u.group and u.terms[0].category in (QUOTE, NUMBER))]
    others = [u for u in strong if u not in named]
    # A heading's number is its own fact (实施大抓基层|三年|行动): it leaves the quota to the rest.
    counted = 0 if lt.line.kind in HEADING_KINDS else min(len(named), 1)
    chosen = named + others[: max((quota_of or quota)(lt.line.text), least) - counted]
    chosen = sorted(chosen, key=lambda u: (-u.score, u.start))
    # A thin topic's extra fill-ins, or a line's only one: a weak unit, never filler (交流活动) beside others.
    rest = [u for u in units if u not in chosen and (not chosen or u.group or _specific(u.terms[0]))]
    return chosen + rest[: max(1, least) - len(chosen)]


EXTRA_SCORE = 18.0  # a line's further key phrase, beyond its quota and its other kinds' ideas: a strong phrase


def extra_questions(
    analysed: Sequence[LineTerms],
    asked: Mapping[str, Collection[str]],
    avoid: Mapping[str, Collection[str]] | None = None,
) -> list[GeneratedQuestion]:
    """One more fill-in for each further key phrase of a line: a strong unit (`_strong`) scoring
    EXTRA_SCORE or more that no question of the line asks yet, nor overlaps (`asked`: a line's text
    key → the answers its questions ask). A line holds as many key phrases as it names; its weak
    candidates (filler, a cut name) stay unasked."""
    avoid = avoid or {}
    stems = StemIndex([lt.line for lt in analysed])
    questions = []
    for lt in analysed:
        text = lt.line.text
        taken = set(asked.get(lt.line.text_key, ())) | set(avoid.get(lt.line.text_key, ()))
        spans = [(m.start(), m.end()) for answer in taken if answer for m in re.finditer(re.escape(answer), text)]
        for unit in line_units(lt):
            if (
                unit.group
                or unit.answer in taken
                or not _strong(unit)
                or unit.score < EXTRA_SCORE
                or gives_away(lt, unit)
                or stems.ambiguous(lt.line, unit)
                or any(t.start < e and s < t.end for t in unit.terms for s, e in spans)
                or not _whole(unit.terms[0], text, lt.candidates)
            ):
                continue
            questions.append(make_cloze(lt, unit))
            taken.add(unit.answer)
            spans.extend((t.start, t.end) for t in unit.terms)
    return questions


def _whole(term: Term, text: str, others: Sequence[Term] = ()) -> bool:
    """A further key phrase stands on its own: no cut of a longer name (`Term.fragment`), no half of a
    pair joined by 和 (主流媒体|和新媒体), and no generic verb opening it (为全面|建设社会主义|现代化国家).
    Two members that each close on a head of their own are no such pair: in 政治机关建设和模范机关创建
    the 和 joins …建设 and …创建, and 模范机关 is the name of its own member; nor are two things of
    different kinds among the line's terms (`others`): 全球劳工治理 (a response) and 工会南南合作 (an
    activity) are two ideas, each whole."""
    if term.fragment or term.text.startswith(tuple(GENERIC)):
        return False
    joiners = ("和", "与", "及")
    after = next((t for t in others if t.start == term.end + 1), None)
    before = next((t for t in others if t.end == term.start - 1), None)
    if text[term.end : term.end + 1] in joiners:
        return bool(after and head_kind(after.text) != head_kind(term.text))
    if text[term.start - 1 : term.start] not in joiners:
        return True
    if before and head_kind(before.text) != head_kind(term.text):
        return True
    ahead, rest = text[: term.start - 1], text[term.end :]
    return any(ahead.endswith(head) for head in TRAILING) and any(rest.startswith(head) for head in TRAILING)


def _formula_list(unit: Unit) -> bool:
    """A list whose members share a shape, a formula known whole: 实现好、维护好、发展好 (one length and
    last character), 政治性、先进性、群众性, 不敢腐、不能腐、不想腐 (one length and first character)."""
    texts = [t.text for t in unit.terms]
    if not unit.group or len({len(t) for t in texts}) != 1:
        return False
    return len({t[-1] for t in texts}) == 1 or len({t[0] for t in texts}) == 1


def _specific(term: Term) -> bool:
    return not (made_of_kind_words(term.text) or _manner_of_filler(term.text))


def _strong(unit: Unit) -> bool:
    term = unit.terms[0]
    if unit.group or term.category in (QUOTE, NUMBER, ENUM):
        return True
    if not _specific(term):
        return False  # 交流活动, 常态化机制: a kind of thing, not which one
    return unit.score >= (MIN_PHRASE_SCORE if term.category == PHRASE else MIN_WORD_SCORE)


MANNER_HEADS = ("机制", "体系", "工作", "建设")  # 常态化机制; 企业化管理 names a way of running a body


def _manner_of_filler(text: str) -> bool:
    """A …化 word and a generic head (常态化|机制): how, of nothing in particular."""
    return any(text.endswith(g) and re.fullmatch(r"[\u4e00-\u9fff]{2}化", text[: -len(g)]) for g in MANNER_HEADS)


def shown_headings(lt: LineTerms) -> str:
    """The titles shown above a question on this line (part, task, topic)."""
    line = lt.line
    return "\n".join(h for h in (line.part, line.task, line.topic) if h and h != line.text)


def gives_away(lt: LineTerms, unit: Unit) -> bool:
    """The answer is in a heading shown with the question, or elsewhere in the stem."""
    text, headings = lt.line.text, shown_headings(lt)
    for term in unit.terms:
        if term.text in headings or mostly_in(term.text, headings):
            return True
        rest = text[: term.start] + "\n" + text[term.end :]
        if term.text in rest and not unit.group:
            return True
    return False


def mostly_in(answer: str, headings: str) -> bool:
    """Most of the answer stands in a heading: 主题|劳动和技能竞赛 under 广泛深入持久开展劳动和技能竞赛
    (seven of its nine characters, four or more)."""
    size = max(4, -(-7 * len(answer) // 10))
    return len(answer) > size and any(answer[i : i + size] in headings for i in range(len(answer) - size + 1))


class StemIndex:
    """Which lines a stem fits. Short lines are indexed by their first and last two characters, so
    that checking a stem looks at the few lines that share both, not at every line. A line is only
    compared with the lines of its own scope (its topic, else its task, else its part): the heading
    shown above the question tells lines of other scopes apart."""

    SHORT = 24  # a longer line carries its own context

    def __init__(self, lines: Sequence[SourceLine]) -> None:
        self.by_ends: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        # Titles by the heading shown above them: a title's blank at its edge (健全完善＿＿) fits its
        # sibling titles too (健全完善管理体系, 健全完善工会组织体系), the heading above tells none apart.
        self.titles: dict[str, list[str]] = defaultdict(list)
        for line in lines:
            if line.kind in HEADING_KINDS and len(line.text) <= self.SHORT:
                self.titles[scope(line)].append(line.text)
            if len(line.text) <= self.SHORT:
                key = (scope(line), line.text[:2], line.text[-2:])
                if line.text not in self.by_ends[key]:
                    self.by_ends[key].append(line.text)

    def ambiguous(self, line: SourceLine, unit: Unit) -> bool:
        """Another line of the scope is the stem with something else in the blank: 加强＿＿队伍建设 fits
        both 加强工会干部队伍建设 and 加强网络信息队伍建设."""
        text = line.text
        if unit.group or len(text) > self.SHORT:
            return False
        term = unit.terms[0]
        before, after = text[: term.start], text[term.end :]
        if line.kind in HEADING_KINDS and (len(before) < 2 or len(after) < 2):
            return any(
                other != text and other.startswith(before) and other.endswith(after)
                for other in self.titles.get(scope(line), [])
            )
        if len(before) < 2 or len(after) < 2:
            return False  # the blank is at an edge: any line could fit, the heading says which
        return any(
            other != text and other.startswith(before) and other.endswith(after) and len(other) > len(before + after)
            for other in self.by_ends.get((scope(line), before[:2], after[-2:]), [])
        )


def scope(line: SourceLine) -> str:
    """The heading shown right above a line's questions."""
    return line.topic or line.task or line.part


def line_units(lt: LineTerms) -> list[Unit]:
    """Candidate blanks of a line, best first."""
    units = []
    headings = shown_headings(lt)
    grouped: set[Term] = set()
    for enum in lt.enumerations:
        # A generic member (工会 in 工会+法院+…) or one a heading above shows stays as the clue; the
        # others are blanked.
        # 各国|工会组织: a generic member stays as the clue too.
        kept = [m for m in enum.members if m.text not in STOP_WORDS | GENERIC and m.text not in headings]
        if all(made_of_kind_words(m.text) for m in kept):
            # 创新工作体系、工作内容和工作方式: kinds of thing, with a generic one left as the clue, ask
            # nothing a trainer would ask; the line is asked another way.
            grouped.update(kept)
            continue
        members = tuple(sorted(kept, key=lambda m: m.start))
        if len(members) >= 2 and _groupable(Enumeration(members), lt.line.text):
            units.append(Unit(members, sum(m.score for m in members) / len(members) + GROUP_BONUS, True))
            grouped.update(members)
    seen = {m.text for m in grouped}
    spans = [(m.start, m.end) for m in grouped]
    for term in lt.terms:
        if term.text in seen or any(term.start < e and s < term.end for s, e in spans):
            continue  # a member of a blanked list, or a repeat
        seen.add(term.text)
        if term.category == WORD and (term.score < FALLBACK_WORD_SCORE or len(term.text) > 8):
            continue
        if lt.line.text[term.end : term.end + 1] in ("（", "("):
            continue  # 工业园|（区）: the name goes on in brackets, a blank would cut it
        text = lt.line.text
        units.append(
            Unit((_people_of_interest(_without_repeated_people(_widened(term, text), text)),), term.score, False)
        )
    return sorted(units, key=lambda u: (-u.score, u.start))


MIN_STEM = 2  # characters besides frame verbs a fill-in's stem keeps, else it says too little


def _widened(term: Term, text: str) -> Term:
    """A stem that is only a frame verb around the blank (完善＿＿ → 网络培训体系) makes no answer the
    one: the phrase's generic head stays in the stem, as its clue (完善＿＿体系 → 网络培训)."""
    rest = re.sub(r"[^\u4e00-\u9fff]", "", text[: term.start] + text[term.end :])
    for word in sorted(FRAME, key=lambda w: (-len(w), w)):
        rest = rest.replace(word, "")
    if len(rest) >= MIN_STEM or term.category != PHRASE:
        return term
    head = next((g for g in sorted(GENERIC, key=lambda w: (-len(w), w)) if term.text.endswith(g)), "")
    if not head or len(term.text) - len(head) < 4:
        return term
    return replace(term, text=term.text[: -len(head)])


def _without_repeated_people(term: Term, text: str) -> Term:
    """The people a blank opens with stay in the stem when the line names them again elsewhere
    (维护|女职工|合法权益，保障女职工特殊权益): they are whose the answer is, and the line shows them
    anyway; the answer is what is theirs (合法权益)."""
    if term.category not in (PHRASE, WORD):
        return term
    rest = text[: term.start] + "\n" + text[term.end :]
    for size in (4, 3):  # 职工|代表大会: a two-character people word is a name's modifier
        people = term.text[:size]
        if len(term.text) - size >= 4 and is_people(people) and people in rest:
            return replace(term, text=term.text[size:], start=term.start + size)
    return term


def _people_of_interest(term: Term) -> Term:
    """People and a bare word of what is theirs (提高|社会化工作者|待遇): which people is the point, the
    interest (待遇, 福利, 权益) stays in the stem as the clue. A qualified interest (女职工|特殊权益) is
    an idea of its own and stays whole."""
    if term.category != PHRASE or len(term.text) < 5:
        return term
    people, interest = term.text[:-2], term.text[-2:]
    if len(people) >= 3 and head_kind(interest) == "interest" and is_people(people):
        return replace(term, text=people)
    return term


def _groupable(enum: Enumeration, text: str) -> bool:
    lengths = [len(m.text) for m in enum.members]
    return len(lengths) <= 6 and max(lengths) <= 10 and sum(lengths) <= 0.9 * len(text)


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
