"""Chinese numerals as people write them: pure, no database."""

import pytest

from quizzes.core.checking import normalize
from quizzes.core.kinds import KINDS
from quizzes.core.numerals import chinese_to_int, with_digits
from tests.quizzes.core.kinds.samples import question


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("三", 3),
        ("两", 2),
        ("十", 10),
        ("十五", 15),
        ("二十五", 25),
        ("一百", 100),
        ("一百零五", 105),
        ("一千零一十", 1010),
        ("两千", 2000),
        ("三万五千", 35000),
        ("二〇二五", 2025),
        ("二三十", None),  # “twenty or thirty”: not one number
        ("", None),
        ("三年", None),
    ],
)
def test_chinese_numerals_have_their_value(text, value):
    assert chinese_to_int(text) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("两个", "2个"),
        ("二个", "2个"),
        ("2个", "2个"),
        ("二十五人", "25人"),
        ("一千个基层站点", "1000个基层站点"),
        ("三年行动", "3年行动"),
        ("百分之四十", "40%"),
        ("第三条", "第3条"),
        # numerals inside words are not numbers
        ("一带一路", "一带一路"),
        ("十八大", "十八大"),
        ("统一领导", "统一领导"),
        ("“十四五”", "“十四五”"),
        ("双15工程", "双15工程"),
    ],
)
def test_numbers_are_written_in_digits_and_words_are_left_alone(text, expected):
    assert with_digits(text) == expected


def test_a_number_may_be_answered_in_any_numeral_form():
    blank = {"answer": "两个", "accepted": ["两个"], "group": None, "any_order": False}
    cloze = question("cloze", prompt="坚决做到＿＿维护", blanks=[blank])

    for typed in ("两个", "二个", "2个", "２个", "兩個"):
        assert KINDS["cloze"].check(cloze, [typed]).is_correct, typed
    assert not KINDS["cloze"].check(cloze, ["三个"]).is_correct
    assert normalize("百分之二") == normalize("2%")


def test_a_number_in_quotes_brackets_or_with_a_space_is_still_a_number():
    for typed in ("两 个", "“两”个", "（两）个", "两　个"):
        assert normalize(typed) == normalize("2个"), typed
