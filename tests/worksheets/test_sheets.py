"""Choosing and laying out a worksheet, and its key."""

import pytest
from django.core.exceptions import ValidationError

from quizzes.core.kinds import CHOICE, CLOZE, MATCHING, MULTISELECT, TRUEFALSE, kind_of
from quizzes.worksheets.sheets import assignment_sheet, scope_sheet, sheet_build
from tests.factories import AssignmentFactory

pytestmark = pytest.mark.django_db


def ids(sheet):
    return [item.prompt for item in sheet.items]


def test_the_same_seed_chooses_the_same_questions_and_another_seed_others(every_kind_bank):
    first = scope_sheet(scope="document", scope_key="", question_type="mixed", length=10, seed=7)
    again = scope_sheet(scope="document", scope_key="", question_type="mixed", length=10, seed=7)
    other = scope_sheet(scope="document", scope_key="", question_type="mixed", length=10, seed=8)

    assert ids(first) == ids(again) and len(first.items) == 10
    assert [item.key for item in first.items] == [item.key for item in again.items]
    assert ids(first) != ids(other)


def test_a_mixed_sheet_groups_the_kinds_under_numbered_headings_and_numbers_through(every_kind_bank):
    sheet = scope_sheet(scope="document", scope_key="", question_type="mixed", length=20, seed=3)

    assert [section.heading for section in sheet.sections] == [
        "一、填空题",
        "二、连线题",
        "三、单选题",
        "四、判断题",
        "五、多选题",
    ]
    assert [item.number for item in sheet.items] == list(range(1, 21))
    assert {item.kind for item in sheet.sections[0].items} == {CLOZE}


def test_a_scope_sheet_keeps_to_its_task(every_kind_bank):
    task = every_kind_bank.tasks[1]
    sheet = scope_sheet(scope="task", scope_key=task.key, question_type=CLOZE, length=20, seed=1)

    in_task = {q.prompt for q in every_kind_bank.questions if q.task_key == task.key and q.type == CLOZE}
    assert set(ids(sheet)) == in_task and sheet.scope_label


def test_an_unknown_or_empty_scope_is_refused_in_chinese(small_bank):
    with pytest.raises(ValidationError, match="没有这个学习范围"):
        scope_sheet(scope="task", scope_key="ffff", question_type="mixed", length=10, seed=1)
    with pytest.raises(ValidationError, match="还没有这种题型"):
        scope_sheet(scope="document", scope_key="", question_type=TRUEFALSE, length=10, seed=1)


def test_the_key_of_each_kind(every_kind_bank):
    questions = {
        kind: next(q for q in every_kind_bank.questions if q.type == kind) for kind in (CLOZE, CHOICE, MULTISELECT)
    }
    false = next(q for q in every_kind_bank.questions if q.type == TRUEFALSE and q.answer_index == 0)
    true = next(q for q in every_kind_bank.questions if q.type == TRUEFALSE and q.answer_index == 1)
    matching = next(q for q in every_kind_bank.questions if q.type == MATCHING)
    sheet = sheet_build(
        questions=[*questions.values(), true, false, matching], seed=5, title="练习卷", scope_label="全文"
    )
    keys = {item.prompt: item for item in sheet.items}

    assert keys[questions[CLOZE].prompt].key == questions[CLOZE].blanks[0]["answer"]
    # Options print shuffled: each key names the printed letters of the right options.
    choice, multiselect = questions[CHOICE], questions[MULTISELECT]
    printed = dict(keys[choice.prompt].options)
    assert printed[keys[choice.prompt].key] == choice.choices[0]  # the factory's right option is the first
    printed = dict(keys[multiselect.prompt].options)
    chosen = {printed[letter] for letter in keys[multiselect.prompt].key.split("、")}
    assert chosen == {multiselect.choices[index] for index in (0, 2, 3)}
    assert keys[true.prompt].key == "√（正确）"
    assert keys[false.prompt].key.startswith("×（错误）") and "原文为“" in keys[false.prompt].key
    item = keys[matching.prompt]
    rights = dict(item.rights)  # letter → text as printed
    for pairing, (left, right) in zip(item.key.split("；"), matching.pairs, strict=True):
        number, letter = pairing.split("—")
        assert dict(item.lefts)[int(number)] == left and rights[letter] == right


def test_a_single_choice_prints_its_options_a_to_d(every_kind_bank):
    choice = next(q for q in every_kind_bank.questions if q.type == CHOICE)
    item = sheet_build(questions=[choice], seed=1, title="t", scope_label="s").items[0]

    assert [letter for letter, _text in item.options] == ["A", "B", "C", "D"]
    assert sorted(text for _letter, text in item.options) == sorted(choice.choices)
    printed = dict(item.options)
    assert printed[item.key] == choice.choices[choice.answer_index]  # the key names the right option's letter


def test_the_options_are_shuffled_per_sheet_and_the_key_follows_them(every_kind_bank):
    for kind in (CHOICE, MULTISELECT):
        question = next(q for q in every_kind_bank.questions if q.type == kind)
        right = kind_of(kind).right_answer(question)
        right_texts = {question.choices[index] for index in ([right] if kind == CHOICE else right)}
        orders = set()
        for seed in range(1, 9):
            item = sheet_build(questions=[question], seed=seed, title="t", scope_label="s").items[0]
            orders.add(tuple(text for _letter, text in item.options))
            printed = dict(item.options)
            assert {printed[letter] for letter in item.key.split("、")} == right_texts
        assert len(orders) > 1


def test_a_fixed_assignment_prints_its_own_questions_in_its_order(every_kind_bank):
    chosen = [q.pk for q in every_kind_bank.questions[:4]][::-1]
    assignment = AssignmentFactory(mode="fixed", question_ids=chosen, title="第一次测验")

    sheet = assignment_sheet(assignment=assignment, seed=11)

    by_pk = {q.pk: q for q in every_kind_bank.questions}
    assert sorted(ids(sheet)) == sorted(by_pk[pk].prompt for pk in chosen)
    assert sheet.title == "第一次测验" and sheet.scope_label == "全文"


def test_a_drawn_assignment_prints_a_draw_of_its_length(every_kind_bank):
    assignment = AssignmentFactory(length=5)

    sheet = assignment_sheet(assignment=assignment, seed=11)

    assert len(sheet.items) == 5 and ids(sheet) == ids(assignment_sheet(assignment=assignment, seed=11))


def test_a_prompt_with_its_own_answer_bracket_gets_no_second_one(every_kind_bank):
    multiselect = next(q for q in every_kind_bank.questions if q.type == MULTISELECT)
    choice = next(q for q in every_kind_bank.questions if q.type == CHOICE)
    added, own = sheet_build(
        questions=[multiselect, choice], seed=1, title="t", scope_label="s"
    ).items  # kinds in order

    assert "（ ）" in multiselect.prompt and own.has_bracket and own.printed_prompt.count("（　　）") == 1
    assert not added.has_bracket and added.printed_prompt == choice.prompt
