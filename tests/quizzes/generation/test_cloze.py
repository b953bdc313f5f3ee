"""Fill-in questions on the real document."""

import re
from collections import Counter

from quizzes.generation import source_lines
from quizzes.generation.cloze import accepted_variants, blank_out
from quizzes.generation.terms import STOP_WORDS, is_number
from tests.support import seed_document, seed_questions


def cloze():
    return seed_questions("cloze")


def line_text(question):
    """Body lines and topic titles (which are asked too)."""
    texts = {node.key: node.text for node in seed_document().nodes if node.kind in ("part", "task", "topic")}
    texts.update({line.key: line.text for line in source_lines(seed_document())})
    return texts[question.source_keys[0]]


def fill(prompt, answers):
    answers = iter(answers)
    return re.sub("＿+", lambda _: next(answers), prompt)


def test_every_answer_is_in_its_line_and_filling_the_blanks_gives_the_line_back():
    for question in cloze():
        text = line_text(question)
        assert all(blank.answer in text for blank in question.blanks)
        assert len(re.findall("＿+", question.prompt)) == len(question.blanks)
        assert fill(question.prompt, [b.answer for b in question.blanks]) == text


def test_no_blank_is_a_stop_word_or_a_single_character_unless_a_number():
    for question in cloze():
        for blank in question.blanks:
            assert blank.answer not in STOP_WORDS
            assert len(blank.answer) >= 2 or is_number(blank.answer)


def test_every_topic_has_at_least_three_fill_in_questions():
    topics = [node.text for node in seed_document().nodes if node.kind == "topic"]
    counts = Counter(q.topic for q in cloze())
    assert len(topics) == 28
    assert all(counts[topic] >= 3 for topic in topics), {t: counts[t] for t in topics if counts[t] < 3}


def test_the_well_known_terms_are_asked():
    answers = {tuple(b.answer for b in q.blanks) for q in cloze()}
    assert ("研读原著", "专题研讨", "调查研究", "转化运用") in answers
    assert ("引领力", "组织力", "服务力") in answers
    assert ("12351",) in answers
    assert ("安康杯",) in answers
    assert not {("工作",), ("加强",), ("建设",)} & answers


def test_an_enumeration_blanked_as_a_group_accepts_any_order():
    groups = [q for q in cloze() if len(q.blanks) > 1]
    assert groups
    for question in groups:
        assert all(b.any_order and b.group == question.blanks[0].group for b in question.blanks)
        # The blanks of a group are equally wide, so their length tells nothing about the order.
        assert len({len(run) for run in re.findall("＿+", question.prompt)}) == 1


def test_difficulty_is_between_zero_and_one_and_a_list_is_harder_than_one_word():
    assert all(0 <= q.difficulty <= 1 for q in cloze())
    by_answers = {tuple(b.answer for b in q.blanks): q.difficulty for q in cloze()}
    assert by_answers[("研读原著", "专题研讨", "调查研究", "转化运用")] > by_answers[("工会法",)]


def test_accepted_variants_cover_quotes_digit_widths_and_numerals():
    assert "“安康杯”" in accepted_variants("安康杯")
    assert "１２３５１" in accepted_variants("12351")
    assert "一千个" in accepted_variants("1000个")
    assert "双十五工程" in accepted_variants("双15工程")
    assert "3年" in accepted_variants("三年")
    assert "5年规划" in accepted_variants("五年规划")
    assert "中国梦劳动美" in accepted_variants("中国梦·劳动美")
    assert accepted_variants("四史")[0] == "四史"


def test_blank_out_sizes_each_run_to_the_given_width():
    assert blank_out("深化“安康杯”竞赛", [(3, 6, 3)]) == "深化“＿＿＿”竞赛"


def test_the_filler_of_a_set_phrase_is_never_the_answer():
    answers = {b.answer for q in cloze() for b in q.blanks}
    # 摆在更加突出位置, 建设成为名副其实的职工之家, 八项规定及其实施细则精神: where, how, the companion.
    assert not {"突出位置", "名副其实", "实施细则精神"} & answers
    assert "职工之家" in answers or any("职工之家" in q.prompt for q in seed_questions("truefalse"))


def test_no_blank_cuts_the_head_two_joined_peoples_share():
    # 工人阶级和广大|劳动群众合法权益: the rights are both peoples'; blanking one with them cuts the pair.
    answers = {b.answer for q in cloze() for b in q.blanks}
    assert "劳动群众合法权益" not in answers
    assert "以职工为中心" in answers
    assert "劳动群众合法权益" not in {b.answer for q in seed_questions("choice") for b in q.blanks}


def test_a_stem_that_is_only_a_frame_verb_keeps_the_generic_head_as_its_clue():
    prompts = {q.prompt: [b.answer for b in q.blanks] for q in cloze()}
    assert prompts.get("完善＿＿＿＿体系") == ["网络培训"]
    for prompt in prompts:
        rest = re.sub(r"＿+|[^\u4e00-\u9fff]", "", prompt)
        assert len(rest) >= 2, prompt


def test_a_list_of_generic_kinds_is_not_blanked_but_its_line_is_still_asked():
    line = "完善创新工作体系、工作内容和工作方式"
    assert not [q for q in cloze() if fill(q.prompt, [b.answer for b in q.blanks]) == line]
    assert [q for q in seed_questions("truefalse") if q.prompt == line]


def test_a_name_the_document_writes_whole_twice_is_blanked_whole():
    answers = {b.answer for q in cloze() for b in q.blanks}
    assert "劳模和工匠人才创新工作室" in answers
    assert "创新工作室" not in answers


def test_a_thin_topic_takes_no_filler_and_a_generic_member_stays_as_the_clue():
    answers = {b.answer for q in cloze() for b in q.blanks}
    # 品牌交流活动: a kind of thing; 常态化机制: a manner of a generic head; 各国工会组织: a generic member.
    assert not {"交流活动", "常态化机制", "工会组织"} & answers
    assert "区域和国际工会组织" in answers


def test_no_blank_stops_before_a_bracketed_part_of_its_name():
    for question in cloze():
        assert not re.search("＿[（(]", question.prompt), question.prompt  # 工业园（区）


def test_a_title_blanked_at_its_edge_is_not_asked_when_a_sibling_title_fits_it():
    # 健全完善＿＿: 管理体系 and 工会组织体系 are both titles under the same part.
    assert not [q for q in cloze() if q.prompt == "健全完善＿＿＿＿"]
