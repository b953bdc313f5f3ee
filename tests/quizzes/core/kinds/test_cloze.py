"""填空: reading the blanks from the form, marking them (variants, any-order groups), feedback and
export. Pure: no database."""

import pytest
from fsrs import Rating

from quizzes.core.checking import MAX_ANSWER_LENGTH, MalformedAnswer, normalize
from quizzes.core.kinds import KINDS
from quizzes.core.kinds.base import Option, Row
from quizzes.core.kinds.cloze import cloze_marks

from .samples import CLOZE, answers, blank, changed, form, moodle, question

cloze = KINDS["cloze"]


def with_blanks(*blanks, prompt=""):
    return question("cloze", prompt=prompt or "＿＿" * len(blanks), blanks=list(blanks))


def of_size(size):
    return with_blanks(*(blank(f"答案{index}") for index in range(size)))


# --- Reading the form ------------------------------------------------------------------------------


def test_the_form_gives_one_text_per_blank_as_typed():
    assert cloze.answer_from_post(CLOZE, {}, form("blank-0=劳模精神&blank-1=+职工书屋+")) == ["劳模精神", " 职工书屋 "]


def test_an_empty_box_is_read_as_an_empty_text():
    assert cloze.answer_from_post(CLOZE, {}, form("blank-0=&blank-1=职工书屋")) == ["", "职工书屋"]


@pytest.mark.parametrize("data", ["blank-0=劳模精神", "blank-1=职工书屋", "", "blank-0=x&blank-2=y"])
def test_a_form_without_every_blank_is_refused(data):
    with pytest.raises(MalformedAnswer, match="缺少第"):
        cloze.answer_from_post(CLOZE, {}, form(data))


def test_the_missing_blank_is_named_counting_from_one():
    with pytest.raises(MalformedAnswer, match="第 2 个空"):
        cloze.answer_from_post(CLOZE, {}, form("blank-0=劳模精神"))


def test_a_first_blank_sent_twice_is_refused():
    with pytest.raises(MalformedAnswer, match="每个空只能有一个答案"):
        cloze.answer_from_post(CLOZE, {}, form("blank-0=甲&blank-0=乙&blank-1=丙"))


def test_a_later_blank_sent_twice_is_refused():
    with pytest.raises(MalformedAnswer, match="每个空只能有一个答案"):
        cloze.answer_from_post(CLOZE, {}, form("blank-0=甲&blank-1=乙&blank-1=丙"))


# --- The answer's shape ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "given"),
    [
        (2, ["只有一个"]),
        (1, "不是列表"),
        (1, [3]),
        (1, ["x" * (MAX_ANSWER_LENGTH + 1)]),
        (2, ["", "  "]),
    ],
)
def test_an_answer_of_the_wrong_shape_is_refused(size, given):
    with pytest.raises(MalformedAnswer):
        cloze.validate(of_size(size), given)
    with pytest.raises(MalformedAnswer):
        cloze.check(of_size(size), given)


def test_200_characters_and_a_partly_empty_answer_are_accepted():
    cloze.validate(of_size(2), ["x" * MAX_ANSWER_LENGTH, ""])

    assert cloze.check(of_size(2), ["x" * MAX_ANSWER_LENGTH, ""]).marks == [False, False]


# --- Marking ---------------------------------------------------------------------------------------


def test_a_blank_accepts_the_answer_and_any_listed_variant():
    blanks = [blank("产业工人队伍建设改革", "产业工人队伍改革")]

    assert cloze_marks(blanks, ["产业工人队伍建设改革"]) == [True]
    assert cloze_marks(blanks, ["产业工人队伍改革"]) == [True]
    assert cloze_marks(blanks, ["产业工人"]) == [False]


def test_a_blank_accepts_traditional_characters_and_full_width_forms():
    assert cloze_marks([blank("12351维权服务热线")], ["１２３５１維權服務熱線"]) == [True]


def test_blanks_of_an_any_order_group_accept_their_members_in_any_order():
    blanks = [
        blank("劳模精神", group=1, any_order=True),
        blank("劳动精神", group=1, any_order=True),
        blank("工匠精神", group=1, any_order=True),
    ]

    assert cloze_marks(blanks, ["工匠精神", "劳模精神", "劳动精神"]) == [True, True, True]
    assert cloze_marks(blanks, ["工匠精神", "工匠精神", "劳动精神"]) == [True, False, True]


@pytest.mark.parametrize(
    "typed", ["工匠精神、劳模精神、劳动精神", "工匠精神，劳模精神,劳动精神", "工匠精神 劳模精神 劳动精神"]
)
def test_members_of_a_group_typed_into_one_box_count_for_the_whole_group(typed):
    blanks = [
        blank("劳模精神", group=1, any_order=True),
        blank("劳动精神", group=1, any_order=True),
        blank("工匠精神", group=1, any_order=True),
    ]

    assert cloze_marks(blanks, [typed, "", ""]) == [True, True, True]


def test_a_group_typed_into_one_box_with_one_wrong_member_loses_that_member_only():
    blanks = [blank("劳模精神", group=1, any_order=True), blank("劳动精神", group=1, any_order=True)]

    assert sorted(cloze_marks(blanks, ["", "劳模精神、奋斗精神"])) == [False, True]


def test_blanks_of_different_groups_do_not_lend_each_other_members():
    blanks = [blank("甲", group=1, any_order=True), blank("乙", group=1, any_order=True), blank("丙")]

    assert cloze_marks(blanks, ["乙", "甲", "甲"]) == [True, True, False]


def test_a_blank_without_any_order_must_be_answered_in_its_own_box():
    assert cloze_marks([blank("送温暖"), blank("送清凉")], ["送清凉", "送温暖"]) == [False, False]


def test_check_gives_partial_credit_per_blank():
    check = cloze.check(with_blanks(blank("送温暖"), blank("送清凉")), ["送温暖", "错"])

    assert check.marks == [True, False]
    assert check.credit == 0.5
    assert not check.is_correct


def test_check_marks_the_key_right_and_the_wrong_answer_wrong():
    right = cloze.check(CLOZE, cloze.right_answer(CLOZE))
    wrong = cloze.check(CLOZE, cloze.wrong_answer(CLOZE))

    assert (right.marks, right.credit, right.is_correct) == ([True, True], 1.0, True)
    assert (wrong.marks, wrong.credit, wrong.is_correct) == ([False, False], 0.0, False)


# --- Ratings ---------------------------------------------------------------------------------------


def test_each_blank_allows_more_time_for_a_quick_right_answer():
    one = changed(CLOZE, blanks=CLOZE.blanks[:1], prompt="大力弘扬＿＿＿＿。")

    assert cloze.ratings(one, cloze.check(one, ["劳模精神"]), 10.0, {}) == {"t1": Rating.Good}
    assert cloze.ratings(CLOZE, cloze.check(CLOZE, ["劳模精神", "职工书屋"]), 10.0, {}) == {"t1": Rating.Easy}


def test_one_wrong_blank_rates_the_line_again():
    assert cloze.ratings(CLOZE, cloze.check(CLOZE, ["劳模精神", "错"]), 1.0, {}) == {"t1": Rating.Again}


# --- The form, feedback and reports ----------------------------------------------------------------


def test_the_inputs_cut_the_prompt_at_its_blanks():
    inputs = cloze.inputs(CLOZE, {}, None)

    assert inputs.prompt_parts == [("大力弘扬", None), ("", 1), ("，建好用好", None), ("", 2), ("。", None)]
    assert inputs.blanks == [Option(0, ""), Option(1, "")]
    assert inputs.choices == inputs.lefts == inputs.rights == []


def test_the_inputs_keep_what_was_typed_after_a_refused_submit():
    inputs = cloze.inputs(CLOZE, {}, form("blank-0=劳模"))

    assert inputs.blanks == [Option(0, "", "劳模"), Option(1, "", "")]


def test_the_feedback_shows_each_blank_beside_its_answer():
    rows = cloze.feedback_rows(CLOZE, ["劳模精神", "职工之家"], [True, False])

    assert rows == [Row("第 1 空", "劳模精神", "劳模精神", True), Row("第 2 空", "职工之家", "职工书屋", False)]


def test_the_feedback_of_a_missing_answer_shows_empty_blanks():
    rows = cloze.feedback_rows(CLOZE, None, [])

    assert [(row.given, row.ok) for row in rows] == [("", False), ("", False)]


def test_the_key_texts_are_the_answers_to_mark_in_the_source_line():
    assert cloze.key_texts(CLOZE) == ["劳模精神", "职工书屋"]


def test_the_wrong_answer_texts_are_the_wrong_blanks_normalised_and_numbered():
    texts = cloze.wrong_answer_texts(CLOZE, ["劳模精神", "“職工之家”"], [True, False], normalize)

    assert texts == ["第2空：职工之家"]


def test_an_empty_wrong_blank_is_counted_as_empty():
    assert cloze.wrong_answer_texts(CLOZE, ["", "错"], [False, False], normalize) == ["第1空：（空）", "第2空：错"]


def test_the_wrong_text_of_a_single_blank_is_not_numbered():
    one = with_blanks(blank("劳模精神"))

    assert cloze.wrong_answer_texts(one, ["劳动 精神。"], [False], normalize) == ["劳动精神"]


# --- Export ----------------------------------------------------------------------------------------


def test_gift_asks_each_blank_in_its_own_entry_with_the_others_filled_in():
    assert cloze.gift(CLOZE) == [
        "大力弘扬{=劳模精神}，建好用好职工书屋。",
        "大力弘扬劳模精神，建好用好{=职工书屋 =职工之家书屋}。",
    ]


def test_gift_escapes_its_special_characters():
    q = with_blanks(blank("a=b"), prompt="{注意}: ＿＿")

    assert cloze.gift(q) == [r"\{注意\}\: {=a\=b}"]


def test_a_prompt_whose_blanks_do_not_match_exports_nothing():
    q = changed(CLOZE, prompt="没有空")

    assert cloze.gift(q) == []
    assert moodle(cloze, q) == []


def test_moodle_xml_is_an_embedded_answers_question_with_a_short_answer_per_blank():
    [element] = moodle(cloze, CLOZE)

    assert element.get("type") == "cloze"
    assert element.findtext("questiontext/text") == (
        "大力弘扬{1:SHORTANSWER:=劳模精神}，建好用好{1:SHORTANSWER:=职工书屋~=职工之家书屋}。"
    )
    assert answers(element) == []


def test_moodle_xml_escapes_the_embedded_answer_syntax():
    [element] = moodle(cloze, with_blanks(blank('1/2"}'), prompt="＿＿"))

    assert element.findtext("questiontext/text") == r"{1:SHORTANSWER:=1\/2\"\}}"


# An enumeration whose members may be given in any order, and a blank of its own on the same line.
SPIRITS = with_blanks(
    blank("劳模精神", "“劳模精神”", group=0, any_order=True),
    blank("劳动精神", group=0, any_order=True),
    blank("工匠精神", group=0, any_order=True),
    blank("中国式现代化", group=1),
    prompt="弘扬＿＿＿＿、＿＿＿＿、＿＿＿＿，推进＿＿＿＿＿。",
)


def gift_answers(entry):
    """The answers of a GIFT entry's (last) short-answer block (split at =: answers without escapes)."""
    block = entry[entry.rindex("{") + 1 : entry.rindex("}")]
    return [answer.strip() for answer in block.split("=") if answer.strip()]


def test_gift_asks_a_two_member_any_order_group_as_one_question_that_takes_either_order():
    q = with_blanks(
        blank("听党话", group=0, any_order=True),
        blank("跟党走", group=0, any_order=True),
        prompt="引导职工＿＿＿、＿＿＿。",
    )

    [entry] = cloze.gift(q)

    assert (
        entry
        == "引导职工＿＿＿、＿＿＿。（2项，顺序不限，用“、”隔开） {=听党话、跟党走 =听党话，跟党走 =跟党走、听党话 =跟党走，听党话}"
    )


def test_gift_asks_a_three_member_group_once_accepting_all_six_orders_without_showing_a_member():
    entries = cloze.gift(SPIRITS)

    group_entry = entries[0]
    text = group_entry[: group_entry.index("{")]
    assert text == "弘扬＿＿＿＿、＿＿＿＿、＿＿＿＿，推进中国式现代化。（3项，顺序不限，用“、”隔开） "
    assert not any(member in text for member in ("劳模精神", "劳动精神", "工匠精神"))
    accepted = gift_answers(group_entry)
    assert accepted[:2] == [
        "劳模精神、劳动精神、工匠精神",
        "劳模精神，劳动精神，工匠精神",
    ]  # the document's order first
    orders = {tuple(answer.split("、")) for answer in accepted if "、" in answer}
    assert len(orders) == 6 and all(sorted(order) == sorted(["劳模精神", "劳动精神", "工匠精神"]) for order in orders)
    assert len(accepted) == len(set(accepted)) == 12


def test_gift_keeps_a_single_blank_beside_a_group_as_its_own_question():
    assert cloze.gift(SPIRITS)[1:] == ["弘扬劳模精神、劳动精神、工匠精神，推进{=中国式现代化}。"]


def test_gift_takes_a_group_of_more_than_four_members_in_the_documents_order_only():
    q = with_blanks(*(blank(f"成员{n}", group=3, any_order=True) for n in range(5)), prompt="＿＿、" * 4 + "＿＿")

    [entry] = cloze.gift(q)

    assert "（5项，按原文顺序，用“、”隔开）" in entry
    assert gift_answers(entry) == ["成员0、成员1、成员2、成员3、成员4", "成员0，成员1，成员2，成员3，成员4"]


def test_gift_asks_blanks_of_one_group_that_is_not_any_order_one_by_one():
    q = with_blanks(blank("一", group=0), blank("二", group=0), prompt="＿＿和＿＿")

    assert cloze.gift(q) == ["{=一}和二", "一和{=二}"]


def test_gift_escapes_an_any_order_group_and_its_text():
    q = with_blanks(
        blank("a=b", group=0, any_order=True), blank("c#d", group=0, any_order=True), prompt="{注意}: ＿＿、＿＿"
    )

    assert cloze.gift(q) == [
        r"\{注意\}\: ＿＿、＿＿（2项，顺序不限，用“、”隔开） {=a\=b、c\#d =a\=b，c\#d =c\#d、a\=b =c\#d，a\=b}"
    ]


def test_moodle_xml_fields_of_an_any_order_group_accept_every_member():
    [element] = moodle(cloze, SPIRITS)

    text = element.findtext("questiontext/text")
    fields = text[text.index("{") :].split("}")[:4]
    members = ["=劳模精神", "=“劳模精神”", "=劳动精神", "=工匠精神"]
    assert fields[0] == "{1:SHORTANSWER:" + "~".join(members)
    assert fields[1] == "、{1:SHORTANSWER:=劳动精神~=劳模精神~=“劳模精神”~=工匠精神"  # its own member first
    assert fields[2] == "、{1:SHORTANSWER:=工匠精神~=劳模精神~=“劳模精神”~=劳动精神"
    assert fields[3] == "，推进{1:SHORTANSWER:=中国式现代化"  # a single blank takes only its own key


def test_moodle_xml_escapes_the_members_an_any_order_field_accepts():
    q = with_blanks(blank("1/2", group=0, any_order=True), blank('"}', group=0, any_order=True), prompt="＿＿、＿＿")
    [element] = moodle(cloze, q)

    assert element.findtext("questiontext/text") == r"{1:SHORTANSWER:=1\/2~=\"\}}、{1:SHORTANSWER:=\"\}~=1\/2}"
