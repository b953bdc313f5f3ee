"""Key terms of each line: quoted names, enumerations, numbers, phrases and specific words.

Segmentation uses a private jieba tokenizer whose user dictionary is built from the document
itself (quoted names, enumeration members, …化 words such as 常态化), so that “安康杯”, 送温暖 or
常态化 come out whole. Every candidate starts and ends on a token boundary of that segmentation: a
blank never cuts a word of the document's own dictionary.

Candidates (kind in `Term.category`): QUOTE (a name in quotes, in headings too), NUMBER (every
number with its measure word, Arabic or Chinese: 12351, 1000个, 三年, 二十五人, 百分之四十, 2%, 双15工程),
ENUM (a member of a list), PHRASE (a noun phrase, clause core or formula: see `phrases`) and WORD
(a single specific word).

Ranking: each candidate gets a score, the weighted sum of these features (`_Scorer.features`, `WEIGHTS`):

- kind: quoted +6, number +5, list member +3, phrase +1.5, word 0;
- IDF rarity in general Chinese (jieba's IDF table; a phrase takes the mean of its words' + 1);
- rarity across the lines of the document (2·log((N+1)/(df+0.5))), softened by recurrence: a
  maximal phrase of two or more words that recurs in other lines or headings (和谐劳动关系,
  产业工人队伍建设改革) gets +1.5 per other line, at most +3;
- heading: +1 when the candidate appears in a heading title of the document;
- length: +0.25 per character up to 6, −0.5 per character beyond 10 (not for a recurring phrase: a
  name the document repeats is asked whole, nor for a frame verb's whole object holding one); a two-character word −1.5;
- position: −0.5 × (start / line length), the first idea of a line a little ahead;
- generic: −4 when the candidate ends in a generic head (工作, 建设, 力度) it could do without;
- nested: −3 for a phrase holding a number or a quoted name (asked on their own);
- inner: −4 for a quoted name nested in another (‘十四五’ inside “建功‘十四五’、奋进新征程”);
- context: −2 for a phrase starting with a context word (工会, 职工 …) it could do without;
- opening: +2 for a …化 word opening a line before its verb (常态化|开展…): how the line is done;
- closing: +3 for what a clause is for: the predicate closing a 与 frame (与…|有效衔接), how a noun
  run's object is acted on (风险隐患|专项排查化解|工作), the means a clause opens on (依靠劳动创造|…),
  what the line puts somewhere (把|纪律建设|摆在更加突出位置);
- frame: −5 for the filler of a set phrase (摆在更加|突出位置, 名副其实|的职工之家, 及其|实施细则精神);
- shared: −3 for people and what is theirs after a joiner of peoples (工人阶级和广大|劳动群众合法权益);
- manner: −3 for a phrase ending in a …化 word after a name (国有企业工会|规范化): two ideas, asked apart;
- of: −1.5 for a phrase across 的 (领导班子的监督: a modifier and its head), 关于…的… and 以…为… aside;
- fragment: −FRAGMENT for a phrase cut out of a longer noun phrase whose rest stays beside the blank
  (产业工人队伍|建设改革, 信访|问题源头治理: `_fragment`);
- compound: −COMPOUND for a phrase made of two candidates of its own that score nearly as well
  (劳模工匠|示范引领作用): it holds two ideas, asked apart (`_split_compounds`).

Candidate rules besides `phrases`: a bare Arabic number needs three digits or a measure word (12351,
1000个; never alert(2) or 第1条); a word or phrase made only of common words (广大职工, 工会组织:
`COMMON_PARTS`) is none; a list ends at 等; a list whose members share length and end cuts its
last member to that shape (实现好、维护好、发展好|职工群众根本利益); a line left with no phrase gets
its runs of two or three nominal words (`_fallback`), so that every line is asked; a term the line
repeats (readable from the rest of the stem) never blocks a longer one.

Phrases the patterns cut or miss are widened or added by clause rules (`_widenings`: a modifier,
adjective, own verb or issuing body taken in; partners after 与; a predicate without its subject; a
role before 作用 …); the narrower phrase each widens counts as cut (a fragment).

The terms of a line are kept best first and non-overlapping (`LineTerms.terms`).
"""

from __future__ import annotations

import logging
import math
import os
import re
import statistics
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, replace
from functools import lru_cache

import jieba
import jieba.posseg

from ..core.numerals import MEASURE_WORDS, NUMERAL
from . import phrases
from .heads import head_kind
from .phrases import GENERIC, NOUN_HEADS
from .phrases import TRAILING as TRAILING_WORDS
from .recurring import MAX_LENGTH as MAX_RECURRING
from .recurring import recurring_phrases
from .source import SourceLine

# jieba reports loading its dictionary at DEBUG level through a handler of its own; keep that out
# of command output and server logs.
jieba.setLogLevel(logging.WARNING)

QUOTE, ENUM, NUMBER, PHRASE, WORD = "quote", "enum", "number", "phrase", "word"

# Never a blank on their own: function words and words every line of the document uses.
STOP_WORDS = frozenset(
    re.split(
        r"\s+",
        """的 地 得 和 与 及 以及 等 对 为 以 在 把 被 了 是 其 之 各 各级 中 上 下 更 更加 进一步 一系列 之间 有关
    工作 建设 加强 推动 推进 深化 完善 坚持 开展 发挥 作用 体系 机制 能力 全面 积极 努力 持续 大力 深入 切实 有效
    职工 工会 群众 职工群众 组织 发展 管理 服务 队伍 领域 问题 水平 制度 活动 工作者 项目 内容 方式 成果 单位
    实施 落实 健全 强化 提高 提升 构建 加快 促进 做好 维护 参与 推出 形成 建立 建立健全 全国 国家 社会 政治 经济
    广泛 深入开展 扎实 严格 能力建设 工作体系 工作机制 品牌 形式 一线 基层 企业 劳动 单位 系统
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
# An Arabic number with its measure word or %, or a bare one of three or more digits (12351, 2035); a
# bare digit or two (alert(2), 第1) is a label, not something to learn.
ARABIC = re.compile(
    r"(?<![0-9A-Za-z.第])双?(?:\d+(?:\.\d+)?(?:%|工程|个月|[" + MEASURE_WORDS + r"])|\d{3,}(?:\.\d+)?(?![0-9A-Za-z]))"
)
# A Chinese numeral before a measure word (三年, 二十五人, 两个, 今后五年), or a percentage (百分之四十); never an
# ordinal (第三条) nor a numeral inside a word (一带一路, 统一).
CHINESE = re.compile(
    rf"百分之[{NUMERAL}]+|(?<![第{NUMERAL}])(?:今后|未来)?[{NUMERAL}]*[二三四五六七八九十两百千][{NUMERAL}]*"
    rf"(?:年规划|项规定|个月|个工作日|[{MEASURE_WORDS}方地])"
)
MAX_MEMBER = 12
NO_MEMBER_START = frozenset("多更各等和及与的")  # 更|多大国工匠: quantifiers and joiners open no member
MAX_NAME = 15  # a quoted name up to this long is asked whole (万名劳模工匠宣讲党的创新理论)
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
    fragment: bool = False  # cut out of a longer noun phrase (`_fragment`): no answer of a single choice
    verbal: bool = False  # opens with a verb (关心关爱|劳模工匠): a blank, but no option of a single choice

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
    candidates: tuple[Term, ...] = ()  # every scored candidate, best first, overlapping ones too


def is_number(text: str) -> bool:
    """A numeral with its measure word (12351, 1000个, 三年, 双15工程); these may be short."""
    return bool(ARABIC.fullmatch(text) or CHINESE.fullmatch(text))


def analyse(lines: Sequence[SourceLine]) -> list[LineTerms]:
    """Terms of every line, ranked by the features in the module docstring."""
    texts = [line.text for line in lines]
    names = sorted({name for text in texts for name in _quoted_names(text)})
    extra = _suffixed_words(texts)
    tokenizer = _tokenizer(names + extra)
    tokens = [_tokens(tokenizer, text) for text in texts]
    # The document's own dictionary: phrases it repeats are words (see `recurring`).
    # The verbs lines open with; a …化 word opening a line says how (常态化|开展), it governs nothing.
    governing = {toks[0][0] for toks in tokens if toks and toks[0][0] not in extra}
    recurring = set(recurring_phrases(texts, tokens, _common))
    enumerations = [_enumerations(text, toks, governing, recurring) for text, toks in zip(texts, tokens, strict=True)]
    members = sorted({m.text for enums in enumerations for e in enums for m in e.members} - set(names))
    if members:  # segment again so words around the members are cut at the right place
        tokenizer = _tokenizer(names + extra + members)
        tokens = [_tokens(tokenizer, text) for text in texts]
    heading_texts = sorted({h for line in lines for h in (line.part, line.task, line.topic) if h})
    found_all = [
        _candidates(line.text, toks, enums, governing)
        for line, toks, enums in zip(lines, tokens, enumerations, strict=True)
    ]
    # Every line is asked: a line with no phrase of its own gets its runs of two or three nominal words.
    found_all = [
        found if any(t.category != WORD for t in found) else found + _fallback(line.text, toks, found)
        for line, toks, found in zip(lines, tokens, found_all, strict=True)
    ]
    # The document's own dictionary: the phrases it repeats are candidates wherever they stand (see
    # `recurring`), and a word that is one of them is ranked as a phrase.
    found_all = [
        _with_recurring(line.text, toks, found, recurring)
        for line, toks, found in zip(lines, tokens, found_all, strict=True)
    ]
    # A phrase whose modifier, verb or time frame the patterns above leave beside it is widened to
    # take it in (`_widenings`); the narrower phrase is then a cut of it.
    widened_all = [
        _widenings(line.text, toks, found) for line, toks, found in zip(lines, tokens, found_all, strict=True)
    ]
    found_all = [
        found
        + list(
            {
                (w.start, w.text): w for w, _ in widened if (w.start, w.text) not in {(t.start, t.text) for t in found}
            }.values()
        )
        for found, widened in zip(found_all, widened_all, strict=True)
    ]
    scorer = _Scorer(texts, heading_texts, found_all, recurring)
    scorer.closing = {
        text: set(
            _closing_predicates(text, toks)
            + _action_tails(text, toks)
            + _means(toks)
            + [m.span(1) for m in PLACED.finditer(text)]
        )
        for text, toks in zip(texts, tokens, strict=True)
    }
    result = []
    for line, found, enums, toks, widened in zip(lines, found_all, enumerations, tokens, widened_all, strict=True):
        scored_terms = []
        narrowed = {(n.start, n.text) for w, n in widened if w != n}
        wide = {(w.start, w.text) for w, _ in widened}  # whole by construction: no cut
        for t in found:
            # 平台企业|建会扩面提质: a formula of single characters is what the name before it does.
            after_name = _follows_name(t, line.text, recurring) and not _character_formula(t, toks)
            cut = (
                (_fragment(t, toks) and (t.start, t.text) not in wide)
                or _inside_name(t, line.text, recurring)
                or after_name
                or (t.start, t.text) in narrowed
                or _half_of_pair(t, line.text)
                or (t.text in recurring and _name_inside_object(t, line.text, found, toks))
            )
            # What follows a name the document repeats may be blanked, but is no option of a single choice.
            penalised = cut and not (
                _after_name(t, line.text, recurring, toks)
                and not _inside_name(t, line.text, recurring)
                and not _repeated_with_name(t, line.text, recurring, scorer)
            )
            # 关于|工人阶级和工会工作|的重要论述: a title is asked whole, though its head makes a single choice.
            penalised = penalised or _inside_title(t, line.text)
            score = scorer.score(t, line.text) - FRAGMENT * penalised
            verbal = t.category in (PHRASE, WORD, ENUM) and _opens_with_verb(t, toks)
            # 工人阶级和广大|劳动群众合法权益: a cut of a shared head, no answer of a single choice either.
            shared = t.category == PHRASE and _shared_head(t, line.text)
            scored_terms.append(Term(t.text, t.start, t.category, t.pos, score, cut or shared, verbal))
        ranked = sorted(_split_compounds(scored_terms, line.text), key=lambda t: (-t.score, t.start, t.text))
        scored = {(t.start, t.text): t for t in ranked if t.category == ENUM}
        enums = tuple(
            Enumeration(
                tuple(
                    scored.get((m.start, m.text)) or Term(m.text, m.start, ENUM, m.pos, scorer.score(m, line.text))
                    for m in e.members
                )
            )
            for e in enums
        )
        # A term the line repeats is readable from the rest of the stem: it never blocks a longer one.
        once = [t for t in ranked if t.category == ENUM or line.text.count(t.text) == 1]
        result.append(LineTerms(line, tuple(_non_overlapping(once)), enums, tuple(ranked)))
    return result


PLACED = re.compile(r"把([^，。；、把]{2,8}?)(?:摆在|放在|作为)")  # what a line puts somewhere, its point
OPENING_TIME = re.compile(r"[^，。；、“”]{2,10}以来(?=，)")  # 党的十八大以来，…: when the line speaks of
MODIFIER_POS = ("d", "a", "b", "t", "ad")  # 日常|和定期…, 重大|风险隐患: a word qualifying the noun after it


def _widenings(text: str, tokens: Sequence[tuple[str, str, int]], found: Sequence[Term]) -> list[tuple[Term, Term]]:
    """Wider phrases for the line's phrases that leave part of their own name beside the blank, each
    with the phrase it widens (which then counts as cut, `FRAGMENT`):

    - a modifier and 和 before a phrase share its head: 坚持|日常和|定期沟通协调机制 → 日常和定期沟通协调机制;
    - an adjective right before a phrase qualifies it: 劳动领域|重大|风险隐患 → 重大风险隐患;
    - the last member of a list closed by 等 keeps its own verb: 、共建|国家…奖学金等 → 共建国家…奖学金;
    - a verb between a frame verb and a name that ends the clause qualifies the name: 做实|下沉|地方
      联动机制 → 下沉地方联动机制;
    - a pair of common words (发展和安全) is asked with the verb that makes it a principle: 统筹发展和安全;
    - a verb phrase before a head naming its kind (自觉接受党的领导|这一优良传统) leaves no part of
      itself to ask alone (党的领导).

    Besides, a time frame opening the line before its first comma (党的十八大以来，…) is a phrase of its
    own (it has no narrower one)."""
    by_end = {t[2] + len(t[0]): t for t in tokens}
    clause_ends = {m.start() for m in re.finditer(f"[{re.escape(CLAUSE_BREAK)}、等]", text)} | {len(text)}
    result: list[tuple[Term, Term]] = []
    for term in found:
        if term.category not in (PHRASE, WORD) or len(term.text) < 2:
            continue
        start = _widened_start(text, term, by_end, clause_ends)
        wide = Term(text[start : term.end], start, PHRASE, "n") if start is not None else None
        if wide and len(wide.text) <= phrases.MAX_PHRASE and _acceptable(wide, text):
            result.append((wide, term))
    for start, end in phrases.principle_spans(tokens):
        for term in found:
            if (
                term.category in (PHRASE, WORD)
                and start < term.start
                and term.end == end
                and not phrases.FRAMED.fullmatch(term.text)  # 把握|为实现…而奋斗: the frame bounds it
            ):
                result.append((Term(text[start:end], start, PHRASE, "n"), term))
    for start, end in _partners(tokens):
        phrase = Term(text[start:end], start, PHRASE, "n")
        if _acceptable(phrase, text):  # each partner alone is a cut of the pair
            inside = [
                t for t in found if start <= t.start < end and t.category in (PHRASE, WORD) and t.text != phrase.text
            ]
            result.extend((phrase, t) for t in inside or [phrase])
    for start, end in _closing_predicates(text, tokens):
        phrase = Term(text[start:end], start, PHRASE, "n")
        if _acceptable(phrase, text):
            result.append((phrase, phrase))
    for start, end in _heads_after_names(text, tokens) + _list_topics(text, tokens, found):
        phrase = Term(text[start:end], start, PHRASE, "n")
        if _acceptable(phrase, text):  # the narrower phrases inside it are cuts of it
            inside = [t for t in found if start <= t.start and t.end <= end and t.category in (PHRASE, WORD)]
            result.extend((phrase, t) for t in inside if t.text != phrase.text)
            result.append((phrase, phrase))
    for start, end in _paired_manners(tokens) + _action_tails(text, tokens) + _means(tokens):
        phrase = Term(text[start:end], start, PHRASE, "n")
        if _acceptable(phrase, text):
            result.append((phrase, phrase))
    for subject, start in _predicates(tokens):  # 基层|直接服务职工群众的能力: the subject is no part of it
        with_subject = [
            t for t in found if t.start == subject[2] and t.end > start + 2 and t.category in (PHRASE, WORD)
        ]
        if with_subject:
            longest = max(with_subject, key=lambda t: len(t.text))
            predicate = Term(longest.text[start - longest.start :], start, PHRASE, "n")
            result.extend((predicate, t) for t in with_subject)
    for role in (t for t in tokens if ROLE.fullmatch(t[0]) and t[1].startswith("n")):
        # 工会院校培训|主渠道|作用: the role is asked alone; with who plays it, two ideas
        alone = Term(role[0], role[2], WORD, role[1])
        with_agent = [
            t for t in found if t.end == role[2] + len(role[0]) and t.start < role[2] and t.category == PHRASE
        ]
        if with_agent and text[alone.end : alone.end + 2] == "作用":
            result.append((alone, alone))
            result.extend((alone, t) for t in with_agent)
            # …and who plays it is a name of its own, without what it does (工会院校|培训)
            run = [t for t in tokens if t[2] < role[2]]
            while run and run[-1][1] == "vn":
                run.pop()
            agent: list[tuple[str, str, int]] = []
            while run and run[-1][1].startswith("n") and run[-1][0] not in phrases.FRAME:
                agent.insert(0, run.pop())
            if len(agent) >= 2 and run and run[-1][0] in phrases.FRAME:
                start, end = phrases.span(agent)
                who = Term(text[start:end], start, PHRASE, "n")
                if _acceptable(who, text):
                    result.append((who, who))
    for place, verb in _purposes(tokens):  # 赴|基层|蹲点: the verb after the place is what is done
        done = Term(verb[0], verb[2], WORD, verb[1])
        result.append((done, done))
        result.extend((done, t) for t in found if t.start == place[2] and t.end == done.end)
    for match in PLACED.finditer(text):  # 把|纪律建设|摆在更加突出位置: what is put there, whole
        start, end = match.span(1)
        if start in {t[2] for t in tokens} and end in by_end:
            placed = Term(text[start:end], start, PHRASE, "n")
            if _acceptable(placed, text):
                result.append((placed, placed))
    opening = OPENING_TIME.match(text)
    if opening and opening.end() in by_end:
        time = Term(opening.group(), 0, PHRASE, "t")
        result.append((time, time))
    return result


PARTNER_HEADS = frozenset(["交流", "合作", "交流合作", "协作", "对话"])


def _partners(tokens: Sequence[tuple[str, str, int]]) -> list[tuple[int, int]]:
    """Two partners joined by 和 after 与, before the exchange they take part in: 与|港澳台工会和劳动界|交流
    合作机制 (the pair is one answer; each half alone leaves the other beside the blank)."""
    spans = []
    for i, (word, pos, _) in enumerate(tokens):
        if word not in ("与", "同") or not pos.startswith("p"):
            continue
        run = []
        for token in tokens[i + 1 :]:
            if token[0] in PARTNER_HEADS or token[1] == "x":
                break
            run.append(token)
        else:
            continue
        if run and token[0] in PARTNER_HEADS and any(t[0] == "和" for t in run[1:-1]):
            start, end = phrases.span(run)
            if 4 <= end - start <= phrases.MAX_PHRASE:
                spans.append((start, end))
    return spans


def _closing_predicates(text: str, tokens: Sequence[tuple[str, str, int]]) -> list[tuple[int, int]]:
    """The predicate closing a clause framed by 与 (与提高职工生活品质|有效衔接): how the two relate, an
    adverb or adjective and its verb, is the clause's point."""
    spans = []
    for clause in phrases.clauses(tokens):
        if len(clause) < 4 or not any(t[0] == "与" and t[1].startswith("p") for t in clause[:-2]):
            continue
        manner, verb = clause[-2], clause[-1]
        if manner[1] in ("a", "ad", "d") and verb[1] == "v" and len(manner[0]) == 2 and len(verb[0]) == 2:
            spans.append(phrases.span([manner, verb]))
    return spans


def _issuer(text: str, tokens: Sequence[tuple[str, str, int]], start: int) -> int:
    """Where a number's name starts: with the body that issued it, a noun right after the frame verb
    (贯彻执行|中央|八项规定), else at the number."""
    by_end = {t[2] + len(t[0]): t for t in tokens}
    noun = by_end.get(start)
    verb = by_end.get(noun[2]) if noun else None
    if (
        noun
        and verb
        and noun[1] in ("n", "nt")
        and len(noun[0]) == 2
        and verb[0] in phrases.FRAME | {"贯彻执行"}
        and noun[0] not in phrases.CONTEXT
        and not made_of_common(noun[0])
    ):
        return noun[2]
    return start


# Heads that say what kind of thing a quoted name is (“…”党的创新理论学习|行动, “安康杯”|竞赛).
NAME_KINDS = phrases.KIND_WORDS | TRAILING_WORDS | {"竞赛", "工程", "计划", "工作室", "建设"}


def _heads_after_names(text: str, tokens: Sequence[tuple[str, str, int]]) -> list[tuple[int, int]]:
    """The noun phrase right after a quoted name, up to the clause's end, is what the name names:
    “研读原著、…、转化运用”|党的创新理论学习行动 (the campaign, asked whole)."""
    spans = []
    for match in QUOTED.finditer(text):
        end = match.end()
        stop = re.search(f"[{re.escape(CLAUSE_BREAK)}、“]", text[end:])
        tail = text[end : end + stop.start()] if stop else text[end:]
        if 6 <= len(tail) <= MAX_MEMBER and any(t[2] == end + len(tail) - len(t[0]) for t in tokens):
            last = next(t for t in tokens if t[2] + len(t[0]) == end + len(tail))
            inside = [t for t in tokens if end <= t[2] < end + len(tail)]
            if last[0] in NAME_KINDS and not any(t[0] in ("的", "等") for t in inside) and not tail.startswith("和"):
                spans.append((end, end + len(tail)))
    return spans


def _list_topics(text: str, tokens: Sequence[tuple[str, str, int]], found: Sequence[Term]) -> list[tuple[int, int]]:
    """What a list that follows a frame verb is about, between the verb (and a context word) and the
    list's first member: 加强|工会|信访问题|源头治理、风险预警和应对处置."""
    spans = []
    for member in found:
        if member.category != ENUM or text[member.end : member.end + 1] != "、":
            continue
        ahead = [t for t in tokens if t[2] + len(t[0]) <= member.start]
        run: list[tuple[str, str, int]] = []
        while ahead and ahead[-1][0] not in phrases.FRAME and ahead[-1][1] != "x":
            run.insert(0, ahead.pop())
        while run and run[0][0] in phrases.CONTEXT:
            run.pop(0)
        if (
            not ahead
            or ahead[-1][0] not in phrases.FRAME
            or len(run) != 2
            or run[-1][2] + len(run[-1][0]) != member.start
        ):
            continue
        start, end = phrases.span(run)
        topic = text[start:end]
        if (
            run[1][1].startswith("n")
            and end - start >= 4
            and run[0][0] not in GENERIC
            and head_kind(topic) != "people"
            and not topic.endswith(("群众", "阶级"))
        ):
            spans.append((start, end))
    return spans


ROLE = re.compile(r"主[\u4e00-\u9fff]{2}")  # 主渠道, 主阵地, 主力军: the part a body plays (…作用)
MEANS = ("依靠", "通过", "借助")


def _means(tokens: Sequence[tuple[str, str, int]]) -> list[tuple[int, int]]:
    """A clause opening on what it relies on, before the manner of its main verb: 依靠劳动创造|扎实推进
    中国式现代化 (the means, with its verb: 依靠 is what the line says of it)."""
    spans = []
    for clause in phrases.clauses(tokens):
        if len(clause) < 5 or clause[0][0] not in MEANS:
            continue
        for k in range(2, len(clause) - 1):
            if clause[k][1] in ("a", "ad", "d") and clause[k + 1][0] in phrases.FRAME and clause[k + 1][1] == "v":
                start, end = phrases.span(clause[:k])
                if 4 <= end - start <= 8:
                    spans.append((start, end))
                break
    return spans


def _paired_manners(tokens: Sequence[tuple[str, str, int]]) -> list[tuple[int, int]]:
    """A manner made of two one-character verbs, each with its noun, opening the line: 有计划分步骤
    (有|计划|分|步骤), how the line is done."""
    if len(tokens) < 5:
        return []
    first, noun, second, other = tokens[:4]
    if all(len(t[0]) == 1 and t[1] == "v" for t in (first, second)) and all(
        len(t[0]) == 2 and t[1].startswith("n") for t in (noun, other)
    ):
        return [(first[2], other[2] + 2)]
    return []


def _action_tails(text: str, tokens: Sequence[tuple[str, str, int]]) -> list[tuple[int, int]]:
    """How a thing is acted on, closing a noun run before a generic head and the clause's end: a
    two-character noun and two verbs (风险隐患|专项排查化解|工作), the run's object before it."""
    spans = []
    for i in range(1, len(tokens) - 3):
        ahead, mode, act, then, *rest = tokens[i - 1 : i + 4]
        after = tokens[i + 3] if i + 3 < len(tokens) else None
        if (
            ahead[1].startswith("n")
            and mode[1] == "n"
            and len(mode[0]) == 2
            and not phrases.is_people(mode[0])  # 劳模|工匠|示范引领: who, not how
            and act[1] in ("v", "vn")
            and then[1] == "v"
            and len(act[0]) == len(then[0]) == 2
            and after is not None
            and after[0] in TRAILING_WORDS
            and text[after[2] + len(after[0]) : after[2] + len(after[0]) + 1] in ("", *CLAUSE_BREAK)
        ):
            spans.append((mode[2], then[2] + 2))
    return spans


def _predicates(tokens: Sequence[tuple[str, str, int]]) -> list[tuple[tuple[str, str, int], int]]:
    """A noun, then an adverb and a verb: the noun is the subject of a predicate (基层|直接服务职工群众
    的能力), and where the predicate starts."""
    return [
        (noun, adverb[2])
        for noun, adverb, verb in zip(tokens, tokens[1:], tokens[2:], strict=False)
        if noun[1] == "n" and adverb[1] in ("ad", "d") and len(adverb[0]) == 2 and verb[1] == "v"
    ]


def _purposes(tokens: Sequence[tuple[str, str, int]]) -> list[tuple[tuple[str, str, int], tuple[str, str, int]]]:
    """A verb of going (赴, 到), a place, and the verb saying what is done there (赴|基层|蹲点)."""
    found = []
    for i in range(len(tokens) - 2):
        going, place, verb = tokens[i : i + 3]
        if going[0] in ("赴", "到", "深入") and place[1].startswith("n") and verb[1] == "v" and len(verb[0]) == 2:
            found.append((place, verb))
    return found


def _named_with_context(term: Term, line: str) -> bool:
    """The phrase, context word and all, is a name: it follows 等 or 的 (…等|工会法律人才队伍), or a frame
    verb whose whole object it is, up to the clause's end or a trailing generic head (加强|职工文化阵地|建设)."""
    pair = re.search(r"和(?:" + "|".join(sorted(GENERIC, key=lambda w: (-len(w), w))) + ")$", term.text)
    if not line or ("和" in term.text and not pair) or "的" in term.text:
        return False  # 工会和职工|对外交流合作: the context word is one of two peoples
    before = line[: term.start]
    if before.endswith(("等", "的")):
        return True
    rest = line[term.end :]
    tail = re.split(f"[{re.escape(CLAUSE_BREAK)}、]", rest, maxsplit=1)[0]
    clause_start = max((before.rfind(c) for c in CLAUSE_BREAK), default=-1) + 1
    frame = before[clause_start:]
    return bool(frame) and phrases.made_of(frame, phrases.FRAME) and (not tail or tail in TRAILING_WORDS)


def _widened_start(text: str, term: Term, by_end: dict[int, tuple[str, str, int]], clause_ends: set[int]) -> int | None:
    """Where the phrase widened by `_widenings` starts, None when no rule widens it."""
    before = by_end.get(term.start)
    if before is None:
        return None
    ahead = by_end.get(before[2])
    word, pos, at = before
    verb = pos.startswith("v") and word not in phrases.FRAME
    if word == "和" and ahead and ahead[1] in MODIFIER_POS and len(ahead[0]) == 2 and len(term.text) >= 4:
        first = by_end.get(ahead[2])  # 坚持|日常和定期…: the modifier opens the object
        if first is None or first[1] == "x" or first[0] in phrases.FRAME or first[1].startswith("v"):
            return ahead[2]
    if (
        pos == "a"
        and len(word) == 2
        and word not in phrases.FRAME
        and term.pos != "v"
        and (ahead is None or ahead[1].startswith(("n", "vn", "x")))
    ):
        return at  # 劳动领域|重大风险隐患
    if verb and text[at - 1 : at] == "、" and text[term.end : term.end + 1] == "等":
        return at  # 、共建国家…奖学金等
    if (
        verb
        and len(word) == 2
        and ahead
        and ahead[0] in phrases.FRAME
        and ahead[1] == "v"
        and term.end in clause_ends
        and len(term.text) >= 4
    ):
        return at  # 做实|下沉地方联动机制
    if (
        verb
        and term.end in clause_ends
        and re.fullmatch(r"[\u4e00-\u9fff]{2}[和与][\u4e00-\u9fff]{2}", term.text)
        and any(_common(part) for part in re.split("[和与]", term.text))
    ):
        return at  # 统筹发展和安全
    return None


def _name_inside_object(term: Term, text: str, found: Sequence[Term], tokens: Sequence[tuple[str, str, int]]) -> bool:
    """The phrase (a name the document repeats) stands inside a longer one, with words of its own on
    both sides, that is a frame verb's whole object up to the clause's end: 探索|行业|和谐劳动关系|创建
    活动试点 is one name."""
    clause_end = re.compile(f"[{re.escape(CLAUSE_BREAK)}]|$")
    return term.category in (PHRASE, WORD) and any(
        other.category == PHRASE
        and other.start < term.start
        and term.end < other.end
        and clause_end.match(text, other.end) is not None
        and _frame_before(text, other.start)
        and not any(other.start <= t[2] < other.end and t[0] in ("的", "和", "与", "及", "、") for t in tokens)
        for other in found
    )


def _frame_before(text: str, start: int) -> bool:
    """A clause's frame verbs, and nothing else, stand before `start`."""
    before = text[:start]
    clause_start = max((before.rfind(c) for c in CLAUSE_BREAK), default=-1) + 1
    frame = before[clause_start:]
    return bool(frame) and phrases.made_of(frame, phrases.FRAME)


def _half_of_pair(term: Term, text: str) -> bool:
    """The phrase's modifier also governs a generic head after 和 that ends the clause (工会|改革|和建设):
    the phrase is half of the pair, which is asked whole."""
    rest = text[term.end :]
    return (
        term.category in (PHRASE, WORD)
        and rest[:1] in ("和", "与", "及")
        and any(rest[1:].startswith(g) and rest[1 + len(g) : 2 + len(g)] in ("", *CLAUSE_BREAK) for g in GENERIC)
    )


MANNER_WORD = re.compile(r"[\u4e00-\u9fff]{2}化")  # 常态化, 规范化: says how something is done
FRAGMENT = 4.0  # the penalty of a phrase that is part of a longer noun phrase (see `_fragment`)
# One-character words that stand apart from the phrase after them (对|党员干部, 以|职工, 各|级).
LONE_JOINERS = frozenset("的和与及对以在为把将等从向于其之各")
_NOMINAL_NEIGHBOUR = ("n", "vn", "j", "nz", "nt", "l", "b")


def _fragment(term: Term, tokens: Sequence[tuple[str, str, int]]) -> bool:
    """A phrase or word cut out of a longer noun phrase, the rest left in plain sight beside the blank:
    产业工人队伍|建设改革, 新业态劳动者|权益保障专项行动, 信访|问题源头治理, 党组织|政治功能. A generic
    head after it (维权服务|工作, 巡视整改|成果) or a context word before it (工会|意识形态) is filler,
    not the rest of a name."""
    if term.category not in (PHRASE, WORD) or phrases.FRAMED.fullmatch(term.text):
        return False  # 以…为…, 关于…的重要论述: the frame bounds the phrase
    before = next((t for t in reversed(tokens) if t[2] + len(t[0]) == term.start), None)
    after = next((t for t in tokens if t[2] == term.end), None)
    last = next((t for t in reversed(tokens) if t[2] < term.end), None)
    if last is None or not (
        last[1].startswith(("n", "vn", "j", "l", "b", "an", "m", "q", "i", "f")) or _verbal_noun(last, tokens)
    ):
        return False  # 关心关爱 before 劳模工匠: a verb formula takes an object, it is no part of it
    framed = bool(before and before[1].startswith("p"))  # 从|党和国家事业发展全局|出发: the verb closes a frame
    if (
        after
        and (
            _nominal_neighbour(after)
            or _attributive(after, tokens)
            or (_verbal_noun(after, tokens) and not framed and not _clause_of(after, last, tokens))
        )
        and after[0] not in GENERIC
        and after[0] not in TRAILING_WORDS
        and not MANNER_WORD.fullmatch(after[0])  # 联席会议|制度化常态化: how, an idea of its own
    ):
        return True  # 巡视整改 after 中央, 线上线下 before 融合: the name goes on
    if after and after[0] in ("和", "与", "及"):
        beyond = next((t for t in tokens if t[2] == after[2] + len(after[0])), None)
        if beyond and _nominal_neighbour(beyond) and beyond[0] not in GENERIC:
            return True  # 主题劳动|和技能竞赛: the first noun of a coordination, likewise
    if before and before[0] in ("和", "与", "及"):
        # 劳动和|技能竞赛: the second noun of a coordination is no name of its own when the first is
        # shorter, a modifier sharing its head (a pair of nouns of one shape is asked as a pair,
        # `_pairs`); 展示交流和|成果转化 are two of one length, each a name.
        ahead = [t for t in tokens if t[2] < before[2]]
        run = 0
        for word, pos, _ in reversed(ahead):
            if not pos.startswith(("n", "v", "j", "l", "b")) or word in phrases.FRAME:
                break
            run += len(word)
        return 0 < run < len(term.text)
    if (
        before
        and len(before[0]) == 1
        and "\u4e00" <= before[0] <= "\u9fff"
        and before[0] not in LONE_JOINERS
        and not before[1].startswith(("p", "c", "u", "r", "v"))
    ):
        return True  # 新|业态竞赛活动, 正|风肃纪反腐: a lone character before the phrase belongs to it
    first = next((t for t in tokens if t[2] == term.start), None)
    if before and before[0] in phrases.CONTEXT and first and len(first[0]) == 2 and phrases.is_people(first[0]):
        return True  # 工会|会员实名制: the context word and the people after it are one word (工会会员)
    return bool(
        before
        and _nominal_neighbour(before)
        and before[0] not in phrases.CONTEXT
        and not _people_before(before, tokens)  # 女职工|合法权益: whose, as a context word says
        and not _character_formula(term, tokens)  # 平台企业|建会扩面提质: what the body before it does
        and (before[0] not in GENERIC or _inside_run(before, tokens))
        and before[0] not in phrases.FRAME  # 全面|运用/vn|数字化技术: a frame verb, however tagged
        and len(before[0]) >= 2
    )


def _character_formula(term: Term, tokens: Sequence[tuple[str, str, int]]) -> bool:
    """The term is a formula of four or more characters the dictionary cut into single characters
    (建|会|扩|面|提|质, 凝|心|铸|魂): a predicate of its own, no part of the noun before it."""
    inside = [t for t in tokens if term.start <= t[2] and t[2] + len(t[0]) <= term.end]
    return len(inside) >= 4 and sum(len(t[0]) for t in inside) == len(term.text) and all(len(t[0]) == 1 for t in inside)


def _inside_run(token: tuple[str, str, int], tokens: Sequence[tuple[str, str, int]]) -> bool:
    """A generic noun that is no head (发展, not 工作) between two nouns modifies what follows:
    劳动关系|发展|态势监测."""
    ahead = next((t for t in reversed(tokens) if t[2] + len(t[0]) == token[2]), None)
    return token[0] not in TRAILING_WORDS and bool(ahead and ahead[1].startswith(("n", "j")) and len(ahead[0]) >= 2)


def _attributive(token: tuple[str, str, int], tokens: Sequence[tuple[str, str, int]]) -> bool:
    """A two-character verb qualifying the last noun of a name, before filler or the clause's end:
    劳模和工匠人才|创新|工作室|建设 (an innovation studio), not a verb with its object."""
    word, pos, at = token
    if not pos.startswith("v") or len(word) != 2 or word in phrases.FRAME:
        return False
    noun = next((t for t in tokens if t[2] == at + 2), None)
    if not noun or not noun[1].startswith(("n", "nz", "l")) or len(noun[0]) < 2:
        return False
    beyond = next((t for t in tokens if t[2] == noun[2] + len(noun[0])), None)
    return beyond is None or beyond[1] == "x" or beyond[0] in GENERIC or beyond[0] in TRAILING_WORDS


def _people_before(token: tuple[str, str, int], tokens: Sequence[tuple[str, str, int]]) -> bool:
    """The word names people, three characters or more with what qualifies it (女职工, 技术工人,
    失业困难|群体); 会员 alone may begin a name (会员|代表大会)."""
    if not phrases.is_people(token[0]):
        return False
    ahead = next((t for t in reversed(tokens) if t[2] + len(t[0]) == token[2]), None)
    if ahead and ahead[1] == "v" and ahead[0] not in phrases.FRAME:
        return False  # 服务|农民工|公益法律服务行动: the people a verb serves name, with it, what follows
    return len(token[0]) >= 3 or bool(ahead and len(ahead[0]) >= 2 and ahead[1].startswith(("n", "a", "b")))


def _verbal_noun(token: tuple[str, str, int], tokens: Sequence[tuple[str, str, int]]) -> bool:
    """A two-character verb that governs nothing (整改|成果, 融合|，, 反腐 at the end): it names an
    action, as a noun does (中央巡视整改, 线上线下融合, 正风肃纪反腐)."""
    word, pos, at = token
    if not pos.startswith("v") or len(word) != 2 or word in phrases.FRAME or word[0] in "应可能必得不该须":
        return False  # 应当, 可以, 不得: a modal opens a predicate
    after = next((t for t in tokens if t[2] == at + len(word)), None)
    # It ends the clause or takes a generic head (整改|成果); before anything else it is a predicate.
    return after is None or after[1] == "x" or after[0] in GENERIC or after[0] in TRAILING_WORDS


def _clause_of(verb: tuple[str, str, int], last: tuple[str, str, int], tokens: Sequence[tuple[str, str, int]]) -> bool:
    """A noun, then a verb and 的: a clause modifying what follows (工会会员|缴纳的会费), not a name."""
    after = next((t for t in tokens if t[2] == verb[2] + len(verb[0])), None)
    return bool(after and after[0] == "的" and last[1].startswith("n"))


def _inside_title(term: Term, text: str) -> bool:
    """The phrase stands inside a title framed by 关于…的, before its head (关于|工人阶级和工会工作|的重要
    论述), or inside the party's leadership of a field (党对|工运事业和工会工作|的领导)."""
    return term.category in (PHRASE, WORD) and any(
        match.group().startswith(("关于", "党对")) and match.start() < term.start and term.end < match.end()
        for match in phrases.FRAMED.finditer(text)
    )


def _inside_name(term: Term, text: str, recurring: Set[str]) -> bool:
    """A phrase cut out of a name the document repeats, where the line writes the name whole: 产业工人
    队伍|建设改革, 和谐|劳动关系. The rest must say something: 和谐劳动关系|创建活动 is no cut (only
    generic words are left), nor is a name joined by 的 or 或者 (两个 things, or one said of another)."""
    if term.category not in (PHRASE, WORD):
        return False
    for name in recurring:
        if len(name) <= len(term.text) or term.text not in name or "的" in name or "或" in name:
            continue
        at = text.find(name)
        while at >= 0:
            if at <= term.start and term.end <= at + len(name):
                rest = name[: term.start - at] + name[term.end - at :]
                if not phrases.made_of(rest, GENERIC | TRAILING_WORDS | phrases.CONTEXT | {"和", "与", "及"}):
                    return True
            at = text.find(name, at + 1)
    return False


def _after_name(term: Term, text: str, recurring: Set[str], tokens: Sequence[tuple[str, str, int]] = ()) -> bool:
    """The phrase starts where a name the document repeats ends: what follows a name names something
    of its own (劳动关系|发展态势监测, 习近平新时代中国特色社会主义思想|主题教育)."""
    if term.text.startswith(tuple(TRAILING_WORDS)):
        return False  # 工会意识形态|工作领导权: the generic head is the rest of the name
    rest = text[term.end :]
    if rest and not rest.startswith(tuple(TRAILING_WORDS)):
        return False  # 新业态劳动者|权益保障专项行动，…: it stands in the clause as one name
    names = [n for n in recurring if len(n) <= term.start and text[term.start - len(n) : term.start] == n]
    by_end = {t[2] + len(t[0]): t for t in tokens}
    for name in names:
        before = by_end.get(term.start - len(name))
        if before and before[1].startswith(("n", "b")) and len(before[0]) >= 2 and before[0] not in phrases.CONTEXT:
            return False  # 行业|和谐劳动关系|创建活动试点: the name is a modifier inside one longer name
    return bool(names) and term.category in (PHRASE, WORD)


def _repeated_with_name(term: Term, text: str, recurring: Set[str], scorer: _Scorer) -> bool:
    """The name before the phrase and the phrase stand together in other lines too (劳模和工匠人才|
    创新工作室, twice): the document writes them as one name, the phrase alone is a cut."""
    return any(
        len(name) <= term.start
        and text[term.start - len(name) : term.start] == name
        and scorer.frequency(name + term.text) >= 2
        for name in recurring
    )


def _follows_name(term: Term, text: str, recurring: Set[str]) -> bool:
    """The phrase starts right where a name the document repeats ends (新业态劳动者|权益保障专项行动)."""
    return term.category in (PHRASE, WORD) and any(
        len(name) <= term.start and text[term.start - len(name) : term.start] == name for name in recurring
    )


def _nominal_neighbour(token: tuple[str, str, int]) -> bool:
    """A word that continues a noun phrase."""
    return token[1].startswith(_NOMINAL_NEIGHBOUR)


def _opens_with_verb(term: Term, tokens: Sequence[tuple[str, str, int]]) -> bool:
    first = next((t for t in tokens if t[2] == term.start), None)
    return bool(first and first[1] in ("v", "vd", "vi") and len(first[0]) < len(term.text))


COMPOUND = 4.0  # the penalty of a phrase made of two candidates of its own (see `_split_compounds`)


def _split_compounds(terms: list[Term], text: str = "") -> list[Term]:
    """A phrase made of two strong candidates side by side (劳模工匠|示范引领作用, 关心关爱|劳模工匠) holds
    two ideas: it yields to its parts. Its score drops by COMPOUND when two disjoint candidates of two
    characters or more, each scoring no more than COMPOUND below it, cover 70% of it or more. A part
    the rest of the line (`text`) shows again is no idea of its own, it could never be blanked:
    意识形态|工作责任制 beside 工会意识形态工作领导权 is one name."""
    result = []
    for term in terms:
        rest = text[: term.start] + "\n" + text[term.end :]
        inside = [
            t
            for t in terms
            if t is not term and term.start <= t.start and t.end <= term.end and len(t.text) >= 2
            if t.score >= term.score - COMPOUND
            and not t.fragment  # a fragment is no idea of its own
            and t.text not in rest
        ]
        compound = (
            term.category == PHRASE
            and not phrases.FRAMED.fullmatch(term.text)
            and any(
                right.start >= left.end and len(left.text) + len(right.text) >= 0.7 * len(term.text)
                for left in inside
                for right in inside
            )
        )
        result.append(replace(term, score=term.score - COMPOUND) if compound else term)
    return result


def _suffixed_words(texts: Sequence[str]) -> list[str]:
    """…化 words of the document (常态化, 规范化, 一体化): a dictionary word and 化, kept whole."""
    words = _base().tokenizer.FREQ
    found = set()
    for text in texts:
        for match in re.finditer(r"(?=([\u4e00-\u9fff]{2})化(?!解))", text):
            if words.get(match.group(1)):
                found.add(match.group(1) + "化")
    return sorted(found)


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


# jieba's tags that misread this register: 终身 is an attribute (终身职业技能培训), not an adverb; 立法 a
# noun (产业工人队伍立法); 港澳台 a place, not a numeral; 畅通 and 深化 verbs (畅通|职业发展通道, 深化|…改革,
# not an abbreviation) and 通道 a noun; 建立健全 (a person's name to jieba), 充分发挥 and 全面实施 (nouns to
# it) frame verbs; 全方位 an attribute (全方位管理), not a numeral; 产生 a verb (民主选举|产生).
TAG_FIXES = {
    "终身": "b",
    "立法": "vn",
    "港澳台": "ns",
    "畅通": "v",
    "深化": "v",
    "通道": "n",
    "建立健全": "v",
    "充分发挥": "v",
    "全面实施": "v",
    "全方位": "b",
    "产生": "v",
}


# Words of this register jieba's dictionary lacks: 新时代 dates what follows it (新时代|全面从严治党): a time
# word, no part of the name after it.
WORDS = {"新时代": "t"}


def _tokenizer(words: Iterable[str]) -> _POSTokenizer:
    base = _base()
    tokenizer = jieba.Tokenizer()
    freq, total, tags = base.tokenizer.FREQ, base.tokenizer.total, base.word_tag_tab
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(freq), total, True
    pos = _POSTokenizer(tokenizer, {**tags, **TAG_FIXES})
    for word in sorted(set(words)):
        if len(word) > 1 and not re.search(r"[、+·‘’]", word):
            tokenizer.add_word(word, tag="nz")
    for word, tag in WORDS.items():
        tokenizer.add_word(word, tag=tag)
    return pos


# A verb's result complement (讲好, 用好, 建强用好): jieba tags 好 as an adjective, which would join it
# to the noun after it (好党委协同机制).
COMPLEMENTS = frozenset("好实细")


def _tokens(tokenizer: _POSTokenizer, text: str) -> list[tuple[str, str, int]]:
    """(word, pos, offset) triples, with the two tagging fixes above."""
    result: list[tuple[str, str, int]] = []
    offset = 0
    for pair in tokenizer.cut(text, HMM=False):
        word, pos = pair.word, pair.flag
        if result:
            last, last_pos, last_offset = result[-1]
            if word == "之家" and last_pos.startswith("n"):
                result[-1] = (last + word, "n", last_offset)  # 职工之家 is one name
                offset += len(word)
                continue
            if word == "的" and last == "党":
                result[-1] = ("党的", "n", last_offset)  # 党的|全面领导, 党的|建设: one name, not a modifier
                offset += len(word)
                continue
            if word == "家" and last == "之" and len(result) > 1 and result[-2][1].startswith("n"):
                before, _, before_offset = result[-2]
                result[-2:] = [(before + "之家", "n", before_offset)]  # 职工|之|家 → 职工之家
                offset += len(word)
                continue
            if word == "一" and last == "这":
                result[-1] = ("这一", "r", last_offset)  # 这一|优良传统, never 一优良传统
                offset += len(word)
                continue
            if word in COMPLEMENTS and len(last) == 1 and last_pos.startswith(("v", "p")):
                result[-1] = (last + word, "v", last_offset)  # 讲|好 → 讲好
                offset += len(word)
                continue
            if word in NOUN_HEADS and pos.startswith("v") and last_pos.startswith(("n", "vn", "j", "l", "nz")):
                pos = "n"
        result.append((word, pos, offset))
        offset += len(word)
    # A verbal noun opening a clause (after punctuation or an adverb) before a noun governs it: 努力|建设|
    # 高素质劳动大军, ，优化|资源配置.
    for index, (word, pos, at) in enumerate(result[:-1]):
        previous = result[index - 1] if index else ("，", "x", 0)
        opens = previous[1] == "x" or previous[1] in ("d", "ad")
        if pos == "vn" and opens and len(word) == 2 and result[index + 1][1].startswith(("n", "nr", "nz", "vn")):
            result[index] = (word, "v", at)
    # …and between 和 and a noun (组织|功能 in 政治功能和组织功能).
    for index, (word, pos, at) in enumerate(result[:-1]):
        after_and = index > 0 and result[index - 1][0] in ("和", "及", "与")
        if word in NOUN_HEADS and pos.startswith("v") and after_and and result[index + 1][1].startswith("n"):
            result[index] = (word, "n", at)
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
    places = {t[2] + len(t[0]): t for t in tokens if t[1] == "ns" and len(t[0]) >= 2}
    for pattern in (ARABIC, CHINESE):
        for m in pattern.finditer(text):
            place = places.get(m.start())  # 粤港澳|三地: the places counted are part of the number
            start = place[2] if place and m.group()[-1] in "地方省市" else m.start()
            start = _issuer(text, tokens, start)
            found.append(Term(text[start : m.end()], start, NUMBER, "m"))
    for enum in enums:
        found.extend(m for m in enum.members if len(m.text) <= 10 and m.text not in STOP_WORDS)
    found.extend(_words(tokens, governing))
    found.extend(
        Term(text[start:end], start, PHRASE, "n")
        for start, end in phrases.phrase_spans(text, tokens, STOP_WORDS)
        if not (end - start <= 4 and any(t[2] == start and len(t[0]) == end - start for t in tokens))
    )
    bounds = {t[2] for t in tokens} | {t[2] + len(t[0]) for t in tokens}
    quoted = [(m.start(), m.end()) for m in QUOTED.finditer(text)]
    # A phrase never cuts into a quoted name: the name is the unit (its words are WORD candidates).
    found = [t for t in found if t.category != PHRASE or not any(t.start < e and s < t.end for s, e in quoted)]
    # Nor into a number with its measure word: 中国工会今后|五年 (a phrase may hold one whole).
    numbers = [(t.start, t.end) for t in found if t.category == NUMBER]
    found = [t for t in found if t.category != PHRASE or not any(s < t.start < e or s < t.end < e for s, e in numbers)]
    # Nor into a formula the dictionary cut apart: 牵头抓|总职责 (`phrases.character_formulas`).
    formulas = phrases.character_formulas(tokens) + phrases.manner_pairs(tokens)
    found = [
        t
        for t in found
        if t.category not in (PHRASE, WORD)
        or (t.start, t.end) in formulas
        or not any(s < t.start < e or s < t.end < e for s, e in formulas)
    ]
    # 全面从严治党 is asked whole: 从严治党 alone would leave 全面 before the blank.
    whole = {t.start + 2 for t in found if t.text.startswith("全面") and t.category == PHRASE}
    found = [t for t in found if t.start not in whole or t.category not in (PHRASE, WORD)]
    unique = {(t.start, t.text): t for t in reversed(found)}  # the first kind found for a span wins
    return [
        t
        for t in unique.values()
        if _acceptable(t, text) and (t.category in (QUOTE, ENUM) or (t.start in bounds and t.end in bounds))
    ]


def _with_recurring(
    text: str, tokens: list[tuple[str, str, int]], found: list[Term], recurring: set[str]
) -> list[Term]:
    """The line's candidates with every recurring phrase it holds, as a phrase (runs of its words)."""
    spans = {(t.start, t.text) for t in found}
    result = [Term(t.text, t.start, PHRASE, t.pos) if t.category == WORD and t.text in recurring else t for t in found]
    quoted = [(m.start(), m.end()) for m in QUOTED.finditer(text)]
    for i, (_, _, start) in enumerate(tokens):
        for j in range(i, len(tokens)):
            end = tokens[j][2] + len(tokens[j][0])
            if end - start > MAX_RECURRING:
                break
            phrase = text[start:end]
            if (
                phrase in recurring
                and not any(start < e and s < end for s, e in quoted)
                and _acceptable(Term(phrase, start, PHRASE), text, name=True)
            ):
                if (start, phrase) not in spans:
                    result.append(Term(phrase, start, PHRASE, "n"))
                    spans.add((start, phrase))
                # The name is a unit: the nouns after it name something of their own
                # (习近平新时代中国特色社会主义思想|主题教育成果 → 主题教育).
                after = phrases.trim(_nominal_run(tokens, j + 1, 1))
                if after and not phrases.generic_only([t[0] for t in after], STOP_WORDS):
                    s, e = phrases.span(after)
                    rest = Term(text[s:e], s, PHRASE, "n")
                    if e - s >= 2 and (s, rest.text) not in spans and _acceptable(rest, text):
                        result.append(rest)
                        spans.add((s, rest.text))
    return result


def _fallback(text: str, tokens: list[tuple[str, str, int]], found: list[Term]) -> list[Term]:
    """Candidates for a line that has none: every run of two or three nominal words (主题教育,
    发展态势监测), none of them generic or a frame verb, the line's context words aside."""
    extra = []
    for size in (2, 3):
        for i in range(len(tokens) - size + 1):
            run = tokens[i : i + size]
            if (
                all(
                    p.startswith(phrases.NOMINAL_POS) and w not in GENERIC and w not in phrases.FRAME and len(w) >= 2
                    for w, p, _ in run
                )
                and run[-1][1] != "m"
            ):  # 党的|十八(大): a numeral ends no phrase
                start = run[0][2]
                end = run[-1][2] + len(run[-1][0])
                term = Term(text[start:end], start, PHRASE, "n")
                if len(term.text) <= 0.8 * len(text) and all(t.text != term.text for t in found):
                    extra.append(term)
    return extra


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


# Who and what every line of such a text speaks of: a blank made only of these asks nothing.
COMMON_PARTS = phrases.CONTEXT | {"广大", "群众", "劳动者", "工人", "工作", "队伍", "组织", "内容", "方式"}


def _common(word: str) -> bool:
    return word in STOP_WORDS or word in GENERIC or made_of_common(word)


def made_of_common(word: str) -> bool:
    """The word is only common words one after the other (广大职工, 工作内容, 工会组织): never a key term."""
    return phrases.made_of(word, COMMON_PARTS)


def _acceptable(term: Term, text: str, name: bool = False) -> bool:
    word = term.text
    if (
        word in STOP_WORDS
        or (term.category in (WORD, PHRASE) and made_of_common(word))
        or word in GENERIC
        or (term.category in (WORD, PHRASE) and word[0] in "化性")
        or not re.search(r"[\u4e00-\u9fff0-9]", word)
        or (term.category == PHRASE and re.search(r".这[一个].", word))  # 党的领导|这一|优良传统: two ideas
    ):
        return False
    if len(word) < 2 and not is_number(word):
        return False
    # Never the whole line, nor most of it; but a name the document repeats, after the verb that
    # frames it, is what the line says (深化|产业工人队伍建设改革).
    return len(word) <= 0.8 * len(text) or (
        name and term.end == len(text) and term.start >= 2 and phrases.made_of(text[: term.start], phrases.FRAME)
    )


def _non_overlapping(ranked: list[Term]) -> list[Term]:
    """Best terms first; a term overlapping a better one is dropped."""
    kept: list[Term] = []
    for term in ranked:
        if not any(term.start < other.end and other.start < term.end for other in kept):
            kept.append(term)
    return kept


# --- enumerations -------------------------------------------------------------------------


def _enumerations(
    text: str, tokens: list[tuple[str, str, int]], governing: set[str], recurring: set[str]
) -> tuple[Enumeration, ...]:
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
        for sub, whole in _subruns(_cut_at_etc(pieces)):
            enum = _split_run(sub, tokens, governing) if whole else _mirrored(_two_members(sub, tokens, governing))
            if enum and not _clause_list(enum, tokens, governing):
                result.append(enum)
    taken = [(e.members[0].start, e.members[-1].end) for e in result if e.members]
    result += [
        p
        for p in _pairs(text, tokens, recurring)
        if not any(p.members[0].start < e and s < p.members[-1].end for s, e in taken)
    ]
    return tuple(e for e in result if _valid(e))


def _clause_list(enum: Enumeration, tokens: list[tuple[str, str, int]], governing: set[str]) -> bool:
    """Most members open with a governing verb (推动企业建会强会、维护职工劳动经济权益、推进企业民主
    管理): the list is of clauses, each with a key phrase of its own, not of terms."""
    verbs = sum(
        any(
            at == m.start and pos.startswith("v") and (word in phrases.FRAME or word in governing)
            for word, pos, at in tokens
        )
        for m in enum.members
    )
    return 2 * verbs > len(enum.members)


PAIR_JOINS = ("和", "及", "与")
PAIR_POS = ("n", "vn", "j", "nt", "nz", "l", "b", "an")


def _pairs(text: str, tokens: list[tuple[str, str, int]], recurring: set[str]) -> list[Enumeration]:
    """Two nouns joined by 和/及/与 and of one shape, asked together in any order: 机关干部和直属单位,
    政治功能和组织功能 (党组织 before it is a modifier of both), 工会组织和工会会员 (实名制 after it is the
    head of both), 指导和帮扶. The sides are the nominal runs around the conjunction, cut to the same
    length on a word boundary; a two-character side that needs a cut names the head's kind, not a
    member (劳动和技能|竞赛 is one name), and makes no pair."""
    found = []
    for index, (word, _, offset) in enumerate(tokens):
        if word not in PAIR_JOINS or index == 0 or index + 1 >= len(tokens):
            continue
        left = _nominal_run(tokens, index - 1, -1)
        right = _nominal_run(tokens, index + 1, 1)
        if not left or not right:
            continue
        left_text = text[left[0][2] : offset]
        right_start = tokens[index + 1][2]
        right_text = text[right_start : right[-1][2] + len(right[-1][0])]
        size = min(len(left_text), len(right_text))
        if size < 2:
            continue
        left_cut = _suffix_on_boundary(left, offset, size)
        right_cut = _prefix_on_boundary(right, right_start, size)
        if left_cut is None or right_cut is None:
            continue
        removed = left_text[: len(left_text) - len(left_cut)] + right_text[len(right_cut) :]
        # 工会|资产管理和监督检查, 党员干部|全方位管理和经常性监督: who both are about is no part of either.
        cut = bool(removed) and not phrases.made_of(removed, phrases.CONTEXT) and not phrases.is_people(removed)
        if cut and (size <= 2 or (left_cut[0] != right_cut[0] and left_cut[-1] != right_cut[-1])):
            continue  # a cut side must share its first or last character with the other (政治功能和组织功能)
        if any(phrase in recurring for phrase in _runs_across(text, tokens, index)):
            continue  # 劳动和技能竞赛 is one name the document repeats
        members = (Term(left_cut, offset - len(left_cut), ENUM, "n"), Term(right_cut, right_start, ENUM, "n"))
        if any(_common(m.text) or phrases.made_of(m.text, GENERIC | phrases.CONTEXT) for m in members):
            continue  # 维权服务和|工会领域: a member made of generic words is no term
        found.append(Enumeration(members))
    return found


def _runs_across(text: str, tokens: list[tuple[str, str, int]], index: int) -> list[str]:
    """The stretches of up to three words on either side of word `index`, holding it."""
    return [
        text[tokens[i][2] : tokens[j][2] + len(tokens[j][0])]
        for i in range(max(0, index - 3), index)
        for j in range(index + 1, min(len(tokens), index + 4))
    ]


def _nominal_run(tokens: list[tuple[str, str, int]], start: int, step: int) -> list[tuple[str, str, int]]:
    """The nominal words from `start` going `step` (-1 left, +1 right), in text order."""
    run = []
    index = start
    while 0 <= index < len(tokens):
        word, pos, _ = tokens[index]
        if (
            not pos.startswith(PAIR_POS)
            or (word in phrases.FRAME and pos != "n")
            or not re.fullmatch(r"[\u4e00-\u9fff]+", word)
        ):
            break
        run.append(tokens[index])
        index += step
    return run[::-1] if step < 0 else run


def _suffix_on_boundary(run: list[tuple[str, str, int]], end: int, size: int) -> str | None:
    """The end of the run `size` (or one more) characters long, starting on a word boundary."""
    for _word, _, offset in run:
        if end - offset in (size, size + 1):
            return "".join(w for w, _, o in run if o >= offset)
    return None


def _prefix_on_boundary(run: list[tuple[str, str, int]], start: int, size: int) -> str | None:
    """The start of the run `size` (or one more) characters long, ending on a word boundary."""
    for word, _, offset in run:
        if offset + len(word) - start in (size, size + 1):
            return "".join(w for w, _, o in run if o <= offset)
    return None


def _cut_at_etc(pieces: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """A list ends at 等: 线上工会、云上课堂、线上援助、数字展馆等一系列线上、云上产品 lists four, not six."""
    for index, (text, _start) in enumerate(pieces[:-1]):
        if index and re.search(r"[\u4e00-\u9fff]等", text):
            return pieces[: index + 1]
    return pieces


def _subruns(pieces: list[tuple[str, int]]) -> list[tuple[list[tuple[str, int]], bool]]:
    """The runs to read as lists, each with whether it is the whole run. A long interior piece means a
    list of clauses, not of terms: only two pieces side by side may still list two terms of one shape
    (不同区域、不同行业|工会工作|协调发展、平衡发展; see `_mirrored`)."""
    if any(len(text.strip("“”")) > 10 for text, _ in pieces[1:-1]):
        return [(list(pair), False) for pair in zip(pieces, pieces[1:], strict=False)]
    return [(pieces, True)]


def _mirrored(enum: Enumeration) -> Enumeration:
    """Two members of one length that share a character in place (不同区域、不同行业; 协调发展、平衡发展),
    else none: 党组|统一领导、宣传部门|牵头抓总 are parts of two clauses."""
    texts = [m.text for m in enum.members[:2]]
    if len(texts) == 2 and len(texts[0]) == len(texts[1]) and any(a == b for a, b in zip(*texts, strict=True)):
        return enum
    return Enumeration(())


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
    enum = Enumeration(tuple(m for m in [first, *others] if m is not None))
    return enum if len(pieces) > 2 or _valid(enum) else _two_members(pieces, tokens, governing)


def _two_members(pieces: list[tuple[str, int]], tokens: list[tuple[str, str, int]], governing: set[str]) -> Enumeration:
    """X、Y with no interior member to measure by: the end of the first piece and the start of the
    second that mirror each other (一线职工、技术工人|倾斜, 不同区域、不同行业|工会工作, 工会工作|协调发展、
    平衡发展), cut on token boundaries, of one length or one shape, with no governing word inside."""
    (first, first_at), (last, last_at) = pieces
    if first.endswith("”") or last.startswith("“"):
        return Enumeration(())  # quoted members are handled exactly
    heads = [t for t in tokens if first_at <= t[2] < first_at + len(first)]
    tails = [t for t in tokens if last_at <= t[2] < last_at + len(last)]
    best: tuple[float, int, int] | None = None
    for i, head in enumerate(heads):
        left = first[head[2] - first_at :]
        if not 2 <= len(left) <= MAX_MEMBER or left[0] in NO_MEMBER_START:
            continue
        # No governing word inside; the last word before 、 governs nothing (源头治理、风险预警); a verb
        # opening the member is its own when the other member mirrors it (协调发展、平衡发展).
        if any(_is_governing(w, p, governing) for w, p, _ in heads[i + 1 : -1]) or head[0] in governing | phrases.FRAME:
            continue
        leads = i < len(heads) - 1 and _is_governing(*head[:2], governing)
        for j, tail in enumerate(tails):
            right = last[: tail[2] + len(tail[0]) - last_at]
            if not 2 <= len(right) <= MAX_MEMBER or any(p.startswith("u") for _, p, _ in tails[1 : j + 1]):
                continue
            if any(p == "v" for _, p, _ in tails[1 : j + 1]) and not _formula(tails[: j + 1]):
                continue
            if made_of_common(left) or made_of_common(right):
                continue
            formulas = _formula(heads[i:]) and _formula(tails[: j + 1])  # 建功立业、创新创造
            if not formulas and (tails[0][1] == "v" and head[1] != "v" or not tails[j][1].startswith(NOMINAL_END)):
                continue  # 发表一系列重要讲话、作出…: a list of clauses; 作出一系列重要|指示: cut before the head
            shaped = _shares_shape(left, [Term(right, 0, ENUM)])
            if len(left) != len(right) and not shaped:
                continue
            if leads and not (len(left) == len(right) and left[-2:] == right[-2:]):
                continue
            score = abs(len(left) - len(right)) - 1.5 * shaped - 0.1 * len(left)
            best = min(best, (score, head[2], len(right))) if best else (score, head[2], len(right))
    if best is None:
        return Enumeration(())
    _, start, size = best
    members = [Term(first[start - first_at :], start, ENUM, "n"), Term(last[:size], last_at, ENUM, "n")]
    # …、风险预警和应对处置: a third member of the length after 和 that ends the clause.
    rest = last[size:]
    if rest[:1] in PAIR_JOINS and abs(len(rest) - 1 - size) <= 1 and last_at + size + 1 in {t[2] for t in tails}:
        members.append(Term(rest[1:], last_at + size + 1, ENUM, "n"))
    return Enumeration(tuple(members))


NOMINAL_END = ("n", "vn", "j", "l", "nz", "nt", "b", "an", "i")


def _formula(words: Sequence[tuple[str, str, int]]) -> bool:
    """A four-character formula: one set word (建功立业) or two two-character verbs (创新创造)."""
    if len(words) == 1:
        return len(words[0][0]) == 4 and words[0][1] in ("i", "l", "nz", "n")
    return len(words) == 2 and all(len(w) == 2 and p.startswith("v") and w not in phrases.FRAME for w, p, _ in words)


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
        if not 2 <= len(span) <= MAX_MEMBER or span[0] in NO_MEMBER_START:
            continue
        score = _span_score(span, target, others)
        # 协调发展、平衡发展: a span of a member's length and head mirrors it, a verb at its start aside.
        score -= 2 * any(len(o.text) == len(span) >= 4 and o.text[-2:] == span[-2:] for o in others)
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
    shape = {len(o.text) for o in others}
    if len(shape) == 1 and len({o.text[-1] for o in others}) == 1 and others:
        size = shape.pop()  # 实现好、维护好、发展好|职工群众根本利益: the members share length and end
        bounds = {t[2] + len(t[0]) for t in inside}
        if len(text) > size and text[size - 1] == others[0].text[-1] and start + size in bounds:
            return Term(text[:size], start, ENUM, "n")
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
    """The ranking of the module docstring; document-wide counts come from one index built once."""

    def __init__(
        self, texts: list[str], heading_texts: list[str], found: list[list[Term]], recurring: Set[str] = frozenset()
    ) -> None:
        self.recurring = recurring
        self.count = len(texts)
        self.idf, self.median = _idf_table()
        # Index: candidate text -> number of lines (and of headings) holding it, looked up only in the
        # texts that hold its rarest pair of characters, so a count costs what those few texts cost.
        self.df: dict[str, int] = {}
        self.texts, self.by_piece = texts, _piece_index(texts)
        self.headings, self.heading_pieces = heading_texts, _piece_index(heading_texts)
        self.in_heading: dict[str, bool] = {}
        self.closing: dict[str, set[tuple[int, int]]] = {}  # line → spans of `_closing_predicates`

    def frequency(self, text: str) -> int:
        if text not in self.df:
            self.df[text] = sum(text in self.texts[i] for i in _rarest(text, self.by_piece))
        return self.df[text]

    def in_a_heading(self, text: str) -> bool:
        if text not in self.in_heading:
            self.in_heading[text] = any(text in self.headings[i] for i in _rarest(text, self.heading_pieces))
        return self.in_heading[text]

    def score(self, term: Term, line: str = "") -> float:
        return round(sum(WEIGHTS[name] * value for name, value in self.features(term, line).items()), 4)

    def features(self, term: Term, line: str = "") -> dict[str, float]:
        """The features of the module docstring, each a number that `WEIGHTS` multiplies."""
        text = term.text
        df = self.frequency(text)
        # A name the document repeats is asked whole however long (习近平新时代中国特色社会主义思想).
        # So is a framed principle (为实现中华民族伟大复兴而奋斗, 关于工人阶级和工会工作的重要论述).
        # So is a frame verb's whole object holding such a name (探索|行业和谐劳动关系创建活动试点).
        whole = (
            term.category == PHRASE
            and bool(line)
            and _frame_before(line, term.start)
            and line[term.end : term.end + 1] in ("", *CLAUSE_BREAK)
            and any(
                text.find(name) > 0 and text.find(name) + len(name) < len(text)
                for name in self.recurring
                if name in text
            )
        )
        long = 0.0 if text in self.recurring or phrases.FRAMED.fullmatch(text) or whole else max(0, len(text) - 10)
        return {
            "general": _general_rarity(text),
            "local": math.log((self.count + 1) / (df + 0.5)),
            "recurs": min(2.0, df - 1.0) if term.category == PHRASE and df > 1 and len(text) >= 4 else 0.0,
            "heading": float(self.in_a_heading(text)),
            **{f"kind_{kind}": float(term.category == kind) for kind in (QUOTE, NUMBER, ENUM, PHRASE)},
            "length": min(len(text), 6),
            "long": long,
            "short": float(term.category == WORD and len(text) == 2),  # 2-character words are mostly generic
            "position": term.start / len(line) if line else 0.0,
            "generic": float(
                term.category in (PHRASE, WORD)
                and any(text.endswith(g) and len(text) - len(g) >= 2 for g in ("工作", "建设", "力度", "工作体系"))
                and "和" not in text[-5:]  # 工运事业和工会工作, 工会改革和建设: the head of a member
            ),
            # A phrase holding a number or a quoted name leaves that to be asked alone.
            "nested": float(
                term.category == PHRASE and bool(ARABIC.search(text) or CHINESE.search(text) or "“" in text)
            ),
            "inner": float(term.category == QUOTE and line[term.start - 1 : term.start] == "‘"),  # ‘十四五’ in a name
            # 领导班子的监督, 服务工作的研究分析: a phrase across 的 holds a modifier and its head, mostly two
            # ideas (关于…的重要论述 and 以…为… aside; 严的基调 is one phrase).
            "of": float(
                term.category == PHRASE
                and "的" in text
                and not text.startswith(("关于", "以", "为"))
                and text.index("的") > 1
            ),
            # 国有企业工会|规范化, 工会系统|数字化: a …化 word says how; with a name before it, two ideas.
            "manner": float(term.category == PHRASE and _manner_after_name(text)),
            # 常态化|开展…: a …化 word opening a line says how the whole line is done, its point (a
            # manner after a name is two ideas: `manner` below).
            "opening": float(
                term.category in (WORD, PHRASE)
                and term.start == 0
                and bool(re.fullmatch(r"[\u4e00-\u9fff]{2}化", text))
                and line[term.end : term.end + 1] not in CLAUSE_BREAK
            ),
            # The filler of a set phrase (摆在更加|突出位置, 建设成为|名副其实|的职工之家, 及其|实施细则精神):
            # where a thing is put, an idiom qualifying the key, the companion of the name before it.
            "frame": float(term.category in (PHRASE, WORD) and _set_filler(term, line)),
            # …和广大|劳动群众合法权益: the head is shared by the people before 和; who and what, two ideas.
            "shared": float(term.category == PHRASE and _shared_head(term, line)),
            # 与提高职工生活品质|有效衔接: the predicate closing a 与 frame says how the two relate.
            "closing": float(term.category == PHRASE and (term.start, term.end) in self.closing.get(line, ())),
            # One starting with a context word (工会, 职工 …) yields to the same phrase without it.
            # …unless the context word is part of the name: the phrase is the head of a list (…等|工会法律
            # 人才队伍) or of a modifier (…的|工会宣传工作格局), or a frame verb's whole object up to the
            # clause's end (深化|工会就业创业服务，).
            "lead": float(
                term.category == PHRASE
                and any(text.startswith(c) and len(text) - len(c) >= 3 for c in phrases.CONTEXT)
                and not _named_with_context(term, line)
            ),
        }


# The weight of each feature of `_Scorer.features`.
WEIGHTS: dict[str, float] = {
    "general": 1.0,
    "local": 2.0,
    "recurs": 1.5,
    "heading": 1.0,
    "kind_quote": 6.0,
    "kind_number": 5.0,
    "kind_enum": 3.0,
    "kind_phrase": 1.5,
    "length": 0.25,
    "long": -0.5,
    "short": -1.5,
    "position": -0.5,
    "generic": -4.0,
    "nested": -3.0,
    "inner": -4.0,
    "of": -1.5,
    "lead": -2.0,
    "manner": -3.0,
    "opening": 2.0,
    "frame": -5.0,
    "shared": -3.0,
    "closing": 3.0,
}

# Where a set phrase puts a thing (摆在更加突出位置, 放在重要位置): the filler, never the point.
PLACE_HEADS = ("位置", "地位上")
# Words that qualify what a phrase is about before it (广大劳动群众): skipped looking for a joiner.
_QUALIFIERS = ("广大", "各级", "全体", "亿万")


def _set_filler(term: Term, line: str) -> bool:
    """The filler of a set phrase, whose key stays beside it: a place a thing is put (摆在更加|突出位置),
    an idiom qualifying the noun after 的 (名副其实|的职工之家), and what follows 及其 (中央八项规定及其|
    实施细则精神: the companion of the name before, readable from it)."""
    text = term.text
    if text.endswith(PLACE_HEADS):
        return True
    idiom = text.partition("的")[0] if "的" in text else ""
    if (term.pos in ("i", "l") and len(text) == 4 and line[term.end : term.end + 1] == "的") or _is_idiom(idiom):
        return True
    return line[max(0, term.start - 2) : term.start] == "及其"


def _is_idiom(word: str) -> bool:
    """A four-character idiom of jieba's dictionary (名副其实, 各展所长)."""
    return len(word) == 4 and jieba.posseg.dt.word_tag_tab.get(word) in ("i", "l")


def _shared_head(term: Term, line: str) -> bool:
    """A phrase of people and what is theirs (劳动群众合法权益) after 和, 与, 及 or 、 that joins other
    people to them (工人阶级和广大|劳动群众合法权益): the head belongs to both, the blank cuts the pair."""
    before = line[: term.start]
    for qualifier in _QUALIFIERS:
        before = before.removesuffix(qualifier)
    if not before.endswith(("和", "与", "及", "、")) or not any(_names_people(before[-n - 1 : -1]) for n in (2, 3, 4)):
        return False
    people = next((i for i in range(2, len(term.text) - 1) if _names_people(term.text[:i])), 0)
    return bool(people) and not _names_people(term.text)


def _names_people(text: str) -> bool:
    return head_kind(text) == "people" or text.endswith(("群众", "阶级"))


def _piece_index(texts: Sequence[str]) -> dict[str, set[int]]:
    """Each character and each pair of characters → the indexes of the texts that hold it."""
    index: dict[str, set[int]] = {}
    for i, text in enumerate(texts):
        for piece in {*text, *(text[j : j + 2] for j in range(len(text) - 1))}:
            index.setdefault(piece, set()).add(i)
    return index


def _rarest(text: str, index: dict[str, set[int]]) -> set[int]:
    """The texts that hold the rarest pair of characters of `text` (its rarest character when it is one):
    the only ones that can hold `text`."""
    pieces = {text[j : j + 2] for j in range(len(text) - 1)} or set(text)
    return min((index.get(p, set()) for p in pieces), key=len, default=set())


MANNER_OF = ("union body", "enterprise", "state body", "people")  # who can be run in a manner


def _manner_after_name(text: str) -> bool:
    """A …化 word after the name of a body or of people (国有企业工会|规范化, 技能人才|常态化机制,
    工会系统|数字化) says how that body or those people are run: two ideas, asked apart. After a thing
    (财务信息|一体化) it says what is made of the thing: one name."""
    match = re.search(r"(?<=..)[\u4e00-\u9fff]{2}化", text)
    if not match or re.fullmatch(r"(?:[\u4e00-\u9fff]{2}化)+", text):  # 制度化常态化 is one manner
        return False
    name = text[: match.start()]
    if name.endswith("化"):
        return True  # 制度化常态化|发展: a manner pair before a head, still two ideas
    return name in phrases.CONTEXT or name.endswith(tuple(phrases.CONTEXT)) or head_kind(name) in MANNER_OF


@lru_cache(maxsize=65536)
def _general_rarity(text: str) -> float:
    """jieba's IDF of the text, else the mean of its words' + 1 (a phrase is rarer than its words)."""
    idf, median = _idf_table()
    general = idf.get(text)
    if general is None:
        parts = [w for w in _base().tokenizer.lcut(text, HMM=False) if len(w) > 1] if len(text) > 1 else []
        general = statistics.mean(idf.get(p, median) for p in parts) + 1 if parts else median + 1
    return general


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
