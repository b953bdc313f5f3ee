"""Multiple-select questions: the members of a list, or the points of a topic, among wrong options."""

import re
from functools import lru_cache
from types import SimpleNamespace

from quizzes.core.kinds import KINDS
from quizzes.generation import generate_questions, source_lines
from tests.support import seed_document, seed_questions

MULTISELECT = KINDS["multiselect"]


def questions():
    return seed_questions("multiselect")


def of_form(form):
    return [q for q in questions() if q.form == form]


@lru_cache(maxsize=1)
def other_seed():
    return [q for q in generate_questions(seed_document(), seed=5) if q.type == "multiselect"]


def lines():
    return source_lines(seed_document())


def line_of(question):
    return next(line for line in lines() if line.key == question.source_keys[0])


def as_data(question):
    """The fields a kind reads, as the Question model holds them."""
    data = question.to_dict()
    return SimpleNamespace(**{field: data[field] for field in (
        "key", "type", "prompt", "blanks", "pairs", "choices", "answer_index", "correct_choices", "source_text_keys",
    )})  # fmt: skip


def right(question):
    return [question.choices[i] for i in question.correct_choices]


def wrong(question):
    return [c for i, c in enumerate(question.choices) if i not in question.correct_choices]


def stem(question):
    """The quoted part of the prompt with the list cut out, in the document's own quotes."""
    quoted = re.findall(r"“([^“”]*……[^“”]*)”", question.prompt)
    assert len(quoted) == 1, question.prompt
    return quoted[0].replace("‘", "“").replace("’", "”")


def test_the_seed_document_gives_list_and_topic_questions():
    assert len(questions()) >= 30
    assert len(of_form("member")) >= 20 and len(of_form("topic")) >= 5


def test_every_question_has_four_or_five_options_with_some_right_and_some_wrong():
    for question in questions():
        assert len(question.choices) in (4, 5) and len(set(question.choices)) == len(question.choices)
        assert list(question.correct_choices) == sorted(set(question.correct_choices))
        assert 2 <= len(question.correct_choices) < len(question.choices)
        assert question.answer_index == -1 and question.blanks == () and question.pairs == ()


def test_the_kind_marks_the_key_right_and_the_wrong_options_wrong():
    for question in questions():
        data = as_data(question)
        assert MULTISELECT.check(data, MULTISELECT.right_answer(data)).is_correct
        assert MULTISELECT.check(data, MULTISELECT.wrong_answer(data)).credit == 0


def test_the_number_and_places_of_right_options_vary():
    assert len({len(q.correct_choices) for q in questions()}) >= 2
    assert len({q.correct_choices for q in questions()}) >= 5


def test_a_list_question_cuts_the_list_out_of_its_line():
    for question in of_form("member"):
        line = line_of(question).text
        before, after = stem(question).split("……")
        clause = "(?:^|(?<=[，。；]))" + re.escape(before) + ".+?" + re.escape(after) + "(?=[，。；]|$)"
        cut = re.search(clause, line)  # the stem is whole clauses of the line
        assert cut, (question.prompt, line)
        assert all(option in cut.group(0) for option in right(question))
        assert not any(option in question.prompt for option in question.choices)


def test_wrong_options_of_a_list_question_come_from_other_lists_and_never_from_this_one():
    texts = [line.text for line in lines()]
    names = {m for text in texts for m in re.findall(r"“([^“”]+)”", text)}
    for question in of_form("member"):
        line = line_of(question).text
        quoted = all(f"“{option}”" in line for option in right(question))
        for option in wrong(question):
            assert option not in line
            assert not any(option in text and sum(r in text for r in right(question)) >= 2 for text in texts)
            assert any(option in text for text in texts)
            if quoted:
                assert option in names


def test_a_list_is_asked_once_even_when_two_lines_hold_it():
    lists = [frozenset(right(q)) for q in of_form("member") if len(q.correct_choices) <= 3]
    assert len(lists) == len(set(lists))


def test_a_topic_question_offers_points_of_that_topic_and_of_others():
    for question in of_form("topic"):
        assert question.topic and question.topic in question.prompt
        own = {line.text for line in lines() if line.topic == question.topic}
        others = {line.text for line in lines() if line.topic and line.topic != question.topic}
        assert set(right(question)) <= own
        assert all(option in others and option not in own for option in wrong(question))


def test_keys_are_unique_and_do_not_depend_on_the_seed_but_the_options_order_does():
    keys = [q.key for q in questions()]
    assert len(keys) == len(set(keys))
    assert [q.key for q in other_seed()] == keys
    assert [sorted(right(q)) for q in other_seed()] == [sorted(right(q)) for q in questions()]
    assert [q.choices for q in other_seed()] != [q.choices for q in questions()]


def test_generating_twice_gives_the_same_questions_in_the_same_order():
    again = [q for q in generate_questions(seed_document()) if q.type == "multiselect"]
    assert [q.to_dict() for q in again] == [q.to_dict() for q in questions()]


def test_a_member_question_s_wrong_options_are_of_the_members_kind_or_of_their_shape():
    from quizzes.generation.heads import same_head_kind

    for question in of_form("member"):
        right = [question.choices[i] for i in question.correct_choices]
        wrong = [c for i, c in enumerate(question.choices) if i not in question.correct_choices]
        one_shape = len({len(r) for r in right}) == 1 and len({r[-1] for r in right}) == 1
        assert one_shape or all(any(same_head_kind(r, w) for r in right) for w in wrong), question.choices


def test_a_verb_acting_on_people_is_no_wrong_option_for_a_list_of_people():
    # 竭诚服务职工, 服务职工 say what to do for workers: they name no talent (大国工匠、高技能人才).
    for question in of_form("member"):
        if any(option in ("大国工匠", "技术工人", "一线职工") for option in right(question)):
            assert not {"竭诚服务职工", "服务职工"} & set(wrong(question)), question.prompt


def test_a_list_of_one_shape_without_wrong_options_of_that_shape_is_not_asked():
    # 劳模精神、劳动精神、工匠精神 against 服务职工, 政治性、先进性、群众性 against 不能腐: ruled out by form.
    for question in of_form("member"):
        texts = right(question)
        if {t[-1] for t in texts} in ({"神"}, {"性"}, {"好"}):
            for option in wrong(question):
                assert option[-1] == texts[0][-1] or option[0] == texts[0][0], (texts, option)
