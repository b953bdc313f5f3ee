"""Benchmark: import and activation time of documents 1×, 25× and 50× the size of the seed.

    .venv/bin/python scripts/bench_activation.py [--multiples 1 25 50] [--profile 50]

The document for a multiple k is the seed (fixtures/acftu-18th-congress.md) with its body repeated
k times, every repeated heading made distinct by a suffix (·2, ·3…) and blank lines dropped where
Markdown does not need them, so that 50× stays within the parser's limits (1 MiB, 10,000 lines,
3,000 headings; 60× is the largest that does). An in-memory SQLite database holds the seed as
version 1 with its bank; each multiple is imported as a new version (1×: the seed and one line),
then activated (new questions created, the seed's kept or retired), then the seed again. Prints,
for each multiple, its size, the time of the import (without activation), of generating its bank
alone, and of the activation (generating, outside any transaction, then the write transaction),
and the ratio (t50 - t1) / (t25 - t1) of the activation times: about 2 when activation is
near-linear, about 4 when quadratic. With --profile k, prints cProfile's top functions (--sort)
for generating the bank of the k× document.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "fixtures" / "acftu-18th-congress.md"
_HEADING = re.compile(r"^(#{2,6}) (.+)$")
_ATX = re.compile(r"^#{1,6} ", re.M)


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studyapp.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ["DATABASE_URL"] = "sqlite:///:memory:"
    import django

    django.setup()


def document(multiple: int) -> str:
    """The seed with its body (everything under the title) repeated `multiple` times; 1× is the
    seed itself. Repetition r > 1 suffixes every heading with ·r, so that no two headings coincide."""
    seed = SOURCE.read_text(encoding="utf-8")
    title, _, body = seed.strip().partition("\n\n")
    if multiple == 1:
        return seed
    parts = [title]
    for repetition in range(1, multiple + 1):
        lines = body.splitlines()
        for index, line in enumerate(lines):
            heading = _HEADING.match(line)
            if heading and repetition > 1:
                line = f"{heading.group(1)} {heading.group(2)}·{repetition}"
            previous = lines[index - 1] if index else ""
            following = lines[index + 1] if index + 1 < len(lines) else ""
            # A blank line is needed only between two paragraphs; next to a heading it is not.
            if not line and (_HEADING.match(previous) or _HEADING.match(following) or not previous):
                continue
            parts.append(line)
    return "\n".join(parts) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--multiples", type=int, nargs="+", default=[1, 25, 50])
    parser.add_argument("--profile", type=int, default=0, help="profile generating the bank of this multiple")
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key for --profile")
    args = parser.parse_args()
    _setup()
    from django.core.management import call_command
    from django.db import connection

    from quizzes.bank import generated_bank
    from studyapp.documents import services
    from studyapp.documents.parsing import MAX_HEADINGS, MAX_SOURCE_BYTES, MAX_SOURCE_LINES, parse_document

    call_command("migrate", verbosity=0)
    seed = document(1)
    seed_version = services.document_import(source=seed.encode(), source_name="seed.md").version
    assert seed_version is not None
    connection.set_autocommit(True)
    generated_bank(seed, 2026)  # warm up the segmenter and the regexes

    if args.profile:
        import cProfile
        import pstats

        text = document(args.profile)
        profile = cProfile.Profile()
        profile.enable()
        from quizzes.generation import generate_questions

        generate_questions(parse_document(text), seed=2026)
        profile.disable()
        pstats.Stats(profile).sort_stats(args.sort).print_stats(30)
        return

    from quizzes.generation.heads import head_kind
    from quizzes.generation.terms import _general_rarity

    def _forget() -> None:
        """Every cache of generated text, so that each step pays for its document in full."""
        for cached in (generated_bank, head_kind, _general_rarity):
            cached.cache_clear()

    print(f"seed: {SOURCE.name}; limits {MAX_SOURCE_BYTES} bytes, {MAX_SOURCE_LINES} lines, {MAX_HEADINGS} headings")
    activation: dict[int, float] = {}
    for multiple in args.multiples:
        # 1×: the seed with one line more (the seed itself would be a duplicate of version 1).
        text = document(multiple) if multiple > 1 else seed + "\n\n补充的要点\n"
        source = text.encode()
        parsed = parse_document(source)
        headings = len(_ATX.findall(text))
        _forget()
        started = time.perf_counter()
        version = services.document_import(source=source, source_name=f"{multiple}x.md").version
        imported = time.perf_counter() - started
        assert version is not None and not version.is_active
        _forget()
        started = time.perf_counter()
        generated = generated_bank(version.source_text, 2026)
        prepared = time.perf_counter() - started
        _forget()
        started = time.perf_counter()
        services.version_activate(version=version)
        activation[multiple] = time.perf_counter() - started
        services.version_activate(version=seed_version)  # back to the seed for the next multiple
        print(
            f"{multiple:>3}×: {len(source):>8} bytes, {text.count(chr(10)):>5} lines, {len(parsed.nodes):>5} nodes "
            f"({headings} headings), {len(generated):>6} questions: import {imported:6.2f} s, "
            f"generation {prepared:6.2f} s, activation {activation[multiple]:6.2f} s"
        )
    if {1, 25, 50} <= set(activation):
        ratio = (activation[50] - activation[1]) / (activation[25] - activation[1])
        print(f"(t50 - t1) / (t25 - t1) = {ratio:.2f} (linear 2.0, quadratic 4.1; must be ≤ 2.2)")


if __name__ == "__main__":
    main()
