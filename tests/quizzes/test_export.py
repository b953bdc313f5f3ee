import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command

from quizzes.core.kinds.base import embedded_escape, gift_escape
from quizzes.export import bank_as_gift, bank_as_json, bank_as_moodle_xml
from quizzes.models import Question
from tests.factories import DocumentVersionFactory

pytestmark = pytest.mark.django_db


def export(fmt: str) -> str:
    out = io.StringIO()
    call_command("export_questions", "--format", fmt, stdout=out)
    return out.getvalue()


def test_the_json_export_follows_the_documented_schema(seed_bank):
    data = json.loads(export("json"))

    assert data["document"] == "中国工会十八大精神图解" and data["version"] == 1
    assert data["count"] == len(data["questions"]) == Question.objects.active().count()
    keys = {
        "id",
        "type",
        "prompt",
        "blanks",
        "pairs",
        "choices",
        "answer_index",
        "correct_choices",
        "source_point_key",
        "task",
        "topic",
        "difficulty",
    }
    for item in data["questions"]:
        assert set(item) == keys
        assert item["type"] in {"cloze", "matching", "choice", "truefalse", "multiselect"}
        if item["type"] == "cloze":
            assert item["blanks"] and all(b["answer"] in b["accepted"] or b["accepted"] == [] for b in item["blanks"])
        if item["type"] == "matching":
            assert 4 <= len(item["pairs"]) <= 6
        if item["type"] == "choice":
            assert len(item["choices"]) == 4 and 0 <= item["answer_index"] < 4


def test_the_gift_export_has_one_answer_block_per_entry(seed_bank):
    text = export("gift")
    entries = [line for line in text.splitlines() if line.startswith("::")]

    assert "$CATEGORY: 中国工会十八大精神图解/（一）坚持党的全面领导" in text
    assert len(entries) >= Question.objects.active().count()
    for entry in entries:
        unescaped_opening = re.findall(r"(?<!\\)\{", entry)
        assert len(unescaped_opening) == 1, entry
    assert any("->" in entry for entry in entries)  # matching
    assert any("~" in entry for entry in entries)  # single choice


def test_the_moodle_xml_export_is_well_formed_and_has_every_question(seed_bank):
    root = ET.fromstring(export("moodle-xml").encode("utf-8"))
    by_type = {}
    for element in root.findall("question"):
        by_type.setdefault(element.get("type"), []).append(element)

    active = Question.objects.active()
    assert len(by_type["cloze"]) == active.filter(type="cloze").count()
    assert len(by_type["matching"]) == active.filter(type="matching").count()
    assert len(by_type["truefalse"]) == active.filter(type="truefalse").count()
    single = [q for q in by_type["multichoice"] if q.find("single").text == "true"]
    several = [q for q in by_type["multichoice"] if q.find("single").text == "false"]
    assert len(single) == active.filter(type="choice").count()
    assert len(several) == active.filter(type="multiselect").count()
    cloze_text = by_type["cloze"][0].find("questiontext/text").text
    assert "{1:SHORTANSWER:=" in cloze_text
    assert all(len(q.findall("subquestion")) >= 4 for q in by_type["matching"])
    for question in single:
        assert [a.get("fraction") for a in question.findall("answer")].count("100") == 1
    for question in several:
        fractions = [float(a.get("fraction")) for a in question.findall("answer")]
        assert round(sum(f for f in fractions if f > 0)) == 100 and -100 in fractions
    for question in by_type["truefalse"]:
        assert sorted(a.get("fraction") for a in question.findall("answer")) == ["0", "100"]


def test_special_characters_are_escaped_in_gift_and_moodle_xml():
    version = DocumentVersionFactory()
    question = Question(
        key="k1",
        type="cloze",
        prompt="符号{x}=y#z: ＿＿ <b>粗</b>",
        blanks=[{"answer": "a~b/c", "accepted": ["a~b/c"], "group": 0, "any_order": False}],
        created_in=version,
    )

    gift = bank_as_gift([question], title="T", version=1)
    xml = bank_as_moodle_xml([question], title="T", version=1)

    assert r"符号\{x\}\=y\#z\: {=a\~b/c}" in gift
    text = ET.fromstring(xml.encode()).find("question[@type='cloze']/questiontext/text").text
    assert text == "符号{x}=y#z: {1:SHORTANSWER:=a\\~b\\/c} <b>粗</b>"
    assert "&lt;b&gt;" in xml


def test_special_characters_are_escaped_in_an_any_order_enumeration():
    version = DocumentVersionFactory()
    question = Question(
        key="k2",
        type="cloze",
        prompt="{注}: ＿＿、＿＿",
        blanks=[
            {"answer": "a=b", "accepted": ["a=b"], "group": 0, "any_order": True},
            {"answer": "c/d", "accepted": ["c/d"], "group": 0, "any_order": True},
        ],
        created_in=version,
    )

    gift = bank_as_gift([question], title="T", version=1)
    xml = bank_as_moodle_xml([question], title="T", version=1)

    assert (
        "::k2::\\{注\\}\\: ＿＿、＿＿（2项，顺序不限，用“、”隔开） {=a\\=b、c/d =a\\=b，c/d =c/d、a\\=b =c/d，a\\=b}"
        in gift
    )
    text = ET.fromstring(xml.encode()).find("question[@type='cloze']/questiontext/text").text
    assert text == "{注}: {1:SHORTANSWER:=a=b~=c\\/d}、{1:SHORTANSWER:=c\\/d~=a=b}"


def test_an_any_order_enumeration_is_one_gift_question_and_takes_any_order_in_moodle_xml(seed_bank):
    gift = export("gift").splitlines()
    root = ET.fromstring(export("moodle-xml").encode("utf-8"))
    enumerations = [
        q for q in Question.objects.active().filter(type="cloze") if any(b.get("any_order") for b in q.blanks)
    ]

    assert enumerations
    for question in enumerations:
        asked: dict = {}  # what GIFT asks in one entry: an any-order group, or a blank alone
        for index, blank in enumerate(question.blanks):
            together = blank.get("any_order") and blank.get("group") is not None
            asked.setdefault(("group", blank["group"]) if together else ("blank", index), []).append(index)
        entries = [line for line in gift if re.match(rf"::{re.escape(question.key)}(-\d+)?::", line)]
        assert len(entries) == len(asked), question.prompt  # not one entry per member
        moodle_text = root.find(f"question[idnumber='{question.key}']/questiontext/text").text
        fields = re.findall(r"\{1:SHORTANSWER:(.*?)(?<!\\)\}", moodle_text)
        assert len(fields) == len(question.blanks)
        for members in (indexes for indexes in asked.values() if len(indexes) > 1):
            answers = [gift_escape(question.blanks[index]["answer"]) for index in members]
            [entry] = [e for e in entries if "{=" + "、".join(answers) in e]
            block = entry[entry.rindex("{") :]
            assert entry[: entry.rindex("{")].count("＿") >= len(members)  # the members' blanks, not their text
            if len(answers) <= 4:
                assert "=" + "、".join(reversed(answers)) in block
            for index in members:
                accepted = fields[index].split("~")
                assert all(f"={embedded_escape(question.blanks[m]['answer'])}" in accepted for m in members)


def test_an_unchanged_bank_exports_identically(seed_bank):
    questions = list(Question.objects.active())

    assert bank_as_json(questions, title="T", version=1) == bank_as_json(questions, title="T", version=1)
    assert export("gift") == export("gift")
