"""Benchmark: parse time of a document made of long runs of “要” lines.

    .venv/bin/python scripts/bench_import.py [--runs 3] [--multiples 1 10 25]

The block is the seed's “要” lines (fixtures/acftu-18th-congress.md), repeated until it is as large
as the seed file. The document parsed for a multiple k is the seed's title and section heading
followed by k blocks. Prints, for each multiple, the size, the lines and the median parse time,
and each time's ratio to the 1× time: a linear parser gives ratios close to the multiples
(10×, 25×), a quadratic one their squares. The last line parses a file at the line limit.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "fixtures" / "acftu-18th-congress.md"


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studyapp.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def seed_block() -> str:
    """The seed's “要” paragraphs, repeated to the size of the seed file."""
    seed = SOURCE.read_text(encoding="utf-8")
    lines = [line for line in seed.splitlines() if line.startswith("**要**")]
    assert lines, "the seed has no “要” lines"
    block: list[str] = []
    size = 0
    while size < len(seed.encode("utf-8")):
        for line in lines:
            block.append(line)
            size += len(line.encode("utf-8")) + 2
    return "\n\n".join(block) + "\n\n"


def document(blocks: int, block: str) -> str:
    return "# 基准文件\n\n## 请记住\n\n" + block * blocks


def parse_time(text: str, runs: int) -> float:
    from studyapp.documents.parsing import parse_document

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        parse_document(text)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--multiples", type=int, nargs="+", default=[1, 10, 25])
    args = parser.parse_args()
    _setup()
    from studyapp.documents.parsing import MAX_SOURCE_BYTES, MAX_SOURCE_LINES, parse_document

    block = seed_block()
    print(f"block: {block.count('**要**')} “要” lines, {len(block.encode('utf-8'))} bytes (seed: {SOURCE.name})")
    parse_document(document(1, block))  # warm up imports and regexes
    base = 0.0
    for multiple in args.multiples:
        text = document(multiple, block)
        seconds = parse_time(text, args.runs)
        base = base or seconds
        print(
            f"{multiple:>3}×: {len(text.encode('utf-8')):>9} bytes, {text.count(chr(10)):>6} lines, "
            f"{text.count('**要**'):>5} “要”: {seconds:.3f} s (ratio {seconds / base:.1f}, linear {multiple / args.multiples[0]:.0f})"
        )
    line = block.split("\n\n")[0]
    at_limit = "# 基准文件\n\n## 请记住\n\n" + "\n\n".join([line] * ((MAX_SOURCE_LINES - 4) // 2)) + "\n"
    size = len(at_limit.encode("utf-8"))
    assert at_limit.count("\n") <= MAX_SOURCE_LINES and size <= MAX_SOURCE_BYTES, (at_limit.count("\n"), size)
    print(
        f"at the line limit: {size} bytes, {at_limit.count(chr(10))} lines, {at_limit.count('**要**')} “要”: "
        f"{parse_time(at_limit, args.runs):.3f} s"
    )


if __name__ == "__main__":
    main()
