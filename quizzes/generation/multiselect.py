"""多选: which options belong to a list of the document, several right and at least one wrong.

Two forms:

- "member": the members of an enumeration in one line (弘扬劳模精神、劳动精神、工匠精神), the list
  cut out of the stem; wrong options are members of other lists whose heads are of the members'
  kind (`heads`) when there are two or more, else the likeliest members of other lists.
- "topic": the short points listed under one topic (工作要点); wrong options are short points of
  other topics, of the same task first, looked up by length in an index (`_PointIndex`).

What is asked (the right options) depends only on the document, so it makes the key; the seed
decides the wrong options and the order of all options.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Sequence, Set

import jieba.posseg

from studyapp.documents.parsing import TOPIC

from .heads import FAMILIES, head_kind, same_head_kind
from .questions import MULTISELECT, GeneratedQuestion, clamp, line_context, question_key
from .source import Heading, SourceLine
from .terms import STOP_WORDS, Enumeration, LineTerms, Term
from .truefalse import likeness, stable_hash

MAX_RIGHT = 4  # options are 4 or 5 and at least one is wrong
SHORTLIST = 8  # wrong options are drawn from the closest few, so they look like the right ones
MAX_POINT = 20  # a point longer than this, or with a comma, is too long to be an option
CLAUSE_END = "，。；：！？,;:!?"
ELLIPSIS = "……"
MIN_CONTEXT = 4  # characters of the clause besides the list: 完善…… alone says too little
PEOPLE_HEADS = sorted((h for h in FAMILIES["people"] if len(h) >= 2), key=lambda h: (-len(h), h))
MEMBER_PROMPT = "“{stem}”中并列提出的有（ ）。"
THIN_PROMPT = "“{topic}”要求“{stem}”，其中并列提出的有（ ）。"  # when the clause alone says too little
TOPIC_PROMPT = "下列属于“{topic}”工作要点的有（ ）。"


def multiselect_questions(
    analysed: Sequence[LineTerms], lines: Sequence[SourceLine], headings: Sequence[Heading], rng: random.Random
) -> list[GeneratedQuestion]:
    """List-member questions in line order, then topic questions in heading order."""
    salt = rng.getrandbits(64)  # one draw; each question's own Random comes from it and the question's key
    return member_questions(analysed, salt) + topic_questions(lines, headings, salt)


# --- The members of an enumeration ---------------------------------------------------------------


def member_questions(analysed: Sequence[LineTerms], salt: int) -> list[GeneratedQuestion]:
    """One question per distinct enumeration (a list repeated in another line is asked once)."""
    body = [lt for lt in analysed if lt.line.kind != TOPIC]
    lists = [(lt, _members(enum)) for lt in body for enum in lt.enumerations]
    lists = [(lt, members) for lt, members in lists if len(members) >= 2 and not _nested(members)]
    # A list that shares a member with ours is a sibling: its members may be right too.
    siblings: dict[str, set[str]] = defaultdict(set)
    for _, members in lists:
        for member in members:
            siblings[member.text].update(m.text for m in members)
    odd = _odd_members(lists)
    quoted = sorted({m.text for lt, members in lists for m in members if _quoted(lt.line.text, m)})
    plain = sorted({m.text for lt, members in lists for m in members if not _quoted(lt.line.text, m)})
    questions = []
    seen: set[frozenset[str]] = set()
    for lt, members in lists:
        texts = frozenset(m.text for m in members)
        if texts in seen:
            continue
        pool = quoted if _quoted(lt.line.text, members[0]) else plain
        question = _member_question(lt, members, pool, siblings, salt, odd)
        if question:
            seen.add(texts)
            questions.append(question)
    return questions


def _odd_members(lists: Sequence[tuple[LineTerms, tuple[Term, ...]]]) -> set[str]:
    """Members whose head names people that no other member of their own list names: 竭诚服务职工
    beside 忠诚党的事业, 服务职工 beside 联系广泛 say what to do for the people, they name none; such a
    member is no wrong option for a list of people, nor a list of people one for it."""
    odd = set()
    for _, members in lists:
        for member in members:
            others = [m for m in members if m is not member]
            if _serves_people(member.text) and not any(head_kind(m.text) == "people" for m in others):
                odd.add(member.text)
    return odd


def _serves_people(text: str) -> bool:
    """A verb and the people it acts on (竭诚服务|职工, 服务|职工): the head names people, the phrase none."""
    head = next((h for h in PEOPLE_HEADS if text.endswith(h)), "")
    word = text[: -len(head)][-2:] if head else ""
    return len(word) == 2 and jieba.posseg.dt.word_tag_tab.get(word, "") in ("v", "vn", "vd", "d", "ad")


def _members(enum: Enumeration) -> tuple[Term, ...]:
    """The members worth an option: a generic one (工会 in 工会+法院+…) stays in the stem."""
    return tuple(sorted((m for m in enum.members if m.text not in STOP_WORDS), key=lambda m: m.start))


def _formulas(members: Sequence[Term]) -> bool:
    """Members of one shape (实现好、维护好; 不敢腐、不能腐): wrong options of that shape are drawn by
    likeness, whatever their head."""
    return len({len(m.text) for m in members}) == 1 and len({m.text[-1] for m in members}) == 1


def _same_shape(member: str, other: str) -> bool:
    """Of one length, sharing the first or the last character (不敢腐 — 不同腐 shape: 不…)."""
    return len(member) == len(other) and (member[0] == other[0] or member[-1] == other[-1])


def _nested(members: tuple[Term, ...]) -> bool:
    """工会组织 within 区域和国际工会组织: the list was cut wrongly."""
    return any(a.text in b.text for a in members for b in members if a is not b)


def _quoted(text: str, member: Term) -> bool:
    """A name in quotes of its own (“劳模工匠进校园”), not the first word of a quoted list."""
    return text[member.start - 1 : member.start] == "“" and text[member.end : member.end + 1] == "”"


def _member_question(
    lt: LineTerms,
    members: tuple[Term, ...],
    pool: Sequence[str],
    siblings: dict[str, set[str]],
    salt: int,
    odd: Set[str] = frozenset(),
) -> GeneratedQuestion | None:
    line = lt.line
    headings = f"{line.part}\n{line.task}\n{line.topic}"
    if any(m.text in headings for m in members):
        return None  # the heading shown above the question would give the answer away
    shown = _shown(members, line.text_key)
    excluded = set().union(*(siblings[m.text] for m in members))
    candidates = [
        c
        for c in pool
        if c not in excluded
        and c not in line.text
        and c not in headings
        and not any(c in m.text or m.text in c for m in members)
    ]
    start, end = members[0].start, members[-1].end
    stem, affix, thin = _stem(line.text, start, end, [m.text for m in members], candidates)
    if affix:
        candidates = [c for c in candidates if c.startswith(affix[0]) and c.endswith(affix[1])]
    # Wrong options of the members' kind (`heads`): 产业工人 with 技术工人, never with 专题研讨.
    alike = [c for c in candidates if any(same_head_kind(m.text, c) and (m.text in odd) == (c in odd) for m in shown)]
    if len(alike) >= max(1, 4 - len(shown)):
        candidates = alike
    elif not _formulas(shown):
        return None  # no wrong option of the members' kind: a reader would pick out the odd ones
    elif not affix:  # members of one shape: wrong options of that shape, else none (劳模精神 — 一线职工)
        candidates = [c for c in candidates if _same_shape(shown[0].text, c)]
    candidates.sort(key=lambda c: (-max(likeness(m.text, c) for m in shown), stable_hash(line.text_key, c), c))
    key = question_key(MULTISELECT, "member", [line.text_key], [f"{m.start}:{m.text}" for m in shown])
    question = _assemble(key, [m.text for m in shown], candidates, salt)
    if not question:
        return None
    choices, correct, wrong = question
    rarity = sum(min(1.0, max(0.0, (m.score - 14) / 16)) for m in shown) / len(shown)
    return GeneratedQuestion(
        key=key,
        type=MULTISELECT,
        form="member",
        prompt=(THIN_PROMPT if thin and line.topic else MEMBER_PROMPT).format(stem=stem, topic=line.topic),
        choices=choices,
        correct_choices=correct,
        **line_context(line),
        difficulty=clamp(0.3 + 0.25 * rarity + 0.05 * len(shown) + 0.05 * wrong),
    )


def _shown(members: tuple[Term, ...], text_key: str) -> list[Term]:
    """All the members, or four of them chosen by the line (not the seed), in document order."""
    if len(members) <= MAX_RIGHT:
        return list(members)
    chosen = sorted(members, key=lambda m: stable_hash(text_key, m.text))[:MAX_RIGHT]
    return sorted(chosen, key=lambda m: m.start)


def _stem(
    text: str, start: int, end: int, members: list[str], candidates: list[str]
) -> tuple[str, tuple[str, str] | None, bool]:
    """The clause holding the list, the list cut out. A list with little around it gets the clause
    before it, or after it; a lead or head all members share (不…腐, …精神) stays in the stem when
    enough wrong options share it too. Returns the stem, the (lead, head) kept or None, and whether
    the stem is still too thin to say what the list is about (突出……)."""
    cut = text[start:end]
    if cut.count("“") > cut.count("”") and text[end : end + 1] == "”":
        end += 1  # a quote opened inside the list (…网上练兵和“五小”) is cut with it
    if cut.count("”") > cut.count("“") and text[start - 1 : start] == "“":
        start -= 1
    first = _clause_start(text, start)
    last = _clause_end(text, end)
    if _context(text, first, start, end, last) < MIN_CONTEXT:
        if first > 0:
            first = _clause_start(text, first - 1)
        elif last < len(text):
            last = _clause_end(text, last + 1)
    thin = _context(text, first, start, end, last) < MIN_CONTEXT
    lead, head = _common_affixes(members)
    affix: tuple[str, str] | None = (lead, head) if (lead or head) else None
    if affix and sum(c.startswith(lead) and c.endswith(head) for c in candidates) < 2:
        affix, lead, head = None, "", ""
    stem = text[first:start] + lead + ELLIPSIS + head + text[end:last]
    return stem.replace("“", "‘").replace("”", "’").strip(CLAUSE_END), affix, thin


def _context(text: str, first: int, start: int, end: int, last: int) -> int:
    """Chinese characters of the stem around the list."""
    return len(re.sub(r"[^\u4e00-\u9fff]", "", text[first:start] + text[end:last]))


def _clause_start(text: str, index: int) -> int:
    return max(text.rfind(p, 0, index) for p in CLAUSE_END) + 1


def _clause_end(text: str, index: int) -> int:
    ends = [i for i in (text.find(p, index) for p in CLAUSE_END) if i >= 0]
    return min(ends) if ends else len(text)


def _common_affixes(members: list[str]) -> tuple[str, str]:
    """The longest start and end all members share, leaving each member at least two characters."""
    shortest = min(len(m) for m in members)
    lead = 0
    while lead < shortest - 2 and len({m[lead] for m in members}) == 1:
        lead += 1
    head = 0
    while lead + head < shortest - 2 and len({m[-1 - head] for m in members}) == 1:
        head += 1
    return members[0][:lead], members[0][len(members[0]) - head :] if head else ""


# --- The points of a topic -----------------------------------------------------------------------


def topic_questions(lines: Sequence[SourceLine], headings: Sequence[Heading], salt: int) -> list[GeneratedQuestion]:
    """For each topic with two short points or more: which of these points are listed under it."""
    by_topic: dict[str, list[SourceLine]] = defaultdict(list)
    for line in lines:
        if line.topic:
            by_topic[line.topic].append(line)
    index = _PointIndex([line for line in lines if line.topic and _short(line)])
    questions = []
    for heading in headings:
        if heading.kind != TOPIC or heading.text not in by_topic:
            continue
        question = _topic_question(heading, by_topic[heading.text], index, salt)
        if question:
            questions.append(question)
    return questions


def _short(line: SourceLine) -> bool:
    """Short enough to read as one option: no longer than MAX_POINT and one clause."""
    return len(line.text) <= MAX_POINT and not any(p in line.text for p in CLAUSE_END)


def _is_point(line: SourceLine, title: str) -> bool:
    """A short point that reads as one option and repeats no word of the title (a give-away)."""
    return _short(line) and not _shares_words(line.text, title)


def _shares_words(text: str, title: str, size: int = 3) -> bool:
    return any(title[i : i + size] in text for i in range(len(title) - size + 1))


class _PointIndex:
    """The short points of the document by part, task and length, each list in a stable order of its
    own: a topic's wrong options are looked up, never searched for, so that the topic questions of a
    document take time in proportion to its size."""

    def __init__(self, points: Sequence[SourceLine]) -> None:
        self.by_task: dict[tuple[str, str], dict[int, list[SourceLine]]] = defaultdict(lambda: defaultdict(list))
        self.by_part: dict[str, dict[int, list[SourceLine]]] = defaultdict(lambda: defaultdict(list))
        for line in sorted(points, key=lambda line: (stable_hash(line.text_key), line.position)):
            self.by_task[line.part, line.task][len(line.text)].append(line)
            self.by_part[line.part][len(line.text)].append(line)
        self.parts = sorted(self.by_part)

    def wrong_options(self, heading: Heading, own_texts: set[str], mean: float, wanted: int) -> list[str]:
        """Up to `wanted` points of other topics, the likeliest first: of the same task, then of the same
        part, then of other parts; within each, the closest in length to `mean`; lines of one length
        taken from a place that depends on the topic (so topics do not all get the same ones)."""
        found: dict[str, None] = {}
        tiers = [
            (self.by_task.get((heading.part, heading.task), {}), lambda line: True),
            (self.by_part.get(heading.part, {}), lambda line: line.task != heading.task),
            *((self.by_part[part], lambda line: True) for part in self.parts if part != heading.part),
        ]
        start = stable_hash(heading.text_key)
        for buckets, admitted in tiers:
            for length in sorted(buckets, key=lambda size: (abs(size - mean), size)):
                bucket = buckets[length]
                for step in range(len(bucket)):
                    line = bucket[(start + step) % len(bucket)]
                    if (
                        admitted(line)
                        and line.topic != heading.text
                        and line.text not in own_texts
                        and not _shares_words(line.text, heading.text)
                    ):
                        found.setdefault(line.text)
                        if len(found) >= wanted:
                            return list(found)
        return list(found)


def _topic_question(heading: Heading, own: list[SourceLine], index: _PointIndex, salt: int) -> GeneratedQuestion | None:
    own_texts = {line.text for line in own}
    points = [line for line in own if _is_point(line, heading.text)]
    if len(points) < 2:
        return None
    if len(points) > MAX_RIGHT:  # four of them, chosen by the lines (not the seed), in document order
        points = sorted(
            sorted(points, key=lambda line: stable_hash(line.text_key))[:MAX_RIGHT], key=lambda line: line.position
        )
    right = [line.text for line in points]
    mean = sum(len(t) for t in right) / len(right)
    candidates = index.wrong_options(heading, own_texts, mean, SHORTLIST)
    text_keys = [heading.text_key, *(line.text_key for line in points)]
    key = question_key(MULTISELECT, "topic", text_keys, right)
    question = _assemble(key, right, candidates, salt)
    if not question:
        return None
    choices, correct, wrong = question
    return GeneratedQuestion(
        key=key,
        type=MULTISELECT,
        form="topic",
        prompt=TOPIC_PROMPT.format(topic=heading.text),
        choices=choices,
        correct_choices=correct,
        source_keys=(heading.key, *(line.key for line in points)),
        source_text_keys=tuple(text_keys),
        part=heading.part,
        task=heading.task,
        task_number=heading.number,
        topic=heading.text,
        difficulty=clamp(0.45 + 0.05 * len(right) + 0.05 * wrong),
    )


# --- Shared ----------------------------------------------------------------------------------------


def _assemble(
    key: str, right: list[str], candidates: list[str], salt: int
) -> tuple[tuple[str, ...], tuple[int, ...], int] | None:
    """Options (4 or 5: the right ones and 1–3 wrong ones from the shortlist) in an order drawn
    from the seed; None when there are too few wrong options."""
    local = random.Random(f"{salt}|{key}")
    fewest = max(1, 4 - len(right))
    most = 5 - len(right)
    if len(candidates) < fewest:
        return None
    wrong_count = local.randint(fewest, min(most, len(candidates)))
    wrong = local.sample(candidates[:SHORTLIST], min(wrong_count, len(candidates[:SHORTLIST])))
    options = [*right, *wrong]
    local.shuffle(options)
    correct = tuple(sorted(options.index(text) for text in right))
    return tuple(options), correct, len(wrong)
