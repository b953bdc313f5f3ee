"""Reads of quizzes: the questions a scope holds, the current step, feedback, the review of an
attempt, and the choices of the start form."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from studyapp.documents.models import Node
from studyapp.documents.selectors import OutlineEntry
from studyapp.http import Page

from . import reveal, step_reads
from .core.checking import Segment, highlight
from .core.kinds import QuestionKind, Row
from .core.kinds.base import FormData
from .core.rules import duration_text
from .models import Answer, Attempt, AttemptQuestion, Question
from .question_bodies import question_body


def attempt_for_user(user: User, pk: int) -> Attempt:
    """The attempt `pk` if it is `user`'s; 404 otherwise, so others' attempts do not even exist."""
    return get_object_or_404(Attempt.objects.for_user(user), pk=pk)


def attempt_step(user: User, pk: int) -> tuple[Attempt, AttemptQuestion | None]:
    """`user`'s attempt `pk` and its first unanswered question (404 if the attempt is not theirs).

    One query while questions remain: the step is the hot path of a quiz.
    """
    item = step_reads.first_unanswered_item(attempt_id=pk, user_id=user.pk)
    if item is not None:
        return item.attempt, item
    return attempt_for_user(user, pk), None


@dataclass
class Step:
    """One question of an attempt as the quiz page shows it: to answer, answered (then with its
    feedback), refused by the kind's form (`error`), or not taken because time was up (`closed`).
    `item` is None when the question asked for is not in the attempt."""

    attempt: Attempt
    item: AttemptQuestion | None
    answer: Answer | None = None
    error: str = ""
    closed: str = ""

    @property
    def takes_answer(self) -> bool:
        return self.item is not None and self.answer is None and not self.closed

    # What the kind's form reads (only while `item` is set).
    @property
    def kind(self) -> QuestionKind:
        return self.question.kind

    @property
    def question(self) -> Question:
        assert self.item is not None
        return self.item.question

    @property
    def layout(self) -> dict[str, Any]:
        assert self.item is not None
        return self.item.layout


def answer_step(user: User, pk: int, item_id: Any) -> Step:
    """`user`'s attempt `pk` with its item `item_id` and any answer recorded for it: one query (404 if
    the attempt is not theirs)."""
    try:
        item_id = int(item_id)
    except (TypeError, ValueError):
        item_id = None
    item = step_reads.item_with_answer(item_id=item_id, attempt_id=pk, user_id=user.pk) if item_id is not None else None
    if item is None:
        return Step(get_object_or_404(Attempt, user=user, pk=pk), None)
    # The read filled the reverse one-to-one; reading it raises an AttributeError when there is none.
    return Step(item.attempt, item, getattr(item, "answer", None))


def step_page(step: Step, data: FormData | None = None) -> Page:
    """The quiz page of `step`: the question to answer (refilled from `data` after a refusal), its
    feedback once answered (one query for the source lines), or what went wrong."""
    if step.item is None or step.closed:
        message = step.closed or _("这道题不在本次练习中，请回到当前题目继续。")
        context = {"attempt": step.attempt, "message": message, "closed": bool(step.closed)}
        return Page("quizzes/problem.html", context, partial="step", status=409 if step.closed else 400)
    item = step.item
    attempt = item.attempt  # as recording the answer left it (counters, finished)
    now = timezone.now()
    seconds_left = attempt.seconds_left(now)
    # Right/wrong and the key only when the rule allows (quizzes/reveal.py): else that it was recorded.
    shown = step.answer is not None and reveal.answers_shown_for(attempt, now)
    context = {
        "attempt": attempt,
        # Time left is the server's: the page's countdown only shows it going down.
        "seconds_left": seconds_left,
        "time_left": duration_text(seconds_left),
        "view": question_view(item),
        # The form's question, when the form is shown: refilled from `data` after a refusal.
        "body": question_body(item, data=data if step.error else None) if step.answer is None else "",
        "feedback": feedback(item, step.answer) if step.answer is not None and shown else None,
        "recorded": recorded(item, step.answer) if step.answer is not None and not shown else None,
        "when_shown": reveal.when_shown_text(attempt) if step.answer is not None and not shown else "",
        "error": step.error,
        # A fresh token per rendering of the form: the answer records which submission it came from.
        "token": uuid.uuid4().hex,
    }
    return Page("quizzes/take.html", context, partial="step", status=400 if step.error else 200)


def attempt_current_item(attempt: Attempt) -> AttemptQuestion | None:
    """The first question of `attempt` without an answer, with its question; None when all are answered."""
    return attempt.items.filter(answer__isnull=True).select_related("question").order_by("position").first()


def in_progress_attempt(user: User) -> Attempt | None:
    """The learner's latest unfinished quiz, to resume (not an assigned quiz whose time is up)."""
    attempts = Attempt.objects.for_user(user).in_progress().exclude(deadline__lt=timezone.now())
    return attempts.order_by("-started_at", "-id").first()


# --- What the templates show -----------------------------------------------------------------


@dataclass
class QuestionView:
    """A question as the quiz page and the review head it (the answer form's question itself is
    question_bodies.question_body)."""

    item: AttemptQuestion
    question: Question
    number: int  # 1-based position in the attempt
    kind: QuestionKind


def question_view(item: AttemptQuestion) -> QuestionView:
    """`item` as the quiz page and the review head it: no query."""
    question = item.question
    return QuestionView(item, question, item.position + 1, question.kind)


@dataclass(frozen=True)
class SourceLine:
    node: Node
    segments: list[Segment]


@dataclass
class Feedback:
    item: AttemptQuestion
    question: Question
    answer: Answer
    number: int
    rows: list[Row]
    sources: list[SourceLine]

    @property
    def credit_percent(self) -> int:
        return round(100 * self.answer.credit)

    @property
    def right_count(self) -> int:
        return sum(1 for row in self.rows if row.ok)


def feedback_for(item: AttemptQuestion, answer: Answer, lines: Sequence[Node]) -> Feedback:
    """What the learner gave next to the key, and the source `lines` with the answer marked."""
    question = item.question
    kind = question.kind
    rows = kind.feedback_rows(question, answer.given, list(answer.marks))
    wanted = [text for text in kind.key_texts(question) if text]
    sources = [SourceLine(node, highlight(node.text, [w for w in wanted if w in node.text])) for node in lines]
    return Feedback(item, question, answer, item.position + 1, rows, sources)


@dataclass(frozen=True)
class Recorded:
    """An answer while its key is hidden (quizzes/reveal.py): what the learner gave, and nothing of
    whether it was right — no marks, no key, no source lines (which mark the key)."""

    item: AttemptQuestion
    answer: Answer
    number: int
    given: list[tuple[str, str]]  # (label, text given) per part

    @property
    def timed_out(self) -> bool:
        return self.answer.timed_out


def recorded(item: AttemptQuestion, answer: Answer) -> Recorded:
    """`answer` as shown while the key is hidden: no query."""
    question = item.question
    rows = question.kind.feedback_rows(question, answer.given, [])
    return Recorded(item, answer, item.position + 1, [(str(row.label), str(row.given)) for row in rows])


def feedback(item: AttemptQuestion, answer: Answer) -> Feedback:
    """The feedback page of one answered question: at most one query (its source lines)."""
    return feedback_for(item, answer, source_lines([item.question])[item.question_id])


def source_lines(questions: Sequence[Question]) -> dict[int, list[Node]]:
    """The lines (or, for questions on a heading, the heading) of the active version each question
    comes from, by question id: at most one query, none for questions seen before by this process.

    Found by the questions' source text keys, so a line re-imported unchanged is still found;
    a question without them falls back to its `source` node. A matching question shows only lines.
    """
    result: dict[int, list[Node]] = {}
    missing: dict[Question, tuple | None] = {}  # question → its cache key (None: not to be kept)
    for question in questions:
        key = _lines_key(question)
        cached = _LINES.get(key) if key is not None else None
        if cached is None:
            missing[question] = key
        else:
            result[question.pk] = list(cached)
    if missing:
        found = _source_lines_query(list(missing))
        if len(_LINES) + len(found) > _LINES_MAX:
            _LINES.clear()
        for question, key in missing.items():
            result[question.pk] = found[question.pk]
            if key is not None:
                _LINES[key] = tuple(found[question.pk])
    return result


# Lines by (source node, headings allowed, text keys). A question's `source` is a node of the active version
# (activation re-links it; retirement clears it), and a version's nodes never change once imported:
# so an entry stays true for as long as its key can occur, and a new activation simply brings new keys.
_LINES: dict[tuple, tuple[Node, ...]] = {}
_LINES_MAX = 4096


def _lines_key(question: Question) -> tuple | None:
    if question.source_id is None:
        return None
    return (question.source_id, question.kind.uses_heading_sources, *_source_keys(question))


SOURCE_LINES_WARMED = 4000  # below the cache's bound (_LINES_MAX)


def source_lines_preload() -> None:
    """Fill this process's cache of source lines for the active bank (studyapp.warmup, in gunicorn's
    master): every worker then starts with it instead of one query per question it shows first."""
    source_lines(list(Question.objects.active().order_by("pk")[:SOURCE_LINES_WARMED]))


def source_lines_forget() -> None:
    """Empty this process's cache of source lines (tests, whose rolled-back ids come back)."""
    _LINES.clear()


def _source_lines_query(questions: Sequence[Question]) -> dict[int, list[Node]]:
    keys = {key for question in questions for key in _source_keys(question)}
    ids = {question.source_id for question in questions if question.source_id}
    nodes = (
        Node.objects.active().filter(Q(text_key__in=keys) | Q(pk__in=ids)).select_related("parent").order_by("position")
    )
    by_key: dict[str, Node] = {}
    by_id: dict[int, Node] = {}
    for node in nodes:
        by_key.setdefault(node.text_key, node)
        by_id[node.pk] = node
    result = {}
    for question in questions:
        found = [by_key[key] for key in _source_keys(question) if key in by_key]
        if not found and question.source_id in by_id:
            found = [by_id[question.source_id]]
        if not question.kind.uses_heading_sources:
            found = [node for node in found if not node.is_heading]
        result[question.pk] = found
    return result


def _source_keys(question: Question) -> list[str]:
    return list(dict.fromkeys(key for key in question.source_text_keys or [] if key))


def attempt_review(
    attempt: Attempt, *, shown: bool = True, wrong_only: bool = False
) -> list[tuple[QuestionView, Feedback | Recorded | None]]:
    """Every question of a finished (or abandoned) attempt with its feedback, or only those answered
    wrongly (not fully right); when its key is hidden (`shown` False, quizzes/reveal.py), with what was
    recorded only: two queries (one when hidden)."""
    rows = attempt.items.select_related("question", "answer").order_by("position")
    items = list(rows.filter(answer__is_correct=False) if wrong_only else rows)
    lines = source_lines([item.question for item in items]) if shown else {}
    review: list[tuple[QuestionView, Feedback | Recorded | None]] = []
    for item in items:
        item.attempt = attempt
        answer = answer_of(item)
        if answer is None:
            review.append((question_view(item), None))
        elif shown:
            review.append((question_view(item), feedback_for(item, answer, lines[item.question_id])))
        else:
            review.append((question_view(item), recorded(item, answer)))
    return review


def answer_of(item: AttemptQuestion) -> Answer | None:
    """The answer recorded for `item`, or None (the reverse one-to-one raises when there is none)."""
    try:
        return item.answer
    except Answer.DoesNotExist:
        return None


# --- Options for the start form ----------------------------------------------------------------


def scope_choices(outline: list[OutlineEntry]) -> list[tuple[str, Any]]:
    """Grouped choices for the quiz scope: the whole document, each task, each task's topics; only
    headings with active questions are offered. Two queries.

    A heading with nothing of its own is read with the sibling heading after it (OutlineEntry): their
    section is offered once, under both titles, by the heading of it that holds questions, so no
    scope is empty and none is offered twice."""
    active = Question.objects.active()
    task_keys = set(active.values_list("task_key", flat=True).distinct())
    topic_keys = set(active.values_list("topic_key", flat=True).distinct())

    def scope_key(entry: OutlineEntry, keys: set[str]) -> str | None:
        """The key of the heading of `entry`'s section that has questions, if one has."""
        return next((e.node.key for e in entry.section if e.node.key in keys), None)

    tasks: list[tuple[str, str]] = []
    topics: list[tuple[str, list[tuple[str, str]]]] = []
    for part in outline:
        if part.joined_to is not None:
            continue
        for task in part.section_children:
            task_key = scope_key(task, task_keys)
            if task.node.kind != Node.Kind.TASK or task_key is None:
                continue
            tasks.append((f"task:{task_key}", task.section_title))
            task_topics = [
                (f"topic:{topic_key}", topic.section_title)
                for topic in task.section_children
                if (topic_key := scope_key(topic, topic_keys)) is not None
            ]
            if task_topics:
                topics.append((task.section_title, task_topics))
    return [("document", _("全文")), (_("按任务"), tasks), *topics]
