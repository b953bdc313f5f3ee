"""Normalising and checking answers: pure functions, no database."""

import pytest

from quizzes.core.checking import (
    MAX_ANSWER_LENGTH,
    MalformedAnswer,
    Segment,
    answer_check,
    cloze_marks,
    highlight,
    matching_marks,
    normalize,
    validate_answer,
)


def blank(answer, *accepted, group=None, any_order=False):
    return {"answer": answer, "accepted": [answer, *accepted], "group": group, "any_order": any_order}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ＡＢＣ１２３", "abc123"),  # full-width letters and digits
        ("“大国工匠”", "大国工匠"),
        ("「大国工匠」", "大国工匠"),
        ("『安康杯』", "安康杯"),
        ("\"安康杯'", "安康杯"),
        ("《工会法》", "工会法"),
        ("工业园（区）", "工业园区"),
        ("  职工 书屋 ", "职工书屋"),
        ("职工书屋。", "职工书屋"),
        ("，职工书屋！", "职工书屋"),
        ("黨聯繫職工羣眾的橋樑紐帶", "党联系职工群众的桥梁纽带"),  # traditional → simplified
        ("\u3000双15工程\u3000", "双15工程"),
    ],
)
def test_normalize_folds_width_quotes_brackets_spaces_edge_punctuation_and_traditional(typed, expected):
    assert normalize(typed) == expected


def test_normalize_keeps_punctuation_inside_an_answer():
    assert normalize("一带一路、职工") == "一带一路、职工"


def test_a_fill_in_blank_accepts_the_answer_and_any_listed_variant():
    blanks = [blank("产业工人队伍建设改革", "产业工人队伍改革")]

    assert cloze_marks(blanks, ["产业工人队伍建设改革"]) == [True]
    assert cloze_marks(blanks, ["产业工人队伍改革"]) == [True]
    assert cloze_marks(blanks, ["产业工人"]) == [False]


def test_a_fill_in_blank_accepts_traditional_characters_and_full_width_forms():
    assert cloze_marks([blank("12351维权服务热线")], ["１２３５１維權服務熱線"]) == [True]


def test_blanks_of_an_any_order_group_accept_their_members_in_any_order():
    blanks = [
        blank("劳模精神", group=1, any_order=True),
        blank("劳动精神", group=1, any_order=True),
        blank("工匠精神", group=1, any_order=True),
    ]

    assert cloze_marks(blanks, ["工匠精神", "劳模精神", "劳动精神"]) == [True, True, True]
    assert cloze_marks(blanks, ["工匠精神", "工匠精神", "劳动精神"]) == [True, False, True]


def test_members_of_a_group_typed_into_one_box_count_for_the_whole_group():
    blanks = [
        blank("劳模精神", group=1, any_order=True),
        blank("劳动精神", group=1, any_order=True),
        blank("工匠精神", group=1, any_order=True),
    ]

    for typed in ("工匠精神、劳模精神、劳动精神", "工匠精神，劳模精神,劳动精神", "工匠精神 劳模精神 劳动精神"):
        assert cloze_marks(blanks, [typed, "", ""]) == [True, True, True]


def test_a_group_typed_into_one_box_with_one_wrong_member_loses_that_member_only():
    blanks = [blank("劳模精神", group=1, any_order=True), blank("劳动精神", group=1, any_order=True)]

    marks = cloze_marks(blanks, ["", "劳模精神、奋斗精神"])

    assert sorted(marks) == [False, True]


def test_blanks_of_different_groups_do_not_lend_each_other_members():
    blanks = [blank("甲", group=1, any_order=True), blank("乙", group=1, any_order=True), blank("丙")]

    assert cloze_marks(blanks, ["乙", "甲", "甲"]) == [True, True, False]


def test_a_blank_without_any_order_must_be_answered_in_its_own_box():
    blanks = [blank("送温暖"), blank("送清凉")]

    assert cloze_marks(blanks, ["送清凉", "送温暖"]) == [False, False]


def test_answer_check_gives_partial_credit_per_blank():
    check = answer_check(question_type="cloze", given=["送温暖", "错"], blanks=[blank("送温暖"), blank("送清凉")])

    assert check.marks == [True, False]
    assert check.credit == 0.5
    assert not check.is_correct


def test_matching_scores_each_correct_pair():
    pairs = [["甲", "一"], ["乙", "二"], ["丙", "三"], ["丁", "四"]]

    check = answer_check(question_type="matching", given=[0, 2, 1, 3], pairs=pairs)

    assert check.marks == [True, False, False, True]
    assert check.credit == 0.5


def test_matching_accepts_a_right_item_with_the_same_text():
    assert matching_marks([["甲", "同"], ["乙", "同"]], [1, 0]) == [True, True]


def test_single_choice_is_right_only_at_the_answer_index():
    assert answer_check(question_type="choice", given=2, answer_index=2).is_correct
    assert not answer_check(question_type="choice", given=1, answer_index=2).is_correct


@pytest.mark.parametrize(
    ("question_type", "size", "given"),
    [
        ("cloze", 2, ["只有一个"]),
        ("cloze", 1, "不是列表"),
        ("cloze", 1, [3]),
        ("cloze", 1, ["x" * (MAX_ANSWER_LENGTH + 1)]),
        ("cloze", 2, ["", "  "]),
        ("choice", 4, 4),
        ("choice", 4, -1),
        ("choice", 4, "1"),
        ("choice", 4, True),
        ("matching", 3, [0, 1]),
        ("matching", 3, [0, 1, 3]),
        ("matching", 3, "012"),
        ("essay", 1, ["?"]),
    ],
)
def test_validate_answer_refuses_answers_of_the_wrong_shape(question_type, size, given):
    with pytest.raises(MalformedAnswer):
        validate_answer(question_type=question_type, size=size, given=given)


def test_validate_answer_accepts_200_characters_and_a_partly_empty_fill_in():
    validate_answer(question_type="cloze", size=2, given=["x" * MAX_ANSWER_LENGTH, ""])
    validate_answer(question_type="matching", size=3, given=[2, 2, 0])
    validate_answer(question_type="choice", size=4, given=3)


def test_highlight_marks_each_answer_where_it_occurs_in_order():
    segments = highlight("建好用好工人文化宫、职工书屋、工人疗养院", ["职工书屋", "工人疗养院"])

    assert segments == [
        Segment("建好用好工人文化宫、"),
        Segment("职工书屋", marked=True),
        Segment("、"),
        Segment("工人疗养院", marked=True),
    ]


def test_highlight_marks_a_repeated_word_after_the_previous_answer():
    segments = highlight("工会甲工会乙", ["甲", "工会"])

    assert [s.text for s in segments if s.marked] == ["甲", "工会"]
    assert "".join(s.text for s in segments) == "工会甲工会乙"


def test_highlight_leaves_the_text_whole_when_no_answer_occurs():
    assert highlight("没有答案", ["不在"]) == [Segment("没有答案")]
