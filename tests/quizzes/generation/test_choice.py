"""Single-choice questions: four options, exactly one right, distractors of the same kind."""

import re

from quizzes.generation import source_lines
from quizzes.generation.choice import _hinted, synthetic_numbers
from quizzes.generation.heads import head_kind
from quizzes.generation.terms import PHRASE, QUOTED, Term, is_number
from tests.support import seed_document, seed_questions


def choices():
    return seed_questions("choice")


def lines_by_key():
    titles = {node.key: node.text for node in seed_document().nodes if node.kind in ("part", "task", "topic")}
    return titles | {line.key: line.text for line in source_lines(seed_document())}


def test_there_are_choice_questions_and_none_repeats_a_fill_in_of_its_line():
    # Every single choice used to repeat a fill-in on its line (95 of 95); now a single choice
    # asks what the fill-ins do not, with three distractors of its kind, so there are fewer of them
    # (was >= 80; 12 today: the fill-ins ask most key terms, and a line's next idea goes to a
    # true/false first when it has a plausible false swap).
    assert len(choices()) >= 10
    fill_ins = {}
    for question in seed_questions("cloze"):
        fill_ins.setdefault(question.source_text_keys[0], set()).update(b.answer for b in question.blanks)
    for question in choices():
        assert question.blanks[0].answer not in fill_ins.get(question.source_text_keys[0], set())


def test_each_question_has_four_distinct_options_and_exactly_one_correct():
    texts = lines_by_key()
    all_lines = set(texts.values())
    for question in choices():
        assert len(question.choices) == 4 and len(set(question.choices)) == 4
        line = texts[question.source_keys[0]]
        right = [option for option in question.choices if re.sub("＿+", option, question.prompt) == line]
        assert right == [question.choices[question.answer_index]] == [question.blanks[0].answer]
        for option in question.choices:
            if option != question.blanks[0].answer:
                assert option not in line
                assert re.sub("＿+", option, question.prompt) not in all_lines


def test_distractors_are_of_the_same_kind_as_the_answer():
    names = {m.group(1) for line in lines_by_key().values() for m in QUOTED.finditer(line)}
    for question in choices():
        if question.form == "number":
            assert all(is_number(option) for option in question.choices)
        if question.form == "name":
            assert set(question.choices) <= names


def test_the_blank_does_not_betray_the_answer_by_its_length():
    for question in choices():
        assert len(re.search("＿+", question.prompt).group()) == max(2, *(len(c) for c in question.choices))


def test_synthetic_numbers_keep_the_form_of_the_number():
    assert "12351" not in synthetic_numbers("12351")
    assert all(re.fullmatch(r"\d{5}", n) for n in synthetic_numbers("12351"))
    assert all(n.endswith("个") for n in synthetic_numbers("1000个"))
    assert "两年" in synthetic_numbers("三年") and "三年" not in synthetic_numbers("三年")


def test_an_answer_is_never_the_odd_one_out_among_its_options():
    from quizzes.generation.choice import odd_one_out

    assert odd_one_out("重要论述", ["工匠精神", "实施细则精神", "劳模精神"])
    assert not odd_one_out("劳模精神", ["工匠精神", "实施细则精神", "劳动精神"])
    assert not odd_one_out("重要论述", ["时代主题", "重要思想", "劳模精神"])
    for question in choices():
        answer = question.choices[question.answer_index]
        distractors = [c for c in question.choices if c != answer]
        assert not odd_one_out(answer, distractors), question.choices


def test_a_single_choice_never_asks_an_answer_made_only_of_kind_words():
    from quizzes.generation.phrases import made_of_kind_words

    assert made_of_kind_words("专项行动") and made_of_kind_words("教育和活动")
    assert made_of_kind_words("职工专项行动") and made_of_kind_words("有关部门")  # a context word aside
    assert not made_of_kind_words("劳模工匠进校园") and not made_of_kind_words("国际交流合作机制")
    for question in choices():
        assert not made_of_kind_words(question.choices[question.answer_index]), question.prompt


def test_no_answer_is_half_of_a_pair_its_modifier_governs():
    # 深化工会改革和建设: 工会 governs both heads; 工会改革 or 改革和建设 alone fits no option set.
    answers = {b.answer for q in choices() for b in q.blanks}
    assert not {"工会改革", "改革和建设"} & answers


def test_no_option_holds_the_answers_head_as_its_own_modifier():
    # 双边多边国际交流 against 交流活动: a kind of 交流 is nearly the answer itself.
    for question in choices():
        answer = question.blanks[0].answer
        for option in question.choices:
            if option != answer and answer[-2:] not in ("工会", "职工"):
                assert answer[-2:] not in option[:-2], (answer, option)


def test_a_process_is_offered_only_processes_of_a_like_length_and_culture_is_no_process():
    assert head_kind("廉政文化") != "process"
    assert head_kind("新型工业化") == "process"
    for question in choices():
        answer = question.blanks[0].answer
        if head_kind(answer) == "process":
            assert all(abs(len(option) - len(answer)) <= 1 for option in question.choices), question.choices


def test_a_risk_is_offered_risks_not_what_is_done_about_one():
    assert head_kind("重大风险隐患") == head_kind("政治安全") == "risk"
    assert head_kind("风险预警") == head_kind("源头治理") == "response"


def test_no_single_choice_answer_shares_a_specific_word_with_the_rest_of_its_stem():
    # 把＿＿摆在更加突出位置，强化经常性纪律教育: 纪律建设 would be picked for 纪律 alone.
    assert _hinted(Term("纪律建设", 1, PHRASE), "把纪律建设摆在更加突出位置，强化经常性纪律教育")
    assert not _hinted(Term("成果转化", 13, PHRASE), "强化职工创新成果展示交流和成果转化")  # 成果 is common
    for question in choices():
        answer = question.blanks[0].answer
        start = question.prompt.index("＿")
        line = question.prompt.replace("＿" * question.prompt.count("＿"), answer)
        assert not _hinted(Term(answer, start, PHRASE), line), (answer, question.prompt)
