"""Reads of the question bank."""

from __future__ import annotations

from django.db.models import Count, Min, Q, QuerySet

from .models import Question

DIFFICULTY_RANGES = {"easy": (0.0, 0.34), "medium": (0.34, 0.67), "hard": (0.67, 1.01)}


def bank_questions(*, type: str = "", task: str = "", difficulty: str = "") -> QuerySet[Question]:
    """Active questions in bank order, optionally filtered."""
    questions = Question.objects.active().of_type(type)
    if task:
        questions = questions.filter(task_key=task)
    if difficulty in DIFFICULTY_RANGES:
        low, high = DIFFICULTY_RANGES[difficulty]
        questions = questions.filter(difficulty__gte=low, difficulty__lt=high)
    return questions.order_by("position", "id")


def bank_counts() -> dict[str, int]:
    """Active questions per type, counted in the database."""
    return Question.objects.active().aggregate(
        total=Count("id"),
        **{value: Count("id", filter=Q(type=value)) for value in Question.Type.values},
    )


def bank_task_choices() -> list[tuple[str, str]]:
    """(task key, label) for every task that has active questions, in document order."""
    rows = (
        Question.objects.active()
        .exclude(task_key="")
        .values("task_key", "task_number", "task")
        .annotate(first=Min("position"))
        .order_by("first")
    )
    return [
        (row["task_key"], f"（{row['task_number']}）{row['task']}" if row["task_number"] else row["task"])
        for row in rows
    ]
