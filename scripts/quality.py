"""Quality figures of the question bank generated from a Markdown document.

    .venv/bin/python scripts/quality.py [PATH.md] [--gold FILE.tsv] [--seed N] [--misses]

Without PATH: the seed document (fixtures/acftu-18th-congress.md) against its gold annotation
(tests/data/acftu-key-terms.tsv). Another document is measured without a gold annotation unless
--gold names one. Prints one figure a line; --misses adds the gold terms missed, the generic
blanks, and the other lists behind the figures. The figures are defined in
quizzes/generation/quality.py.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "fixtures" / "acftu-18th-congress.md"
GOLD = ROOT / "tests" / "data" / "acftu-key-terms.tsv"
TYPE_NAMES = {
    "cloze": "fill-in",
    "choice": "single choice",
    "truefalse": "true/false",
    "multiselect": "multiple select",
    "matching": "matching",
}


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studyapp.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def _percent(share: float | None) -> str:
    return "n/a" if share is None else f"{100 * share:.1f}%"


def _of(part: int, whole: int) -> str:
    return f"{part} of {whole} ({_percent(part / whole if whole else None)})"


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, help="Markdown document (default: the seed)")
    parser.add_argument("--gold", type=Path, help="gold annotation, TSV (default: the seed's, for the seed only)")
    parser.add_argument("--seed", type=int, help="generator seed (default: settings.QUESTION_BANK_SEED)")
    parser.add_argument("--misses", action="store_true", help="list the missed gold terms, generic blanks and so on")
    args = parser.parse_args()
    path = args.path or SOURCE
    gold_path = args.gold or (GOLD if args.path is None or path.resolve() == SOURCE else None)

    _setup()
    from django.conf import settings

    from quizzes.generation import generate_questions
    from quizzes.generation.quality import KINDS, THIN, quality, read_gold, read_gold_lines
    from studyapp.documents.parsing import parse_document

    seed = args.seed if args.seed is not None else int(getattr(settings, "QUESTION_BANK_SEED", 0))
    document = parse_document(path.read_bytes())
    questions = generate_questions(document, seed=seed)
    gold = read_gold(gold_path) if gold_path else None
    q = quality(document, questions, gold)

    print(f"document: {_display(path)} (seed {seed})")
    kinds = ", ".join(f"{TYPE_NAMES.get(t, t)} {n}" for t, n in sorted(q.by_type.items(), key=lambda i: -i[1]))
    print(f"questions: {q.questions} ({kinds})")
    if gold_path is not None:
        print(f"gold annotation: {_display(gold_path)}, {q.gold_lines} lines found, {len(q.gold_unmatched)} not found")
        print(f"key-term recall: {q.recalled} of {q.gold_terms} terms ({_percent(q.recall)})")
        print(f"key-term recall, every kind: {q.bank_recalled} of {q.gold_terms} terms ({_percent(q.bank_recall)})")
        print(f"gold lines with a term recalled: {_of(q.lines_recalled, q.gold_lines)}")
        covered, terms = _candidate_coverage(document, gold)
        print(f"gold terms among the candidates (a blank could ask them): {_of(covered, terms)}")
    else:
        print("key-term recall: no gold annotation")
    print(f"fill-in blanks: {q.blanks}")
    for kind in KINDS:
        print(f"  {kind}: {q.blank_kinds[kind]} ({_percent(q.blank_share(kind))})")
    print(f"generic blanks: {_of(len(q.generic_blanks), q.blanks)}")
    level = "" if q.topic_kind == "topic" else f" ({q.topic_kind} headings: the document has no topics)"
    print(f"topics with fewer than {THIN} fill-ins{level}: {_of(len(q.thin_topics), q.topics)}")
    print(f"lines without a question: {_of(len(q.uncovered), q.lines)}")
    for type_, figures in q.distractors.items():
        print(f"distractors of the answer's kind, {TYPE_NAMES[type_]}: {_of(figures.same_kind, figures.slots)}")
    print(f"distractor pool: {q.distractor_pool} strings in {q.same_kind.slots} slots")
    print("most reused distractors: " + (", ".join(f"{text} ×{n}" for text, n in q.reused) or "none"))
    print(f"single choices that repeat a fill-in: {_of(len(q.duplicate_choices), q.choices)}")
    print(f"answers readable in a heading above: {len(q.giveaways)}")

    if not args.misses:
        return
    if gold_path is not None:
        _section(
            "gold lines not found in the document",
            [g.text for g in read_gold_lines(gold_path) if g.text_key in q.gold_unmatched],
        )
        _section("gold terms missed", [f"{m.answer}  ← {_short(m.line)}" for m in q.misses])
    _section("generic blanks", [f"{n.answer}  ← {_short(n.line)}" for n in q.generic_blanks])
    _section(f"topics with fewer than {THIN} fill-ins", [f"{title}: {n}" for title, n in q.thin_topics])
    _section("lines without a question", list(q.uncovered))
    _section("single choices that repeat a fill-in", [f"{n.answer}  ← {_short(n.line)}" for n in q.duplicate_choices])
    _section(
        "answers readable in a heading above",
        [f"{TYPE_NAMES[g.type]}: {g.answer}  ← heading {_short(g.heading, 40)}" for g in q.giveaways],
    )
    _section(
        "distractors not of the answer's kind",
        [f"{TYPE_NAMES[o.type]}: {o.answer} ({o.kind}) ≠ {o.distractor}" for o in q.off_kind],
    )


def _candidate_coverage(document, gold) -> tuple[int, int]:  # noqa: ANN001 - a ParsedDocument, gold terms
    """Gold terms that some candidate of their line (or one of its lists, whole) asks: the ceiling of
    the recall that ranking and quotas can reach."""
    from quizzes.generation.quality import recalls
    from quizzes.generation.source import heading_lines, in_order, source_lines
    from quizzes.generation.terms import analyse

    lines = source_lines(document)
    used = {text for line in lines for text in (line.part, line.task, line.topic)}
    analysed = analyse(in_order([*lines, *(t for t in heading_lines(document) if t.text in used)]))
    by_key = {lt.line.text_key: lt for lt in analysed}
    covered = terms = 0
    for text_key, line_terms in gold.items():
        lt = by_key.get(text_key)
        groups = (
            [[c.text] for c in lt.candidates] + [[m.text for m in e.members] for e in lt.enumerations] if lt else []
        )
        for term in dict.fromkeys(line_terms):
            terms += 1
            covered += any(recalls(term, group) for group in groups)
    return covered, terms


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _section(title: str, rows: list[str]) -> None:
    print(f"\n{title} ({len(rows)}):")
    for row in rows:
        print(f"  {row}")


if __name__ == "__main__":
    main()
