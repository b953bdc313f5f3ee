"""Quality figures of a generated question bank: pure functions over a parsed document and its
questions (and, when given, a gold annotation of the terms a trainer would test). No database.

`quality(document, questions, gold)` returns a `Quality`; `scripts/quality.py` prints it. The
figures, each defined precisely where the `Quality` field is:

- key-term recall against the gold annotation (`read_gold`), and the terms missed;
- the share of fill-in blanks per kind (number, quoted name, list member, phrase, word) and the
  share of generic blanks;
- topics with fewer than three fill-ins, and body lines without any question;
- the share of distractors of the answer's kind, per question type, and the most reused ones;
- single choices that repeat a fill-in, and answers readable in a heading above the question.

Strings are compared after `normalize_for_key` (NFKC, no whitespace, lower case) with quote marks
removed, so 《工会法》, “工会法” and 工会法 are one answer, and a comma is a comma at any width.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp.documents.parsing import (
    PARAGRAPH,
    PART,
    POINT,
    REQUIREMENT,
    TASK,
    TOPIC,
    ParsedDocument,
    ParsedNode,
    normalize_for_key,
)

from ..core.kinds import CHOICE, CLOZE, MULTISELECT, TRUEFALSE
from .heads import head_kind
from .phrases import made_of

if TYPE_CHECKING:
    from .questions import GeneratedQuestion

__all__ = [
    "COMMON_WORDS",
    "GENERIC_HEADS",
    "KINDS",
    "DistractorFigures",
    "GiveAway",
    "GoldLine",
    "Note",
    "OffKind",
    "Quality",
    "blank_kinds",
    "gold_text_key",
    "is_generic",
    "number_unit",
    "quality",
    "read_gold",
    "read_gold_lines",
    "recalls",
]

# --- Words ----------------------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Generic heads: nouns that end many phrases of a policy text and are never the point on their own
# (要坚持以职工为中心的＿＿＿＿ → 工作导向; 进一步加大职工法律援助＿＿＿＿ → 工作力度). A blank that is only
# these is generic; a blank that adds them to a gold term still asks the term (工匠学院 → 工匠学院建设体系).
GENERIC_HEADS = _words(
    "工作 力度 导向 体系 机制 组织 建设 成果 活动 形式 格局 能力 水平 制度 试点 内容 方式 领域 问题 措施 任务 要求 作用 队伍"
)
# Very common words of this kind of text: who (工会, 职工 …) and the verbs and adverbs every line
# opens with (加强, 推动, 深入 …). Same two uses as the generic heads.
COMMON_WORDS = _words(
    """工会 职工 群众 职工群众 广大 劳动 劳动者 工人 发展 服务 管理 实施 主要 重要 有关 相关 各级 各类
    全面 进一步 加强 加大 推进 推动 开展 深化 完善 健全 落实 强化 提高 提升 坚持 积极 切实 持续 深入 大力 努力
    做好 构建"""
)
# May join filler to a term (以职工为中心的工作导向, 思想引领…等工作), never a blank's content.
_JOINERS = frozenset({"的", "等"})
_FILLER = GENERIC_HEADS | COMMON_WORDS | _JOINERS
_GENERIC = GENERIC_HEADS | COMMON_WORDS

QUOTES = "“”‘’\"'《》「」『』"
_OPENING, _CLOSING = "“‘《「『\"'", "”’》」』\"'"
_CLAUSE_BREAK = "，。；：！？,.;:!?"
_CONJUNCTIONS = ("以及", "和", "及", "与", "或")
_LIST_MARKS = ("、", "+", "＋")
# What may stay of a listed gold term once its members are blanked: list punctuation and quotes.
_LIST_REST = re.compile(r"(?:[、，,+和及与或“”‘’\"'《》「」『』]|以及)*")

# --- Kinds ----------------------------------------------------------------------------------------

NUMBER, QUOTED, MEMBER, PHRASE, WORD = "number", "quoted", "member", "phrase", "word"
KINDS = (NUMBER, QUOTED, MEMBER, PHRASE, WORD)
LINE = "line"  # options only: the whole text of a line or heading (multiple select on a topic)
PHRASE_LENGTH = 4  # a blank this long or longer that is of no other kind is a phrase
THIN = 3  # a topic with fewer fill-ins than this is thin

_CN = "零〇一二两三四五六七八九十百千万亿"
# Measure words and units a number is counted in, longest first (年规划 before 年). 大 counts
# congresses (十八大), 方 and 地 parties and places (三方, 两地). Arabic digits need none (12351).
MEASURES = sorted(
    _words(
        """% ‰ 个 人 名 位 项 条 款 章 节 次 年 月 日 天 周 岁 倍 家 所 座 批 届 期 轮 类 种 件 篇 元 万 亿 户 支 只 张
    本 部 处 方 地 大 级 层 小时 分钟 个月 周年 年规划 项规定 工程"""
    ),
    key=lambda word: (-len(word), word),
)
_NUMBER = re.compile(
    rf"(?P<pre>双|第|近|约)?(?P<num>\d+(?:\.\d+)?|百分之[{_CN}]+|[{_CN}]+)"
    rf"(?P<unit>{'|'.join(map(re.escape, MEASURES))})?(?:以上|以下|以内|多|余)?"
)
_SECTION_KINDS = (TOPIC, TASK, PART)  # the deepest of these present holds the "topics"
_BODY_KINDS = (POINT, PARAGRAPH, REQUIREMENT)
_HEADING_KINDS = (PART, TASK, TOPIC)


def plain(text: str) -> str:
    """The form strings are compared in: `normalize_for_key` without quote marks."""
    return "".join(char for char in normalize_for_key(text) if char not in QUOTES)


def number_unit(text: str) -> str | None:
    """The unit of a number, None when `text` is not one.

    A number is Arabic digits with or without a measure word (12351, 1000个, 40%, 双15工程), or
    Chinese numerals with one (三年, 二十五人, 五年规划, 十八大, 百分之四十); a Chinese numeral without
    one is part of a word (五小, 一带一路). The unit is the measure word with its prefix (个, 年规划,
    双工程, % for 百分之), "" for bare digits: numbers of the same unit are of the same kind.
    """
    match = _NUMBER.fullmatch(plain(text))
    if not match:
        return None
    number, unit = match["num"], match["unit"] or ""
    if number.startswith("百分之"):
        if unit:
            return None
        unit = "%"
    elif not number[0].isdigit() and not unit:
        return None
    return (match["pre"] or "") + unit


def _made_of(text: str, words: frozenset[str]) -> bool:
    """`text` is one or more of `words` written one after the other ("" is not)."""
    return bool(text) and made_of(text, words)


def is_generic(answer: str) -> bool:
    """A generic blank: the answer is made only of generic heads and common words (工作导向, 工作力度,
    工会组织, 广大职工, 试点工作, 组织)."""
    return _made_of(plain(answer), _GENERIC)


@lru_cache(maxsize=4096)
def _cores(answer: str) -> frozenset[str]:
    """What an answer asks once generic filler is taken off either end: 职工文化阵地建设 → itself,
    职工文化阵地 (and 职工文化阵地建 is not one: the filler must be whole words)."""
    text = plain(answer)
    starts = [0] + [i for i in range(1, len(text)) if _made_of(text[:i], _FILLER)]
    ends = [len(text)] + [j for j in range(1, len(text)) if _made_of(text[j:], _FILLER)]
    return frozenset(text[i:j] for i in starts for j in ends if i < j)


def _core(term: str) -> str:
    """A gold term without the generic heads at its end, unless nothing else is left (主力军作用 → 主力军;
    工会组织体系 stays whole): the head is context either way, so 主力军 asks 主力军作用. Words at the
    start stay: 文化阵地 does not ask 职工文化阵地."""
    heads = GENERIC_HEADS | _JOINERS
    ends = [j for j in range(1, len(term)) if _made_of(term[j:], heads) and not _made_of(term[:j], _FILLER)]
    return term[: min(ends)] if ends else term


def recalls(term: str, answers: Sequence[str]) -> bool:
    """Whether blanks with these answers, asked together, ask the gold `term`.

    One answer asks the term when it equals it, or is the term's core (`_core`) with only generic
    filler at either end: generic heads, common words, 的 and 等 (工匠学院建设体系 asks 工匠学院; 以职工为中心的工作
    导向 asks 以职工为中心; 工作导向 does not, nor does 工匠学院 ask 线上线下结合的工匠学院). Several
    answers (one enumeration's blanks) ask it together when the term, with each of them taken out,
    leaves only list punctuation (、 , +), conjunctions and quotes (政治性、先进性、群众性; 网上练兵和“五小”); a
    member may carry filler at its ends as above (职工工资决定 for 工资决定).
    """
    rest = plain(term)
    if not rest:
        return False
    if len(answers) == 1:
        return _core(rest) in _cores(answers[0])
    taken = False
    for answer in sorted(answers, key=lambda a: (-len(plain(a)), a)):
        core = next((c for c in sorted(_cores(answer), key=lambda c: (-len(c), c)) if c in rest), None)
        if core is not None:
            rest = rest.replace(core, "\0", 1)
            taken = True
    return taken and bool(_LIST_REST.fullmatch(rest.replace("\0", "")))


def _quoted_at(text: str, start: int, end: int) -> bool:
    return start > 0 and end < len(text) and text[start - 1] in _OPENING and text[end] in _CLOSING


def _member_at(text: str, start: int, end: int) -> bool:
    """The stretch is a member of an enumeration: next to a 、 or a + (quotes aside: “工会+法院+…”),
    or after 和/及/与/或 that follows a 、 in the same clause (新兴产业、数字经济和技术创新)."""
    before = text[:start].rstrip(_OPENING)
    after = text[end:].lstrip(_CLOSING)
    if before.endswith(_LIST_MARKS) or after.startswith(_LIST_MARKS):
        return True
    for conjunction in _CONJUNCTIONS:
        if before.endswith(conjunction):
            clause = re.split(f"[{_CLAUSE_BREAK}]", before[: -len(conjunction)])[-1]
            return "、" in clause
    return False


def _kind(answer: str, text: str, span: tuple[int, int] | None, member: bool | None = None) -> str:
    """The kind of an answer at `span` of its line `text`: number, quoted name, list member, phrase or
    word, the first that applies. `member` decides list membership when given (fill-ins: a blank of an
    any-order group); otherwise the line's punctuation does (`_member_at`)."""
    if number_unit(answer) is not None:
        return NUMBER
    raw = answer.strip()
    if raw[:1] in _OPENING or (span is not None and _quoted_at(text, *span)):
        return QUOTED
    if member is None:
        member = span is not None and _member_at(text, *span)
    if member:
        return MEMBER
    return PHRASE if len(plain(answer)) >= PHRASE_LENGTH else WORD


def _spans(text: str, prompt: str, answers: Sequence[str]) -> list[tuple[int, int] | None]:
    """Where each blank's answer stands in the line: from the prompt (its ＿ runs, in order, filled
    with the answers give the line back, possibly with context around), else its first occurrence."""
    parts = re.split("＿+", prompt)
    if len(parts) == len(answers) + 1:
        rebuilt, found = parts[0], []
        for answer, part in zip(answers, parts[1:], strict=True):
            found.append((len(rebuilt), len(rebuilt) + len(answer)))
            rebuilt += answer + part
        offset = rebuilt.find(text)
        if offset >= 0 and all(offset <= s and e <= offset + len(text) for s, e in found):
            return [(s - offset, e - offset) for s, e in found]
    return [_first(text, answer) for answer in answers]


def _first(text: str, answer: str) -> tuple[int, int] | None:
    at = text.find(answer)
    return (at, at + len(answer)) if at >= 0 else None


def _swapped_span(text: str, statement: str, answer: str, shown: str) -> tuple[int, int] | None:
    """Where a true/false statement swapped `answer` for `shown`."""
    at = text.find(answer)
    while at >= 0:
        if text[:at] + shown + text[at + len(answer) :] == statement:
            return at, at + len(answer)
        at = text.find(answer, at + 1)
    return _first(text, answer)


def blank_kinds(question: GeneratedQuestion, text: str) -> list[str]:
    """The kind of each blank of a fill-in on line `text` (see `Quality.blank_kinds`)."""
    sizes = Counter(blank.group for blank in question.blanks)
    spans = _spans(text, question.prompt, [blank.answer for blank in question.blanks])
    return [
        _kind(blank.answer, text, span, member=blank.any_order and sizes[blank.group] > 1)
        for blank, span in zip(question.blanks, spans, strict=True)
    ]


class _Kinds:
    """The kinds a string takes in the document: a number is a number; otherwise quoted where it
    stands in quotes, a member where it stands in an enumeration, a line where it is a whole line
    or heading, and always a phrase or word by its length."""

    def __init__(self, document: ParsedDocument) -> None:
        self.texts = [node.text for node in document.nodes]
        self.whole = {plain(text) for text in self.texts}
        self.cache: dict[str, frozenset[str]] = {}

    def __call__(self, value: str) -> frozenset[str]:
        if value not in self.cache:
            self.cache[value] = self._kinds(value)
        return self.cache[value]

    def _kinds(self, value: str) -> frozenset[str]:
        if number_unit(value) is not None:
            return frozenset({NUMBER})
        kinds = {PHRASE if len(plain(value)) >= PHRASE_LENGTH else WORD}
        if value.strip()[:1] in _OPENING:
            kinds.add(QUOTED)
        if plain(value) in self.whole:
            kinds.add(LINE)
        needle = value.strip(QUOTES)
        for text in self.texts:
            at = text.find(needle) if needle else -1
            while at >= 0:
                span = (at, at + len(needle))
                kinds.update(
                    k for k, found in ((QUOTED, _quoted_at(text, *span)), (MEMBER, _member_at(text, *span))) if found
                )
                at = text.find(needle, at + 1)
        return frozenset(kinds)


def _same_kind(answer: str, kind: str, distractor: str, kinds: _Kinds) -> bool:
    """A distractor is of the answer's kind: a number of the same unit, a quoted name for a quoted
    name, and otherwise a string whose head is of the same kind (`heads.head_kind`)."""
    if kind == NUMBER:
        return number_unit(distractor) == number_unit(answer)
    if kind == QUOTED:
        return QUOTED in kinds(distractor)
    # A phrase, word or member: a phrase, word or member whose head is of the answer's kind (产业工人,
    # 技术工人: people; 平衡发展, 高质量发展: development), see `heads.head_kind`.
    if not kinds(distractor) & {PHRASE, WORD, MEMBER}:
        return False
    return head_kind(plain(distractor)) == head_kind(plain(answer))


# --- The gold annotation --------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldLine:
    """One row of the gold annotation: a line of the document and the terms a trainer would test."""

    kind: str  # the parser's node kind: part, task, topic, point, paragraph, requirement
    text: str  # as written in the Markdown (matched after normalize_for_key)
    terms: tuple[str, ...]
    note: str
    text_key: str


def gold_text_key(kind: str, text: str) -> str:
    """The parser's text key of a line of this kind and text (same recipe as parsing._assign_keys)."""
    return hashlib.sha1(f"{kind}|{normalize_for_key(text)}".encode()).hexdigest()[:16]


def read_gold_lines(path: str | Path) -> list[GoldLine]:
    """The rows of a gold annotation: a tab-separated file with a header naming the columns `kind`,
    `line`, `key_terms` (separated by " | ") and optionally `note`; blank lines and lines starting
    with # are skipped."""
    rows = [
        line.split("\t")
        for line in Path(path).read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    if not rows:
        return []
    header = [name.strip() for name in rows[0]]
    at = {name: header.index(name) for name in ("kind", "line", "key_terms")}
    note = header.index("note") if "note" in header else None
    result = []
    for row in rows[1:]:
        kind, text = row[at["kind"]].strip(), row[at["line"]].strip()
        terms = tuple(t.strip() for t in row[at["key_terms"]].split(" | ") if t.strip())
        remark = row[note].strip() if note is not None and note < len(row) else ""
        result.append(GoldLine(kind, text, terms, remark, gold_text_key(kind, text)))
    return result


def read_gold(path: str | Path) -> dict[str, list[str]]:
    """The gold annotation as {text_key of the line: its terms}; a line annotated twice gets the
    terms of both rows."""
    gold: dict[str, list[str]] = {}
    for line in read_gold_lines(path):
        terms = gold.setdefault(line.text_key, [])
        terms.extend(term for term in line.terms if term not in terms)
    return gold


# --- The figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """An answer (or term) and the line it belongs to."""

    line: str
    answer: str


@dataclass(frozen=True)
class GiveAway:
    type: str  # question type
    answer: str
    heading: str  # the heading above the question that contains the answer
    line: str


@dataclass(frozen=True)
class OffKind:
    """A distractor not of its answer's kind."""

    type: str
    answer: str
    kind: str  # the answer's kind
    distractor: str


@dataclass(frozen=True)
class DistractorFigures:
    slots: int  # distractors shown, counting repeats
    same_kind: int  # of them, of the answer's kind

    @property
    def share(self) -> float | None:
        return _share(self.same_kind, self.slots)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Quality:
    """The quality figures of one bank. A share is None when there is nothing to divide by.

    Recall (only with a gold annotation):
      `gold_terms`, `recalled`, `misses`: over the gold lines found in the document (`gold_lines`),
      each gold term counts once; it is recalled when some fill-in (cloze) question on that line
      (the line's text_key among the question's source_text_keys) asks it (`recalls`): one blank
      whose answer is the term or the term with generic filler added, or the blanks of one
      enumeration group that together cover a listed term. `recall` = recalled / gold_terms.
      `bank_recalled`: the same over every question on the line, of any kind: a single choice's
      answer, the term a true/false judges, a multiple select's right options (one at a time and
      together), besides the fill-ins. `bank_recall` = bank_recalled / gold_terms.
      `lines_recalled`: gold lines with at least one term recalled. `gold_unmatched`: text keys of
      gold lines that match no line or heading of the document (their terms are left out).

    Fill-in blanks (every blank of every cloze question counts once):
      `blank_kinds`: how many blanks of each kind, the first that applies: number (`number_unit`),
      quoted (the answer stands in quotes in its line, or carries them), member (a blank of an
      any-order group of two or more), phrase (4 characters or more), word (the rest).
      `generic_blanks`: blanks whose answer is made only of generic heads and common words
      (`is_generic`); `generic_share` = their number / `blanks`.

    Coverage:
      `topics`: the headings of the deepest heading kind the document has (topic, else task, else
      part; `topic_kind` says which); a fill-in belongs to the topic it is on or under (its first
      source). `thin_topics`: (title, fill-ins) of topics with fewer than THIN (3).
      `lines`: body lines (points, paragraphs, “要” requirements); `uncovered`: the texts of those no
      question of any type names in source_keys or source_text_keys.

    Distractors, per type (`distractors`), against each answer's kind:
      single choice: the options other than the answer; true/false: the term a false statement shows
      in place of the answer; multiple select: the wrong options, each against the right ones (it is
      of their kind if it is of the kind of one of them). The answer's kind is its kind where it stands
      in its line (as for blanks, but a member by the line's punctuation: next to a 、, or after 和/及
      following one); an option that is a whole line or heading is of kind "line". A distractor is of
      the answer's kind when it takes that kind somewhere in the document: a number with the same
      unit; quoted where it stands in quotes; a member where it stands in an enumeration; a phrase
      (4+ characters) with the answer's last character; a word (under 4); a whole line or heading.
      `off_kind` lists the others. `reused`: the most used distractor strings, all types together,
      with their counts; `distractor_pool`: how many different strings fill the slots.

    Redundancy and give-aways:
      `duplicate_choices`: single choices whose answer a fill-in on the same line also asks (the
      same answer, compared plain), out of `choices`. `giveaways`: answers (of fill-in, single
      choice and true/false blanks, 2 characters or more) contained in a heading above the
      question's line: its part, task and topic titles.
    """

    questions: int
    by_type: dict[str, int]
    gold_lines: int
    gold_terms: int
    recalled: int
    lines_recalled: int
    bank_recalled: int
    misses: tuple[Note, ...]
    gold_unmatched: tuple[str, ...]
    blanks: int
    blank_kinds: dict[str, int]
    generic_blanks: tuple[Note, ...]
    topic_kind: str
    topics: int
    thin_topics: tuple[tuple[str, int], ...]
    lines: int
    uncovered: tuple[str, ...]
    distractors: dict[str, DistractorFigures]
    off_kind: tuple[OffKind, ...]
    reused: tuple[tuple[str, int], ...]
    distractor_pool: int
    choices: int
    duplicate_choices: tuple[Note, ...]
    giveaways: tuple[GiveAway, ...]
    has_gold: bool = False

    @property
    def recall(self) -> float | None:
        return _share(self.recalled, self.gold_terms) if self.has_gold else None

    @property
    def bank_recall(self) -> float | None:
        return _share(self.bank_recalled, self.gold_terms) if self.has_gold else None

    def blank_share(self, kind: str) -> float | None:
        return _share(self.blank_kinds.get(kind, 0), self.blanks)

    @property
    def generic_share(self) -> float | None:
        return _share(len(self.generic_blanks), self.blanks)

    @property
    def same_kind(self) -> DistractorFigures:
        """All distractors together."""
        return DistractorFigures(
            sum(f.slots for f in self.distractors.values()), sum(f.same_kind for f in self.distractors.values())
        )

    def shares(self) -> dict[str, float | None]:
        """Every share by name (for checks that they lie in [0, 1])."""
        return {
            "recall": self.recall,
            "lines_recalled": _share(self.lines_recalled, self.gold_lines) if self.has_gold else None,
            **{f"blanks_{kind}": self.blank_share(kind) for kind in KINDS},
            "generic": self.generic_share,
            **{f"same_kind_{type_}": figures.share for type_, figures in self.distractors.items()},
            "duplicate_choices": _share(len(self.duplicate_choices), self.choices),
            "uncovered": _share(len(self.uncovered), self.lines),
            "thin_topics": _share(len(self.thin_topics), self.topics),
        }


class _Document:
    """Look-ups over the parsed document that the figures share."""

    def __init__(self, document: ParsedDocument) -> None:
        self.document = document
        self.by_key: dict[str, int] = {}
        self.by_text_key: dict[str, int] = {}
        for index, node in enumerate(document.nodes):
            self.by_key.setdefault(node.key, index)
            self.by_text_key.setdefault(node.text_key, index)

    def source(self, question: GeneratedQuestion) -> int | None:
        """The index of the question's first source node found in the document."""
        for key in question.source_keys:
            if key in self.by_key:
                return self.by_key[key]
        for key in question.source_text_keys:
            if key in self.by_text_key:
                return self.by_text_key[key]
        return None

    def node(self, index: int) -> ParsedNode:
        return self.document.nodes[index]

    def headings_above(self, index: int) -> list[str]:
        return [a.text for a in self.document.ancestors(index) if a.kind in _HEADING_KINDS]


def quality(
    document: ParsedDocument,
    questions: Sequence[GeneratedQuestion],
    gold: Mapping[str, Sequence[str]] | None = None,
    *,
    reused: int = 5,
) -> Quality:
    """The figures of `questions` generated from `document` (see `Quality` for each definition);
    recall only when `gold` ({text_key: terms}, see `read_gold`) is given. `reused`: how many of the
    most used distractors to keep."""
    doc = _Document(document)
    kinds = _Kinds(document)
    cloze = [q for q in questions if q.type == CLOZE]
    cloze_by_line: dict[str, list[GeneratedQuestion]] = defaultdict(list)
    for question in cloze:
        for text_key in dict.fromkeys(question.source_text_keys):
            cloze_by_line[text_key].append(question)

    # Recall.
    misses: list[Note] = []
    unmatched: list[str] = []
    asked_by_line: dict[str, list[list[str]]] = defaultdict(list)
    for question in questions:
        for text_key in dict.fromkeys(question.source_text_keys):
            asked_by_line[text_key].extend(_asked(question))
    gold_lines = gold_terms = recalled = lines_recalled = bank_recalled = 0
    for text_key, terms in (gold or {}).items():
        if text_key not in doc.by_text_key:
            unmatched.append(text_key)
            continue
        gold_lines += 1
        text = doc.node(doc.by_text_key[text_key]).text
        groups = [answers for q in cloze_by_line.get(text_key, ()) for answers in _groups(q)]
        hits = 0
        for term in dict.fromkeys(terms):
            gold_terms += 1
            if any(recalls(term, answers) for answers in groups):
                hits += 1
            else:
                misses.append(Note(text, term))
            bank_recalled += any(recalls(term, answers) for answers in asked_by_line.get(text_key, ()))
        recalled += hits
        lines_recalled += hits > 0

    # Blanks.
    counts: Counter[str] = Counter()
    generic: list[Note] = []
    for question in cloze:
        text = _line_text(doc, question)
        counts.update(blank_kinds(question, text))
        generic.extend(Note(text, b.answer) for b in question.blanks if is_generic(b.answer))

    # Coverage.
    topic_kind = next((kind for kind in _SECTION_KINDS if any(n.kind == kind for n in document.nodes)), TOPIC)
    topic_nodes = [i for i, node in enumerate(document.nodes) if node.kind == topic_kind]
    fill_ins: Counter[int] = Counter()
    for question in cloze:
        index = doc.source(question)
        if index is None:
            continue
        topic = _enclosing(document, index, topic_kind)
        if topic is not None:
            fill_ins[topic] += 1
    thin = tuple((document.nodes[i].text, fill_ins[i]) for i in topic_nodes if fill_ins[i] < THIN)
    named = {key for q in questions for key in (*q.source_keys, *q.source_text_keys)}
    body = [node for node in document.nodes if node.kind in _BODY_KINDS]
    uncovered = tuple(node.text for node in body if node.key not in named and node.text_key not in named)

    # Distractors.
    slots: dict[str, list[int]] = {CHOICE: [0, 0], TRUEFALSE: [0, 0], MULTISELECT: [0, 0]}
    off: list[OffKind] = []
    used: Counter[str] = Counter()
    for question in questions:
        if question.type not in slots:
            continue
        pairs = _options(question, _line_texts(doc, question), kinds)
        for answers, distractor in pairs:
            used[distractor] += 1
            slots[question.type][0] += 1
            if any(_same_kind(answer, kind, distractor, kinds) for answer, kind in answers):
                slots[question.type][1] += 1
            else:
                answer, kind = answers[0]
                off.append(OffKind(question.type, answer, kind, distractor))

    # Redundancy and give-aways.
    choices = [q for q in questions if q.type == CHOICE]
    duplicates = []
    for question in choices:
        asked = {plain(b.answer) for b in question.blanks}
        on_line = (
            plain(b.answer)
            for text_key in question.source_text_keys[:1]
            for q in cloze_by_line.get(text_key, ())
            for b in q.blanks
        )
        if asked & set(on_line):
            duplicates.append(Note(_line_text(doc, question), question.blanks[0].answer))
    giveaways = []
    for question in questions:
        if question.type not in (CLOZE, CHOICE, TRUEFALSE) or (index := doc.source(question)) is None:
            continue
        above = doc.headings_above(index)
        for answer in dict.fromkeys(b.answer for b in question.blanks):
            if len(plain(answer)) < 2:
                continue
            heading = next((h for h in above if plain(answer) in plain(h)), None)
            if heading is not None:
                giveaways.append(GiveAway(question.type, answer, heading, document.nodes[index].text))

    return Quality(
        questions=len(questions),
        by_type=dict(Counter(q.type for q in questions)),
        gold_lines=gold_lines,
        gold_terms=gold_terms,
        recalled=recalled,
        lines_recalled=lines_recalled,
        bank_recalled=bank_recalled,
        misses=tuple(misses),
        gold_unmatched=tuple(unmatched),
        blanks=sum(counts.values()),
        blank_kinds={kind: counts[kind] for kind in KINDS},
        generic_blanks=tuple(generic),
        topic_kind=topic_kind,
        topics=len(topic_nodes),
        thin_topics=thin,
        lines=len(body),
        uncovered=uncovered,
        distractors={type_: DistractorFigures(*figures) for type_, figures in slots.items()},
        off_kind=tuple(off),
        reused=tuple(sorted(used.items(), key=lambda item: (-item[1], item[0]))[:reused]),
        distractor_pool=len(used),
        choices=len(choices),
        duplicate_choices=tuple(duplicates),
        giveaways=tuple(giveaways),
        has_gold=gold is not None,
    )


def _asked(question: GeneratedQuestion) -> list[list[str]]:
    """What a question of any kind asks, as answer groups (see `Quality.bank_recalled`); matching sets
    span lines and count for none."""
    if question.type == CLOZE:
        return _groups(question)
    if question.type in (CHOICE, TRUEFALSE):
        return [[blank.answer] for blank in question.blanks]
    if question.type == MULTISELECT:
        right = [question.choices[i] for i in question.correct_choices]
        return [[answer] for answer in right] + [right]
    return []


def _groups(question: GeneratedQuestion) -> list[list[str]]:
    """The answers a fill-in asks together: each blank alone, and each any-order group as a whole."""
    groups: dict[int, list[str]] = defaultdict(list)
    result = []
    for blank in question.blanks:
        result.append([blank.answer])
        if blank.any_order:
            groups[blank.group].append(blank.answer)
    return result + [answers for answers in groups.values() if len(answers) > 1]


def _enclosing(document: ParsedDocument, index: int, kind: str) -> int | None:
    """The node of `kind` that is `index` or holds it."""
    while index is not None:
        if document.nodes[index].kind == kind:
            return index
        parent = document.nodes[index].parent
        if parent is None:
            return None
        index = parent
    return None


def _line_text(doc: _Document, question: GeneratedQuestion) -> str:
    index = doc.source(question)
    return doc.node(index).text if index is not None else ""


def _line_texts(doc: _Document, question: GeneratedQuestion) -> list[str]:
    """The texts of every source of the question found in the document, first source first."""
    found = [doc.by_key[k] for k in question.source_keys if k in doc.by_key]
    found += [doc.by_text_key[k] for k in question.source_text_keys if k in doc.by_text_key]
    return [doc.node(i).text for i in dict.fromkeys(found)]


def _options(
    question: GeneratedQuestion, texts: Sequence[str], kinds: _Kinds
) -> list[tuple[list[tuple[str, str]], str]]:
    """(the answers with their kinds, a distractor) for every distractor slot of a question."""
    text = texts[0] if texts else ""
    if question.type == TRUEFALSE:
        result = []
        for blank in question.blanks:
            if blank.shown and plain(blank.shown) != plain(blank.answer):
                span = _swapped_span(text, question.prompt, blank.answer, blank.shown)
                result.append(([(blank.answer, _kind(blank.answer, text, span))], blank.shown))
        return result
    if question.type == CHOICE:
        if not 0 <= question.answer_index < len(question.choices):
            return []
        answer = question.choices[question.answer_index]
        span = _spans(text, question.prompt, [answer])[0] if len(question.blanks) == 1 else _first(text, answer)
        answers = [(answer, _option_kind(answer, text, span, kinds))]
        return [(answers, c) for i, c in enumerate(question.choices) if i != question.answer_index]
    right = [question.choices[i] for i in question.correct_choices if 0 <= i < len(question.choices)]
    if not right:
        return []
    answers = []
    for answer in right:
        where = next((t for t in texts if answer.strip(QUOTES) in t), "")
        answers.append((answer, _option_kind(answer, where, _first(where, answer.strip(QUOTES)), kinds)))
    correct = set(question.correct_choices)
    return [(answers, c) for i, c in enumerate(question.choices) if i not in correct]


def _option_kind(answer: str, text: str, span: tuple[int, int] | None, kinds: _Kinds) -> str:
    """An option's kind: a whole line or heading is a line; otherwise as a blank's, a member by the
    line's punctuation."""
    if number_unit(answer) is None and LINE in kinds(answer) and (not text or plain(answer) == plain(text)):
        return LINE
    return _kind(answer, text, span)
