"""The bank in exchange formats: our JSON, and GIFT and Moodle XML for Moodle's question import.

Pure functions over `Question` rows (no queries of their own); each kind writes its own GIFT and
Moodle XML (core/kinds/). Output is deterministic, so an unchanged bank exports byte for byte the same.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import Any

from .core.kinds.base import xml_text
from .core.rules import task_label
from .models import Question

FORMATS = ("json", "gift", "moodle-xml")


def question_as_dict(question: Question) -> dict[str, Any]:
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
                **({"shown": blank["shown"]} if "shown" in blank else {}),
            }
            for index, blank in enumerate(question.blanks)
        ],
        "pairs": [{"left": left, "right": right} for left, right in question.pairs],
        "choices": list(question.choices),
        "answer_index": question.answer_index,
        "correct_choices": list(question.correct_choices),
        "source_point_key": question.source_key,
        "task": {"number": question.task_number, "title": question.task},
        "topic": question.topic,
        "difficulty": question.difficulty,
    }


def bank_as_json(questions: Iterable[Question], *, title: str, version: int) -> str:
    items = [question_as_dict(question) for question in questions]
    payload = {"document": title, "version": version, "count": len(items), "questions": items}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def bank_as_gift(questions: Iterable[Question], *, title: str, version: int) -> str:
    lines = [f"// {title} · v{version} · 工会学习题库", ""]
    category = None
    for question in questions:
        task = _category_name(title, question)
        if task != category:
            lines += [f"$CATEGORY: {task}", ""]
            category = task
        entries = question.kind.gift(question)
        for number, entry in enumerate(entries, start=1):
            suffix = f"-{number}" if len(entries) > 1 else ""
            lines += [f"::{question.key}{suffix}::{entry}", ""]
    return "\n".join(lines)


def _category_name(title: str, question: Question) -> str:
    task = task_label(question.task_number, question.task) if question.task_number else (question.task or question.part)
    return "/".join(part.replace("/", "／") for part in (title, task) if part)


def bank_as_moodle_xml(questions: Iterable[Question], *, title: str, version: int) -> str:
    quiz = ET.Element("quiz")
    category = None
    for question in questions:
        name = _category_name(title, question)
        if name != category:
            element = ET.SubElement(quiz, "question", {"type": "category"})
            xml_text(element, "category", f"$course$/top/{name}")
            category = name

        def start(moodle_type: str, text: str, question: Question = question) -> ET.Element:
            element = ET.SubElement(quiz, "question", {"type": moodle_type})
            xml_text(element, "name", f"{question.get_type_display()} {question.key}")
            xml_text(element, "questiontext", text, format="html")
            if question.source is not None:
                xml_text(element, "generalfeedback", f"出处：{question.source.text}", format="html")
            ET.SubElement(element, "idnumber").text = question.key
            ET.SubElement(element, "penalty").text = "0.3333333"
            ET.SubElement(element, "hidden").text = "0"
            return element

        question.kind.moodle_xml(question, start)
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"


EXPORTERS = {"json": bank_as_json, "gift": bank_as_gift, "moodle-xml": bank_as_moodle_xml}


def export_bank(questions: Iterable[Question], *, format: str, title: str, version: int) -> str:
    """The bank as text in `format` (one of FORMATS)."""
    return EXPORTERS[format](questions, title=title, version=version)
