"""Choosing a quiz's questions and tracing a matching pair to its line: pure, no database."""

import random

from quizzes.core.kinds.matching import pair_line_keys
from quizzes.core.picking import Candidate, pick_questions, shuffled_order


def test_pick_questions_is_deterministic_for_a_seeded_generator():
    candidates = [Candidate(i, "cloze" if i % 2 else "choice", f"s{i}") for i in range(30)]

    first = pick_questions(candidates, length=10, mixed=True, rng=random.Random(9))
    second = pick_questions(candidates, length=10, mixed=True, rng=random.Random(9))

    assert first == second and len(set(first)) == 10


def test_each_matching_pair_is_traced_to_the_line_it_was_taken_from():
    lines = {
        "k1": "持续推进“四强”党支部建设",
        "k2": "推动平台企业合法规范用工，科学调整算法",
        "k3": "坚持党对工运事业的领导",
    }
    pairs = [
        ["推动平台企业合法规范用工", "科学调整算法"],  # both halves of one line
        ["第一个“要”", "坚持党对工运事业的领导"],  # the statement
        ["“四强”", "强化党组织政治功能和组织功能"],  # a quoted name and its topic
        ["（一）", "坚持党的全面领导"],  # two headings: no line
    ]

    assert pair_line_keys(pairs, lines) == ["k2", "k3", "k1", ""]


def test_a_mixed_pick_takes_each_kind_in_turn_and_each_line_once_while_others_remain():
    candidates = [Candidate(i, ("cloze", "choice", "truefalse")[i % 3], f"s{i // 2}") for i in range(30)]

    chosen = pick_questions(candidates, length=9, mixed=True, rng=random.Random(4))

    kinds = [("cloze", "choice", "truefalse")[i % 3] for i in chosen]
    lines = [f"s{i // 2}" for i in chosen]
    assert sorted(kinds) == ["choice"] * 3 + ["cloze"] * 3 + ["truefalse"] * 3
    assert kinds[:3] == kinds[3:6] == kinds[6:]
    assert len(set(lines)) == 9


def test_a_shuffled_order_moves_at_least_one_item():
    for seed in range(20):
        order = shuffled_order(3, random.Random(seed))
        assert sorted(order) == [0, 1, 2] and order != [0, 1, 2]
    assert shuffled_order(1, random.Random(0)) == [0]
