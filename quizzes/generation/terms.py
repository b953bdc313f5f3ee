"""Key terms of each line: quoted names, enumerations, numbers and specific words.

Segmentation uses a private jieba tokenizer whose user dictionary is built from the document
itself (quoted names, enumeration members), so that “安康杯” or 送温暖 come out whole.
Terms are ranked by how specific they are: rare in general Chinese (jieba's IDF table) and
rare across the lines of this document.
"""

from __future__ import annotations

import logging
import math
import os
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import jieba
import jieba.posseg

from .source import SourceLine

# jieba reports loading its dictionary at DEBUG level through a handler of its own; keep that out
# of command output and server logs.
jieba.setLogLevel(logging.WARNING)

QUOTE, ENUM, NUMBER, WORD = "quote", "enum", "number", "word"

# Never a blank on their own: function words and words every line of the document uses.
STOP_WORDS = frozenset(
    re.split(
        r"\s+",
        """的 地 得 和 与 及 以及 等 对 为 以 在 把 被 了 是 其 之 各 各级 中 上 下 更 更加 进一步 一系列 之间 有关
    工作 建设 加强 推动 推进 深化 完善 坚持 开展 发挥 作用 体系 机制 能力 全面 积极 努力 持续 大力 深入 切实 有效
    职工 工会 群众 职工群众 组织 发展 管理 服务 队伍 领域 问题 水平 制度 活动 工作者 项目 内容 方式 成果 单位
    实施 落实 健全 强化 提高 提升 构建 加快 促进 做好 维护 参与 推出 形成 建立 建立健全 全国 国家 社会 政治 经济
    广泛 深入开展 扎实 严格 常态化 能力建设 工作体系 工作机制 品牌 形式 一线 基层 企业 劳动 单位 系统
    习近平 总书记 习近平总书记 特色 思想 主题 教育 精神 事业 规范 产品 效果 技术 交流 合作 行动 计划
    中国 时代 社会主义 全部 运用 基本 中心 领导 目标 上线 一体 选树 培育 落地 用情 用心 所思 所想 更多更好""",
    )
)
NOUNISH = ("n", "vn", "l", "i", "j", "an", "nz", "nt", "ns", "nr")
# Words that govern what follows them: an enumeration member does not start across one.
GOVERNING_POS = ("v", "vd", "vi", "d", "ad", "p", "c", "r")
CLAUSE_BREAK = "，。；：！？,;:!?（）()"
QUOTED = re.compile(r"“([^“”]+)”")
NESTED = re.compile(r"‘([^‘’]+)’")
ARABIC = re.compile(r"双?\d+(?:工程|[个年项条家名])?")
CHINESE = re.compile(r"(?<![一二三四五六七八九十两])[二三四五六七八九十两]+(?:年规划|项规定|年|个|项|方|地|大)")
MAX_MEMBER = 12
MAX_NAME = 12
# Adverb + verb idioms (全面实施, 广泛开展) say how, not what: never key terms.
MODAL = re.compile(r"^(全面|广泛|切实|大力|充分|紧紧|深入|积极|持续|努力|进一步|大幅|密切|牢牢|扎实|坚定|贯彻|建立)")
SUFFIXES = frozenset("化性式型者员制法")


@dataclass(frozen=True)
class Term:
    """A blankable stretch of a line; `start` is its offset in the line text."""

    text: str
    start: int
    category: str  # QUOTE | ENUM | NUMBER | WORD
    pos: str = ""
    score: float = 0.0

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class Enumeration:
    """Members listed with 、 (or + inside quotes); any order makes the same sense."""

    members: tuple[Term, ...]

    @property
    def text(self) -> str:
        return "、".join(m.text for m in self.members)


@dataclass(frozen=True)
class LineTerms:
    line: SourceLine
    terms: tuple[Term, ...]  # best first, non-overlapping except enumeration members
    enumerations: tuple[Enumeration, ...]


def is_number(text: str) -> bool:
    """A numeral with its measure word (12351, 1000个, 三年, 双15工程); these may be short."""
    return bool(ARABIC.fullmatch(text) or CHINESE.fullmatch(text))


def analyse(lines: Sequence[SourceLine]) -> list[LineTerms]:
    """Terms of every line, ranked by specificity to the document."""
    texts = [line.text for line in lines]
    names = sorted({name for text in texts for name in _quoted_names(text)})
    tokenizer = _tokenizer(names)
    tokens = [_tokens(tokenizer, text) for text in texts]
    governing = {toks[0][0] for toks in tokens if toks}  # the verbs lines open with
    enumerations = [_enumerations(text, toks, governing) for text, toks in zip(texts, tokens, strict=True)]
    members = sorted({m.text for enums in enumerations for e in enums for m in e.members} - set(names))
    if members:  # segment again so words around the members are cut at the right place
        tokenizer = _tokenizer(names + members)
        tokens = [_tokens(tokenizer, text) for text in texts]
    scorer = _Scorer(texts)
    result = []
    for line, toks, enums in zip(lines, tokens, enumerations, strict=True):
        found = _candidates(line.text, toks, enums, governing)
        ranked = sorted(
            (Term(t.text, t.start, t.category, t.pos, scorer.score(t)) for t in found),
            key=lambda t: (-t.score, t.start, t.text),
        )
        scored = {(t.start, t.text): t for t in ranked if t.category == ENUM}
        enums = tuple(
            Enumeration(
                tuple(
                    scored.get((m.start, m.text)) or Term(m.text, m.start, ENUM, m.pos, scorer.score(m))
                    for m in e.members
                )
            )
            for e in enums
        )
        result.append(LineTerms(line, tuple(_non_overlapping(ranked)), enums))
    return result


def extract_terms(text: str) -> list[str]:
    """The distinct terms of a small text (one line per line), best first; handy for tests."""
    lines = [
        SourceLine(str(i), str(i), "point", t.strip(), "", "", "", "", i)
        for i, t in enumerate(text.splitlines())
        if t.strip()
    ]
    ranked = sorted((t for lt in analyse(lines) for t in lt.terms), key=lambda t: (-t.score, t.text))
    return list(dict.fromkeys(t.text for t in ranked))


# --- segmentation -------------------------------------------------------------------------


class _POSTokenizer(jieba.posseg.POSTokenizer):
    """A POS tokenizer over copies of the loaded tables: cheap to make, private to one document."""

    def __init__(self, tokenizer: jieba.Tokenizer, word_tags: dict[str, str]) -> None:
        self.tokenizer = tokenizer
        self.word_tag_tab = word_tags


@lru_cache(maxsize=1)
def _base() -> _POSTokenizer:
    """jieba's own dictionary, loaded once; never given user words."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return _POSTokenizer(tokenizer, jieba.posseg.POSTokenizer(tokenizer).word_tag_tab)


def _tokenizer(words: Iterable[str]) -> _POSTokenizer:
    base = _base()
    tokenizer = jieba.Tokenizer()
    freq, total, tags = base.tokenizer.FREQ, base.tokenizer.total, base.word_tag_tab
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(freq), total, True
    pos = _POSTokenizer(tokenizer, dict(tags))
    for word in sorted(set(words)):
        if len(word) > 1 and not re.search(r"[、+·‘’]", word):
            tokenizer.add_word(word, tag="nz")
    return pos


def _tokens(tokenizer: _POSTokenizer, text: str) -> list[tuple[str, str, int]]:
    """(word, pos, offset) triples."""
    result, offset = [], 0
    for pair in tokenizer.cut(text):
        result.append((pair.word, pair.flag, offset))
        offset += len(pair.word)
    return result


# --- candidates ---------------------------------------------------------------------------


def _quoted_names(text: str) -> list[str]:
    names = []
    for match in QUOTED.finditer(text):
        inner = match.group(1)
        if NESTED.search(inner) or not re.search(r"[、+]", inner):
            names.append(inner)
        names.extend(NESTED.findall(inner))
    return names


def _candidates(
    text: str, tokens: list[tuple[str, str, int]], enums: tuple[Enumeration, ...], governing: set[str]
) -> list[Term]:
    found: list[Term] = []
    for match in QUOTED.finditer(text):
        inner, start = match.group(1), match.start(1)
        if len(re.sub(r"[‘’、·+]", "", inner)) > MAX_NAME:
            continue  # a slogan too long to recall whole: its words are the terms
        if NESTED.search(inner) or not re.search(r"[、+]", inner):
            found.append(Term(inner, start, QUOTE, "nz"))
        for nested in NESTED.finditer(inner):
            found.append(Term(nested.group(1), start + nested.start(1), QUOTE, "nz"))
    for pattern in (ARABIC, CHINESE):
        found.extend(Term(m.group(), m.start(), NUMBER, "m") for m in pattern.finditer(text))
    for enum in enums:
        found.extend(m for m in enum.members if len(m.text) <= 8 and m.text not in STOP_WORDS)
    found.extend(_words(tokens, governing))
    return [t for t in found if _acceptable(t, text)]


def _words(tokens: list[tuple[str, str, int]], governing: set[str]) -> list[Term]:
    """Nouns and set phrases, plus two-word noun compounds standing alone (机关干部, 综合考核)."""

    def nounish(i: int) -> bool:
        word, pos, _ = tokens[i]
        return pos.startswith(NOUNISH) and pos != "nr" and word not in governing and not MODAL.match(word)

    def suffixed(i: int) -> bool:  # 常态|化, 工会|法: the word is only part of a longer one
        return i + 1 < len(tokens) and tokens[i + 1][0] in SUFFIXES

    def prefixed(i: int) -> bool:  # 新|业态: a lone character before the word belongs to it
        word, pos, _ = tokens[i - 1] if i else ("", "x", 0)
        return len(word) == 1 and "\u4e00" <= word <= "\u9fff" and not _is_governing(word, pos, governing)

    words = [
        Term(w, o, WORD, p) for i, (w, p, o) in enumerate(tokens) if nounish(i) and not suffixed(i) and not prefixed(i)
    ]
    for i in range(len(tokens) - 1):
        w1, w2 = tokens[i][0], tokens[i + 1][0]
        alone = (i == 0 or not nounish(i - 1)) and (i + 2 >= len(tokens) or not nounish(i + 2))
        if (
            alone
            and nounish(i)
            and nounish(i + 1)
            and not suffixed(i + 1)
            and not prefixed(i)
            and len(w1) >= 2
            and len(w2) >= 2
            and len(w1 + w2) <= 7
            and w2 not in STOP_WORDS
        ):
            words.append(Term(w1 + w2, tokens[i][2], WORD, tokens[i + 1][1]))
    return words


def _acceptable(term: Term, text: str) -> bool:
    word = term.text
    if (
        word in STOP_WORDS
        or (term.category == WORD and word[0] in "化性")
        or not re.search(r"[\u4e00-\u9fff0-9]", word)
    ):
        return False
    if len(word) < 2 and not is_number(word):
        return False
    return len(word) <= 0.8 * len(text)  # never the whole line


def _non_overlapping(ranked: list[Term]) -> list[Term]:
    """Best terms first; a term overlapping a better one is dropped."""
    kept: list[Term] = []
    for term in ranked:
        if not any(term.start < other.end and other.start < term.end for other in kept):
            kept.append(term)
    return kept


# --- enumerations -------------------------------------------------------------------------


def _enumerations(text: str, tokens: list[tuple[str, str, int]], governing: set[str]) -> tuple[Enumeration, ...]:
    result = []
    for match in QUOTED.finditer(text):  # inside quotes the members are delimited exactly
        inner = match.group(1)
        if not NESTED.search(inner) and re.search(r"[、+]", inner):
            result.append(_split_exact(inner, match.start(1)))
    masked = QUOTED.sub(lambda m: "“" + "Q" * (len(m.group()) - 2) + "”", text)
    for run in re.finditer(r"[^、" + CLAUSE_BREAK + r"]+(?:、[^、" + CLAUSE_BREAK + r"]+)+", masked):
        pieces, offset = [], run.start()
        for piece in run.group().split("、"):
            pieces.append((text[offset : offset + len(piece)], offset))
            offset += len(piece) + 1
        for sub in _subruns(pieces):
            enum = _split_run(sub, tokens, governing)
            if enum:
                result.append(enum)
    return tuple(e for e in result if _valid(e))


def _subruns(pieces: list[tuple[str, int]]) -> list[list[tuple[str, int]]]:
    """A long interior piece means a clause list, not a list of terms: leave it alone."""
    if any(len(text.strip("“”")) > 10 for text, _ in pieces[1:-1]):
        return []
    return [pieces]


def _split_exact(inner: str, start: int) -> Enumeration:
    members, offset = [], start
    for piece in re.split(r"[、+]", inner):
        members.append(Term(piece, offset, ENUM, "n"))
        offset += len(piece) + 1
    return Enumeration(tuple(members))


def _split_run(pieces: list[tuple[str, int]], tokens: list[tuple[str, str, int]], governing: set[str]) -> Enumeration:
    """Interior pieces are whole members; the first and last pieces may carry surrounding words."""
    interior = [_unquote(t, o) for t, o in pieces[1:-1]]
    last = _last_member(*pieces[-1], tokens, interior, governing)
    others = interior + _split_and(last, tokens, interior)
    first = _first_member(*pieces[0], tokens, others, governing)
    return Enumeration(tuple(m for m in [first, *others] if m is not None))


def _unquote(text: str, start: int) -> Term:
    if text.startswith("“") and text.endswith("”"):
        return Term(text[1:-1], start + 1, ENUM, "nz")
    return Term(text, start, ENUM, "n")


def _shares_shape(span: str, others: list[Term]) -> bool:
    """Members share a shape: 政治性、先进性; 送温暖、送清凉; 听党话、跟党走."""
    for other in others:
        o = other.text
        aligned = len(o) == len(span) and any(a == b for a, b in zip(span, o, strict=True))
        if aligned or span[0] == o[0] or span[-1] == o[-1]:
            return True
    return False


def _span_score(span: str, target: float, others: list[Term]) -> float:
    return abs(len(span) - target) - 1.5 * _shares_shape(span, others)


def _is_governing(word: str, pos: str, governing: set[str]) -> bool:
    return pos in GOVERNING_POS or pos.startswith("u") or word in governing


def _first_member(
    text: str, start: int, tokens: list[tuple[str, str, int]], others: list[Term], governing: set[str]
) -> Term | None:
    if text.endswith("”") and "“" in text:
        cut = text.rindex("“")
        return _unquote(text[cut:], start + cut)
    end = start + len(text)
    inside = [t for t in tokens if start <= t[2] < end]
    if not inside or not others:
        return None
    target = statistics.median(len(o.text) for o in others)
    best: tuple[float, int, int] | None = None
    for i in range(len(inside)):
        span = text[inside[i][2] - start :]
        if not 2 <= len(span) <= MAX_MEMBER:
            continue
        score = _span_score(span, target, others)
        # A verb inside the span most likely governs the list; at its start it may be the member's own.
        if i < len(inside) - 1 and _is_governing(*inside[i][:2], governing):
            score += 3 if inside[i][0] in governing else 1.5
        score += 3 * sum(_is_governing(w, p, governing) for w, p, _ in inside[i + 1 : -1])
        score += 2 * (len(inside[i][0]) == 1)
        if i > 0 and len(inside[i - 1][0]) == 1:
            score += 1.5  # cuts between two single characters: 听|党话
        elif i > 0 and not _is_governing(*inside[i - 1][:2], governing):
            score += 0.5  # the cut falls inside a noun phrase
        candidate = (score, len(span), inside[i][2])
        best = min(best, candidate) if best else candidate
    if not best:
        return None
    member = text[best[2] - start :]
    if len(inside[-1][0]) == 1 and not _shares_shape(member, others):
        return None  # 健全完善选、挂职: the members are single characters
    return Term(member, best[2], ENUM, "n")


def _last_member(
    text: str, start: int, tokens: list[tuple[str, str, int]], others: list[Term], governing: set[str]
) -> Term | None:
    if text.startswith("“") and "”" in text:
        return _unquote(text[: text.index("”") + 1], start)
    end = start + len(text)
    inside = [t for t in tokens if start <= t[2] < end]
    for j, (word, pos, offset) in enumerate(inside):
        if j and (word in ("等", "的", "之间") or pos.startswith(("u", "f"))):
            return Term(text[: offset - start], start, ENUM, "n")
    if len(text) <= MAX_MEMBER and not any(p == "v" for _, p, _ in inside[1:]):
        return Term(text, start, ENUM, "n")  # the list ends the clause
    if not inside or not others:
        return None
    target = statistics.median(len(o.text) for o in others)
    best: tuple[float, int] | None = None
    for j in range(len(inside)):
        span = text[: inside[j][2] + len(inside[j][0]) - start]
        if not 2 <= len(span) <= MAX_MEMBER:
            continue
        score = _span_score(span, target, others)
        score += 3 * sum(_is_governing(w, p, governing) for w, p, _ in inside[1 : j + 1])
        score += 2 * (len(inside[j][0]) == 1)
        best = min(best, (score, len(span))) if best else (score, len(span))
    return Term(text[: best[1]], start, ENUM, "n") if best else None


def _split_and(member: Term | None, tokens: list[tuple[str, str, int]], interior: list[Term]) -> list[Term]:
    """The last member often pairs two with 和: 数字经济和技术创新, 网上练兵和“五小”."""
    if member is None:
        return []
    longest = max((len(o.text) for o in interior), default=6)
    for word, _, offset in tokens:
        cut = offset - member.start
        if word == "和" and 2 <= cut <= len(member.text) - 3:
            left, right = member.text[:cut], _unquote(member.text[cut + 1 :], offset + 1)
            if max(len(left), len(right.text)) <= longest + 1 and abs(len(left) - len(right.text)) <= 3:
                return [Term(left, member.start, ENUM, "n"), right]
    return [member]


def _valid(enum: Enumeration) -> bool:
    texts = [m.text for m in enum.members]
    return (
        len(texts) >= 2
        and len(set(texts)) == len(texts)
        and all(2 <= len(t) <= MAX_MEMBER and not re.search(r"[（）()“”，]", t) for t in texts)
    )


# --- scoring ------------------------------------------------------------------------------


class _Scorer:
    """Specificity: general-language IDF plus rarity across the document's lines, plus a kind bonus."""

    BONUS = {QUOTE: 6.0, NUMBER: 5.0, ENUM: 3.0, WORD: 0.0}

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.idf, self.median = _idf_table()

    def score(self, term: Term) -> float:
        general = self.idf.get(term.text)
        if general is None:
            parts = (
                [w for w in _base().tokenizer.lcut(term.text, HMM=False) if len(w) > 1] if term.category == WORD else []
            )
            general = statistics.mean(self.idf.get(p, self.median) for p in parts) + 1 if parts else self.median + 1
        df = sum(term.text in t for t in self.texts)
        local = math.log((len(self.texts) + 1) / (df + 0.5))
        short = 1.5 * (term.category == WORD and len(term.text) == 2)  # 2-character words are mostly generic
        return round(general + 2 * local + self.BONUS[term.category] + 0.2 * min(len(term.text), 8) - short, 4)


@lru_cache(maxsize=1)
def _idf_table() -> tuple[dict[str, float], float]:
    path = os.path.join(os.path.dirname(jieba.__file__), "analyse", "idf.txt")
    table = {}
    with open(path, encoding="utf-8") as handle:
        for row in handle:
            word, _, value = row.strip().partition(" ")
            if value:
                table[word] = float(value)
    return table, statistics.median(table.values())
