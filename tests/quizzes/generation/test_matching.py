"""Matching sets: sizes, one-to-one pairing by the document's own structure, coverage."""

import re

from quizzes.generation.matching import Item, partition
from tests.support import seed_document, seed_questions

CN = "一二三四五六七八九"


def sets():
    return seed_questions("matching")


def correct(form, left, right):
    """The document's answer, worked out from the parse independently of the generator."""
    doc = seed_document()
    nodes = doc.nodes
    if form == "topic_task":
        topic = next(i for i, n in enumerate(nodes) if n.kind == "topic" and n.text == left)
        task = next(a for a in doc.ancestors(topic) if a.kind == "task")
        return right.startswith(f"（{task.number}）") and task.text.startswith(right.split("）", 1)[1])
    if form == "name_topic":
        return any(left in n.text and nodes[n.parent].text == right for n in nodes if n.kind == "point")
    if form == "halves":
        return any(n.text == f"{left}，{right}" for n in nodes)
    if form == "requirement":
        number = str(CN.index(re.search(r"第(.)个", left).group(1)) + 1)
        return any(n.kind == "requirement" and n.number == number and n.text.startswith(right) for n in nodes)
    if form == "task_number":
        return any(n.kind == "task" and f"（{n.number}）" == left and n.text.startswith(right) for n in nodes)
    raise AssertionError(form)


def test_there_are_sets_of_every_form():
    assert {q.form for q in sets()} == {"topic_task", "name_topic", "halves", "requirement", "task_number"}


def test_every_set_has_four_to_six_pairs_and_no_repeated_text():
    for question in sets():
        lefts = [left for left, _ in question.pairs]
        rights = [right for _, right in question.pairs]
        assert 4 <= len(question.pairs) <= 6
        assert len(set(lefts)) == len(lefts) and len(set(rights)) == len(rights)


def test_each_left_item_fits_exactly_one_right_item_of_its_set():
    for question in sets():
        for left, right in question.pairs:
            fitting = [r for _, r in question.pairs if correct(question.form, left, r)]
            assert fitting == [right], (question.form, left, fitting)


def test_no_two_topics_of_one_task_share_a_topic_to_task_set():
    for question in sets():
        if question.form == "topic_task":
            rights = [right for _, right in question.pairs]
            assert len(set(rights)) == len(rights)


def test_every_topic_appears_in_some_set():
    topics = {n.text for n in seed_document().nodes if n.kind == "topic"}
    asked = {text for q in sets() for pair in q.pairs for text in pair}
    assert len(topics) == 28
    assert topics <= asked


def test_pairs_are_not_listed_in_document_order():
    topic_sets = [q for q in sets() if q.form == "topic_task"]
    numbers = [[CN.index(right[1]) for _, right in q.pairs] for q in topic_sets]
    assert any(n != sorted(n) for n in numbers)


def test_partition_keeps_items_of_one_class_apart_and_drops_what_cannot_make_four():
    items = [Item(f"L{i}", f"R{i}", f"C{i % 5}", (str(i),), (str(i),), i) for i in range(10)]
    groups = partition(items)
    assert [len(group) for group in groups] == [5, 5]
    for group in groups:
        assert len({i.conflict for i in group}) == len(group)
    assert partition(items[:3]) == []
    assert partition([Item(f"L{i}", f"R{i}", "same", (), (), i) for i in range(8)]) == []
