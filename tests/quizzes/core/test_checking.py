"""What all kinds share in checking.py: the compare form of a typed answer, the forms a blank
accepts, and the answers marked in their source line. Pure: no database. Each kind's own marking is
tested in kinds/."""

import pytest

from quizzes.core.checking import Segment, accepted_forms, highlight, normalize


def blank(answer, *accepted):
    return {"answer": answer, "accepted": [answer, *accepted], "group": None, "any_order": False}


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
        ("ABC", "abc"),
    ],
)
def test_normalize_folds_width_quotes_brackets_spaces_edge_punctuation_and_traditional(typed, expected):
    assert normalize(typed) == expected


def test_normalize_keeps_punctuation_inside_an_answer():
    assert normalize("一带一路、职工") == "一带一路、职工"


def test_a_blank_accepts_the_normalised_answer_and_variants():
    assert accepted_forms(blank("“产业工人”队伍", "產業工人隊伍")) == {"产业工人队伍"}
    assert accepted_forms(blank("12351", "１２３５１热线")) == {"12351", "12351热线"}


def test_a_blank_without_variants_accepts_its_answer_only():
    assert accepted_forms({"answer": "职工书屋"}) == {"职工书屋"}
    assert accepted_forms({"answer": "职工书屋", "accepted": None}) == {"职工书屋"}


def test_an_answer_that_normalises_to_nothing_is_not_accepted():
    assert accepted_forms({"answer": "“”", "accepted": ["。"]}) == set()
    assert accepted_forms({}) == set()


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


def test_highlight_skips_empty_answers_and_answers_overlapping_one_already_marked():
    segments = highlight("职工书屋", ["", "职工书屋", "书屋"])

    assert segments == [Segment("职工书屋", marked=True)]


def test_highlight_looks_before_the_previous_answer_when_an_answer_comes_earlier():
    segments = highlight("甲乙", ["乙", "甲"])

    assert segments == [Segment("甲", marked=True), Segment("乙", marked=True)]
