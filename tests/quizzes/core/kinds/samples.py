"""Questions, forms and Moodle XML for the kind tests: plain data, no database."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from types import SimpleNamespace
from typing import Any

from django.http import QueryDict

from quizzes.core.kinds.base import QuestionKind, xml_text


def question(kind: str, **fields: Any) -> SimpleNamespace:
    """An object with the fields of QuestionData: empty ones unless given."""
    return SimpleNamespace(
        **{
            "key": f"{kind}-1",
            "type": kind,
            "prompt": "",
            "blanks": [],
            "pairs": [],
            "choices": [],
            "answer_index": None,
            "correct_choices": [],
            "source_text_keys": [],
            **fields,
        }
    )


def changed(q: SimpleNamespace, **fields: Any) -> SimpleNamespace:
    """A copy of `q` with `fields` replaced."""
    return SimpleNamespace(**{**vars(q), **fields})


def blank(answer: str, *accepted: str, group: int | None = None, any_order: bool = False) -> dict[str, Any]:
    return {"answer": answer, "accepted": [answer, *accepted], "group": group, "any_order": any_order}


def form(fields: dict[str, Any] | str = "") -> QueryDict:
    """A submitted form: a query string, or a dict whose list values are sent once per item."""
    if isinstance(fields, str):
        return QueryDict(fields)
    data = QueryDict(mutable=True)
    for name, value in fields.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return data


def moodle(kind: QuestionKind, q: SimpleNamespace) -> list[ET.Element]:
    """The <question> elements `kind` writes for `q`, read back from their serialised XML."""
    quiz = ET.Element("quiz")

    def start(moodle_type: str, text: str) -> ET.Element:
        element = ET.SubElement(quiz, "question", {"type": moodle_type})
        xml_text(element, "questiontext", text, format="html")
        return element

    kind.moodle_xml(q, start)
    return ET.fromstring(ET.tostring(quiz, encoding="unicode")).findall("question")


def answers(element: ET.Element) -> list[tuple[str, str]]:
    """(text, fraction) of each <answer> of a Moodle question."""
    return [(answer.findtext("text"), answer.get("fraction")) for answer in element.findall("answer")]


# One question of each kind, as the generators make them.

CLOZE = question(
    "cloze",
    prompt="大力弘扬＿＿＿＿，建好用好＿＿＿＿。",
    blanks=[blank("劳模精神"), blank("职工书屋", "职工之家书屋")],
    source_text_keys=["t1"],
)
CHOICE = question(
    "choice",
    prompt="深化＿＿＿＿改革。",
    choices=["产业工人队伍建设", "工会组织", "劳动竞赛", "民主管理"],
    answer_index=0,
    source_text_keys=["t1"],
)
MATCHING = question(
    "matching",
    prompt="请将精神与其内涵连线。",
    pairs=[["劳模精神", "争创一流"], ["劳动精神", "崇尚劳动"], ["工匠精神", "精益求精"]],
    source_text_keys=["t1", "t2", "t3"],
)
TRUE_STATEMENT = question(
    "truefalse",
    prompt="建好用好职工书屋。",
    answer_index=1,
    blanks=[{"answer": "职工书屋", "shown": "职工书屋"}],
    source_text_keys=["t1"],
)
FALSE_STATEMENT = question(
    "truefalse",
    prompt="建好用好职工食堂。",
    answer_index=0,
    blanks=[{"answer": "职工书屋", "shown": "职工食堂"}],
    source_text_keys=["t1"],
)
MULTISELECT = question(
    "multiselect",
    prompt="下列哪些属于“三种精神”？",
    choices=["劳模精神", "劳动精神", "工匠精神", "奋斗精神"],
    correct_choices=[0, 1, 2],
    source_text_keys=["t1"],
)
SAMPLES = [CLOZE, CHOICE, MATCHING, TRUE_STATEMENT, FALSE_STATEMENT, MULTISELECT]
