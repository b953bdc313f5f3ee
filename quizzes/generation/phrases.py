"""Phrase-level blank candidates: what a trainer would blank, not what jieba cuts.

A line is cut into clauses at punctuation. In each clause:

- the **core**: the clause without its leading frame (推动, 加强, 深入推进 … and any adverb, preposition
  or conjunction) and without a trailing generic head (工作, 建设, 力度 …): 推动完善社会保险法规政策体系
  → 社会保险法规政策体系; 加强职工文化阵地建设 → 职工文化阵地;
- **noun runs**: maximal runs of nominal tokens (verb–object chunks are split at the verb), with the
  same trimming: 加强工会信访问题源头治理 → 信访问题; a run that starts with a context word the whole
  document uses (工会, 职工 …) also gives the run without it (工会社会组织 → 社会组织);
- a phrase never opens with the verb that governs it (维护|女职工合法权益, 点燃|创新创造激情);
- **framed principles**: 以…为中心/统领/指导 … and 为…而奋斗, asked whole (以职工为中心);
- **formulas**: repeated-lead or repeated-tail patterns a trainer asks as one unit (用心用情,
  建会强会, 所思所想所盼, 做深做实做细) and four-character idioms jieba knows (名副其实).

Every candidate starts and ends on a token boundary of the document's own segmentation, so a blank
never cuts a word. A candidate made only of generic words (GENERIC, STOP words) is never returned:
a generic head is blanked only as part of a longer phrase.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from .heads import head_kind


def _words(text: str) -> frozenset[str]:
    return frozenset(re.split(r"\s+", text.strip()))


# Generic heads: never a blank on their own, and stripped from the end of a phrase. One list, here.
GENERIC = _words(
    """工作 力度 导向 体系 机制 组织 建设 工作力度 工作导向 工作体系 工作机制 建设体系
    试点工作 工会组织 用人单位 活动 成果 品牌 项目 作用 能力 水平 内容 方式 形式 问题
    领域 队伍 单位 制度 服务 发展 管理"""
)
# Stripped from the end of a phrase (the filler a trainer leaves in the stem).
TRAILING = _words(
    """工作 建设 创建 作用 力度 工作力度 建设体系 等 的 之间 成果 工作品牌 品牌 项目 活动 要求 试点工作"""
)
# Words that say what kind of thing a phrase is, not which: an answer made only of them (专项行动,
# 教育和活动, 交流活动) asks nothing a trainer would ask (`made_of_kind_words`).
KIND_WORDS = GENERIC | {"行动", "活动", "教育", "交流", "合作", "专项", "系列", "有关", "部门", "和", "及"}
# Context words the whole document uses: a phrase starting with one also gives the phrase without it.
CONTEXT = frozenset(["工会", "职工", "职工群众", "各级", "全国", "工会系统", "全国工会", "广大", "系统"])
# Frame verbs and adverbs that open a clause: they say what to do with the phrase, not what it is.
FRAME = _words(
    """加强 推动 推进 深化 完善 健全 强化 坚持 开展 落实 实施 持续 全面 积极 努力 大力
    深入 切实 进一步 充分发挥 发挥 构建 建立 建立健全 促进 提高 提升 加快 巩固 拓展
    学习 贯彻 深入学习 深入开展 广泛开展 积极开展 大力开展 全面实施 切实加强 有效 着力
    注重 突出 聚焦 履行 探索 打造 组织 参加 建好 办好 创建 引导 形成 保持 增强 围绕
    培养 造就 推出 运用 提高 参与 联合 培育 选树 抓好 争取 经过 督促 做好 壮大 掌握
    牢牢 严格 扎实 贯彻执行 要 永远 紧紧围绕 坚定不移 健全完善 建立完善 叫响 做实 加大
    优化 倍增 直达 集成 享受 让 以及 通过 依靠 弘扬 巩固深化 全面加强 完善创新 规范
    密切联系 摆在 开展好 持续办好 做深 坚持不懈 进行 给予 加以 用 以 为 对 把 与 从 就 在 向 将"""
)
# Generic heads jieba tags as verbs: after a noun (社会组织, 主力军作用) they are its head, a noun too.
NOUN_HEADS = frozenset(["组织", "作用", "工作", "服务", "管理", "发展", "建设", "保障", "监督", "教育", "改革", "执行"])
FUNCTION_POS = ("p", "c", "u", "d", "ad", "vd", "r", "f", "x", "y", "e", "o")
NOMINAL_POS = ("n", "vn", "an", "b", "j", "l", "i", "nz", "nt", "ns", "m", "q", "a", "s", "t")
# A verb opening a phrase governs it (维护, 保障, 畅通, 点燃): the phrase is what follows.
LEADING_VERB_POS = ("v", "vi", "vd")
MAX_PHRASE = 14
# Quantity words that open no phrase: 一系列|线上产品.
QUANTIFIERS = frozenset(["一系列", "一批", "一些", "若干", "各种", "各类", "多种"])
# 以…为… and 为…而奋斗: a principle stated with its frame, asked whole.
FRAMED = re.compile(
    r"以[^，。；、“”以为]{1,10}为(?:中心|统领|指导|牵引|主体|重点|核心|主线|根本|基础|依托|抓手)|为[^，。；、]{2,14}而奋斗"
    r"|关于[^，。；、关于的]{2,12}的(?:重要)?(?:论述|思想|讲话|指示|批示)"
    r"|党对[^，。；、对的]{2,12}的(?:全面)?领导"
)
# Verbs that open a line without making a formula with the next one (推动落实, 深入学习).
_PLAIN_LEADS = frozenset(
    [
        "推动",
        "推进",
        "深入",
        "加强",
        "学习",
        "贯彻",
        "组织",
        "引导",
        "持续",
        "坚持",
        "开展",
        "突出",
        "发挥",
        "建立",
        "完善",
        "抓好",
        "联合",
        "强化",
        "维护",
        "创新",
        "创建",
        "直达",
        "加快",
        "培养",
        "造就",
        "落实",
        "实施",
        "健全",
    ]
)
REPEATED_LEAD = re.compile(r"(?:([\u4e00-\u9fff])[\u4e00-\u9fff]{1,2}){2,}")

Token = tuple[str, str, int]  # word, part of speech, offset
NUMERAL_LEAD = r"[0-9一二三四五六七八九十百千万两双]"


def made_of(text: str, words: Collection[str]) -> bool:
    """`text` is `words` written one after the other, none or more of them ("" is)."""
    longest = max(map(len, words), default=0)
    ends = [True] + [False] * len(text)
    for end in range(1, len(text) + 1):
        ends[end] = any(ends[start] and text[start:end] in words for start in range(max(0, end - longest), end))
    return ends[-1]


def made_of_kind_words(text: str) -> bool:
    """Only kind words, after a context word the whole document uses (职工|专项行动, 有关部门)."""
    text = next((text[len(c) :] for c in sorted(CONTEXT, key=len, reverse=True) if text.startswith(c)), text)
    return made_of(text, KIND_WORDS)


def clauses(tokens: Sequence[Token]) -> list[list[Token]]:
    """Runs of tokens between punctuation (、 included: list members are handled apart)."""
    result: list[list[Token]] = [[]]
    for token in tokens:
        if token[1] == "x" or not re.search(r"[\u4e00-\u9fff0-9A-Za-z]", token[0]):
            result.append([])
        else:
            result[-1].append(token)
    return [c for c in result if c]


def _bound_preposition(run: Sequence[Token]) -> bool:
    """对|党|忠诚: a preposition before a one-character noun is part of a set phrase (对党忠诚教育), not a
    frame to strip (对|党员干部)."""
    return len(run) > 2 and run[0][0] == "对" and len(run[1][0]) == 1 and run[1][1].startswith("n")


def trim(run: Sequence[Token]) -> list[Token]:
    """Without a leading frame and a trailing generic head or function word."""
    run = list(run)
    verbs = 0  # one governing verb is stripped; the verbs after it qualify the object (点燃|创新创造激情)
    while (
        run
        and not _bound_preposition(run)
        and (
            run[0][0] in FRAME
            or run[0][1].startswith(FUNCTION_POS)
            or run[0][0] in ("的", "和", "等")
            or (run[0][1] in LEADING_VERB_POS and len(run) > 1 and not verbs)  # 维护|女职工合法权益
            or (len(run[0][0]) == 1 and run[0][1] in ("m", "d") and len(run) > 1)  # 更多|大国工匠
            or (run[0][1] == "m" and not re.search(r"\d", run[0][0]) and len(run) > 1 and run[0][0] in QUANTIFIERS)
            or (run[0][1] == "q" and len(run) > 1)  # 1000|个|基层…: a measure word belongs to its number
        )
    ):
        verbs += run[0][1] in LEADING_VERB_POS and run[0][0] not in FRAME
        run.pop(0)
    while run and (
        (run[-1][0] in TRAILING and not (len(run) > 2 and run[-2][0] == "和"))  # 工会改革和建设: a member
        or run[-1][1].startswith(("u", "c", "p", "f", "d", "r"))
        or (run[-1][1] in ("a", "ad") and len(run) > 1)  # 农民工|平等享受: the adjective says how
        or (run[-1][1] == "m" and len(run) > 1)  # 党的|十八(大): a numeral ends no phrase
        or (run[-1][1] == "v" and len(run) > 2 and run[-2][1] in ("d", "ad"))  # 能力|大幅提升: a predicate
    ):
        run.pop()
    return run


def takes_object(after: Token | None) -> bool:
    """A verb before this word governs it (发表|一系列重要讲话), unless it is a generic head that makes the
    verb its modifier (巡视|工作, 蹲点|工作)."""
    if after is None or after[0] in TRAILING or after[0] in GENERIC or after[0] in NOUN_HEADS:
        return False
    return after[1][0] in "vnmlaj"


def is_people(word: str) -> bool:
    """A word naming people (技术工人, 群体, 女职工): who a phrase after it is about."""
    return len(word) >= 2 and head_kind(word) == "people"


def span(run: Sequence[Token]) -> tuple[int, int]:
    return run[0][2], run[-1][2] + len(run[-1][0])


def generic_only(words: Sequence[str], stop: frozenset[str]) -> bool:
    """Made of generic words only. A stop word alone is generic; with a generic head after it, it can
    name a thing of its own (社会|组织), so a run of several words is generic only when its words are
    generic heads, context words or single characters."""
    if len(words) == 1:
        return words[0] in GENERIC or words[0] in stop or words[0] in CONTEXT or len(words[0]) == 1
    return all(w in GENERIC or w in CONTEXT or len(w) == 1 for w in words)


def phrase_spans(text: str, tokens: Sequence[Token], stop: frozenset[str]) -> list[tuple[int, int]]:
    """(start, end) of every phrase candidate of a line, token-aligned, in text order."""
    found: set[tuple[int, int]] = set()

    following = {t[2]: tokens[i + 1] for i, t in enumerate(tokens[:-1])}

    preceding = {t[2]: tokens[i - 1] for i, t in enumerate(tokens) if i}

    def add(run: Sequence[Token]) -> None:
        before = preceding.get(run[0][2]) if run else None
        if before and before[0] == "对" and len(run) > 1 and len(run[0][0]) == 1 and run[0][1].startswith("n"):
            run = [before, *run]  # 对党忠诚教育: never 对|党忠诚教育
        if len(run) > 2 and run[0][1].startswith("p") and run[-1][1] == "v":
            run = run[:-1]  # 从|党和国家事业发展全局|出发: the verb closes the preposition's frame
        run = trim(run)
        # 宣传部门牵头|抓总: a verb followed by another verb opens a verb phrase, it ends no noun phrase.
        # 工会工作|发表一系列重要讲话: nor does a verb with its object after it.
        while len(run) > 1 and run[-1][1] == "v" and takes_object(following.get(run[-1][2])):
            run = trim(run[:-1])
        inner = [
            i
            for i, t in enumerate(run)
            if i
            and ((t[1] == "v" and (t[0] in FRAME or len(t[0]) == 1 or t[0][-1] == "好")) or t[1] == "p" or t[0] == "而")
        ]
        # 严的基调|强化|正风肃纪反腐, 机关干部|赴|基层, 习近平总书记|关于|…: a frame or one-character verb, a
        # preposition or 而 inside splits the run.
        if inner:
            add(run[: inner[0]])
            add(run[inner[0] :])
            return
        # 法治宣传教育|五年规划, 国有企业工会|规范化建设: a number or a …化 manner word inside a run
        # starts a phrase of its own; the run is also kept whole.
        for i, (word, pos, _) in enumerate(run):
            number = pos in ("m", "t") and re.match(NUMERAL_LEAD, word) and word not in QUANTIFIERS
            if i and (number or (len(word) >= 3 and word.endswith("化"))):
                add(run[:i])
                add(run[i:])
                break
        if not run or generic_only([t[0] for t in run], stop) or any(t[0] == "等" for t in run):
            return  # 竞赛等群众性安全生产: 等 closes a list, it is inside no phrase
        singles = [t for t in (run[1:] if _bound_preposition(run) else run) if t[0] != "的"]  # 严的基调
        if any(len(a[0]) == len(b[0]) == 1 for a, b in zip(singles, singles[1:], strict=False)):
            return  # 风|肃|纪: characters the dictionary does not know as a word make no phrase
        if len(run) > 1 and any(p in ("i", "l") and len(w) == 4 and "的" not in w for w, p, _ in run[1:]):
            return  # 发展目标|建功立业: a four-character idiom stands alone (a formula of its own); one
            # that opens the run names what the rest is of (意识形态|工作责任制)
        start, end = span(run)
        if 2 <= end - start <= MAX_PHRASE and end - start < len(text):
            found.add((start, end))
        if len(run) > 1 and run[0][0] in CONTEXT:
            add(run[1:])
        # 技术工人|薪酬激励机制, 失业困难群体|就业兜底帮扶: the people before a phrase say whose it is.
        whose = next((k for k in range(len(run) - 1, 0, -1) if is_people(run[k - 1][0])), 0)
        rest = run[whose:]
        if (
            whose
            and sum(len(t[0]) for t in run[:whose]) >= 3  # 会员|代表大会: a short word may begin a name
            and sum(len(t[0]) for t in rest) >= 4
            and rest[0][0] not in GENERIC  # 产业工人队伍: the workforce is the people
            and not any(t[0] == "的" or t[1].startswith(("p", "c", "u", "r")) for t in rest)
            and not generic_only([t[0] for t in rest], stop)
        ):
            found.add(span(rest))

    for clause in clauses(tokens):
        add(clause)
        # Noun runs: split where a verb or function word stands between nominal tokens.
        current: list[Token] = []
        for token in clause:
            word, pos, _ = token
            nominal = pos.startswith(NOMINAL_POS) and (word not in FRAME or pos == "n")  # 社会|组织: a noun here
            after_word = following.get(token[2], ("", "x", 0))[0]
            nominal = nominal or (pos in ("d", "ad") and len(word) == 2 and after_word == "和")  # 日常|和|定期…
            if nominal or (current and word in ("和", "的") and len(clause) > 2):
                current.append(token)
            else:
                if current:
                    add(current)
                current = []
        if current:
            add(current)
        # X的Y: the head after the last 的 is a phrase of its own, 和 inside it (对基层的|指导和帮扶).
        of = [i for i, t in enumerate(clause) if t[0] == "的"]
        if of and of[-1] + 1 < len(clause):
            head = trim(clause[of[-1] + 1 :])
            if len(head) == 1 and len(clause) - of[-1] - 1 == 2 and clause[-1][0] in TRAILING:
                head = list(clause[of[-1] + 1 :])  # 引领力强的|竞赛品牌: the head's own noun is no filler
            if head and head[0][1] != "v" and not generic_only([t[0] for t in head], stop):
                start, end = span(head)
                if 2 <= end - start <= MAX_PHRASE and end - start < len(text):
                    found.add((start, end))
        # 坚持|全心全意依靠工人阶级|的根本方针, 保持|自觉接受党的领导|这一优良传统: before a short head
        # that names its kind (方针, 传统, 任务), a verb phrase is the content, asked whole.
        content = _content_before_kind(clause)
        if content:
            start, end = span(content)
            if 4 <= end - start <= MAX_PHRASE and end - start < len(text):
                found.add((start, end))
        # Where 和 / 的 join two runs, each side is a candidate too.
        pieces: list[list[Token]] = [[]]
        for token in clause:
            if token[0] in ("和", "的", "及其", "与", "及"):
                pieces.append([])
            else:
                pieces[-1].append(token)
        if len(pieces) > 1:
            for piece in pieces:
                if piece:
                    add(piece)
    found.update(formula_spans(text, tokens))
    return sorted(found)


# Joiners between a content and the head that names its kind: 这一, 这个 (X这一优良传统), and 的 before a
# head that names a principle (X的根本方针); 会员缴纳|的会费 is a plain modifier.
KIND_JOINERS = frozenset(["的", "这一", "这个"])
PRINCIPLES = ("方针", "原则", "传统", "任务", "主题", "道路", "理念", "宗旨", "使命", "方向", "路线", "导向")


def _content_before_kind(clause: Sequence[Token]) -> list[Token]:
    """The verb phrase before 的 / 这一 / 这个 and a head of one or two nouns (four characters at most)
    that ends the clause: the frame verbs before it stripped, an adverb kept (自觉接受党的领导)."""
    joins = [i for i, t in enumerate(clause) if t[0] in KIND_JOINERS]
    if not joins:
        return []
    k = joins[-1]
    head = clause[k + 1 :]
    if not 1 <= len(head) <= 2 or sum(len(t[0]) for t in head) > 4 or not head[-1][1].startswith(("n", "l", "vn")):
        return []
    if clause[k][0] == "的" and not head[-1][0].endswith(PRINCIPLES):
        return []
    run = list(clause[:k])
    while run and (run[0][0] in FRAME or run[0][1].startswith(("p", "c", "u", "r", "x"))):
        run.pop(0)
    if len(run) < 2 or not any(p.startswith("v") and w not in NOUN_HEADS for w, p, _ in run):
        return []  # a noun phrase before 的 is a noun run's business
    return run


def principle_spans(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """The verb phrases before a head naming their kind (自觉接受党的领导|这一优良传统), one a clause."""
    return [span(content) for clause in clauses(tokens) if (content := _content_before_kind(clause))]


def formula_spans(text: str, tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Short formulas: 用心用情, 所思所想所盼 (a repeated lead), 建会强会, 解困脱困 (2+2 characters with a
    shared character or two verbs), and four-character idioms (名副其实)."""
    bounds = {t[2] for t in tokens} | {t[2] + len(t[0]) for t in tokens}
    found = []
    leads: list[tuple[int, int]] = []
    for match in REPEATED_LEAD.finditer(text):
        for start in range(match.start(), match.end()):
            for end in range(match.end(), start + 3, -1):
                piece = text[start:end]
                heads = re.findall(r"[\u4e00-\u9fff]", piece)
                if start in bounds and end in bounds and _repeated_lead(piece) and heads:
                    leads.append((start, end))
                    break
    # Only the longest: 所思所想所盼, not 所想所盼 inside it.
    found += [(s, e) for s, e in leads if not any(o != (s, e) and o[0] <= s and e <= o[1] for o in leads)]
    for i, (a, b) in enumerate(zip(tokens, tokens[1:], strict=False)):
        after = tokens[i + 2][1] if i + 2 < len(tokens) and tokens[i + 2][0] not in NOUN_HEADS else "x"
        if len(a[0]) == 2 and len(b[0]) == 2 and a[0] not in FRAME and b[0] not in FRAME:
            shared = a[0][1] == b[0][1] or a[0][0] == b[0][0]
            # Two verbs make a formula only when no third follows: 点燃创新|创造激情 is no unit.
            verbs = (
                a[1].startswith("v") and b[1].startswith("v") and "vn" not in (a[1], b[1]) and not after.startswith("v")
            )
            # 工会|社会(组织): a context word shares a character by chance, it makes no formula.
            if (shared or verbs) and not ({a[0], b[0]} & (GENERIC | CONTEXT)):
                found.append((a[2], b[2] + 2))
    # A line's opening verb formula: two two-character verbs (叫响做实, 建好用好, 巩固拓展, 防范化解), after
    # an adverb or not, that a trainer asks as one unit; and 全面 + a four-character set phrase
    # (全面从严治党, 全面依法治国).
    lead = 1 if tokens and tokens[0][1] in ("a", "ad", "d") and len(tokens) > 2 else 0
    if len(tokens) > lead + 2:
        a, b, c = tokens[lead], tokens[lead + 1], tokens[lead + 2]
        if (
            len(a[0]) == 2
            and len(b[0]) == 2
            and a[1].startswith("v")
            and b[1].startswith("v")
            and b[1] != "vn"
            and b[0] not in NOUN_HEADS
            and not (c[1].startswith("v") and c[1] != "vn" and c[0] not in _PLAIN_LEADS)  # 巩固拓展|学习贯彻
            and a[0] not in _PLAIN_LEADS
            and b[0] not in _PLAIN_LEADS
        ):
            found.append((a[2], b[2] + 2))
    # A line's opening manner of three or more two-character words before its verb: 广泛深入持久|开展.
    manner = 0
    while manner < len(tokens) and len(tokens[manner][0]) == 2 and tokens[manner][1] in ("a", "ad", "d", "v"):
        if tokens[manner][0] in FRAME and manner >= 3:
            break
        manner += 1
    if manner >= 4 and tokens[manner - 1][0] in FRAME:
        manner -= 1
    adverbs = sum(t[1] in ("a", "ad", "d") for t in tokens[:manner])  # 广泛|持久, not 巩固拓展学习
    if manner >= 3 and adverbs >= 2 and manner < len(tokens) and tokens[manner][0] in FRAME | _PLAIN_LEADS:
        found.append((tokens[0][2], tokens[manner - 1][2] + 2))
    for x, y in zip(tokens, tokens[1:], strict=False):
        if x[0] == "全面" and len(y[0]) == 4 and y[1] in ("l", "i", "nr", "ns", "nz"):
            found.append((x[2], y[2] + 4))
    for match in FRAMED.finditer(text):  # 以职工为中心, 以党的政治建设为统领, 为实现…而奋斗
        if match.start() in bounds and match.end() in bounds and match.end() - match.start() <= MAX_PHRASE + 2:
            found.append((match.start(), match.end()))
    for word, pos, offset in tokens:
        if len(word) == 4 and pos in ("i", "l") and word not in FRAME:
            found.append((offset, offset + 4))
    found += character_formulas(tokens) + manner_pairs(tokens)
    return found


def manner_pairs(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Two …化 words side by side say one manner (制度化常态化, 规范化法治化): a formula, asked whole."""
    return [
        (a[2], b[2] + len(b[0]))
        for a, b in zip(tokens, tokens[1:], strict=False)
        if len(a[0]) >= 3 and len(b[0]) >= 3 and a[0].endswith("化") and b[0].endswith("化")
    ]


# Single characters the dictionary leaves apart inside a formula it does not know (凝|心|铸|魂,
# 建|会|强|会, 牵头|抓|总, 大|抓|基层); function words never belong to one.
_LONE_POS = ("v", "a", "n", "b", "d", "nr", "vn", "ad", "ng", "vg", "ag")


def character_formulas(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Four-character formulas the dictionary cut into single characters: a run of two or more lone
    characters, with one two-character word before it (a verb, not a frame: 牵头|抓总) or after it
    (大抓|基层) when the run alone is two or three characters."""
    found = []
    i = 0
    while i < len(tokens):
        j = i
        while (
            j < len(tokens)
            and len(tokens[j][0]) == 1
            and tokens[j][1] in _LONE_POS
            and tokens[j][0] not in "的和与及对以在为把将等"
        ):
            j += 1
        size = j - i
        if size >= 2:
            start, end = tokens[i][2], tokens[j - 1][2] + 1
            if size in (4, 6):  # 凝心铸魂, 建会扩面提质
                found.append((start, end))
                after = tokens[j] if j < len(tokens) else None
                if size == 4 and after and len(after[0]) == 2 and after[1] == "v":
                    found.append((start, end + 2))  # 正风肃纪|反腐
            elif size in (2, 3):
                before = tokens[i - 1] if i else None
                after = tokens[j] if j < len(tokens) else None
                if before and len(before[0]) == 4 - size and before[1].startswith("v") and before[0] not in FRAME:
                    found.append((before[2], end))
                elif after and len(after[0]) == 4 - size and after[1].startswith(("n", "v")) and after[0] not in FRAME:
                    found.append((start, after[2] + len(after[0])))
        i = max(j, i + 1)
    return found


def _repeated_lead(piece: str) -> bool:
    """所思所想所盼, 做深做实做细, 更多更好更及时: three or more parts with the same first character,
    or two parts of one or two characters after it (用心用情, 新产业新业态)."""
    lead = piece[0]
    parts = [p for p in piece.split(lead) if p]
    if piece.count(lead) < 2 or not all(1 <= len(p) <= 2 for p in parts):
        return False
    if piece[-1] in "的地得之和与及":
        return False  # 高质量高效|的: a function word ends no formula
    return len(parts) >= 3 or (len(parts) == 2 and len(piece) in (4, 6))  # 用心用情, 新产业新业态
