"""Helpers the tests share: answers as a learner gives them, the answer form's POST data, the
published document parsed once, and the mark for tests that need threads on a real database."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from quizzes import services
from quizzes.generation import GeneratedQuestion, generate_questions
from quizzes.models import Attempt, AttemptQuestion, Question
from studyapp.documents.parsing import ParsedDocument, parse_document

HTMX = {"HTTP_HX_REQUEST": "true"}


# --- Answers -------------------------------------------------------------------------------------------


def right_answer(question: Question, item: AttemptQuestion | None = None) -> Any:
    """What the form would send, already parsed, for a fully right answer."""
    return question.kind.right_answer(question)


def wrong_answer(question: Question) -> Any:
    """A well-formed answer with every part wrong."""
    return question.kind.wrong_answer(question)


def answer_all(attempt: Attempt, user, *, right=lambda position: True, now=None) -> None:
    for item in attempt.items.select_related("question").order_by("position"):
        given = right_answer(item.question) if right(item.position) else wrong_answer(item.question)
        services.answer_submit(item=item, user=user, given=given, now=now)


def form_data(item: AttemptQuestion, *, right: bool = True, token: str = "tok") -> dict[str, Any]:
    """POST data as the answer form sends it."""
    question = item.question
    given = right_answer(question) if right else wrong_answer(question)
    return {"item": str(item.pk), "token": token, **question.kind.post_data(question, item.layout, given)}


# --- The published document, for the pure generator ----------------------------------------------------

SOURCE = settings.SOURCE_DOCUMENT.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def seed_document() -> ParsedDocument:
    return parse_document(SOURCE)


@lru_cache(maxsize=8)
def seed_questions(question_type: str) -> list[GeneratedQuestion]:
    return [q for q in generate_questions(seed_document()) if q.type == question_type]


# --- Threads against the real database -------------------------------------------------------------------

THREADED_DATABASE = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite's in-memory test database cannot be shared by threads; its IMMEDIATE transactions "
        "serialise writers in production",
    ),
]
