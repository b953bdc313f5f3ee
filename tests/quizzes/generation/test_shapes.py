"""Documents of other shapes: matching sets come from whatever structure and wording a document has,
with the same guarantees (4–6 pairs, one-to-one, one kind per column, no shared word in a pair)."""

import random
from pathlib import Path

import pytest

from quizzes.generation import generate_questions
from quizzes.generation.matching import FORMS, bigrams, matching_questions
from quizzes.generation.source import headings, source_lines
from studyapp.documents.parsing import parse_document
from tests.support import SOURCE

LAW = (Path(__file__).resolve().parents[2] / "data" / "union-law-excerpt.md").read_text(encoding="utf-8")

# Parts with paragraphs only: no task or topic headings at all.
PARAGRAPHS = """# 职工权益手册

## 一、入会

用人单位有会员二十五人以上的，应当建立基层工会委员会。

基层工会委员会每届任期三年或者五年。

## 二、经费

工会经费按每月全部职工工资总额的百分之二拨缴，其中基层工会留用不少于百分之六十。

上一级工会应当自收到申请之日起十五日内作出答复。

## 三、服务

推进全国工会系统12351维权服务热线建设，努力提升维护劳动者合法权益能力。

深入开展“暖边绿境”关爱职工专项行动，叫响做实“尊法守法·携手筑梦”服务农民工公益法律服务行动。

深化“安康杯”竞赛等群众性安全生产活动，以实施双15工程为牵引，加强和规范户外劳动者服务站点建设。

工会主席出缺的，应当在三个月内依照民主程序补选。
"""

SHAPES = {"seed": SOURCE, "law": LAW, "paragraphs": PARAGRAPHS}


def matching_of(source: str):
    doc = parse_document(source)
    return matching_questions(source_lines(doc), headings(doc), random.Random(0))


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_shape_keeps_the_guarantees_of_a_matching_set(shape):
    questions = matching_of(SHAPES[shape])

    assert questions
    for question in questions:
        lefts = [left for left, _ in question.pairs]
        rights = [right for _, right in question.pairs]
        assert question.form in FORMS
        assert 4 <= len(question.pairs) <= 6
        assert len(set(lefts)) == len(lefts) and len(set(rights)) == len(rights)
        assert not any(bigrams(left) & bigrams(right) for left, right in question.pairs)


def test_a_document_of_paragraphs_only_gets_number_and_name_sets():
    forms = {q.form for q in matching_of(PARAGRAPHS)}

    assert {"number", "name"} <= forms
    assert not forms & {"topic_task", "heading_gist", "article_gist", "name_topic"}


def test_the_law_excerpt_gets_matching_sets_through_the_whole_generator():
    matching = [q for q in generate_questions(parse_document(LAW)) if q.type == "matching"]

    assert len(matching) >= 2
    assert {"article_gist", "number"} <= {q.form for q in matching}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_matching_is_the_same_for_the_same_text(shape):
    first, second = matching_of(SHAPES[shape]), matching_of(SHAPES[shape])

    assert [q.to_dict() for q in first] == [q.to_dict() for q in second]
