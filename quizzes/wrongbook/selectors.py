"""Reads of the wrong-answer book: which questions are in it, its groups, and its entries for review.

A question is in a learner's book when their latest answer to it, among the answers whose key they
may see (quizzes/reveal.py), was not fully right, and the question may still be asked. A right
answer later takes it out again; an assignment's answers count only once its answers are shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import Count, F, Min, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from ..core.rules import task_label
from ..models import Answer, Attempt
from ..reveal import answers_shown_q
from ..selectors import Feedback, feedback_for, source_lines

_QUESTION = "attempt_question__question__"
_SCOPE = re.compile(r"\A(task|topic):([0-9a-f]{1,16})\Z")


@dataclass(frozen=True)
class BookScope:
    """The part of the book asked for: all of it, or a task's or a topic's questions."""

    kind: str = Attempt.Scope.DOCUMENT
    key: str = ""

    @classmethod
    def parse(cls, value: str | None) -> BookScope:
        """ "task:KEY" or "topic:KEY"; anything else is the whole book."""
        match = _SCOPE.match(value or "")
        return cls(match[1], match[2]) if match else cls()

    @property
    def param(self) -> str:
        """The scope as the page's `group` parameter ("" for the whole book)."""
        return f"{self.kind}:{self.key}" if self.key else ""


def answers_shown(user: User, *, now: datetime) -> QuerySet[Answer]:
    """`user`'s answers whose correct answers they may see at `now`."""
    return Answer.objects.filter(attempt_question__attempt__user=user).filter(answers_shown_q(now=now))


def wrong_answers(user: User, *, now: datetime, scope: BookScope | None = None) -> QuerySet[Answer]:
    """The book of `user` at `now`, one row per question: their latest shown answer to it, where that
    answer was wrong and the question is still in use (optionally only those of `scope`)."""
    # Each question's latest shown answer, ranked in one pass over the learner's answers (a window
    # per question); a correlated subquery per answer would read every learner's answers to it.
    ranked = answers_shown(user, now=now).annotate(
        rank=Window(
            RowNumber(),
            partition_by=F("attempt_question__question_id"),
            order_by=[F("answered_at").desc(), F("id").desc()],
        )
    )
    answers = Answer.objects.filter(
        id__in=ranked.filter(rank=1).values("id"), is_correct=False, **{f"{_QUESTION}is_active": True}
    )
    if scope is not None and scope.kind == Attempt.Scope.TASK:
        answers = answers.filter(**{f"{_QUESTION}task_key": scope.key})
    elif scope is not None and scope.kind == Attempt.Scope.TOPIC:
        answers = answers.filter(**{f"{_QUESTION}topic_key": scope.key})
    return answers


def book_question_ids(user: User, *, now: datetime, scope: BookScope, limit: int) -> list[int]:
    """Up to `limit` ids of the questions in `scope` of the book, in the document's order: one query."""
    answers = wrong_answers(user, now=now, scope=scope).order_by(f"{_QUESTION}position", f"{_QUESTION}id")
    return list(answers.values_list("attempt_question__question_id", flat=True)[:limit])


# --- The book's groups -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicGroup:
    scope: BookScope
    title: str
    count: int


@dataclass
class TaskGroup:
    scope: BookScope
    title: str
    count: int = 0
    topics: list[TopicGroup] = field(default_factory=list)


@dataclass
class BookOutline:
    """The book's tasks, each with its topics and how many of the book's questions each holds."""

    tasks: list[TaskGroup]

    @property
    def count(self) -> int:
        return sum(task.count for task in self.tasks)

    def title_of(self, scope: BookScope) -> str:
        """The task's or topic's title ("" for the whole book or a scope not in the book)."""
        for task in self.tasks:
            if task.scope == scope:
                return task.title
            for topic in task.topics:
                if topic.scope == scope:
                    return f"{task.title} · {topic.title}"
        return ""

    def count_of(self, scope: BookScope) -> int:
        if not scope.key:
            return self.count
        groups: Iterable[TaskGroup | TopicGroup] = [*self.tasks, *(t for task in self.tasks for t in task.topics)]
        return next((group.count for group in groups if group.scope == scope), 0)


def book_outline(user: User, *, now: datetime) -> BookOutline:
    """The book of `user` at `now` counted per task and topic, in the document's order: one query."""
    rows = (
        wrong_answers(user, now=now)
        .values(
            task_key=F(f"{_QUESTION}task_key"),
            task_number=F(f"{_QUESTION}task_number"),
            task=F(f"{_QUESTION}task"),
            topic_key=F(f"{_QUESTION}topic_key"),
            topic=F(f"{_QUESTION}topic"),
        )
        .annotate(count=Count("id"), first=Min(f"{_QUESTION}position"))
        .order_by("first", "task_key", "topic_key")
    )
    tasks: dict[str, TaskGroup] = {}
    for row in rows:
        task = tasks.get(row["task_key"])
        if task is None:
            title = task_label(row["task_number"], row["task"]) if row["task"] else _("其他")
            task = tasks[row["task_key"]] = TaskGroup(BookScope(Attempt.Scope.TASK, row["task_key"]), title)
        task.count += row["count"]
        if row["topic_key"] and row["topic"]:  # a heading's own question has no topic to list
            task.topics.append(TopicGroup(BookScope(Attempt.Scope.TOPIC, row["topic_key"]), row["topic"], row["count"]))
    return BookOutline(list(tasks.values()))


# --- Entries to review ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BookEntry:
    """A question of the book as the review shows it: the learner's last wrong answer next to the key,
    the source lines, and the quiz it was given in."""

    feedback: Feedback
    attempt: Attempt

    @property
    def answer(self) -> Answer:
        return self.feedback.answer


def book_answers(user: User, *, now: datetime, scope: BookScope) -> QuerySet[Answer]:
    """The book's rows of `scope` with their question and quiz, in the document's order (a queryset,
    to be paginated)."""
    return (
        wrong_answers(user, now=now, scope=scope)
        .select_related("attempt_question__question", "attempt_question__attempt__assignment")
        .order_by(f"{_QUESTION}position", f"{_QUESTION}id")
    )


def book_entries(answers: Iterable[Answer]) -> list[BookEntry]:
    """`answers` (rows of book_answers) made entries to review: at most one query, for the source lines."""
    answers = list(answers)
    items = [answer.attempt_question for answer in answers]
    lines = source_lines([item.question for item in items]) if items else {}
    return [
        BookEntry(feedback_for(item, answer, lines[item.question_id]), item.attempt)
        for item, answer in zip(items, answers, strict=True)
    ]
