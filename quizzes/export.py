"""The bank in exchange formats: our JSON, and GIFT and Moodle XML for Moodle's question import.

Pure functions over `Question` rows (no queries of their own); output is deterministic, so an
unchanged bank exports byte for byte the same.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from .models import Question

BLANK_RUN = re.compile(r"＿+")
FORMATS = ("json", "gift", "moodle-xml")


def question_as_dict(question: Question) -> dict:
    """One question in the documented export schema (README, “题库导出”)."""
    return {
        "id": question.key,
        "type": question.type,
        "prompt": question.prompt,
        "blanks": [
            {
                "answer": blank["answer"],
                "accepted": list(blank.get("accepted", [])),
                "group": blank.get("group", index),
                "any_order": bool(blank.get("any_order", False)),
            }
            for index, blank in enumerate(question.blanks)
        ],
        "pairs": [{"left": left, "right": right} for left, right in question.pairs],
        "choices": list(question.choices),
        "answer_index": question.answer_index,
        "source_point_key": question.source_key,
        "task": {"number": question.task_number, "title": question.task},
        "topic": question.topic,
        "difficulty": question.difficulty,
    }


def bank_as_json(questions: Iterable[Question], *, title: str, version: int) -> str:
    items = [question_as_dict(question) for question in questions]
    payload = {"document": title, "version": version, "count": len(items), "questions": items}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


# GIFT ---------------------------------------------------------------------------------------


def _gift_escape(text: str) -> str:
    return re.sub(r"([~=#{}:\\])", r"\\\1", text)


def _gift_answers(blank: dict) -> str:
    answers = [blank["answer"], *[a for a in blank.get("accepted", []) if a != blank["answer"]]]
    return "{" + " ".join(f"={_gift_escape(answer)}" for answer in answers) + "}"


def _gift_cloze(question: Question) -> list[str]:
    """GIFT allows one answer block per question: a question with n blanks becomes n questions,
    each asking for one blank with the others shown filled in."""
    pieces = BLANK_RUN.split(question.prompt)
    blanks = question.blanks
    if len(pieces) != len(blanks) + 1:
        return []
    entries = []
    for asked in range(len(blanks)):
        text = _gift_escape(pieces[0])
        for index, blank in enumerate(blanks):
            text += _gift_answers(blank) if index == asked else _gift_escape(blank["answer"])
            text += _gift_escape(pieces[index + 1])
        suffix = f"-{asked + 1}" if len(blanks) > 1 else ""
        entries.append(f"::{question.key}{suffix}::{text}")
    return entries


def _gift_matching(question: Question) -> list[str]:
    pairs = " ".join(f"={_gift_escape(left)} -> {_gift_escape(right)}" for left, right in question.pairs)
    return [f"::{question.key}::{_gift_escape(question.prompt)} {{ {pairs} }}"]


def _gift_choice(question: Question) -> list[str]:
    pieces = BLANK_RUN.split(question.prompt, maxsplit=1)
    options = " ".join(
        ("=" if index == question.answer_index else "~") + _gift_escape(choice)
        for index, choice in enumerate(question.choices)
    )
    if len(pieces) == 2:
        text = f"{_gift_escape(pieces[0])}{{ {options} }}{_gift_escape(pieces[1])}"
    else:
        text = f"{_gift_escape(question.prompt)} {{ {options} }}"
    return [f"::{question.key}::{text}"]


def bank_as_gift(questions: Iterable[Question], *, title: str, version: int) -> str:
    lines = [f"// {title} · v{version} · 工会学习题库", ""]
    category = None
    for question in questions:
        task = _category_name(title, question)
        if task != category:
            lines += [f"$CATEGORY: {task}", ""]
            category = task
        writer = {"cloze": _gift_cloze, "matching": _gift_matching, "choice": _gift_choice}[question.type]
        for entry in writer(question):
            lines += [entry, ""]
    return "\n".join(lines)


def _category_name(title: str, question: Question) -> str:
    task = f"（{question.task_number}）{question.task}" if question.task_number else (question.task or question.part)
    return "/".join(part.replace("/", "／") for part in (title, task) if part)


# Moodle XML ---------------------------------------------------------------------------------


def _embedded_escape(text: str) -> str:
    # Characters with a meaning inside Moodle's {1:SHORTANSWER:…} syntax.
    return re.sub(r'([}#~/"\\])', r"\\\1", text)


def _text(parent: ET.Element, tag: str, value: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    ET.SubElement(element, "text").text = value
    return element


def _moodle_question(quiz: ET.Element, question: Question, kind: str, text: str) -> ET.Element:
    element = ET.SubElement(quiz, "question", {"type": kind})
    _text(element, "name", f"{question.get_type_display()} {question.key}")
    _text(element, "questiontext", text, format="html")
    if question.source is not None:
        _text(element, "generalfeedback", f"出处：{question.source.text}", format="html")
    ET.SubElement(element, "idnumber").text = question.key
    ET.SubElement(element, "penalty").text = "0.3333333"
    ET.SubElement(element, "hidden").text = "0"
    return element


def bank_as_moodle_xml(questions: Iterable[Question], *, title: str, version: int) -> str:
    quiz = ET.Element("quiz")
    category = None
    for question in questions:
        name = _category_name(title, question)
        if name != category:
            element = ET.SubElement(quiz, "question", {"type": "category"})
            _text(element, "category", f"$course$/top/{name}")
            category = name
        if question.type == Question.Type.CLOZE:
            pieces = BLANK_RUN.split(question.prompt)
            if len(pieces) != len(question.blanks) + 1:
                continue
            text = pieces[0]
            for blank, after in zip(question.blanks, pieces[1:], strict=True):
                answers = [blank["answer"], *[a for a in blank.get("accepted", []) if a != blank["answer"]]]
                text += "{1:SHORTANSWER:" + "~".join(f"={_embedded_escape(a)}" for a in answers) + "}" + after
            _moodle_question(quiz, question, "cloze", text)
        elif question.type == Question.Type.MATCHING:
            element = _moodle_question(quiz, question, "matching", question.prompt)
            ET.SubElement(element, "shuffleanswers").text = "true"
            for left, right in question.pairs:
                sub = _text(element, "subquestion", left, format="html")
                _text(sub, "answer", right)
        else:
            element = _moodle_question(quiz, question, "multichoice", question.prompt)
            ET.SubElement(element, "single").text = "true"
            ET.SubElement(element, "shuffleanswers").text = "true"
            ET.SubElement(element, "answernumbering").text = "abc"
            for index, choice in enumerate(question.choices):
                fraction = "100" if index == question.answer_index else "0"
                _text(element, "answer", choice, fraction=fraction, format="html")
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"


EXPORTERS = {"json": bank_as_json, "gift": bank_as_gift, "moodle-xml": bank_as_moodle_xml}


def export_bank(questions: Iterable[Question], *, format: str, title: str, version: int) -> str:
    """The bank as text in `format` (one of FORMATS)."""
    return EXPORTERS[format](questions, title=title, version=version)
