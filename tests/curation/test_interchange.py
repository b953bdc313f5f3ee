"""GIFT and Moodle XML read back into drafts: our own exports round trip, and files written by Moodle
(or by hand) read as Moodle reads them. No database: the bank is unsaved `Question` rows built from
the generator's questions and a few made by hand for what the generator never makes."""

from __future__ import annotations

from typing import Any

import pytest

from quizzes.core.checking import accepted_forms
from quizzes.core.rules import task_label
from quizzes.curation.drafts import QuestionDraft, RowOutcome
from quizzes.curation.interchange import read_gift, read_moodle_xml
from quizzes.export import bank_as_gift, bank_as_moodle_xml
from quizzes.models import Question
from tests.support import seed_questions

TITLE = "中国工会十八大精神图解"
KINDS = ("cloze", "choice", "truefalse", "multiselect", "matching")


def blank(answer: str, *variants: str, group: int = 0, any_order: bool = False) -> dict[str, Any]:
    return {"answer": answer, "accepted": [answer, *variants], "group": group, "any_order": any_order}


def made(key: str, type: str, prompt: str, **fields: Any) -> Question:
    """An unsaved question, in the first task unless told."""
    values = {"task": "坚持党的全面领导", "task_number": "一", **fields}
    return Question(key=key, type=type, prompt=prompt, **values)


def generated(kind: str) -> list[Question]:
    return [
        Question(
            key=q.key,
            type=q.type,
            prompt=q.prompt,
            blanks=[dict(b) for b in q.to_dict()["blanks"]],
            pairs=[list(pair) for pair in q.pairs],
            choices=list(q.choices),
            answer_index=q.answer_index if q.answer_index >= 0 else None,
            correct_choices=list(q.correct_choices),
            part=q.part,
            task=q.task,
            task_number=q.task_number,
            topic=q.topic,
        )
        for q in seed_questions(kind)
    ]


# What the generator never makes: several blanks asked apart, a blank beside an any-order group,
# blanks at either end, GIFT's special characters, a choice blank at the end of the line.
HAND_MADE = [
    made(
        "two-blanks",
        "cloze",
        "大力弘扬＿＿＿＿，建好用好＿＿＿＿。",
        blanks=[blank("劳模精神", "“劳模精神”"), blank("职工书屋", "职工之家书屋", group=1)],
    ),
    made(
        "mixed",
        "cloze",
        "坚持＿＿＿＿，弘扬＿＿＿＿、＿＿＿＿和＿＿＿＿。",
        blanks=[
            blank("党的领导"),
            blank("劳模精神", group=1, any_order=True),
            blank("劳动精神", group=1, any_order=True),
            blank("工匠精神", group=1, any_order=True),
        ],
    ),
    made(
        "ends",
        "cloze",
        "＿＿＿＿＿是工人阶级的伟大品格，建好用好＿＿＿＿",
        blanks=[blank("劳动最光荣"), blank("职工书屋", group=1)],
    ),
    made(
        "escapes",
        "cloze",
        "符号{x}=y#z: ＿＿＿＿＿ 与 a\\b~c",
        blanks=[blank("a~b/c", "a=b#c")],
        task="特殊/字符",
        task_number="",
    ),
    made(
        "choice-end",
        "choice",
        "深化＿＿＿＿＿＿＿＿",
        choices=["产业工人队伍建设", "工会组织", "劳动竞赛", "民主管理"],
        answer_index=2,
        task="特殊/字符",
        task_number="",
    ),
    made(
        "choice-escapes",
        "choice",
        "下列写法正确的是：",
        choices=["a=b", "{c}", "d#e~f", "g:h\\i"],
        answer_index=1,
    ),
    made("tf-escapes", "truefalse", "1+1=2 {是} #对的: 吗", answer_index=1),
    made(
        "match-escapes",
        "matching",
        "连线：符号{}与名称",
        pairs=[["=", "等号"], ["~", "波浪号"], ["#", "井号"]],
    ),
]


def bank() -> list[Question]:
    return [question for kind in KINDS for question in generated(kind)] + HAND_MADE


def section_of(question: Question) -> str:
    task = task_label(question.task_number, question.task) if question.task_number else question.task or question.part
    return (task or TITLE).replace("/", "／")


def groups(blanks: list[dict[str, Any]]) -> list[list[int]]:
    """The any-order groups, as lists of blank positions (the group numbers themselves are free)."""
    found: dict[Any, list[int]] = {}
    for index, b in enumerate(blanks):
        if b.get("any_order"):
            found.setdefault(b["group"], []).append(index)
    return sorted(found.values())


def shape(question: Question | QuestionDraft, *, exact_members: bool = True) -> dict[str, Any]:
    """What an exchange format must carry of a question. An any-order member's variants are compared
    as the marker compares answers when the format does not write them (GIFT joins members only)."""
    result: dict[str, Any] = {"type": question.type, "prompt": question.prompt, "key": question.key}
    if question.type == "cloze":
        result["blanks"] = [
            (
                b["answer"],
                frozenset([b["answer"], *b["accepted"]])
                if exact_members or not b.get("any_order")
                else frozenset(accepted_forms(b)),
            )
            for b in question.blanks
        ]
        result["groups"] = groups(question.blanks)
    if question.type in ("choice", "truefalse"):
        result["answer_index"] = question.answer_index
    if question.type in ("choice", "multiselect"):
        result["choices"] = list(question.choices)
    if question.type == "multiselect":
        result["correct"] = sorted(question.correct_choices)
    if question.type == "matching":
        result["pairs"] = [list(pair) for pair in question.pairs]
    return result


def drafts(outcomes: list[RowOutcome]) -> list[QuestionDraft]:
    assert [o.errors for o in outcomes if not o.accepted] == []
    return [o.draft for o in outcomes if o.draft is not None]


# --- Round trip ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_our_gift_export_reads_back_as_the_same_questions(kind):
    questions = generated(kind) + [q for q in HAND_MADE if q.type == kind]

    read = drafts(read_gift(bank_as_gift(questions, title=TITLE, version=1)))

    assert [shape(d, exact_members=False) for d in read] == [shape(q, exact_members=False) for q in questions]
    assert [d.section for d in read] == [section_of(q) for q in questions]
    assert len(read) == len(questions)


@pytest.mark.parametrize("kind", KINDS)
def test_our_moodle_xml_export_reads_back_as_the_same_questions(kind):
    questions = generated(kind) + [q for q in HAND_MADE if q.type == kind]

    read = drafts(read_moodle_xml(bank_as_moodle_xml(questions, title=TITLE, version=1)))

    assert [shape(d) for d in read] == [shape(q) for q in questions]
    assert [d.section for d in read] == [section_of(q) for q in questions]


def test_the_whole_bank_round_trips_in_order_through_both_formats():
    questions = bank()

    gift = read_gift(bank_as_gift(questions, title=TITLE, version=1))
    xml = read_moodle_xml(bank_as_moodle_xml(questions, title=TITLE, version=1).encode("utf-8"))

    assert [d.key for d in drafts(gift)] == [d.key for d in drafts(xml)] == [q.key for q in questions]


def test_split_cloze_entries_are_one_draft_numbered_by_their_first_entry():
    two_blanks, mixed = HAND_MADE[0], HAND_MADE[1]
    gift = bank_as_gift([two_blanks, mixed], title=TITLE, version=1)
    assert "::two-blanks-2::大力弘扬劳模精神，建好用好{=职工书屋 =职工之家书屋}。" in gift

    outcomes = read_gift(gift)

    assert [o.number for o in outcomes] == [1, 3]  # entries 1–2 are one question, 3–4 the next
    assert outcomes[0].draft.blanks == [
        {"answer": "劳模精神", "accepted": ["劳模精神", "“劳模精神”"], "group": 0, "any_order": False},
        {"answer": "职工书屋", "accepted": ["职工书屋", "职工之家书屋"], "group": 1, "any_order": False},
    ]
    assert outcomes[1].draft.prompt == mixed.prompt
    assert [(b["answer"], b["group"], b["any_order"]) for b in outcomes[1].draft.blanks] == [
        ("党的领导", 0, False),
        ("劳模精神", 1, True),
        ("劳动精神", 1, True),
        ("工匠精神", 1, True),
    ]


def test_an_any_order_group_of_one_entry_comes_back_as_one_group():
    [outcome] = read_gift(
        "::enum::弘扬＿＿＿＿、＿＿＿＿（2项，顺序不限，用“、”隔开） {=劳模精神、劳动精神 =劳动精神、劳模精神}"
    )

    assert outcome.draft.prompt == "弘扬＿＿＿＿、＿＿＿＿"
    assert [(b["answer"], b["any_order"]) for b in outcome.draft.blanks] == [("劳模精神", True), ("劳动精神", True)]
    assert outcome.draft.blanks[0]["group"] == outcome.draft.blanks[1]["group"]


def test_entries_titled_like_a_split_cloze_but_of_different_texts_stay_apart():
    outcomes = read_gift("::q-1::甲{=一}乙\n\n::q-2::丙{=二}丁\n")

    assert [(o.draft.key, o.draft.prompt) for o in outcomes] == [("q-1", "甲＿＿乙"), ("q-2", "丙＿＿丁")]


# --- GIFT as Moodle and people write it -------------------------------------------------------------------

FOREIGN_GIFT = """\
// 工会知识题库（手工编写）
$CATEGORY: $course$/top/工会知识/第一章

::首都::中国的首都是哪座城市？ {
  =北京 # 正确！
  ~上海 # 不对
  ~广州
}

// 判断题，带反馈
::Q2:: 1+1\\=2 是正确的吗？{T}

太阳从西边升起。{FALSE#错了#对了}

下列哪些属于“三种精神”？ {
  ~%33.33333%劳模精神
  ~%33.33333%劳动精神
  ~%33.33334%工匠精神
  ~%-100%奋斗精神
}

::填空::中国工会第十八次全国代表大会于{=2023年 =二〇二三年 =%50%2023}召开。

::末尾::我国的国歌是 {=义勇军进行曲 =《义勇军进行曲》}

$CATEGORY: $course$/top/工会知识/第二章//附录

::连线::把人物与称号连起来。 {
  =许振超 -> 大国工匠
  =王进喜 -> 铁人
  =李素丽 -> 全国劳动模范
}

::转义::符号 \\{x\\} \\= y \\# z \\: w 的写法是？ {=反斜杠\\\\ ~波浪号\\~ ~冒号\\:}

::html::[html]<p>请写出<b>职工之家</b>的全称：{=职工之家}</p>

::missing::工会是职工{~被动 =自愿 ~强制}结合的工人阶级群众组织。

::T/F::[moodle]工会会员享有选举权。{TRUE}
"""


def test_a_foreign_gift_file_reads_every_kind():
    outcomes = read_gift(FOREIGN_GIFT)
    by_key = {o.draft.key: o.draft for o in outcomes}

    assert all(o.accepted for o in outcomes)
    assert [o.number for o in outcomes] == list(range(1, 12))
    capital = by_key["首都"]
    assert (capital.type, capital.prompt, capital.choices, capital.answer_index) == (
        "choice",
        "中国的首都是哪座城市？",
        ["北京", "上海", "广州"],
        0,
    )
    assert capital.section == "第一章"
    assert (by_key["Q2"].type, by_key["Q2"].prompt, by_key["Q2"].answer_index) == ("truefalse", "1+1=2 是正确的吗？", 1)
    assert (outcomes[2].draft.prompt, outcomes[2].draft.answer_index, outcomes[2].draft.key) == (
        "太阳从西边升起。",
        0,
        "",
    )
    spirits = outcomes[3].draft
    assert (spirits.type, spirits.choices, spirits.correct_choices) == (
        "multiselect",
        ["劳模精神", "劳动精神", "工匠精神", "奋斗精神"],
        [0, 1, 2],
    )
    year = by_key["填空"]
    assert (year.type, year.prompt) == ("cloze", "中国工会第十八次全国代表大会于＿＿＿＿＿召开。")
    assert year.blanks == [{"answer": "2023年", "accepted": ["2023年", "二〇二三年"], "group": 0, "any_order": False}]
    assert by_key["末尾"].prompt == "我国的国歌是＿＿＿＿＿＿"
    assert by_key["连线"].pairs == [["许振超", "大国工匠"], ["王进喜", "铁人"], ["李素丽", "全国劳动模范"]]
    assert by_key["连线"].section == "第二章/附录"
    assert (by_key["转义"].prompt, by_key["转义"].choices) == (
        "符号 {x} = y # z : w 的写法是？",
        ["反斜杠\\", "波浪号~", "冒号:"],
    )
    assert (by_key["html"].prompt, by_key["html"].blanks[0]["answer"]) == ("请写出职工之家的全称：＿＿＿＿", "职工之家")
    assert (by_key["missing"].prompt, by_key["missing"].answer_index) == ("工会是职工＿＿结合的工人阶级群众组织。", 1)
    assert (by_key["T/F"].prompt, by_key["T/F"].answer_index) == ("工会会员享有选举权。", 1)


def test_gift_refusals_name_the_entry_and_its_first_line():
    text = """\
// 注释不算题
::好::一加一等于{=二}

::数值::1+1=? {#2}

::问答::谈谈你对工会的理解。{}

这是一段说明文字，没有答案块。

::两个对::选哪个？ {=甲 =乙 ~丙}

::未闭合::选哪个？ {=甲 ~乙

::干扰项::连线。 {=甲 -> 一 =乙 -> 二 = -> 三}

::开头::选哪个？ {甲 =乙}
"""
    outcomes = read_gift(text)

    assert [o.accepted for o in outcomes] == [True] + [False] * 7
    assert [o.errors for o in outcomes[1:]] == [
        ["第2题（第4行）：不支持的题型“numerical”"],
        ["第3题（第6行）：不支持的题型“essay”"],
        ["第4题（第8行）：不支持的题型“description”（没有答案块）"],
        ["第5题（第10行）：单选题应有且只有一个正确选项（现有2个）"],
        ["第6题（第12行）：答案块缺少结尾的“}”"],
        ["第7题（第14行）：连线题中有只有右项的干扰项，本系统的连线题不支持"],
        ["第8题（第16行）：答案块格式不对：每个答案应以“=”或“~”开头"],
    ]
    assert all(o.draft is None for o in outcomes[1:])


def test_a_gift_draft_its_kind_cannot_use_is_refused():
    [one_pair, no_right] = read_gift("连线。 {=甲 -> 一}\n\n选吧 {~%0%甲 ~%-50%乙}\n")

    assert one_pair.errors == ["第1题（第1行）：连线题至少要有两对完整的配对"]
    assert no_right.errors == ["第2题（第3行）：多选题没有正确选项"]


def test_gift_escapes_every_special_character():
    [outcome] = read_gift(r"::k\:1::a\=b \~c \{d\} \#e \:f \\g\nh {=x\}y} \~。")

    assert outcome.draft.key == "k:1"
    assert outcome.draft.prompt == "a=b ~c {d} #e :f \\g\nh ＿＿＿ ~。"
    assert outcome.draft.blanks[0]["answer"] == "x}y"


def test_an_empty_gift_file_has_no_questions():
    assert read_gift("// 只有注释\n\n$CATEGORY: 空\n") == []


# --- Moodle XML as Moodle writes it ---------------------------------------------------------------------

FOREIGN_XML = """\
<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category><text>$course$/top/默认类别/工会基础知识</text></category>
    <info format="html"><text></text></info>
  </question>
<!-- question: 101  -->
  <question type="multichoice">
    <name><text>首都</text></name>
    <questiontext format="html"><text><![CDATA[<p dir="ltr" style="text-align: left;">中国的首都是&nbsp;<b>哪座</b>城市？<br></p>]]></text></questiontext>
    <generalfeedback format="html"><text><![CDATA[<p>北京是中国的首都。</p>]]></text></generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber>CAP-1</idnumber>
    <single>true</single>
    <shuffleanswers>true</shuffleanswers>
    <answernumbering>abc</answernumbering>
    <answer fraction="100" format="html"><text><![CDATA[<p>北京</p>]]></text><feedback format="html"><text>对</text></feedback></answer>
    <answer fraction="0" format="html"><text><![CDATA[<p>上海</p>]]></text><feedback format="html"><text></text></feedback></answer>
    <answer fraction="0" format="html"><text>广州</text></answer>
  </question>
  <question type="multichoice">
    <name><text>三种精神</text></name>
    <questiontext format="html"><text>下列哪些属于“三种精神”？</text></questiontext>
    <generalfeedback format="html"><text>出处：某文件第一段</text></generalfeedback>
    <single>false</single>
    <answer fraction="50" format="html"><text>劳模精神</text></answer>
    <answer fraction="-100" format="html"><text>奋斗精神</text></answer>
    <answer fraction="50" format="html"><text>工匠精神</text></answer>
  </question>
  <question type="truefalse">
    <name><text>判断</text></name>
    <questiontext format="moodle_auto_format"><text>太阳从西边升起。</text></questiontext>
    <answer fraction="0" format="moodle_auto_format"><text>true</text></answer>
    <answer fraction="100" format="moodle_auto_format"><text>false</text></answer>
  </question>
  <question type="category">
    <category><text>$course$/top/默认类别/工会基础知识/填空</text></category>
  </question>
  <question type="shortanswer">
    <name><text>年份</text></name>
    <questiontext format="html"><text><![CDATA[<p>中国工会十八大于哪一年召开？</p>]]></text></questiontext>
    <usecase>0</usecase>
    <answer fraction="100" format="moodle_auto_format"><text>2023年</text></answer>
    <answer fraction="100" format="moodle_auto_format"><text>二〇二三年</text></answer>
    <answer fraction="50" format="moodle_auto_format"><text>2023</text></answer>
  </question>
  <question type="shortanswer">
    <name><text>带空</text></name>
    <questiontext format="plain_text"><text>建好用好＿＿＿＿，服务职工。</text></questiontext>
    <answer fraction="100"><text>职工书屋</text></answer>
  </question>
  <question type="matching">
    <name><text>连线</text></name>
    <questiontext format="html"><text><![CDATA[<p>把人物与称号连起来。</p>]]></text></questiontext>
    <shuffleanswers>true</shuffleanswers>
    <subquestion format="html"><text><![CDATA[<p>许振超</p>]]></text><answer><text>大国工匠</text></answer></subquestion>
    <subquestion format="html"><text><![CDATA[<p>王进喜</p>]]></text><answer><text>铁人</text></answer></subquestion>
  </question>
  <question type="cloze">
    <name><text>完形</text></name>
    <questiontext format="html"><text><![CDATA[<p>工会坚持{1:SHORTANSWER:=党的领导~%50%领导#半对}，服务{:SA:=职工群众~=群众}。</p>]]></text></questiontext>
    <generalfeedback format="html"><text><![CDATA[<p>见章程总则。</p>]]></text></generalfeedback>
    <idnumber>CL-1</idnumber>
  </question>
  <question type="cloze">
    <name><text>完形选择</text></name>
    <questiontext format="html"><text><![CDATA[<p>工会是职工{1:MULTICHOICE:被动#不对~=自愿~%0%强制}结合的群众组织。</p>]]></text></questiontext>
  </question>
  <question type="essay">
    <name><text>问答</text></name>
    <questiontext format="html"><text>谈谈你对工会的理解。</text></questiontext>
  </question>
  <question type="cloze">
    <name><text>数值空</text></name>
    <questiontext format="html"><text>1+1={1:NUMERICAL:=2}，且{1:SA:=是}</text></questiontext>
  </question>
  <question type="description">
    <name><text>说明</text></name>
    <questiontext format="html"><text>以下为第二部分。</text></questiontext>
  </question>
  <question type="numerical">
    <name><text>数值</text></name>
    <questiontext format="html"><text>1+1=?</text></questiontext>
    <answer fraction="100"><text>2</text></answer>
  </question>
</quiz>
"""


def test_a_foreign_moodle_xml_file_reads_every_kind_it_can():
    outcomes = read_moodle_xml(FOREIGN_XML.encode("utf-8"))
    read = [o.draft for o in outcomes[:8]]

    assert [o.number for o in outcomes] == list(range(1, 13))
    assert [o.accepted for o in outcomes] == [True] * 8 + [False] * 4
    capital, spirits, sun, year, study, people, cloze, embedded = read
    assert (capital.type, capital.prompt, capital.choices, capital.answer_index) == (
        "choice",
        "中国的首都是 哪座城市？",
        ["北京", "上海", "广州"],
        0,
    )
    assert (capital.key, capital.explanation, capital.section) == ("CAP-1", "北京是中国的首都。", "工会基础知识")
    assert (spirits.type, spirits.correct_choices, spirits.explanation) == ("multiselect", [0, 2], "")
    assert (sun.type, sun.prompt, sun.answer_index) == ("truefalse", "太阳从西边升起。", 0)
    assert (year.prompt, year.section) == ("中国工会十八大于哪一年召开？＿＿＿＿＿", "填空")
    assert year.blanks[0]["accepted"] == ["2023年", "二〇二三年"]
    assert (study.prompt, study.blanks[0]["answer"]) == ("建好用好＿＿＿＿，服务职工。", "职工书屋")
    assert people.pairs == [["许振超", "大国工匠"], ["王进喜", "铁人"]]
    assert (cloze.prompt, cloze.key, cloze.explanation) == ("工会坚持＿＿＿＿，服务＿＿＿＿。", "CL-1", "见章程总则。")
    assert [(b["answer"], b["accepted"], b["any_order"]) for b in cloze.blanks] == [
        ("党的领导", ["党的领导"], False),
        ("职工群众", ["职工群众", "群众"], False),
    ]
    assert (embedded.type, embedded.prompt, embedded.choices, embedded.answer_index) == (
        "choice",
        "工会是职工＿＿结合的群众组织。",
        ["被动", "自愿", "强制"],
        1,
    )
    assert [o.errors for o in outcomes[8:]] == [
        ["第9题：不支持的题型“essay”"],
        ["第10题：完形填空题中不支持的答案空类型“NUMERICAL”（只支持填空，或只有一个选择空）"],
        ["第11题：不支持的题型“description”"],
        ["第12题：不支持的题型“numerical”"],
    ]


def test_embedded_fields_that_accept_each_other_are_one_any_order_group():
    xml = """<quiz><question type="cloze"><questiontext format="html"><text>弘扬{1:SA:=劳模精神~=“劳模精神”~=劳动精神}和{1:SA:=劳动精神~=劳模精神~=“劳模精神”}，{1:SA:=坚持}</text></questiontext></question></quiz>"""

    [outcome] = read_moodle_xml(xml)

    assert outcome.draft.prompt == "弘扬＿＿＿＿和＿＿＿＿，＿＿"
    assert [(b["answer"], b["accepted"], b["group"], b["any_order"]) for b in outcome.draft.blanks] == [
        ("劳模精神", ["劳模精神", "“劳模精神”"], 0, True),
        ("劳动精神", ["劳动精神"], 0, True),
        ("坚持", ["坚持"], 2, False),
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<quiz><question type='truefalse'>", "第1行第34列附近格式有误（no element found）"),
        ("这不是 XML", "第1行第1列附近格式有误（syntax error）"),
        ("<questions><question type='essay'/></questions>", "根元素应为 <quiz>，这里是 <questions>"),
        (
            '<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "aaaa">]><quiz>&a;</quiz>',
            "不接受 DOCTYPE 或实体声明",
        ),
    ],
)
def test_a_file_that_is_not_moodle_xml_gets_one_clear_error(text, reason):
    assert read_moodle_xml(text) == [RowOutcome(0, None, [f"文件不是有效的 Moodle XML：{reason}"])]


def test_moodle_xml_refusals_are_per_question():
    xml = """<quiz>
      <question type="multichoice"><questiontext><text>选哪个？</text></questiontext><single>true</single>
        <answer fraction="100"><text>甲</text></answer><answer fraction="100"><text>乙</text></answer></question>
      <question type="truefalse"><questiontext><text>对吗？</text></questiontext>
        <answer fraction="100"><text>true</text></answer></question>
      <question type="matching"><questiontext><text>连线</text></questiontext>
        <subquestion><text>甲</text><answer><text>一</text></answer></subquestion>
        <subquestion><text></text><answer><text>二</text></answer></subquestion></question>
      <question type="shortanswer"><questiontext><text>空</text></questiontext>
        <answer fraction="50"><text>半</text></answer></question>
      <question><questiontext><text>无题型</text></questiontext></question>
    </quiz>"""

    outcomes = read_moodle_xml(xml)

    assert [o.errors for o in outcomes] == [
        ["第1题：单选题应有且只有一个正确选项（现有2个）"],
        [],
        ["第3题：连线题中有只有右项的干扰项，本系统的连线题不支持"],
        ["第4题：填空题没有得满分的答案"],
        ["第5题：不支持的题型“”"],
    ]
    assert outcomes[1].draft.answer_index == 1


def test_moodle_xml_bytes_in_a_declared_chinese_encoding_are_read():
    xml = '<?xml version="1.0" encoding="GBK"?><quiz><question type="truefalse"><questiontext format="plain_text"><text>工会会员享有选举权。</text></questiontext><answer fraction="100"><text>true</text></answer></question></quiz>'

    [outcome] = read_moodle_xml(xml.encode("gbk"))

    assert (outcome.draft.prompt, outcome.draft.answer_index) == ("工会会员享有选举权。", 1)


def test_embedded_answers_keep_escaped_separators_and_backslashes():
    text = r"{1:SA:=a\~b\}c\#d\/e~=f\\#反馈}"
    xml = f"<quiz><question type='cloze'><questiontext format='plain_text'><text>{text}。</text></questiontext></question></quiz>"

    [outcome] = read_moodle_xml(xml)

    assert outcome.draft.blanks[0]["accepted"] == ["a~b}c#d/e", "f\\"]
