"""The study document as plain, flat data for the generators: body lines and headings."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from studyapp.documents.parsing import (
    PARAGRAPH,
    PART,
    POINT,
    REQUIREMENT,
    TASK,
    TOPIC,
    ParsedDocument,
    normalize_for_key,
)

BODY_KINDS = (POINT, PARAGRAPH, REQUIREMENT)


@dataclass(frozen=True)
class SourceLine:
    """One point, paragraph or “要” requirement with the titles of the headings around it."""

    key: str
    text_key: str
    kind: str
    text: str
    part: str
    task: str
    task_number: str  # "一".."九", "" for 总体要求 and unnumbered tasks
    topic: str
    position: int  # index in the parsed outline; orders everything
    number: str = ""  # "1".."8" for requirements


@dataclass(frozen=True)
class Heading:
    """A task or topic heading; a topic knows its task."""

    kind: str  # "task" | "topic"
    text: str
    number: str  # task number "一".."九" (for topics: their task's number)
    task: str  # for a topic, the title of its task; for a task, its own title
    key: str
    text_key: str
    position: int
    part: str = ""


def source_lines(doc: ParsedDocument) -> list[SourceLine]:
    """Every point, paragraph and requirement of `doc`, in document order."""
    lines = []
    for index, node in enumerate(doc.nodes):
        if node.kind not in BODY_KINDS:
            continue
        around = {a.kind: a for a in doc.ancestors(index)}
        task = around.get(TASK)
        lines.append(
            SourceLine(
                key=node.key,
                text_key=node.text_key,
                kind=node.kind,
                text=node.text,
                part=around[PART].text if PART in around else "",
                task=task.text if task else "",
                task_number=task.number if task else "",
                topic=around[TOPIC].text if TOPIC in around else "",
                position=index,
                number=node.number,
            )
        )
    return lines


def headings(doc: ParsedDocument) -> list[Heading]:
    """Task and topic headings in document order (tasks carry their number, topics their task's)."""
    result = []
    for index, node in enumerate(doc.nodes):
        if node.kind not in (TASK, TOPIC):
            continue
        around = {a.kind: a for a in doc.ancestors(index)}
        part = around[PART].text if PART in around else ""
        if node.kind == TASK:
            result.append(Heading(TASK, node.text, node.number, node.text, node.key, node.text_key, index, part))
        else:
            number, title = (around[TASK].number, around[TASK].text) if TASK in around else ("", "")
            result.append(Heading(TOPIC, node.text, number, title, node.key, node.text_key, index, part))
    return result


def headings_from_lines(lines: Sequence[SourceLine]) -> list[Heading]:
    """Headings recovered from the lines alone (topics without lines are lost; keys are text digests)."""
    result: list[Heading] = []
    seen: set[tuple[str, str]] = set()
    for line in lines:
        for kind, text in ((TASK, line.task), (TOPIC, line.topic)):
            if not text or (kind, text) in seen:
                continue
            seen.add((kind, text))
            # Same recipe as the parser's text_key, so a heading keeps its key either way.
            digest = hashlib.sha1(f"{kind}|{normalize_for_key(text)}".encode()).hexdigest()[:16]
            # Just before its first line, where the parser put it.
            heading = Heading(kind, text, line.task_number, line.task, digest, digest, line.position - 1, line.part)
            result.append(heading)
    return result


def heading_lines(doc: ParsedDocument) -> list[SourceLine]:
    """Part, task and topic titles as lines to ask, each placed under the headings above it only:
    a question on a title never shows that title with it (its own topic or task stays empty)."""
    result = []
    for index, node in enumerate(doc.nodes):
        if node.kind not in (PART, TASK, TOPIC) or not node.text.strip():
            continue
        around = {a.kind: a for a in doc.ancestors(index)}
        part = around[PART].text if PART in around and node.kind != PART else ""
        task = around.get(TASK) if node.kind == TOPIC else None
        number = node.number if node.kind == TASK else (task.number if task else "")
        result.append(
            SourceLine(
                node.key, node.text_key, node.kind, node.text, part, task.text if task else "", number, "", index
            )
        )
    return result


HEADING_RANK = {PART: 0, TASK: 1, TOPIC: 2}


def in_order(lines: Sequence[SourceLine]) -> list[SourceLine]:
    """Document order; a title recovered from lines shares its first line's position and goes first."""
    return sorted(lines, key=lambda line: (line.position, HEADING_RANK.get(line.kind, 3)))


def heading_lines_from_lines(lines: Sequence[SourceLine]) -> list[SourceLine]:
    """The same from the lines alone (titles without lines are lost; keys are text digests)."""
    result: list[SourceLine] = []
    seen: set[tuple[str, str]] = set()
    for line in lines:
        for kind, text in ((PART, line.part), (TASK, line.task), (TOPIC, line.topic)):
            if not text or (kind, text) in seen:
                continue
            seen.add((kind, text))
            digest = hashlib.sha1(f"{kind}|{normalize_for_key(text)}".encode()).hexdigest()[:16]
            part = line.part if kind != PART else ""
            task = line.task if kind == TOPIC else ""
            number = line.task_number if kind != PART else ""
            result.append(SourceLine(digest, digest, kind, text, part, task, number, "", line.position))
    return result
