"""多选: the options ticked, read from the form, marked one by one and credited as contest banks do
(all right → 1, some right and none wrong → ½, any wrong → 0), feedback and export. Pure: no
database."""

import pytest
from fsrs import Rating

from quizzes.core.checking import MalformedAnswer, normalize
from quizzes.core.kinds import KINDS
from quizzes.core.kinds.base import Option, Row

from .samples import MULTISELECT, answers, changed, form, moodle, question

multiselect = KINDS["multiselect"]


def of_size(size, correct=(0,)):
    return question("multiselect", choices=[f"选项{index}" for index in range(size)], correct_choices=list(correct))


# --- Reading the form ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "given"),
    [("choice=1", [1]), ("choice=3&choice=1", [1, 3]), ("choice=0&choice=1&choice=2&choice=3", [0, 1, 2, 3])],
)
def test_the_form_gives_the_sorted_indexes_of_the_options_ticked(data, given):
    assert multiselect.answer_from_post(MULTISELECT, {}, form(data)) == given


def test_a_box_sent_twice_is_counted_once():
    assert multiselect.answer_from_post(MULTISELECT, {}, form("choice=2&choice=0&choice=2")) == [0, 2]


def test_more_values_than_options_are_refused_even_when_they_repeat_one_option():
    with pytest.raises(MalformedAnswer, match="选项重复"):
        multiselect.answer_from_post(MULTISELECT, {}, form("&".join(["choice=1"] * 5)))


@pytest.mark.parametrize(
    "data", ["", "other=1", "choice=", "choice=x", "choice=1&choice=x", "choice=-1", "choice=12345"]
)
def test_a_form_without_option_numbers_is_refused(data):
    with pytest.raises(MalformedAnswer, match="请至少选择一个选项"):
        multiselect.answer_from_post(MULTISELECT, {}, form(data))


@pytest.mark.parametrize("data", ["choice=4", "choice=1&choice=9999"])
def test_an_option_out_of_range_is_refused_before_it_is_marked(data):
    # answer_from_post leaves the range to validate(), which check() always runs.
    with pytest.raises(MalformedAnswer, match="请至少选择一个选项"):
        multiselect.check(MULTISELECT, multiselect.answer_from_post(MULTISELECT, {}, form(data)))


def test_the_form_sends_one_value_per_option_ticked():
    assert multiselect.post_data(MULTISELECT, {}, [0, 2]) == {"choice": ["0", "2"]}


# --- The answer's shape ----------------------------------------------------------------------------


@pytest.mark.parametrize("given", [[], [4], [-1], [1, 1], [0, True], ["1"], 1, "01", (0, 1), None])
def test_an_answer_that_is_not_a_list_of_distinct_option_indexes_is_refused(given):
    with pytest.raises(MalformedAnswer):
        multiselect.validate(of_size(4), given)


def test_any_non_empty_set_of_options_is_accepted():
    for given in ([0], [3], [0, 1, 2, 3], [2, 0]):
        multiselect.validate(of_size(4), given)


# --- Marking ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "marks", "credit"),
    [
        ([0, 1, 2], [True, True, True, True], 1.0),  # every right option, no wrong one
        ([0, 2], [True, False, True, True], 0.5),  # some right ones, no wrong one
        ([1], [False, True, False, True], 0.5),
        ([0, 1, 2, 3], [True, True, True, False], 0.0),  # a wrong option costs everything
        ([0, 3], [True, False, False, False], 0.0),
        ([3], [False, False, False, False], 0.0),
    ],
)
def test_each_option_is_marked_and_credit_is_all_half_or_nothing(given, marks, credit):
    check = multiselect.check(MULTISELECT, given)

    assert check.marks == marks
    assert check.credit == credit
    assert check.is_correct is (credit == 1.0)


def test_a_single_right_option_earns_all_or_nothing():
    q = of_size(4, correct=[2])

    assert multiselect.check(q, [2]).credit == 1.0
    assert multiselect.check(q, [2, 3]).credit == 0.0


def test_the_wrong_answer_ticks_every_wrong_option():
    assert multiselect.wrong_answer(MULTISELECT) == [3]
    assert multiselect.wrong_answer(of_size(5, correct=[1, 3])) == [0, 2, 4]


def test_the_right_answer_is_sorted():
    assert multiselect.right_answer(of_size(4, correct=[2, 0])) == [0, 2]


def test_a_wrong_answer_rates_the_line_again_and_a_right_one_by_its_time():
    wrong = multiselect.check(MULTISELECT, [0, 3])
    right = multiselect.check(MULTISELECT, [0, 1, 2])

    assert multiselect.ratings(MULTISELECT, wrong, 1.0, {}) == {"t1": Rating.Again}
    assert multiselect.ratings(MULTISELECT, multiselect.check(MULTISELECT, [0]), 1.0, {}) == {"t1": Rating.Again}
    assert multiselect.ratings(MULTISELECT, right, 1.0, {}) == {"t1": Rating.Easy}
    assert multiselect.ratings(MULTISELECT, right, 600.0, {}) == {"t1": Rating.Good}


# --- The form, feedback and reports ----------------------------------------------------------------


def test_the_inputs_are_the_options_in_order():
    inputs = multiselect.inputs(MULTISELECT, {}, None)

    assert inputs.choices == [Option(index, text) for index, text in enumerate(MULTISELECT.choices)]
    assert inputs.prompt_parts == inputs.blanks == inputs.lefts == inputs.rights == []


def test_the_inputs_keep_the_options_ticked_after_a_refused_submit():
    inputs = multiselect.inputs(MULTISELECT, {}, form("choice=0&choice=2&choice=x"))

    assert [option.picked for option in inputs.choices] == ["1", "", "1", ""]


def test_the_feedback_shows_the_options_ticked_beside_the_right_ones():
    rows = multiselect.feedback_rows(MULTISELECT, [3, 0], [True, False, False, False])

    assert rows == [Row("", "劳模精神、奋斗精神", "劳模精神、劳动精神、工匠精神", False)]


def test_the_feedback_is_right_only_when_every_option_is():
    assert multiselect.feedback_rows(MULTISELECT, [0, 1, 2], [True] * 4)[0].ok
    assert not multiselect.feedback_rows(MULTISELECT, [0, 1], [True, True, False, True])[0].ok


def test_the_key_texts_are_the_right_options():
    assert multiselect.key_texts(MULTISELECT) == ["劳模精神", "劳动精神", "工匠精神"]


def test_the_wrong_answer_text_is_the_options_ticked_together():
    texts = multiselect.wrong_answer_texts(MULTISELECT, [3, 1], [False, True, False, False], normalize)

    assert texts == ["劳动精神、奋斗精神"]
    assert multiselect.wrong_answer_texts(MULTISELECT, None, [], normalize) == []


# --- Export ----------------------------------------------------------------------------------------


def test_gift_shares_100_among_the_right_options_and_takes_100_for_a_wrong_one():
    assert multiselect.gift(MULTISELECT) == [
        "下列哪些属于“三种精神”？ { ~%33.33333%劳模精神 ~%33.33333%劳动精神 ~%33.33333%工匠精神 ~%-100%奋斗精神 }"
    ]
    assert multiselect.gift(changed(MULTISELECT, correct_choices=[0, 2])) == [
        "下列哪些属于“三种精神”？ { ~%50%劳模精神 ~%-100%劳动精神 ~%50%工匠精神 ~%-100%奋斗精神 }"
    ]


def test_moodle_xml_is_a_multichoice_of_several_answers_with_shared_fractions():
    [element] = moodle(multiselect, MULTISELECT)

    assert element.get("type") == "multichoice"
    assert element.findtext("questiontext/text") == MULTISELECT.prompt
    assert element.findtext("single") == "false"
    assert answers(element) == [
        ("劳模精神", "33.33333"),
        ("劳动精神", "33.33333"),
        ("工匠精神", "33.33333"),
        ("奋斗精神", "-100"),
    ]


def test_moodle_xml_of_two_right_options_gives_each_50():
    [element] = moodle(multiselect, changed(MULTISELECT, correct_choices=[1, 3]))

    assert [fraction for _text, fraction in answers(element)] == ["-100", "50", "-100", "50"]
