"""The published document, parsed once per test run, for the tests of the pure generator."""

from functools import lru_cache

from django.conf import settings

from quizzes.generation import GeneratedQuestion, generate_questions
from studyapp.documents.parsing import ParsedDocument, parse_document

SOURCE = settings.SOURCE_DOCUMENT.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def seed_document() -> ParsedDocument:
    return parse_document(SOURCE)


@lru_cache(maxsize=4)
def seed_questions(question_type: str) -> list[GeneratedQuestion]:
    return [q for q in generate_questions(seed_document()) if q.type == question_type]
