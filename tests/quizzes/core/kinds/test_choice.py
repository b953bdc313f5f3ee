"""单选: reading the option picked, marking it, feedback and export. Pure: no database."""

import pytest

from quizzes.core.checking import MalformedAnswer, normalize
from quizzes.core.kinds import KINDS
from quizzes.core.kinds.base import Option, Row

from .samples import CHOICE, answers, changed, form, moodle, question

choice = KINDS["choice"]


def of_size(size, answer_index=0):
    return question("choice", choices=[f"选项{index}" for index in range(size)], answer_index=answer_index)


# --- Reading the form ------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "given"), [("choice=0", 0), ("choice=3", 3), ("choice=+2+", 2)])
def test_the_form_gives_the_index_of_the_option_picked(data, given):
    assert choice.answer_from_post(CHOICE, {}, form(data)) == given


@pytest.mark.parametrize("data", ["", "choice=", "other=1", "choice=x", "choice=-1", "choice=1.0", "choice=12345"])
def test_a_form_without_an_option_number_is_refused(data):
    with pytest.raises(MalformedAnswer, match="请选择一个选项"):
        choice.answer_from_post(CHOICE, {}, form(data))


@pytest.mark.parametrize("data", ["choice=4", "choice=9999"])
def test_an_option_out_of_range_is_refused_before_it_is_marked(data):
    # answer_from_post leaves the range to validate(), which check() always runs.
    with pytest.raises(MalformedAnswer, match="请选择一个选项"):
        choice.check(CHOICE, choice.answer_from_post(CHOICE, {}, form(data)))


# --- The answer's shape and marking ----------------------------------------------------------------


@pytest.mark.parametrize("given", [4, -1, "1", True, None, [1], 1.0])
def test_an_answer_that_is_not_an_option_index_is_refused(given):
    with pytest.raises(MalformedAnswer):
        choice.validate(of_size(4), given)


def test_every_option_index_is_accepted():
    for given in range(4):
        choice.validate(of_size(4), given)


def test_a_single_choice_is_right_only_at_the_answer_index():
    assert choice.check(of_size(4, answer_index=2), 2).is_correct
    assert not choice.check(of_size(4, answer_index=2), 1).is_correct


def test_check_gives_one_mark_and_all_or_nothing():
    right = choice.check(CHOICE, choice.right_answer(CHOICE))
    wrong = choice.check(CHOICE, choice.wrong_answer(CHOICE))

    assert (right.marks, right.credit, right.is_correct) == ([True], 1.0, True)
    assert (wrong.marks, wrong.credit, wrong.is_correct) == ([False], 0.0, False)


def test_the_wrong_answer_wraps_around_from_the_last_option():
    last = changed(CHOICE, answer_index=3)

    assert choice.wrong_answer(last) == 0
    assert not choice.check(last, choice.wrong_answer(last)).is_correct


# --- The form, feedback and reports ----------------------------------------------------------------


def test_the_inputs_are_the_options_in_order():
    inputs = choice.inputs(CHOICE, {}, None)

    assert inputs.choices == [Option(index, text) for index, text in enumerate(CHOICE.choices)]
    assert inputs.blanks == inputs.lefts == inputs.rights == []


def test_the_inputs_keep_the_option_picked_after_a_refused_submit():
    inputs = choice.inputs(CHOICE, {}, form("choice=2"))

    assert [option.picked for option in inputs.choices] == ["", "", "1", ""]


def test_the_feedback_shows_the_option_picked_beside_the_right_one():
    assert choice.feedback_rows(CHOICE, 2, [False]) == [Row("", "劳动竞赛", "产业工人队伍建设", False)]
    assert choice.feedback_rows(CHOICE, 0, [True]) == [Row("", "产业工人队伍建设", "产业工人队伍建设", True)]


def test_the_feedback_of_an_answer_that_is_not_an_option_shows_nothing_given():
    assert choice.feedback_rows(CHOICE, 7, []) == [Row("", "", "产业工人队伍建设", False)]


def test_the_key_text_is_the_right_option():
    assert choice.key_texts(CHOICE) == ["产业工人队伍建设"]


def test_the_wrong_answer_text_is_the_option_picked():
    assert choice.wrong_answer_texts(CHOICE, 3, [False], normalize) == ["民主管理"]
    assert choice.wrong_answer_texts(CHOICE, None, [], normalize) == []


# --- Export ----------------------------------------------------------------------------------------


def test_gift_puts_the_options_in_place_of_the_blank():
    assert choice.gift(CHOICE) == ["深化{ =产业工人队伍建设 ~工会组织 ~劳动竞赛 ~民主管理 }改革。"]


def test_gift_puts_the_options_after_a_prompt_without_a_blank():
    q = changed(CHOICE, prompt="哪一项是改革的对象：", answer_index=1)

    assert choice.gift(q) == ["哪一项是改革的对象： { ~产业工人队伍建设 =工会组织 ~劳动竞赛 ~民主管理 }"]


def test_moodle_xml_is_a_single_answer_multichoice_with_the_right_option_at_100():
    [element] = moodle(choice, CHOICE)

    assert element.get("type") == "multichoice"
    assert element.findtext("questiontext/text") == "深化＿＿＿＿改革。"
    assert element.findtext("single") == "true"
    assert answers(element) == [("产业工人队伍建设", "100"), ("工会组织", "0"), ("劳动竞赛", "0"), ("民主管理", "0")]
