"""Benchmark: question generation for the whole document, in a cold and in a warm process.

    .venv/bin/python scripts/bench_generation.py [--runs 5]

Cold: a fresh interpreter imports the generator, loads jieba's dictionary and generates the bank
once. Warm: the same process generates it again, several times. Prints the times, their ratio,
and the number of questions of each kind.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "fixtures" / "acftu-18th-congress.md"


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studyapp.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def generate_once() -> tuple[float, list]:
    from quizzes.generation import generate_questions
    from studyapp.documents.parsing import parse_document

    started = time.perf_counter()
    bank = generate_questions(parse_document(SOURCE.read_bytes()), seed=2026)
    return time.perf_counter() - started, bank


def child() -> None:
    started = time.perf_counter()
    _setup()
    _, bank = generate_once()
    print(json.dumps({"seconds": time.perf_counter() - started, "count": len(bank)}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child()
        return

    result = subprocess.run([sys.executable, __file__, "--child"], capture_output=True, text=True, check=True)
    cold = json.loads(result.stdout.strip().splitlines()[-1])["seconds"]

    _setup()
    generate_once()  # warm the segmenter in this process
    warm_times = []
    bank = []
    for _ in range(args.runs):
        seconds, bank = generate_once()
        warm_times.append(seconds)
    warm = statistics.median(warm_times)
    kinds = Counter(question.type for question in bank)

    print(f"document: {SOURCE.name}")
    print(f"cold process (interpreter + Django + jieba + generation): {cold:.2f} s")
    print(
        f"warm generation, median of {args.runs}: {warm:.3f} s (min {min(warm_times):.3f}, max {max(warm_times):.3f})"
    )
    print(f"cold / warm: {cold / warm:.1f}x")
    print(f"questions: {len(bank)} = " + ", ".join(f"{kind} {kinds[kind]}" for kind in ("cloze", "matching", "choice")))


if __name__ == "__main__":
    main()
