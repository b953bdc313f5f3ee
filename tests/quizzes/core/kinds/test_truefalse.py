"""判断: the verdict read from the form (1 正确, 0 错误), marked against the statement, feedback that
names the swapped term, and export. Pure: no database."""

import pytest
from fsrs import Rating

from quizzes.core.checking import MalformedAnswer, normalize
from quizzes.core.kinds import KINDS
from quizzes.core.kinds.base import Option, Row

from .samples import FALSE_STATEMENT, TRUE_STATEMENT, answers, changed, form, moodle

truefalse = KINDS["truefalse"]


# --- Reading the form ------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "judged"), [("choice=1", True), ("choice=0", False), ("choice=+1", True)])
def test_the_form_sends_1_for_true_and_0_for_false(data, judged):
    assert truefalse.answer_from_post(TRUE_STATEMENT, {}, form(data)) is judged


@pytest.mark.parametrize(
    "data", ["", "choice=", "other=1", "choice=true", "choice=正确", "choice=-1", "choice=2", "choice=10"]
)
def test_a_form_without_a_verdict_is_refused(data):
    with pytest.raises(MalformedAnswer, match="请判断这句话是否正确"):
        truefalse.answer_from_post(TRUE_STATEMENT, {}, form(data))


def test_the_form_values_do_not_depend_on_the_statement():
    assert (
        truefalse.post_data(TRUE_STATEMENT, {}, True)
        == truefalse.post_data(FALSE_STATEMENT, {}, True)
        == {"choice": "1"}
    )
    assert truefalse.post_data(TRUE_STATEMENT, {}, False) == {"choice": "0"}


# --- The answer's shape and marking ----------------------------------------------------------------


@pytest.mark.parametrize("given", [1, 0, "1", "true", None, [True]])
def test_an_answer_that_is_not_a_bool_is_refused(given):
    with pytest.raises(MalformedAnswer):
        truefalse.validate(TRUE_STATEMENT, given)


@pytest.mark.parametrize(
    ("q", "judged", "right"),
    [
        (TRUE_STATEMENT, True, True),
        (TRUE_STATEMENT, False, False),
        (FALSE_STATEMENT, False, True),
        (FALSE_STATEMENT, True, False),
    ],
)
def test_a_verdict_is_right_when_it_matches_the_statement(q, judged, right):
    check = truefalse.check(q, judged)

    assert (check.marks, check.credit, check.is_correct) == ([right], float(right), right)


def test_answer_index_1_makes_the_statement_true():
    assert truefalse.right_answer(TRUE_STATEMENT) is True
    assert truefalse.right_answer(FALSE_STATEMENT) is False
    assert truefalse.wrong_answer(TRUE_STATEMENT) is False
    assert truefalse.wrong_answer(FALSE_STATEMENT) is True


def test_a_statement_without_an_answer_index_is_false():
    assert truefalse.right_answer(changed(TRUE_STATEMENT, answer_index=None)) is False


def test_a_wrong_verdict_rates_the_line_again_and_a_quick_right_one_easy():
    wrong = truefalse.check(FALSE_STATEMENT, True)
    right = truefalse.check(FALSE_STATEMENT, False)

    assert truefalse.ratings(FALSE_STATEMENT, wrong, 1.0, {}) == {"t1": Rating.Again}
    assert truefalse.ratings(FALSE_STATEMENT, right, 1.0, {}) == {"t1": Rating.Easy}
    assert truefalse.ratings(FALSE_STATEMENT, right, 60.0, {}) == {"t1": Rating.Good}


# --- The form, feedback and reports ----------------------------------------------------------------


def test_the_inputs_offer_true_then_false():
    inputs = truefalse.inputs(TRUE_STATEMENT, {}, None)

    assert inputs.choices == [Option(1, "正确"), Option(0, "错误")]
    assert inputs.prompt_parts == inputs.blanks == inputs.lefts == inputs.rights == []


@pytest.mark.parametrize(("data", "picked"), [("choice=1", ["1", ""]), ("choice=0", ["", "1"]), ("choice=2", ["", ""])])
def test_the_inputs_keep_the_verdict_picked_after_a_refused_submit(data, picked):
    inputs = truefalse.inputs(TRUE_STATEMENT, {}, form(data))

    assert [option.picked for option in inputs.choices] == picked


def test_the_feedback_of_a_true_statement_says_it_is_true():
    assert truefalse.feedback_rows(TRUE_STATEMENT, False, [False]) == [Row("", "错误", "正确", False)]
    assert truefalse.feedback_rows(TRUE_STATEMENT, True, [True]) == [Row("", "正确", "正确", True)]


def test_the_feedback_of_a_false_statement_names_the_document_s_term_and_the_term_shown():
    rows = truefalse.feedback_rows(FALSE_STATEMENT, True, [False])

    assert rows == [Row("", "正确", "错误：原文为“职工书屋”，不是“职工食堂”", False)]


def test_the_feedback_of_a_false_statement_without_its_term_just_says_false():
    rows = truefalse.feedback_rows(changed(FALSE_STATEMENT, blanks=[]), False, [True])

    assert rows == [Row("", "错误", "错误", True)]


def test_the_feedback_of_a_missing_verdict_shows_nothing_given():
    assert truefalse.feedback_rows(TRUE_STATEMENT, None, [])[0].given == ""


def test_the_key_text_is_the_document_s_term():
    assert truefalse.key_texts(FALSE_STATEMENT) == ["职工书屋"]
    assert truefalse.key_texts(changed(FALSE_STATEMENT, blanks=[])) == []


@pytest.mark.parametrize(("judged", "texts"), [(True, ["判为正确"]), (False, ["判为错误"]), (None, [])])
def test_the_wrong_answer_text_is_the_verdict_given(judged, texts):
    assert truefalse.wrong_answer_texts(FALSE_STATEMENT, judged, [False], normalize) == texts


# --- Export ----------------------------------------------------------------------------------------


def test_gift_gives_t_for_a_true_statement_and_f_for_a_false_one():
    assert truefalse.gift(TRUE_STATEMENT) == ["建好用好职工书屋。 {T}"]
    assert truefalse.gift(FALSE_STATEMENT) == ["建好用好职工食堂。 {F}"]


def test_gift_escapes_the_statement():
    assert truefalse.gift(changed(TRUE_STATEMENT, prompt="a=b: {c}")) == [r"a\=b\: \{c\} {T}"]


@pytest.mark.parametrize(
    ("q", "fractions"),
    [(TRUE_STATEMENT, [("true", "100"), ("false", "0")]), (FALSE_STATEMENT, [("true", "0"), ("false", "100")])],
)
def test_moodle_xml_is_a_truefalse_question_with_the_right_verdict_at_100(q, fractions):
    [element] = moodle(truefalse, q)

    assert element.get("type") == "truefalse"
    assert element.findtext("questiontext/text") == q.prompt
    assert answers(element) == fractions
