"""A reading sample of the question bank, for a trainer's review: items drawn at random per kind.

    .venv/bin/python scripts/sample_items.py [PATH.md] [--draw 81] [--cloze 40] [--choice 15]
                                            [--truefalse 10] [--multiselect 10] [--seed N]

Draws with random.Random(DRAW) from the bank generated for the document (the seed by default),
kind by kind in the order above, and prints each item with its key, one block per item, numbered
so that a review can give one verdict a line (tests/data/review-*.tsv).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "fixtures" / "acftu-18th-congress.md"
KINDS = ("cloze", "choice", "truefalse", "multiselect")


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studyapp.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def _item_lines(question) -> list[str]:  # noqa: ANN001 - a GeneratedQuestion
    """The prompt, the options (the right ones ticked) or the blanks, and the key, through the kind."""
    from types import SimpleNamespace

    from quizzes.core.kinds import kind_of

    data = SimpleNamespace(**question.to_dict())
    kind = kind_of(question.type)
    right = set(kind.key_texts(data))
    lines = [question.prompt]
    if data.choices:
        lines.append(" / ".join(("✓" if choice in right else "") + choice for choice in data.choices))
    for blank in data.blanks:
        shown = f"（题中“{blank['shown']}”）" if blank.get("shown") and blank["shown"] != blank["answer"] else ""
        lines.append(f"空：{blank['answer']}{shown}")
    lines.append(f"答案：{kind.right_answer(data)}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, default=SOURCE)
    parser.add_argument("--draw", type=int, default=81, help="seed of the random draw")
    parser.add_argument("--seed", type=int, help="generator seed (default: settings.QUESTION_BANK_SEED)")
    for kind, count in zip(KINDS, (40, 15, 10, 10), strict=True):
        parser.add_argument(f"--{kind}", type=int, default=count, help=f"how many {kind} items")
    args = parser.parse_args()
    _setup()
    from django.conf import settings

    from quizzes.generation import generate_questions
    from studyapp.documents.parsing import parse_document

    seed = settings.QUESTION_BANK_SEED if args.seed is None else args.seed
    bank = generate_questions(parse_document(args.path.read_bytes()), seed=seed)
    rng = random.Random(args.draw)
    number = 0
    for kind in KINDS:
        pool = [question for question in bank if question.type == kind]
        for question in rng.sample(pool, min(getattr(args, kind), len(pool))):
            number += 1
            place = " › ".join(part for part in (question.task, question.topic) if part)
            print(f"{number}\t{kind}\t{question.key}\t{place}")
            for line in _item_lines(question):
                print(f"\t{line}")


if __name__ == "__main__":
    main()
