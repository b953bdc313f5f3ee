"""连线: sets of 4–6 pairs from the document's structure and wording.

Every set is one-to-one by construction: items whose correct partner could coincide (two topics
of one task, two names of one topic) never share a set, and no text repeats on either side.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from studyapp.documents.parsing import TASK, TOPIC

from .questions import MATCHING, GeneratedQuestion, clamp, question_key
from .source import Heading, SourceLine
from .terms import QUOTED

MIN_PAIRS, MAX_PAIRS = 4, 6
CN_ORDINALS = "一二三四五六七八九十"
INSTRUCTIONS = {
    "topic_task": "将下列工作要点与它所属的重点任务连线。",
    "name_topic": "将下列品牌、活动或提法与它所在的工作要点连线。",
    "halves": "将下列语句的前半句与后半句连线。",
    "requirement": "将下列“要”的序号与对应的内容连线。",
    "task_number": "将下列序号与对应的重点任务连线。",
}
DIFFICULTY = {"topic_task": 0.6, "name_topic": 0.55, "halves": 0.35, "requirement": 0.5, "task_number": 0.4}


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


def matching_questions(
    lines: Sequence[SourceLine], headings: Sequence[Heading], rng: random.Random
) -> list[GeneratedQuestion]:
    """All matching sets: topic→task, name→topic, first→second half, 要 number→statement, number→task."""
    salt = rng.getrandbits(64)  # one draw, so each set's shuffle depends on the seed and its own key only
    questions = []
    for form, items in (
        ("topic_task", topic_task_items(headings)),
        ("name_topic", name_topic_items(lines, headings)),
        ("halves", halves_items(lines)),
        ("requirement", requirement_items(lines)),
        ("task_number", task_number_items(headings)),
    ):
        for group in partition(items):
            questions.append(_question(form, group, salt))
    return questions


def short_title(text: str) -> str:
    """The first clause of a heading: 坚持党的全面领导，引导… → 坚持党的全面领导."""
    return re.split(r"[，,。]", text, maxsplit=1)[0]


def task_label(number: str, title: str) -> str:
    """（一）坚持党的全面领导 — what a topic is matched to."""
    return f"（{number}）{short_title(title)}"


def topic_task_items(headings: Sequence[Heading]) -> list[Item]:
    """Topic → its numbered task; topics of one task are in one conflict class."""
    return [
        Item(h.text, task_label(h.number, h.task), h.number, (h.key,), (h.text_key,), h.position, _place(h))
        for h in headings
        if h.kind == TOPIC and h.number
    ]


def name_topic_items(lines: Sequence[SourceLine], headings: Sequence[Heading]) -> list[Item]:
    """Quoted names found under exactly one topic (and in no other topic's title)."""
    topics_of: dict[str, set[str]] = defaultdict(set)
    first_line: dict[str, SourceLine] = {}
    for line in lines:
        if not line.topic:
            continue
        for match in QUOTED.finditer(line.text):
            name = match.group(1)
            if 2 <= len(name) <= 14 and "、" not in name:
                first_line.setdefault(name, line)
    for name in first_line:
        for line in lines:  # unquoted mentions count too: 大国工匠 is also in 培养造就更多大国工匠
            if name in line.text:
                topics_of[name].add(line.topic)
        topics_of[name].update(h.text for h in headings if name in h.text)
    topic_keys = {h.text: h for h in headings if h.kind == TOPIC}
    items = []
    for name, line in first_line.items():
        if topics_of[name] != {line.topic} or line.topic not in topic_keys:
            continue
        topic = topic_keys[line.topic]
        keys, text_keys = (line.key, topic.key), (line.text_key, topic.text_key)
        items.append(Item(f"“{name}”", line.topic, line.topic, keys, text_keys, line.position, _line_place(line)))
    return items


def halves_items(lines: Sequence[SourceLine]) -> list[Item]:
    """Lines of two clauses: the first clause → the rest. No other line may begin or end the same way."""
    items = []
    for line in lines:
        head, sep, tail = line.text.partition("，")
        if not sep or not 4 <= len(head) <= 20 or not 6 <= len(tail) <= 30 or line.kind != "point":
            continue
        items.append(Item(head, tail, "", (line.key,), (line.text_key,), line.position, _line_place(line)))
    heads: dict[str, int] = defaultdict(int)
    tails: dict[str, int] = defaultdict(int)
    for item in items:
        heads[item.left] += 1
        tails[item.right] += 1
    return [i for i in items if heads[i.left] == 1 and tails[i.right] == 1]


def requirement_items(lines: Sequence[SourceLine]) -> list[Item]:
    """第一个“要” → the first clause of that statement."""
    items = []
    for line in lines:
        if line.kind == "requirement" and line.number.isdigit() and int(line.number) <= len(CN_ORDINALS):
            left = f"第{CN_ORDINALS[int(line.number) - 1]}个“要”"
            right = short_title(line.text).rstrip("。")
            items.append(Item(left, right, "", (line.key,), (line.text_key,), line.position, _line_place(line)))
    return items


def task_number_items(headings: Sequence[Heading]) -> list[Item]:
    """（一） → the short title of task 一."""
    return [
        Item(f"（{h.number}）", short_title(h.text), "", (h.key,), (h.text_key,), h.position, _place(h))
        for h in headings
        if h.kind == TASK and h.number
    ]


def partition(items: Sequence[Item]) -> list[list[Item]]:
    """Sets of 4–6 items, no two of one conflict class, no repeated text on either side.

    Items are dealt round-robin over their conflict classes (the r-th topic of every task, then
    the (r+1)-th…) so that a set mixes classes, then cut into balanced sets.
    """
    unique = _dedupe(items)
    if len(unique) < MIN_PAIRS:
        return []
    rank: dict[Item, int] = {}
    seen: dict[str, int] = defaultdict(int)
    for item in sorted(unique, key=lambda i: i.order):
        rank[item] = seen[item.conflict] if item.conflict else 0
        seen[item.conflict] += 1
    ordered = sorted(unique, key=lambda i: (rank[i], i.order))
    sets: list[list[Item]] = []
    size = _set_size(len(ordered))
    for item in ordered:
        home = next((s for s in sets if len(s) < size and _fits(item, s)), None)
        if home is None:
            sets.append([item])
        else:
            home.append(item)
    return _rebalance(sets)


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
        (not item.conflict or item.conflict != other.conflict) and item.right != other.right and item.left != other.left
        for other in group
    )


def _rebalance(sets: list[list[Item]]) -> list[list[Item]]:
    """Move items from big sets into small ones; drop a set that still has fewer than four."""
    for small in sets:
        for big in sets:
            while len(small) < MIN_PAIRS and len(big) > MIN_PAIRS:
                movable = next((i for i in reversed(big) if _fits(i, small)), None)
                if movable is None:
                    break
                big.remove(movable)
                small.append(movable)
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


def _place(heading: Heading) -> tuple[str, str, str, str]:
    return (heading.part, heading.task, heading.number, heading.text if heading.kind == TOPIC else "")


def _line_place(line: SourceLine) -> tuple[str, str, str, str]:
    return (line.part, line.task, line.task_number, line.topic)
