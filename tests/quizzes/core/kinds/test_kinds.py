"""What every kind promises: the registry, the form round trip, marking the key and a wrong answer,
and the default FSRS ratings. Pure: no database."""

import random

import pytest
from fsrs import Rating

from quizzes.core.checking import MalformedAnswer
from quizzes.core.kinds import KINDS, kind_choices, kind_of

from .samples import CHOICE, CLOZE, FALSE_STATEMENT, MATCHING, MULTISELECT, SAMPLES, TRUE_STATEMENT, changed, form

LINES = {"t1": "劳模精神：争创一流", "t2": "劳动精神：崇尚劳动", "t3": "工匠精神：精益求精"}


def layout_for(q):
    return kind_of(q.type).layout(q, random.Random(1), LINES)


def sample_id(q):
    return q.key if q.type != "truefalse" else f"truefalse-{q.answer_index}"


def test_kinds_lists_the_five_kinds_in_the_order_the_app_shows_them():
    assert list(KINDS) == ["cloze", "matching", "choice", "truefalse", "multiselect"]
    assert [str(kind.label) for kind in KINDS.values()] == ["填空", "连线", "单选", "判断", "多选"]
    assert [(name, str(label)) for name, label in kind_choices()] == list(
        zip(KINDS, ["填空", "连线", "单选", "判断", "多选"], strict=True)
    )


def test_each_kind_is_stored_under_its_own_name():
    assert all(kind.name == name and kind_of(name) is kind for name, kind in KINDS.items())


@pytest.mark.parametrize("name", ["nope", "essay", "", "Cloze"])
def test_an_unknown_kind_is_a_malformed_answer(name):
    with pytest.raises(MalformedAnswer):
        kind_of(name)


@pytest.mark.parametrize("right", [True, False], ids=["right", "wrong"])
@pytest.mark.parametrize("q", SAMPLES, ids=sample_id)
def test_the_form_fields_of_an_answer_read_back_as_that_answer(q, right):
    kind = kind_of(q.type)
    layout = layout_for(q)
    given = kind.right_answer(q) if right else kind.wrong_answer(q)

    assert kind.answer_from_post(q, layout, form(kind.post_data(q, layout, given))) == given


@pytest.mark.parametrize("q", SAMPLES, ids=sample_id)
def test_the_key_is_marked_right_with_full_credit(q):
    check = kind_of(q.type).check(q, kind_of(q.type).right_answer(q))

    assert check.is_correct
    assert check.credit == 1.0
    assert check.marks and all(check.marks)


@pytest.mark.parametrize("q", SAMPLES, ids=sample_id)
def test_the_wrong_answer_has_no_mark_right_and_no_credit(q):
    check = kind_of(q.type).check(q, kind_of(q.type).wrong_answer(q))

    assert not check.is_correct
    assert check.credit == 0.0
    assert check.marks and not any(check.marks)


DEFAULT_RATED = [CLOZE, CHOICE, TRUE_STATEMENT, FALSE_STATEMENT, MULTISELECT]


@pytest.mark.parametrize("q", DEFAULT_RATED, ids=sample_id)
def test_a_wrong_answer_rates_every_source_line_again(q):
    kind = kind_of(q.type)
    q = changed(q, source_text_keys=["t1", "", "t2"])

    ratings = kind.ratings(q, kind.check(q, kind.wrong_answer(q)), 1.0, {})

    assert ratings == {"t1": Rating.Again, "t2": Rating.Again}


@pytest.mark.parametrize(("elapsed", "rating"), [(1.0, Rating.Easy), (600.0, Rating.Good), (None, Rating.Good)])
@pytest.mark.parametrize("q", DEFAULT_RATED, ids=sample_id)
def test_a_right_answer_rates_every_source_line_easy_when_quick_and_good_otherwise(q, elapsed, rating):
    kind = kind_of(q.type)
    q = changed(q, source_text_keys=["t1", "t2"])

    ratings = kind.ratings(q, kind.check(q, kind.right_answer(q)), elapsed, {})

    assert ratings == {"t1": rating, "t2": rating}


@pytest.mark.parametrize("q", SAMPLES, ids=sample_id)
def test_a_question_without_source_lines_rates_nothing(q):
    kind = kind_of(q.type)
    q = changed(q, source_text_keys=[])

    assert kind.ratings(q, kind.check(q, kind.right_answer(q)), 1.0, {"right_order": [], "pair_keys": []}) == {}


ONE_NUMBER_FIELDS = [
    pytest.param(CHOICE, "choice", id="choice"),
    pytest.param(TRUE_STATEMENT, "choice", id="truefalse"),
    pytest.param(MULTISELECT, "choice", id="multiselect"),
    pytest.param(MATCHING, "pair-0", id="matching"),
]


@pytest.mark.parametrize("value", ["²", "①"])
@pytest.mark.parametrize(("q", "field"), ONE_NUMBER_FIELDS)
def test_a_digit_that_is_not_a_decimal_digit_is_a_malformed_answer(q, field, value):
    kind = kind_of(q.type)
    layout = layout_for(q)
    data = form({**kind.post_data(q, layout, kind.right_answer(q)), field: value})

    with pytest.raises(MalformedAnswer):
        kind.answer_from_post(q, layout, data)


@pytest.mark.parametrize(("q", "field"), [param for param in ONE_NUMBER_FIELDS if param.id != "multiselect"])
def test_one_field_sent_twice_with_different_values_is_refused(q, field):
    kind = kind_of(q.type)
    layout = layout_for(q)
    data = form({**kind.post_data(q, layout, kind.right_answer(q)), field: ["0", "1"]})

    with pytest.raises(MalformedAnswer):
        kind.answer_from_post(q, layout, data)
