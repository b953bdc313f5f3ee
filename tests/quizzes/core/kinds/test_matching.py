"""连线: the shuffled right column, reading the pairs from the form, marking them, rating the line of
each pair, feedback and export. Pure: no database."""

import random

import pytest
from fsrs import Rating

from quizzes.core.checking import Check, MalformedAnswer, normalize
from quizzes.core.kinds import KINDS
from quizzes.core.kinds.base import Option, Row
from quizzes.core.kinds.matching import matching_marks, pair_line_keys

from .samples import MATCHING, changed, form, moodle, question

matching = KINDS["matching"]

LINES = {"t1": "劳模精神：争创一流", "t2": "劳动精神：崇尚劳动", "t3": "工匠精神：精益求精"}
SHOWN = {"right_order": [2, 0, 1], "pair_keys": ["t1", "t2", "t3"]}  # 精益求精, 争创一流, 崇尚劳动


def of_size(size):
    return question("matching", pairs=[[f"左{index}", f"右{index}"] for index in range(size)])


def shuffled_layout(q=MATCHING):
    return matching.layout(q, random.Random(1), LINES)


def rated(marks, elapsed, pair_keys):
    check = Check(marks=marks, credit=sum(marks) / len(marks), is_correct=all(marks))
    return matching.ratings(MATCHING, check, elapsed, {"pair_keys": pair_keys})


# --- The attempt's layout --------------------------------------------------------------------------


def test_the_layout_shuffles_the_right_column_and_finds_the_line_of_each_pair():
    layout = shuffled_layout()

    assert sorted(layout["right_order"]) == [0, 1, 2]
    assert layout["right_order"] != [0, 1, 2]
    assert layout["pair_keys"] == ["t1", "t2", "t3"]


def test_the_layout_reads_only_the_question_s_own_source_lines():
    q = changed(MATCHING, source_text_keys=["t1"])

    assert shuffled_layout(q)["pair_keys"] == ["t1", "", ""]


def test_a_pair_belongs_to_the_line_with_both_items_else_its_right_item_else_its_left_item():
    lines = {"a": "甲要乙", "b": "只有丙", "c": "丁在此", "d": "乙在此"}

    assert pair_line_keys([["甲", "乙"], ["丁", "丙"], ["丁", "戊"], ["标题", "另一标题"]], lines) == [
        "a",
        "b",
        "c",
        "",
    ]


# --- Reading the form ------------------------------------------------------------------------------


def test_the_form_sends_shown_positions_which_the_layout_turns_into_pairs():
    assert matching.answer_from_post(MATCHING, SHOWN, form("pair-0=1&pair-1=2&pair-2=0")) == [0, 1, 2]
    assert matching.answer_from_post(MATCHING, SHOWN, form("pair-0=0&pair-1=1&pair-2=2")) == [2, 0, 1]


def test_without_a_layout_the_right_column_is_in_pair_order():
    assert matching.answer_from_post(MATCHING, {}, form("pair-0=1&pair-1=2&pair-2=0")) == [1, 2, 0]


def test_the_same_right_item_may_be_picked_for_several_left_items():
    given = matching.answer_from_post(MATCHING, SHOWN, form("pair-0=1&pair-1=1&pair-2=1"))

    assert given == [0, 0, 0]
    assert matching.check(MATCHING, given).marks == [True, False, False]


@pytest.mark.parametrize(
    "data",
    [
        "pair-0=0&pair-1=1",  # a left item without its field
        "",
        "pair-0=0&pair-1=x&pair-2=2",  # not a number
        "pair-0=0&pair-1=&pair-2=2",
        "pair-0=0&pair-1=-1&pair-2=2",
        "pair-0=0&pair-1=1&pair-2=3",  # no such position
        "pair-0=0&pair-1=1&pair-2=9999",
    ],
)
def test_a_form_that_does_not_pair_every_left_item_with_a_shown_item_is_refused(data):
    with pytest.raises(MalformedAnswer, match="请为左边的每一项选好配对"):
        matching.answer_from_post(MATCHING, SHOWN, form(data))


def test_the_right_and_the_wrong_answer_read_back_through_a_shuffled_layout():
    layout = shuffled_layout()
    for given in (matching.right_answer(MATCHING), matching.wrong_answer(MATCHING), [1, 1, 0]):
        data = matching.post_data(MATCHING, layout, given)

        assert data != matching.post_data(MATCHING, {}, given)
        assert matching.answer_from_post(MATCHING, layout, form(data)) == given


# --- The answer's shape and marking ----------------------------------------------------------------


@pytest.mark.parametrize("given", [[0, 1], [0, 1, 3], "012", [0, 1, -1], [0, True, 2], [0, 1, "2"], None])
def test_an_answer_that_does_not_pair_every_left_item_is_refused(given):
    with pytest.raises(MalformedAnswer):
        matching.validate(of_size(3), given)


def test_an_answer_may_pick_the_same_right_item_twice():
    matching.validate(of_size(3), [2, 2, 0])


def test_matching_scores_each_correct_pair():
    pairs = [["甲", "一"], ["乙", "二"], ["丙", "三"], ["丁", "四"]]

    check = matching.check(question("matching", pairs=pairs), [0, 2, 1, 3])

    assert check.marks == [True, False, False, True]
    assert check.credit == 0.5
    assert not check.is_correct


def test_matching_accepts_a_right_item_with_the_same_text():
    assert matching_marks([["甲", "同"], ["乙", "同"]], [1, 0]) == [True, True]


def test_the_wrong_answer_pairs_every_left_item_with_the_next_right_item():
    assert matching.wrong_answer(MATCHING) == [1, 2, 0]
    assert matching.check(MATCHING, [1, 2, 0]).marks == [False, False, False]


# --- Ratings ---------------------------------------------------------------------------------------


def test_each_pair_rates_its_own_line():
    ratings = rated([True, False, True], None, ["t1", "t2", "t3"])

    assert ratings == {"t1": Rating.Good, "t2": Rating.Again, "t3": Rating.Good}


def test_a_line_rated_by_several_pairs_keeps_the_lowest_rating():
    assert rated([True, False, True], None, ["t1", "t1", "t2"]) == {"t1": Rating.Again, "t2": Rating.Good}
    assert rated([False, True, True], None, ["t1", "t1", "t2"]) == {"t1": Rating.Again, "t2": Rating.Good}
    assert rated([True, True, True], 15.0, ["t1", "t1", "t2"]) == {"t1": Rating.Easy, "t2": Rating.Easy}


def test_a_pair_of_headings_rates_nothing():
    assert rated([False, True, False], None, ["", "t2", ""]) == {"t2": Rating.Good}


def test_the_time_is_shared_among_the_pairs():
    assert rated([True, True, True], 15.0, ["t1", "t2", "t3"]) == dict.fromkeys(["t1", "t2", "t3"], Rating.Easy)
    assert rated([True, True, True], 30.0, ["t1", "t2", "t3"]) == dict.fromkeys(["t1", "t2", "t3"], Rating.Good)


def test_the_ratings_follow_the_layout_not_the_source_text_keys():
    check = matching.check(MATCHING, [0, 1, 2])

    assert matching.ratings(MATCHING, check, None, {}) == {}
    assert matching.ratings(MATCHING, check, None, shuffled_layout()) == dict.fromkeys(["t1", "t2", "t3"], Rating.Good)


# --- The form, feedback and reports ----------------------------------------------------------------


def test_the_inputs_show_the_left_items_in_order_and_the_right_items_shuffled():
    inputs = matching.inputs(MATCHING, SHOWN, None)

    assert inputs.lefts == [Option(0, "劳模精神"), Option(1, "劳动精神"), Option(2, "工匠精神")]
    assert inputs.rights == [Option(0, "精益求精"), Option(1, "争创一流"), Option(2, "崇尚劳动")]
    assert inputs.prompt_parts == inputs.blanks == inputs.choices == []


def test_the_inputs_keep_the_items_picked_after_a_refused_submit():
    inputs = matching.inputs(MATCHING, SHOWN, form("pair-0=2&pair-2=0"))

    assert [option.picked for option in inputs.lefts] == ["2", "", "0"]
    assert [option.picked for option in inputs.rights] == ["", "", ""]


def test_the_feedback_shows_each_left_item_with_the_right_item_picked_and_the_right_one():
    rows = matching.feedback_rows(MATCHING, [0, 2, 1], [True, False, False])

    assert rows == [
        Row("劳模精神", "争创一流", "争创一流", True),
        Row("劳动精神", "精益求精", "崇尚劳动", False),
        Row("工匠精神", "崇尚劳动", "精益求精", False),
    ]


def test_the_key_texts_are_both_items_of_every_pair():
    assert matching.key_texts(MATCHING) == ["劳模精神", "争创一流", "劳动精神", "崇尚劳动", "工匠精神", "精益求精"]


def test_the_wrong_answer_texts_are_the_wrong_pairings():
    texts = matching.wrong_answer_texts(MATCHING, [0, 2, 1], [True, False, False], normalize)

    assert texts == ["劳动精神 → 精益求精", "工匠精神 → 崇尚劳动"]


# --- Export ----------------------------------------------------------------------------------------


def test_gift_lists_the_pairs():
    assert matching.gift(MATCHING) == [
        "请将精神与其内涵连线。 { =劳模精神 -> 争创一流 =劳动精神 -> 崇尚劳动 =工匠精神 -> 精益求精 }"
    ]


def test_moodle_xml_is_a_matching_question_with_a_subquestion_per_pair():
    [element] = moodle(matching, MATCHING)

    assert element.get("type") == "matching"
    assert element.findtext("questiontext/text") == "请将精神与其内涵连线。"
    assert element.findtext("shuffleanswers") == "true"
    assert [(sub.findtext("text"), sub.findtext("answer/text")) for sub in element.findall("subquestion")] == [
        ("劳模精神", "争创一流"),
        ("劳动精神", "崇尚劳动"),
        ("工匠精神", "精益求精"),
    ]
