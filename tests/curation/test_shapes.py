"""The kinds' shape rules (`problems`): what keeps a hand-written, imported or edited question from
being asked. Every generated question passes them; each broken shape is named in Chinese."""

from dataclasses import replace
from types import SimpleNamespace

import pytest

from quizzes.core.kinds import KINDS
from quizzes.curation.drafts import QuestionDraft
from tests.support import seed_questions


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_generated_question_has_a_sound_shape(kind):
    stored = [SimpleNamespace(**q.to_dict()) for q in seed_questions(kind)]  # as the bank stores them
    for question in stored:
        question.answer_index = None if question.answer_index < 0 else question.answer_index

    assert stored
    assert {q.key: KINDS[kind].problems(q) for q in stored if KINDS[kind].problems(q)} == {}


def _cloze(**fields):
    blanks = [{"answer": "职工", "accepted": [], "group": 0, "any_order": False}]
    return replace(QuestionDraft(type="cloze", prompt="要坚持以＿＿为中心的工作导向", blanks=blanks), **fields)


@pytest.mark.parametrize(
    ("draft", "problem"),
    [
        (_cloze(prompt="要坚持以职工为中心的工作导向"), "处空格"),
        (_cloze(prompt="以＿＿为中心，＿＿导向"), "处空格"),
        (_cloze(blanks=[{"answer": " ", "accepted": [], "group": 0}]), "没有答案"),
        (_cloze(prompt="  "), "题干不能为空"),
        (QuestionDraft(type="choice", prompt="弘扬＿＿", choices=["劳模精神"], answer_index=0), "至少要有两个选项"),
        (QuestionDraft(type="choice", prompt="弘扬＿＿", choices=["甲", "乙"], answer_index=2), "不在选项之中"),
        (QuestionDraft(type="choice", prompt="弘扬＿＿", choices=["甲", "甲"], answer_index=0), "不能重复"),
        (
            QuestionDraft(type="multiselect", prompt="哪些？", choices=["甲", "乙", "丙"], correct_choices=[0]),
            "至少要有两个正确选项",
        ),
        (
            QuestionDraft(type="multiselect", prompt="哪些？", choices=["甲", "乙"], correct_choices=[0, 1]),
            "至少要有一个错误选项",
        ),
        (QuestionDraft(type="truefalse", prompt="以职工为中心。", answer_index=None), "只能是"),
        (QuestionDraft(type="matching", prompt="连线", pairs=[["甲", "一"], ["乙", "二"]]), "至少要有三对"),
        (
            QuestionDraft(type="matching", prompt="连线", pairs=[["甲", "一"], ["甲", "二"], ["丙", "三"]]),
            "不能重复",
        ),
    ],
)
def test_a_broken_shape_is_named(draft, problem):
    problems = KINDS[draft.type].problems(draft)

    assert any(problem in text for text in problems), problems


def test_a_sound_hand_written_question_has_no_problems():
    assert KINDS["cloze"].problems(_cloze()) == []
    choice = QuestionDraft(type="choice", prompt="弘扬＿＿", choices=["劳模精神", "创新精神"], answer_index=0)
    assert KINDS["choice"].problems(choice) == []
