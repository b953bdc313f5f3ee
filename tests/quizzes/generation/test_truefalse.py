"""True/false questions: a line as written, or with one term swapped for a sibling of its kind."""

from functools import lru_cache
from types import SimpleNamespace

from quizzes.core.kinds import KINDS
from quizzes.generation import generate_questions, source_lines
from quizzes.generation.heads import head_kind
from quizzes.generation.terms import QUOTED, is_number
from tests.support import seed_document, seed_questions

TRUEFALSE = KINDS["truefalse"]


def statements():
    return seed_questions("truefalse")


@lru_cache(maxsize=1)
def other_seed():
    return [q for q in generate_questions(seed_document(), seed=5) if q.type == "truefalse"]


def lines_by_key():
    return {line.key: line for line in source_lines(seed_document())}


def as_data(question):
    """The fields a kind reads, as the Question model holds them."""
    data = question.to_dict()
    return SimpleNamespace(**{field: data[field] for field in (
        "key", "type", "prompt", "blanks", "pairs", "choices", "answer_index", "correct_choices", "source_text_keys",
    )})  # fmt: skip


def swapped_at(line, answer, shown, prompt):
    """Where `answer` was swapped for `shown` to make `prompt`, or None."""
    for start in range(len(line) - len(answer) + 1):
        if line[start:].startswith(answer) and line[:start] + shown + line[start + len(answer) :] == prompt:
            return start
    return None


def test_the_seed_document_gives_a_bank_of_true_and_false_statements():
    verdicts = [q.answer_index for q in statements()]
    # A statement judges a term no fill-in or single choice on its line asks (was >= 45).
    assert len(verdicts) >= 10
    assert set(verdicts) == {0, 1}
    assert 0.3 <= verdicts.count(0) / len(verdicts) <= 0.6


def test_every_statement_has_the_shape_the_kind_marks():
    for question in statements():
        data = as_data(question)
        assert question.type == "truefalse" and question.choices == () and question.pairs == ()
        assert len(question.blanks) == 1 and question.blanks[0].accepted == (question.blanks[0].answer,)
        assert TRUEFALSE.check(data, TRUEFALSE.right_answer(data)).is_correct
        assert not TRUEFALSE.check(data, TRUEFALSE.wrong_answer(data)).is_correct
        assert 0 <= question.difficulty <= 1


def test_a_true_statement_is_its_line_as_written():
    lines = lines_by_key()
    for question in statements():
        if question.answer_index == 1:
            blank = question.blanks[0]
            assert question.prompt == lines[question.source_keys[0]].text
            assert blank.shown == blank.answer and blank.answer in question.prompt


def test_a_false_statement_differs_from_its_line_by_the_swapped_term_only():
    lines = lines_by_key()
    texts = {line.text for line in lines.values()}
    for question in statements():
        if question.answer_index == 0:
            blank, line = question.blanks[0], lines[question.source_keys[0]].text
            assert blank.shown != blank.answer and blank.shown not in line
            assert swapped_at(line, blank.answer, blank.shown, question.prompt) is not None
            assert question.prompt not in texts


def test_the_swapped_in_term_is_of_the_same_kind_as_the_answer():
    names = {m.group(1) for line in lines_by_key().values() for m in QUOTED.finditer(line.text)}
    for question in statements():
        blank = question.blanks[0]
        if question.answer_index == 1:
            continue
        if question.form == "number":
            assert is_number(blank.shown)
        elif question.form == "name":
            assert blank.shown in names
        else:  # a sibling: the same head (基层工会 → 全国工会) or the same lead and end (技术革新 → 技术创新)
            answer, shown = blank.answer, blank.shown
            assert abs(len(answer) - len(shown)) <= 1
            assert answer[-1] == shown[-1] or answer[:2] == shown[:2]


def test_no_heading_shown_with_a_statement_gives_its_term_away():
    for question in statements():
        headings = f"{question.part}\n{question.task}\n{question.topic}"
        assert question.blanks[0].answer not in headings and question.blanks[0].shown not in headings


def test_a_line_is_judged_once_and_never_on_the_term_its_single_choice_asks():
    lines = [q.source_text_keys for q in statements()]
    assert len(lines) == len(set(lines))
    chosen = {(q.source_text_keys, q.blanks[0].answer) for q in seed_questions("choice")}
    assert not any((q.source_text_keys, q.blanks[0].answer) in chosen for q in statements())


def test_keys_are_unique_and_do_not_depend_on_the_seed():
    keys = [q.key for q in statements()]
    assert len(keys) == len(set(keys))
    assert [q.to_dict() for q in other_seed()] == [q.to_dict() for q in statements()]


def test_generating_twice_gives_the_same_statements_in_the_same_order():
    again = [q for q in generate_questions(seed_document()) if q.type == "truefalse"]
    assert [q.to_dict() for q in again] == [q.to_dict() for q in statements()]


def test_migrant_workers_are_people_like_women_workers():
    # 农民工 swapped for 女职工 (or back) is a swap of one kind: both are people.
    assert head_kind("农民工") == head_kind("女职工") == "people"
