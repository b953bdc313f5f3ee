"""The quality figures' definitions, on small hand-made documents and questions; and the figures of
the seed bank against the gold annotation are well-formed (not their values: the generator changes)."""

from pathlib import Path

import pytest

from quizzes.generation import Blank, GeneratedQuestion, generate_questions
from quizzes.generation.quality import (
    GENERIC_HEADS,
    KINDS,
    gold_text_key,
    is_generic,
    number_unit,
    quality,
    read_gold,
    read_gold_lines,
    recalls,
)
from studyapp.documents.parsing import normalize_for_key, parse_document
from tests.support import seed_document

ROOT = Path(__file__).resolve().parents[3]
GOLD = ROOT / "tests" / "data" / "acftu-key-terms.tsv"

FIRST_TOPIC, SECOND_TOPIC = "强化思想引领", "弘扬劳模精神"
FIRST_LINES = [
    "加强职工文化阵地建设",
    "保持和增强政治性、先进性、群众性",
    "开展“中国梦·劳动美”、“大国工匠”主题活动",
    "培育选树1000个基层站点",
    "要坚持以职工为中心的工作导向",
]
SECOND_LINES = ["大力弘扬劳模精神、劳动精神、工匠精神", "推进新兴产业、数字经济和技术创新", "用三年时间建设服务站点"]


def items(lines):
    return "\n".join(f"- {line}" for line in lines)


DOC = parse_document(
    f"# 测试文件\n\n## 主要工作\n\n### (一) 建设职工文化阵地\n\n#### {FIRST_TOPIC}\n\n{items(FIRST_LINES)}\n\n"
    f"#### {SECOND_TOPIC}\n\n{items(SECOND_LINES)}\n"
)
NODES = {node.text: node for node in DOC.nodes}


def node(text):
    return NODES[text]


def blanked(text, answers):
    """The line with each answer (in order) replaced by a run of ＿ as long as it."""
    prompt, at = "", 0
    for answer in answers:
        start = text.index(answer, at)
        prompt += text[at:start] + "＿" * len(answer)
        at = start + len(answer)
    return prompt + text[at:]


def cloze(text, *answers, group=False):
    line = node(text)
    blanks = tuple(Blank(a, (a,), 0 if group else i, group) for i, a in enumerate(answers))
    return GeneratedQuestion(
        key=f"cloze|{text}|{'/'.join(answers)}",
        type="cloze",
        prompt=blanked(text, answers),
        blanks=blanks,
        source_keys=(line.key,),
        source_text_keys=(line.text_key,),
    )


def choice(text, answer, *distractors):
    line = node(text)
    return GeneratedQuestion(
        key=f"choice|{text}|{answer}",
        type="choice",
        prompt=blanked(text, [answer]),
        blanks=(Blank(answer, (answer,), 0, False),),
        choices=(answer, *distractors),
        answer_index=0,
        source_keys=(line.key,),
        source_text_keys=(line.text_key,),
    )


def truefalse(text, answer, shown):
    line = node(text)
    return GeneratedQuestion(
        key=f"truefalse|{text}|{answer}",
        type="truefalse",
        prompt=text.replace(answer, shown, 1),
        blanks=(Blank(answer, (answer,), 0, False, shown),),
        answer_index=int(answer == shown),
        source_keys=(line.key,),
        source_text_keys=(line.text_key,),
    )


def multiselect(text, right, wrong):
    line = node(text)
    options = (*right, *wrong)
    return GeneratedQuestion(
        key=f"multiselect|{text}",
        type="multiselect",
        prompt="下列并列提出的有（ ）。",
        choices=options,
        correct_choices=tuple(range(len(right))),
        source_keys=(line.key,),
        source_text_keys=(line.text_key,),
    )


def gold_of(rows):
    return {node(text).text_key: list(terms) for text, terms in rows.items()}


# --- The document ---------------------------------------------------------------------------------


def test_the_hand_made_document_parses_as_intended():
    assert [n.kind for n in DOC.nodes].count("point") == 8
    assert node("推进新兴产业、数字经济和技术创新").kind == "point"


# --- Recall ---------------------------------------------------------------------------------------


def test_a_blank_recalls_a_term_it_equals_or_extends_with_generic_filler_only():
    assert recalls("职工文化阵地", ["职工文化阵地"])
    assert recalls("职工文化阵地", ["职工文化阵地建设"])  # + a generic head
    assert recalls("工匠学院", ["工匠学院建设体系"])  # + two
    assert recalls("以职工为中心", ["以职工为中心的工作导向"])  # 的 joins the filler
    assert recalls("工会法", ["《工会法》"])  # quotes do not count
    assert not recalls("职工文化阵地", ["文化阵地"])  # part of the term
    assert not recalls("以职工为中心", ["工作导向"])  # the filler alone
    assert not recalls("工匠学院", ["线上线下结合的工匠学院"])  # + content, not filler
    assert not recalls("职工文化阵地", ["职工文化阵地建"])  # filler is whole words


def test_an_enumeration_group_recalls_a_listed_term_it_covers():
    assert recalls("政治性、先进性、群众性", ["政治性", "先进性", "群众性"])
    assert recalls("政治性、先进性、群众性", ["群众性", "政治性", "先进性"])  # any order
    assert recalls("技术革新、网上练兵和“五小”", ["技术革新", "网上练兵", "五小"])
    assert recalls("工资决定、合理增长、支付保障", ["职工工资决定", "合理增长", "支付保障机制"])  # filler at the ends
    assert recalls("工会+法院+检察院", ["工会", "法院", "检察院"])
    assert not recalls("政治性、先进性、群众性", ["政治性", "先进性"])  # a member left visible
    assert not recalls("政治性、先进性、群众性", ["政治性"])


def test_recall_counts_fill_ins_on_the_gold_line_only():
    gold = gold_of(
        {
            "加强职工文化阵地建设": ["职工文化阵地"],
            "保持和增强政治性、先进性、群众性": ["政治性、先进性、群众性"],
            "开展“中国梦·劳动美”、“大国工匠”主题活动": ["中国梦·劳动美"],
            "要坚持以职工为中心的工作导向": ["以职工为中心"],
            "培育选树1000个基层站点": ["1000个"],
        }
    )
    questions = [
        cloze("加强职工文化阵地建设", "职工文化阵地建设"),  # recalled: filler added
        cloze("保持和增强政治性、先进性、群众性", "政治性", "先进性", "群众性", group=True),  # recalled: the group
        cloze("开展“中国梦·劳动美”、“大国工匠”主题活动", "大国工匠"),  # another term of the line
        cloze("要坚持以职工为中心的工作导向", "工作导向"),  # the filler, not the term
        choice("培育选树1000个基层站点", "1000个", "500个", "2000个", "100个"),  # not a fill-in
        cloze("用三年时间建设服务站点", "三年"),  # a line without gold terms
    ]
    figures = quality(DOC, questions, gold)
    assert (figures.gold_lines, figures.gold_terms, figures.recalled, figures.lines_recalled) == (5, 5, 2, 2)
    assert figures.recall == pytest.approx(2 / 5)
    assert {(m.answer, m.line) for m in figures.misses} == {
        ("中国梦·劳动美", "开展“中国梦·劳动美”、“大国工匠”主题活动"),
        ("以职工为中心", "要坚持以职工为中心的工作导向"),
        ("1000个", "培育选树1000个基层站点"),
    }
    assert figures.gold_unmatched == ()


def test_a_gold_line_missing_from_the_document_is_reported_and_left_out():
    gold = {
        gold_text_key("point", "加强职工文化阵地建设"): ["职工文化阵地"],
        gold_text_key("point", "不在文件里"): ["文件"],
    }
    figures = quality(DOC, [cloze("加强职工文化阵地建设", "职工文化阵地")], gold)
    assert figures.gold_unmatched == (gold_text_key("point", "不在文件里"),)
    assert (figures.gold_terms, figures.recalled) == (1, 1)


def test_without_gold_there_is_no_recall():
    figures = quality(DOC, [cloze("加强职工文化阵地建设", "职工文化阵地")])
    assert figures.recall is None and figures.misses == () and not figures.has_gold


def test_read_gold_matches_lines_as_the_parser_keys_them(tmp_path):
    path = tmp_path / "gold.tsv"
    path.write_text(
        "kind\tline\tkey_terms\tnote\n"
        "point\t保持和增强政治性、先进性、群众性\t政治性、先进性、群众性 | 保持和增强\ta triad\n"
        "task\t建设职工文化阵地\t职工文化阵地\t\n"
        "point\t保持和增强政治性、先进性、群众性\t政治性、先进性、群众性\tagain: merged\n",
        encoding="utf-8",
    )
    assert read_gold(path) == {
        node("保持和增强政治性、先进性、群众性").text_key: ["政治性、先进性、群众性", "保持和增强"],
        node("建设职工文化阵地").text_key: ["职工文化阵地"],
    }
    assert read_gold_lines(path)[0].note == "a triad"
    # Width and spacing do not matter: the gold file keeps the Markdown's punctuation.
    assert gold_text_key("task", "坚持党的全面领导, 引导职工群众") == gold_text_key(
        "task", "坚持党的全面领导，引导职工群众"
    )


# --- Blanks ---------------------------------------------------------------------------------------


def test_numbers_are_digits_or_chinese_numerals_with_a_measure_word():
    assert number_unit("12351") == ""
    assert number_unit("1000个") == number_unit("500个") == number_unit("两个") == "个"
    assert number_unit("三年") == "年" and number_unit("五年规划") == "年规划"
    assert number_unit("二十五人") == "人"
    assert number_unit("百分之四十") == number_unit("40%") == number_unit("40％") == "%"
    assert number_unit("双15工程") == "双工程"
    for word in ("五小", "一带一路", "三", "十四五", "四史", "一把手", "工会"):
        assert number_unit(word) is None, word


def test_generic_blanks_are_made_only_of_generic_heads_and_common_words():
    for answer in ("工作导向", "工作力度", "工会组织", "广大职工", "试点工作", "组织"):
        assert is_generic(answer), answer
    for answer in ("工资集体协商", "社会组织", "职工文化阵地", "以职工为中心", "用人单位"):
        assert not is_generic(answer), answer
    assert {"工作", "力度", "导向", "体系", "机制", "组织", "建设"} <= GENERIC_HEADS


def test_each_blank_is_classified_by_the_first_kind_that_applies():
    questions = [
        cloze("培育选树1000个基层站点", "1000个"),  # number
        cloze("用三年时间建设服务站点", "三年"),  # number, Chinese
        cloze("开展“中国梦·劳动美”、“大国工匠”主题活动", "中国梦·劳动美"),  # quoted (and listed)
        cloze("保持和增强政治性、先进性、群众性", "政治性", "先进性", "群众性", group=True),  # 3 members
        cloze("推进新兴产业、数字经济和技术创新", "技术创新"),  # listed, but not in an any-order group: a phrase
        cloze("加强职工文化阵地建设", "职工文化阵地"),  # phrase
        cloze("要坚持以职工为中心的工作导向", "工作导向"),  # phrase, and generic
        cloze("用三年时间建设服务站点", "站点"),  # word
    ]
    figures = quality(DOC, questions)
    assert figures.blanks == 10
    assert figures.blank_kinds == {"number": 2, "quoted": 1, "member": 3, "phrase": 3, "word": 1}
    assert figures.blank_share("member") == pytest.approx(0.3)
    assert [(n.answer, n.line) for n in figures.generic_blanks] == [("工作导向", "要坚持以职工为中心的工作导向")]
    assert figures.generic_share == pytest.approx(0.1)


# --- Coverage -------------------------------------------------------------------------------------


def test_thin_topics_and_lines_without_a_question():
    questions = [
        cloze("加强职工文化阵地建设", "职工文化阵地"),
        cloze("培育选树1000个基层站点", "1000个"),
        cloze("保持和增强政治性、先进性、群众性", "政治性", "先进性", "群众性", group=True),
        cloze("大力弘扬劳模精神、劳动精神、工匠精神", "劳模精神"),
        choice("推进新兴产业、数字经济和技术创新", "数字经济", "新兴产业", "新型工业化", "人工智能"),  # any type covers
    ]
    figures = quality(DOC, questions)
    assert (figures.topic_kind, figures.topics) == ("topic", 2)
    assert figures.thin_topics == ((SECOND_TOPIC, 1),)  # a choice is no fill-in; 3 questions count once each
    assert figures.lines == 8
    assert set(figures.uncovered) == {
        "开展“中国梦·劳动美”、“大国工匠”主题活动",
        "要坚持以职工为中心的工作导向",
        "用三年时间建设服务站点",
    }


def test_a_document_without_topics_counts_its_deepest_headings():
    law = parse_document(
        "# 法\n\n## 第一章 总则\n\n### 第一条\n\n为保障工会的地位，制定本法。\n\n### 第二条\n\n工会是群众组织。\n"
    )
    line = next(n for n in law.nodes if n.text == "工会是群众组织。")
    question = GeneratedQuestion(
        key="k",
        type="cloze",
        prompt="工会是＿＿＿＿。",
        blanks=(Blank("群众组织", ("群众组织",), 0, False),),
        source_keys=(line.key,),
        source_text_keys=(line.text_key,),
    )
    figures = quality(law, [question])
    assert (figures.topic_kind, figures.topics) == ("task", 2)
    assert figures.thin_topics == (("第一条", 0), ("第二条", 1))
    assert figures.uncovered == ("为保障工会的地位，制定本法。",)


# --- Distractors ----------------------------------------------------------------------------------


def test_single_choice_distractors_of_the_answers_kind():
    questions = [
        # number: same measure word only
        choice("培育选树1000个基层站点", "1000个", "500个", "两个", "三年"),
        # member: a string whose head is of the member's kind (先进性: a quality), not a member of
        # another kind (工匠精神: an idea) nor a phrase of another (文化阵地: a place)
        choice("保持和增强政治性、先进性、群众性", "群众性", "工匠精神", "先进性", "文化阵地"),
        # phrase: a head of the same kind (阵地, 站点: places), not 导向
        choice("加强职工文化阵地建设", "职工文化阵地", "职工活动阵地", "服务站点", "工作导向"),
        # quoted: quoted somewhere in the document
        choice("开展“中国梦·劳动美”、“大国工匠”主题活动", "中国梦·劳动美", "大国工匠", "劳模精神", "最美职工"),
    ]
    figures = quality(DOC, questions).distractors["choice"]
    assert (figures.slots, figures.same_kind) == (12, 6)
    off = {(o.answer, o.kind, o.distractor) for o in quality(DOC, questions).off_kind}
    assert off == {
        ("1000个", "number", "三年"),
        ("群众性", "member", "工匠精神"),
        ("群众性", "member", "文化阵地"),
        ("职工文化阵地", "phrase", "工作导向"),
        ("中国梦·劳动美", "quoted", "劳模精神"),  # listed, but not quoted
        ("中国梦·劳动美", "quoted", "最美职工"),  # nowhere in the document
    }


def test_true_false_and_multiple_select_distractors():
    questions = [
        truefalse("推进新兴产业、数字经济和技术创新", "技术创新", "数字创新"),  # same head kind (创新)
        truefalse("用三年时间建设服务站点", "三年", "1000个"),  # other unit: not
        truefalse("加强职工文化阵地建设", "职工文化阵地", "职工文化阵地"),  # true: no distractor
        multiselect("大力弘扬劳模精神、劳动精神、工匠精神", ["劳模精神", "工匠精神"], ["奋斗精神", "服务站点"]),
    ]
    figures = quality(DOC, questions)
    assert (figures.distractors["truefalse"].slots, figures.distractors["truefalse"].same_kind) == (2, 1)
    assert (figures.distractors["multiselect"].slots, figures.distractors["multiselect"].same_kind) == (2, 1)
    assert figures.same_kind.slots == 4 and figures.same_kind.share == pytest.approx(0.5)
    assert figures.distractors["choice"].share is None  # no single choice: nothing to divide


def test_the_most_reused_distractors_are_counted_over_all_types():
    questions = [
        choice("加强职工文化阵地建设", "职工文化阵地", "服务站点", "工作导向", "劳模精神"),
        choice("推进新兴产业、数字经济和技术创新", "技术创新", "劳模精神", "先进性", "服务站点"),
        truefalse("大力弘扬劳模精神、劳动精神、工匠精神", "劳模精神", "服务站点"),
    ]
    figures = quality(DOC, questions)
    assert figures.reused[:2] == (("服务站点", 3), ("劳模精神", 2))
    assert (figures.distractor_pool, figures.same_kind.slots) == (4, 7)


# --- Redundancy and give-aways --------------------------------------------------------------------


def test_single_choices_that_repeat_a_fill_in_on_the_same_line():
    questions = [
        cloze("加强职工文化阵地建设", "职工文化阵地"),
        cloze("推进新兴产业、数字经济和技术创新", "数字经济"),
        choice("加强职工文化阵地建设", "职工文化阵地", "a", "b", "c"),  # same line, same answer
        choice("推进新兴产业、数字经济和技术创新", "技术创新", "a", "b", "c"),  # same line, another answer
        choice("用三年时间建设服务站点", "服务站点", "a", "b", "c"),  # no fill-in on its line
    ]
    figures = quality(DOC, questions)
    assert figures.choices == 3
    assert [(n.answer, n.line) for n in figures.duplicate_choices] == [("职工文化阵地", "加强职工文化阵地建设")]


def test_answers_readable_in_a_heading_above_the_question():
    questions = [
        cloze("加强职工文化阵地建设", "职工文化阵地"),  # in the task title 建设职工文化阵地
        cloze("大力弘扬劳模精神、劳动精神、工匠精神", "劳模精神"),  # in the topic title 弘扬劳模精神
        choice("推进新兴产业、数字经济和技术创新", "技术创新", "a", "b", "c"),  # in no heading
        cloze("保持和增强政治性、先进性、群众性", "群众性"),  # 群众 is not 群众性
    ]
    figures = quality(DOC, questions)
    assert {(g.type, g.answer, g.heading) for g in figures.giveaways} == {
        ("cloze", "职工文化阵地", "建设职工文化阵地"),
        ("cloze", "劳模精神", SECOND_TOPIC),
    }


def test_a_heading_asked_as_itself_gives_nothing_away_by_its_own_title():
    topic = node(SECOND_TOPIC)
    question = GeneratedQuestion(
        key="k",
        type="cloze",
        prompt="弘扬＿＿＿＿",
        blanks=(Blank("劳模精神", ("劳模精神",), 0, False),),
        source_keys=(topic.key,),
        source_text_keys=(topic.text_key,),
    )
    assert quality(DOC, [question]).giveaways == ()


# --- The seed -------------------------------------------------------------------------------------


def test_the_seed_figures_are_well_formed_and_every_gold_line_is_in_the_document():
    document = seed_document()
    gold_lines = read_gold_lines(GOLD)
    figures = quality(document, generate_questions(document, seed=0), read_gold(GOLD))

    missing = [f"{g.kind}\t{g.text}" for g in gold_lines if g.text_key in figures.gold_unmatched]
    assert not missing, "gold lines that match no line of the document:\n" + "\n".join(missing)
    assert figures.gold_lines == len({g.text_key for g in gold_lines})
    assert figures.gold_terms == sum(len(dict.fromkeys(terms)) for terms in read_gold(GOLD).values())
    for line in gold_lines:  # every gold term stands in its line
        assert all(normalize_for_key(term) in normalize_for_key(line.text) for term in line.terms), line.text
    assert figures.recalled + len(figures.misses) == figures.gold_terms
    assert figures.blanks == sum(figures.blank_kinds.values()) > 0 and set(figures.blank_kinds) == set(KINDS)
    assert figures.lines == 114 and figures.topics == 28
    for name, share in figures.shares().items():
        assert share is None or 0 <= share <= 1, name
    assert figures.recall is not None
