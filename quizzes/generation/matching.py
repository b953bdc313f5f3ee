"""连线: sets of 4–6 pairs from the document's structure and wording, on a document of any shape.

The forms, each a column of one kind against a column of one kind (ITEM-WRITING rule 12):

- ``topic_task``: a topic heading → the numbered task it belongs to (documents with numbered tasks).
- ``heading_gist``: a section heading → a key phrase of its own lines (``gist()``).
- ``article_gist``: an article number (第十一条) → the same, for law-shaped documents.
- ``number``: a number with its measure word (二十五人, 百分之六十, 1000个) → the clause it stands in,
  the number blanked (what it counts).
- ``name``: a quoted name (“安康杯”) or a named number (双15工程, 12351) → what it is for: the words it
  names, or the clause it serves.
- ``name_topic``: a quoted name → the one topic it appears under.
- ``halves``: the first clause of a sentence → the rest of it.

Matching tests content, not ordinals: 第N个“要” ↔ its statement and （N） ↔ a task title are not asked.

Guarantees, for every set:
- 4–6 pairs, one-to-one: items whose partners could coincide never share a set (two topics of one
  task; two numbers of the same value, 百分之二 and 2%; the same name twice), and no text repeats on
  either side;
- not solvable by surface (rule 13): a pair whose left and right share a two-character run is left
  out (a superset of "share a 2+ character word", so no segmentation is needed); a gist is also
  left out when most of it is found in another section of its kind, where it would fit too;
- deterministic and pure: the same lines give the same sets, and a set's key depends only on its
  form, its lines' text keys and its pairs (question_key).
"""

from __future__ import annotations

import math
import random
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

from quizzes.core.numerals import chinese_to_int
from studyapp.documents.parsing import TASK, TOPIC

from .questions import MATCHING, GeneratedQuestion, clamp, question_key
from .source import Heading, SourceLine

MIN_PAIRS, MAX_PAIRS = 4, 6
INSTRUCTIONS = {
    "topic_task": "将下列工作要点与它所属的重点任务连线。",
    "heading_gist": "将下列标题与它所含的内容连线。",
    "article_gist": "将下列条文与该条规定的内容连线。",
    "number": "将下列数字与它在原文中所在的语句连线。",
    "name": "将下列名称与它所指的工作或事项连线。",
    "name_topic": "将下列品牌、活动或提法与它所在的工作要点连线。",
    "halves": "将下列语句的前半句与后半句连线。",
}
DIFFICULTY = {
    "topic_task": 0.6,
    "heading_gist": 0.55,
    "article_gist": 0.6,
    "number": 0.6,
    "name": 0.5,
    "name_topic": 0.55,
    "halves": 0.35,
}
FORMS = tuple(INSTRUCTIONS)

# Clauses end at Chinese punctuation and before an enumeration mark （一）.
_CLAUSE_END = "，。；：！？"
_SENTENCE_END = "。；：！？"
_ENUMERATOR = re.compile(r"^（[一二三四五六七八九十]+）")
_CONNECTIVE = re.compile(r"^(?:并且|而且|或者|同时|其中|以及|但是|并|但|且)")
# A clause that points elsewhere says nothing of its own section: 违反本法第三条, 有下列情形之一的.
_REFERENCE = re.compile(r"本法|本条|前款|下列|如下|以下统称|第[零〇一二两三四五六七八九十百千\d]+[条款项章节]")
_ARTICLE = re.compile(r"^第[零〇一二两三四五六七八九十百千\d]+条$")
_WORDISH = re.compile(r"[\u3400-\u9fff\uf900-\ufaffA-Za-z0-9]+")
GIST_MIN, GIST_MAX = 6, 20
RIGHT_MAX = 32
NAME_MIN, NAME_MAX = 2, 16
PURPOSE_MIN, PURPOSE_MAX = 4, 20
SIMILAR = 0.5  # a gist whose bigrams are this much in another section would fit there too

# Numbers: a numeral with its measure word, a percentage, or a range of them (三人至七人, 三年或者五年).
_NUMERAL = "零〇一二两三四五六七八九十百千万"
_MEASURE = "个工作日|个月|小时|万元|个|人|名|位|项|条|次|年|月|日|天|周|岁|倍|家|所|座|批|届|期|方|元|件|种|户"
# A count is never 1 (一体, 一线, 一次 are words, not numbers a trainer asks) nor an ordinal (第三条).
_COUNT = rf"(?<![第{_NUMERAL}\d.])(?:[二两三四五六七八九十][{_NUMERAL}]*|一[{_NUMERAL}]+|[1-9]\d+|[2-9])"
_ONE_NUMBER = rf"(?:百分之[{_NUMERAL}]+|\d+(?:\.\d+)?%|{_COUNT}(?:{_MEASURE}))"
NUMBER = re.compile(
    rf"{_COUNT}(?:至|到){_ONE_NUMBER}"  # 三至七人
    rf"|{_ONE_NUMBER}(?:(?:至|到|或者|或){_ONE_NUMBER})?"  # 三人至七人, 三年或者五年
)
_NUMBER_PART = re.compile(rf"百分之([{_NUMERAL}]+)|(\d+(?:\.\d+)?)%|([{_NUMERAL}]+|\d+)({_MEASURE})?")
_DATE = re.compile(r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?|\d{1,2}月\d{1,2}日")
# Names: quoted, or numbers that name something (双15工程, the 12351 hotline).
_QUOTED = re.compile(r"“([^“”]+)”")
_NAMED_NUMBER = re.compile(r"双\d+工程|(?<![\d.])\d{3,}(?![\d.%年月日号个人名项条次倍家])")
_LIST_NEIGHBOUR = "、和及与"


@dataclass(frozen=True)
class Item:
    """One candidate pair, with the nodes it comes from and what may not share its set."""

    left: str
    right: str
    conflict: str  # items with equal conflict classes never share a set
    keys: tuple[str, ...]
    text_keys: tuple[str, ...]
    order: int  # document position, for a stable grouping
    place: tuple[str, str, str, str] = ("", "", "", "")  # part, task, task_number, topic
    # Further classes, any one of which in common keeps two items apart (the values of a number).
    classes: frozenset[str] = field(default_factory=frozenset)


def matching_questions(
    lines: Sequence[SourceLine], headings: Sequence[Heading], rng: random.Random
) -> list[GeneratedQuestion]:
    """All matching sets, form by form in FORMS order (see the module docstring)."""
    salt = rng.getrandbits(64)  # one draw, so each set's shuffle depends on the seed and its own key only
    names = name_items(lines, headings)
    named = {(item.text_keys, item.right) for item in names}
    groups: list[tuple[str, list[Item], bool]] = [
        ("topic_task", topic_task_items(headings), True),
        *(("heading_gist", items, True) for items in heading_gist_items(lines, headings, articles=False)),
        *(("article_gist", items, True) for items in heading_gist_items(lines, headings, articles=True)),
        ("number", number_items(lines, headings), False),
        ("name", names, True),
        ("name_topic", name_topic_items(lines, headings), True),
        # A sentence whose second half is what a name is for would ask the same thing twice.
        ("halves", [i for i in halves_items(lines) if (i.text_keys, i.right) not in named], True),
    ]
    questions = []
    for form, items, unique_lefts in groups:
        for group in partition(items, unique_lefts=unique_lefts):
            questions.append(_question(form, group, salt))
    return questions


# --- Text helpers ----------------------------------------------------------------------------------


def bigrams(text: str) -> set[str]:
    """Every run of two characters of Chinese, Latin letters or digits in `text`."""
    return {run[i : i + 2] for run in _WORDISH.findall(text) for i in range(len(run) - 1)}


def shares_word(left: str, right: str) -> bool:
    """Whether the two sides could be matched by a repeated word alone (rule 13)."""
    return bool(bigrams(left) & bigrams(right))


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    text: str
    sentence: int  # clauses of one sentence share this number


def clauses(text: str) -> list[Clause]:
    """`text` cut at Chinese clause punctuation and before enumeration marks (（一）…), with offsets."""
    result: list[Clause] = []
    start = sentence = 0
    for index, char in enumerate([*text, "。"]):
        at_enumerator = char == "（" and _ENUMERATOR.match(text, index) is not None and index > start
        if char in _CLAUSE_END or at_enumerator:
            if index > start:
                result.append(Clause(start, index, text[start:index], sentence))
            if char in _SENTENCE_END or at_enumerator:
                sentence += 1
            start = index if at_enumerator else index + 1
    return result


def phrase(text: str) -> str:
    """A clause as a phrase of its own: no enumeration mark, no leading 并/或者/其中…"""
    text = _ENUMERATOR.sub("", text.strip())
    return _CONNECTIVE.sub("", text).strip()


def _balanced(text: str) -> bool:
    return text.count("“") == text.count("”") and text.count("‘") == text.count("’")


# --- Headings and their content --------------------------------------------------------------------


def topic_task_items(headings: Sequence[Heading]) -> list[Item]:
    """Topic → its numbered task; topics of one task are in one conflict class.

    The task is shown by its number and the first clause of its title that shares no word with the
    topic: （一）坚持党的全面领导 for most of its topics, （一）引导职工群众更加紧密团结在党的周围 for
    坚持不懈用…凝心铸魂, which the first clause would give away by 坚持."""
    items = []
    for h in headings:
        if h.kind != TOPIC or not h.number:
            continue
        clause = next((c for c in re.split(r"[，,。]", h.task) if c and not shares_word(h.text, c)), None)
        if clause is not None:
            right = f"（{h.number}）{clause}"
            items.append(Item(h.text, right, h.number, (h.key,), (h.text_key,), h.position, _place(h)))
    return items


def own_lines(lines: Sequence[SourceLine], headings: Sequence[Heading]) -> dict[Heading, list[SourceLine]]:
    """The lines directly under each task or topic heading (a task's own lines precede its topics)."""
    by_path: dict[tuple[str, str, str, str], list[SourceLine]] = defaultdict(list)
    for line in lines:
        if line.task:
            by_path[
                (TOPIC, line.part, line.task, line.topic) if line.topic else (TASK, line.part, line.task, "")
            ].append(line)
    return {
        h: by_path.get((TOPIC, h.part, h.task, h.text) if h.kind == TOPIC else (TASK, h.part, h.text, ""), [])
        for h in headings
    }


def heading_gist_items(lines: Sequence[SourceLine], headings: Sequence[Heading], *, articles: bool) -> list[list[Item]]:
    """Heading → the gist of its own lines, one list per heading kind (a column holds one kind).

    `articles` selects the headings that are bare article numbers (第十一条), or all the others.
    """
    sections = [
        (h, section)
        for h, section in own_lines(lines, headings).items()
        if section and bool(_ARTICLE.match(h.text)) == articles
    ]
    result = []
    for kind in (TASK, TOPIC):
        of_kind = [(h, section) for h, section in sections if h.kind == kind]
        index = _BigramIndex([" ".join(line.text for line in section) for _h, section in of_kind])
        items = []
        for number, (h, section) in enumerate(of_kind):
            found = gist(h.text, section, partial(index.fits_elsewhere, own=number))
            if found is not None:
                line, text = found
                keys, text_keys = (h.key, line.key), (h.text_key, line.text_key)
                items.append(Item(h.text, text, "", keys, text_keys, h.position, _place(h)))
        result.append(items)
    return result


def gist(
    title: str, section: Sequence[SourceLine], fits_elsewhere: Callable[[str], bool]
) -> tuple[SourceLine, str] | None:
    """The key phrase of a section: its first clause, in line order, that reads as a phrase of its
    own (GIST_MIN–GIST_MAX characters, balanced quotes, no reference to another article or to a
    list that follows), shares no word with the title and would not fit another section."""
    for line in section:
        for clause in clauses(line.text):
            text = phrase(clause.text)
            if not GIST_MIN <= len(text) <= GIST_MAX or not _balanced(text) or _REFERENCE.search(text):
                continue
            if text.endswith("的同时"):  # half of a contrast, not a statement
                continue
            if shares_word(title, text) or fits_elsewhere(text):
                continue
            return line, text
    return None


class _BigramIndex:
    """Which sections hold which bigrams, so that "would it fit elsewhere" stays near-linear."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.grams = [bigrams(text) for text in texts]
        self.holders: dict[str, set[int]] = defaultdict(set)
        for number, grams in enumerate(self.grams):
            for gram in grams:
                self.holders[gram].add(number)

    def fits_elsewhere(self, text: str, own: int) -> bool:
        """Whether a section other than `own` holds SIMILAR or more of the bigrams of `text`.

        Such a section misses at most len(grams) - needed of them, so it holds one of any
        len(grams) - needed + 1: only the holders of that many of the rarest are candidates, and
        the first candidate that holds enough answers. A common bigram (工会, 职工), held by most
        sections, is then never walked through section by section (prefix filtering)."""
        grams = bigrams(text)
        if not grams:
            return False
        needed = _at_least(SIMILAR * len(grams))
        rarest = sorted(grams, key=lambda gram: len(self.holders.get(gram, ())))[: len(grams) - needed + 1]
        seen = {own}
        for gram in rarest:
            for holder in self.holders.get(gram, ()):
                if holder not in seen:
                    seen.add(holder)
                    if len(grams & self.grams[holder]) >= needed:
                        return True
        return False


def _at_least(share: float) -> int:
    """The smallest count, at least 1, that is >= `share` (as `count >= share` compares it)."""
    count = max(1, math.ceil(share))
    while count > 1 and count - 1 >= share:
        count -= 1
    return count


class _SubstringIndex:
    """The texts that contain a string of two or more characters, found through the rarest of its
    two-character runs instead of by trying every text."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = texts
        self.holders: dict[str, list[int]] = defaultdict(list)
        for number, text in enumerate(texts):
            for pair in {text[i : i + 2] for i in range(len(text) - 1)}:
                self.holders[pair].append(number)

    def containing(self, needle: str) -> list[str]:
        if len(needle) < 2:
            return [text for text in self.texts if needle in text]
        pairs = {needle[i : i + 2] for i in range(len(needle) - 1)}
        rarest = min(pairs, key=lambda pair: len(self.holders.get(pair, ())))
        return [self.texts[number] for number in self.holders.get(rarest, ()) if needle in self.texts[number]]


# --- Numbers ---------------------------------------------------------------------------------------


def number_values(text: str) -> frozenset[str]:
    """The values a number expression names, unit included: 三年或者五年 → {3年, 5年}; 2% → {2%}."""
    values = set()
    unit = ""
    for match in reversed(list(_NUMBER_PART.finditer(text))):  # 三人至七人 and 三至七人 share the unit
        percent, digits_percent, counted, measure = match.groups()
        if percent or digits_percent:
            value, unit = (chinese_to_int(percent) if percent else digits_percent), "%"
        else:
            value = int(counted) if counted.isdigit() else (chinese_to_int(counted) or counted)
            unit = measure or unit
        values.add(f"{value}{unit}")
    return frozenset(values)


def number_items(lines: Sequence[SourceLine], headings: Sequence[Heading]) -> list[Item]:
    """A number with its measure word → its clause with the number blanked.

    Numbers of one value never share a set (二十五人 twice; 百分之二 and 2%). Ordinals (第三条), dates,
    numbers inside quoted names and 一 (一体, 一线, 一次) are not asked. A clause too short to say
    what the number counts is joined with its neighbour in the same sentence, if that holds no
    other number."""
    items = []
    for text, keys, order, place in _texts(lines, headings):
        spans = clauses(text)
        for match in numbers(text):
            start, end = match.span()
            right = _number_context(text, spans, start, end)
            if right is None or shares_word(match.group(), right):
                continue
            values = number_values(match.group())
            items.append(Item(match.group(), right, "", keys[0], keys[1], order, place, values))
    return items


def numbers(text: str) -> list[re.Match[str]]:
    """The counted numbers of `text`: not in a date (1992年4月3日) nor inside a quoted name."""
    outside = [m.span() for m in _QUOTED.finditer(text)] + [m.span() for m in _DATE.finditer(text)]
    return [m for m in NUMBER.finditer(text) if not any(a <= m.start() < b for a, b in outside)]


def _number_context(text: str, spans: Sequence[Clause], start: int, end: int) -> str | None:
    """The clause of the number at start:end with the number blanked, joined with a neighbour in
    its sentence when it says too little alone; None when that is too long or holds another number."""
    own = next((i for i, c in enumerate(spans) if c.start <= start < c.end), None)
    if own is None:
        return None
    chosen = [spans[own]]
    if _cjk(spans[own].text) - _cjk(text[start:end]) < 8:
        neighbour = next(
            (
                spans[other]
                for other in (own + 1, own - 1)
                if 0 <= other < len(spans)
                and spans[other].sentence == spans[own].sentence
                and not NUMBER.search(spans[other].text)
            ),
            None,
        )
        if neighbour is None:
            return None
        chosen = sorted([spans[own], neighbour], key=lambda c: c.start)
    right = phrase(text[chosen[0].start : start] + "＿＿" + text[end : chosen[-1].end])
    # Another number in the clause could be another left of the set: 会员二十五人…委员一般为三人至七人.
    return right if len(right) <= RIGHT_MAX and not NUMBER.search(right) else None


def _cjk(text: str) -> int:
    return len(re.findall(r"[\u3400-\u9fff]", text))


# --- Names -----------------------------------------------------------------------------------------


def name_items(lines: Sequence[SourceLine], headings: Sequence[Heading]) -> list[Item]:
    """A name → what it is for, from the first place the name appears with a purpose.

    The purpose is the words right after the name in its clause (“暖边绿境”关爱职工专项行动); when
    those are a mere particle or too short, the next clause of the sentence (以实施双15工程为牵引，
    加强和规范…); when the name ends its clause, the words before it (打通服务职工群众“最后一公里”).
    Members of a list of names (“四史”、“大国工匠”) share one purpose and are left out."""
    items: dict[str, Item] = {}
    for text, keys, order, place in _texts(lines, headings):
        for left, start, end in _names(text):
            if left in items:
                continue
            purpose = _purpose(text, start, end)
            if purpose is not None and not shares_word(left, purpose):
                items[left] = Item(left, purpose, "", keys[0], keys[1], order, place)
    return list(items.values())


def _names(text: str) -> list[tuple[str, int, int]]:
    """(name as shown, start, end) of the names in `text` that are not members of a list."""
    found = []
    for match in _QUOTED.finditer(text):
        inner = match.group(1)
        if not NAME_MIN <= len(inner) <= NAME_MAX or ("、" in inner and "‘" not in inner):
            continue
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if before in _LIST_NEIGHBOUR or after in _LIST_NEIGHBOUR:
            continue
        found.append((match.group(), match.start(), match.end()))
    for match in _NAMED_NUMBER.finditer(text):
        if not any(a <= match.start() < b for _n, a, b in found):
            found.append((match.group(), match.start(), match.end()))
    return sorted(found, key=lambda name: name[1])


def _purpose(text: str, start: int, end: int) -> str | None:
    spans = clauses(text)
    own = next((i for i, c in enumerate(spans) if c.start <= start < c.end), None)
    if own is None:
        return None
    clause = spans[own]
    after = re.split(r"[、（]", text[end : clause.end], maxsplit=1)[0].removeprefix("等")
    if not after:
        before = re.split(r"[、]", text[clause.start : start])[-1]
        purpose = phrase(before) if not before.endswith(("的", "对", "和", "与")) else ""
    elif len(after) >= PURPOSE_MIN and after[0] not in "为和及与的":
        purpose = after
    elif own + 1 < len(spans) and spans[own + 1].sentence == clause.sentence:
        purpose = phrase(spans[own + 1].text)
    else:
        purpose = ""
    if not PURPOSE_MIN <= len(purpose) <= PURPOSE_MAX or not _balanced(purpose):
        return None
    return purpose


def name_topic_items(lines: Sequence[SourceLine], headings: Sequence[Heading]) -> list[Item]:
    """Quoted names found under exactly one topic (and in no other topic's title)."""
    topics_of: dict[str, set[str]] = defaultdict(set)
    first_line: dict[str, SourceLine] = {}
    for line in lines:
        if not line.topic:
            continue
        for match in _QUOTED.finditer(line.text):
            name = match.group(1)
            if 2 <= len(name) <= 14 and "、" not in name:
                first_line.setdefault(name, line)
    line_topics: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        line_topics[line.text].add(line.topic)
    in_lines, in_titles = _SubstringIndex(list(line_topics)), _SubstringIndex([h.text for h in headings])
    for name in first_line:
        for text in in_lines.containing(name):  # unquoted mentions count too: 大国工匠 is also in 培养造就更多大国工匠
            topics_of[name].update(line_topics[text])
        topics_of[name].update(in_titles.containing(name))
    topic_keys = {h.text: h for h in headings if h.kind == TOPIC}
    items = []
    for name, line in first_line.items():
        if topics_of[name] != {line.topic} or line.topic not in topic_keys or shares_word(name, line.topic):
            continue
        topic = topic_keys[line.topic]
        keys, text_keys = (line.key, topic.key), (line.text_key, topic.text_key)
        items.append(Item(f"“{name}”", line.topic, line.topic, keys, text_keys, line.position, _line_place(line)))
    return items


# --- Sentences -------------------------------------------------------------------------------------


def halves_items(lines: Sequence[SourceLine]) -> list[Item]:
    """Sentences of two or more clauses: the first → the rest. No other sentence may begin or end the
    same way, and the halves share no word."""
    items = []
    for line in lines:
        by_sentence: dict[int, list[Clause]] = defaultdict(list)
        for clause in clauses(line.text):
            by_sentence[clause.sentence].append(clause)
        for sentence in by_sentence.values():
            if len(sentence) < 2 or line.text[sentence[0].end] != "，":
                continue
            head, tail = phrase(sentence[0].text), phrase(line.text[sentence[1].start : sentence[-1].end])
            if not 4 <= len(head) <= 20 or not 6 <= len(tail) <= 30 or not _balanced(head + tail):
                continue
            if shares_word(head, tail):
                continue
            items.append(Item(head, tail, "", (line.key,), (line.text_key,), line.position, _line_place(line)))
    heads: dict[str, int] = defaultdict(int)
    tails: dict[str, int] = defaultdict(int)
    for item in items:
        heads[item.left] += 1
        tails[item.right] += 1
    return [i for i in items if heads[i.left] == 1 and tails[i.right] == 1]


# --- Sets ------------------------------------------------------------------------------------------


def partition(items: Sequence[Item], *, unique_lefts: bool = True) -> list[list[Item]]:
    """Sets of 4–6 items, no two of one conflict class, no repeated text on either side.

    Items are dealt round-robin over their conflict classes (the r-th topic of every task, then
    the (r+1)-th…) so that a set mixes classes, then cut into balanced sets. With `unique_lefts`
    a left text that has two answers is not asked at all; without, its items only never meet.
    """
    unique = _dedupe(items) if unique_lefts else sorted(items, key=lambda i: i.order)
    if len(unique) < MIN_PAIRS:
        return []
    rank: dict[Item, int] = {}
    seen: dict[str, int] = defaultdict(int)
    for item in unique:
        rank[item] = seen[item.conflict] if item.conflict else 0
        seen[item.conflict] += 1
    ordered = sorted(unique, key=lambda i: (rank[i], i.order))
    balanced = _deal(ordered, _set_size(len(ordered)))
    if sum(map(len, balanced)) == len(ordered):
        return balanced
    full = _deal(ordered, MAX_PAIRS)  # 7 items: one set of 6 rather than 4 and a leftover 3
    return full if sum(map(len, full)) > sum(map(len, balanced)) else balanced


def _deal(ordered: Sequence[Item], size: int) -> list[list[Item]]:
    """Each item into the first set, in creation order, that has room and that it fits (_fits), or
    into a new set. Only sets with room are looked at, and a set that holds one of the item's marks
    is skipped without looking at its items: when every set with room holds it (all topics of one
    task), the item opens a new set at once."""
    sets: list[list[Item]] = []
    with_room: dict[int, None] = {}  # indices of the sets with room, in creation order
    holding: dict[tuple[str, str], set[int]] = defaultdict(set)  # mark → the sets with room that hold it
    for item in ordered:
        marks = _marks(item)
        blockers = [holding[mark] for mark in marks if mark in holding]
        home = None
        if not any(len(blocker) == len(with_room) for blocker in blockers):
            home = next((index for index in with_room if not any(index in b for b in blockers)), None)
        if home is None:
            home = len(sets)
            sets.append([])
            with_room[home] = None
        sets[home].append(item)
        if len(sets[home]) < size:
            for mark in marks:
                holding[mark].add(home)
        else:
            del with_room[home]
            for member in sets[home]:
                for mark in _marks(member):
                    holding[mark].discard(home)
                    if not holding[mark]:
                        del holding[mark]
    return _rebalance(sets)


def _marks(item: Item) -> list[tuple[str, str]]:
    """What two items of one set may not share (see _fits): a set fits an item when it holds none
    of the item's marks."""
    marks = [("class", value) for value in item.classes]
    if item.conflict:
        marks.append(("conflict", item.conflict))
    return [*marks, ("right", item.right), ("left", item.left)]


def _dedupe(items: Sequence[Item]) -> list[Item]:
    """The same left text with two answers cannot be asked at all."""
    lefts: dict[str, int] = defaultdict(int)
    for item in items:
        lefts[item.left] += 1
    return sorted((i for i in items if lefts[i.left] == 1), key=lambda i: i.order)


def _set_size(count: int) -> int:
    sets = -(-count // MAX_PAIRS)
    return -(-count // sets)


def _fits(item: Item, group: list[Item]) -> bool:
    return all(
        (not item.conflict or item.conflict != other.conflict)
        and not item.classes & other.classes
        and item.right != other.right
        and item.left != other.left
        for other in group
    )


def _rebalance(sets: list[list[Item]]) -> list[list[Item]]:
    """Move items from big sets into small ones when that brings them to four; drop a set that
    still has fewer."""
    # Only sets with more than MIN_PAIRS items can give one; sets only lose items to small ones,
    # which end with MIN_PAIRS, so the givers are the big sets of the start, as long as they stay big.
    givers = [big for big in sets if len(big) > MIN_PAIRS]
    for small in sets:
        if len(small) >= MIN_PAIRS:
            continue
        moves: list[tuple[list[Item], Item]] = []
        for big in givers:
            spare = len(big) - MIN_PAIRS
            for candidate in reversed(big):
                if spare <= 0 or len(small) + len(moves) >= MIN_PAIRS:
                    break
                if big is not small and _fits(candidate, small + [m for _b, m in moves]):
                    moves.append((big, candidate))
                    spare -= 1
        if len(small) + len(moves) >= MIN_PAIRS:
            for big, moved in moves:
                big.remove(moved)
                small.append(moved)
            givers = [big for big in givers if len(big) > MIN_PAIRS]
    return [s for s in sets if MIN_PAIRS <= len(s) <= MAX_PAIRS]


def _question(form: str, group: list[Item], salt: int) -> GeneratedQuestion:
    pairs = sorted((i.left, i.right) for i in group)
    text_keys = sorted({k for i in group for k in i.text_keys})
    key = question_key(MATCHING, form, text_keys, [f"{left}→{right}" for left, right in pairs])
    random.Random(f"{salt}|{key}").shuffle(pairs)  # document order would give the answers away
    return GeneratedQuestion(
        key=key,
        type=MATCHING,
        form=form,
        prompt=INSTRUCTIONS[form],
        pairs=tuple(pairs),
        source_keys=tuple(sorted({k for i in group for k in i.keys})),
        source_text_keys=tuple(text_keys),
        part=_common(group, lambda i: i.place[0]),
        task=_common(group, lambda i: i.place[1]),
        task_number=_common(group, lambda i: i.place[2]),
        topic=_common(group, lambda i: i.place[3]),
        difficulty=clamp(DIFFICULTY[form] + 0.05 * (len(group) - MIN_PAIRS)),
    )


def _common(group: list[Item], attribute: Callable[[Item], str]) -> str:
    values = {attribute(i) for i in group}
    return values.pop() if len(values) == 1 else ""


def _texts(
    lines: Sequence[SourceLine], headings: Sequence[Heading]
) -> list[tuple[str, tuple[tuple[str, ...], tuple[str, ...]], int, tuple[str, str, str, str]]]:
    """Every line and heading title, in document order, with its keys, position and place."""
    texts = [(line.text, ((line.key,), (line.text_key,)), line.position, _line_place(line)) for line in lines]
    texts += [(h.text, ((h.key,), (h.text_key,)), h.position, _place(h)) for h in headings]
    return sorted(texts, key=lambda t: t[2])


def _place(heading: Heading) -> tuple[str, str, str, str]:
    return (heading.part, heading.task, heading.number, heading.text if heading.kind == TOPIC else "")


def _line_place(line: SourceLine) -> tuple[str, str, str, str]:
    return (line.part, line.task, line.task_number, line.topic)
