"""The question bank in the database, kept in step with the active document version; what a scope
of it holds (for quizzes and assignments); its reads for the staff page.

Generation itself is pure (`quizzes.generation`); this module stores its output. A question's
identity is its generated `key`, which depends on its source text and answer only: questions on
lines that did not change keep their rows, and with them everyone's answers and progress. The
document app learns what an import does to the bank through its signals (the receivers at the end).
"""

from __future__ import annotations

import functools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Min, Q, QuerySet
from django.utils.translation import gettext as _

from studyapp.documents.models import DocumentVersion, Node
from studyapp.documents.parsing import parse_document
from studyapp.documents.signals import QuestionChange

from .core.kinds import KINDS, MIXED
from .core.picking import Candidate, pick_questions
from .core.rules import DIFFICULTY_BANDS, task_label
from .models import Attempt, Question, QuestionQuerySet

if TYPE_CHECKING:
    from .generation import GeneratedQuestion

# What the bank did, or would do, to its questions when a version becomes active.
BankChange = QuestionChange


def bank_seed() -> int:
    return int(getattr(settings, "QUESTION_BANK_SEED", 0))


@functools.lru_cache(maxsize=4)
def generated_bank(source_text: str, seed: int) -> tuple[GeneratedQuestion, ...]:
    """The generator's output for one text; cached because imports preview, then activate."""
    from .generation import generate_questions  # the segmenter loads only when a bank is generated

    return tuple(generate_questions(parse_document(source_text), seed=seed))


def bank_preview(*, version: DocumentVersion, seed: int | None = None) -> BankChange:
    """How many questions activating `version` would create, keep and retire; writes nothing."""
    keys = {question.key for question in generated_bank(version.source_text, bank_seed() if seed is None else seed)}
    active = set(Question.objects.active().values_list("key", flat=True))
    known = set(Question.objects.filter(key__in=keys - active).values_list("key", flat=True))
    return BankChange(
        created=len(keys - active - known), kept=len(keys & active), retired=len(active - keys), reactivated=len(known)
    )


@dataclass(frozen=True, eq=False)
class PreparedBank:
    """The questions generated from one text with one seed, ahead of the transaction that stores them."""

    source_text: str
    seed: int
    questions: tuple[GeneratedQuestion, ...]

    def is_for(self, version: DocumentVersion, seed: int) -> bool:
        return self.seed == seed and self.source_text == version.source_text


def bank_prepare(*, source_text: str, seed: int | None = None) -> PreparedBank:
    """Generate the bank of `source_text`: the slow part of an activation, done outside its transaction."""
    seed = bank_seed() if seed is None else seed
    return PreparedBank(source_text, seed, generated_bank(source_text, seed))


@transaction.atomic
def bank_sync(*, version: DocumentVersion, seed: int | None = None, prepared: PreparedBank | None = None) -> BankChange:
    """Make the active bank exactly the questions generated from `version`.

    New keys are created; known keys (also retired ones that come back) are refreshed and
    re-linked to this version's nodes; active keys no longer generated are retired, never deleted.
    The bank is compared with the rows as they are now, so it does not matter which version was
    active when `prepared` was generated; a `prepared` bank of another text or seed is not used
    (the bank is generated here, inside the transaction).
    """
    seed = bank_seed() if seed is None else seed
    if prepared is None or not prepared.is_for(version, seed):
        prepared = bank_prepare(source_text=version.source_text, seed=seed)
    generated = prepared.questions
    nodes = {node.key: node for node in version.nodes.all()}
    nodes_by_id = {node.pk: node for node in nodes.values()}
    by_key = {question.key: question for question in Question.objects.filter(key__in=[g.key for g in generated])}
    was_active = {key for key, question in by_key.items() if question.is_active}

    to_create, to_update = [], []
    for position, item in enumerate(generated):
        fields = _question_fields(item, nodes, nodes_by_id, position)
        question = by_key.get(item.key)
        if question is None:
            to_create.append(Question(key=item.key, created_in=version, **fields))
            continue
        for name, value in fields.items():
            setattr(question, name, value)
        question.is_active = True
        question.retired_in = None
        to_update.append(question)
    Question.objects.bulk_create(to_create, batch_size=500)
    # One UPDATE a row: bulk_update's CASE WHEN over a batch costs the batch's size for every row,
    # which made the write transaction of a large document last many seconds.
    for question in to_update:
        Question.objects.filter(pk=question.pk).update(**{name: getattr(question, name) for name in _WRITTEN_FIELDS})
    retired = (
        Question.objects.active()
        .exclude(key__in=[item.key for item in generated])
        .update(is_active=False, retired_in=version, source=None)
    )
    return BankChange(
        created=len(to_create), kept=len(was_active), retired=retired, reactivated=len(to_update) - len(was_active)
    )


_UPDATED_FIELDS = [
    "type",
    "prompt",
    "blanks",
    "pairs",
    "choices",
    "answer_index",
    "correct_choices",
    "source",
    "source_key",
    "source_text_keys",
    "part",
    "task",
    "task_number",
    "task_key",
    "topic",
    "topic_key",
    "difficulty",
    "position",
]
_WRITTEN_FIELDS = [*_UPDATED_FIELDS, "is_active", "retired_in"]


def _question_fields(
    item: GeneratedQuestion, nodes: dict[str, Node], nodes_by_id: dict[int, Node], position: int
) -> dict:
    data = item.to_dict()
    source = next((nodes[key] for key in item.source_keys if key in nodes), None)
    task = topic = None
    ancestor = source
    while ancestor is not None:
        if ancestor.kind == Node.Kind.TOPIC and topic is None:
            topic = ancestor
        if ancestor.kind == Node.Kind.TASK and task is None:
            task = ancestor
        ancestor = nodes_by_id.get(ancestor.parent_id) if ancestor.parent_id is not None else None
    return {
        "type": item.type,
        "prompt": item.prompt,
        "blanks": data.get("blanks", []),
        "pairs": [list(pair) for pair in item.pairs],
        "choices": list(item.choices),
        "answer_index": item.answer_index if item.answer_index >= 0 else None,
        "correct_choices": list(item.correct_choices),
        "source": source,
        "source_key": source.key if source else "",
        "source_text_keys": list(item.source_text_keys),
        "part": item.part,
        "task": item.task,
        "task_number": item.task_number,
        "task_key": task.key if task else "",
        "topic": item.topic,
        "topic_key": topic.key if topic else "",
        "difficulty": round(float(item.difficulty), 3),
        "position": position,
    }


# --- What a scope holds -------------------------------------------------------------------------


def scope_questions(
    *, scope: str, scope_key: str = "", question_type: str = Attempt.Mix.MIXED
) -> tuple[QuestionQuerySet, str]:
    """Active questions of `question_type` in `scope` ("document", or a task or topic by key) and the
    scope's label ("" for the whole document). Raises ValidationError for an unknown scope."""
    questions = Question.objects.active()
    label = ""
    if scope in (Attempt.Scope.TASK, Attempt.Scope.TOPIC):
        heading = Node.objects.active().filter(key=scope_key, kind=scope).first()
        if heading is None:
            raise ValidationError(_("没有这个学习范围。"))
        questions = questions.in_task(heading) if scope == Attempt.Scope.TASK else questions.in_topic(heading)
        label = heading.display_title
    elif scope != Attempt.Scope.DOCUMENT:
        raise ValidationError(_("没有这个学习范围。"))
    if question_type != MIXED:
        questions = questions.of_type(question_type)
    return questions, label


def scope_draw(
    *, scope: str, scope_key: str = "", question_type: str = MIXED, length: int, rng: random.Random | None = None
) -> tuple[list[int], str]:
    """Up to `length` question ids drawn from the scope, in asking order (core.picking's rule), and
    the scope's label. Raises ValidationError for an unknown scope."""
    questions, label = scope_questions(scope=scope, scope_key=scope_key, question_type=question_type)
    candidates = [Candidate(*row) for row in questions.values_list("id", "type", "source_key")]
    return pick_questions(candidates, length=length, mixed=question_type == MIXED, rng=rng), label


# --- Reads for the staff page ---------------------------------------------------------------------


def bank_questions(*, type: str = "", task: str = "", difficulty: str = "") -> QuerySet[Question]:
    """Active questions in bank order, optionally filtered."""
    questions = Question.objects.active().of_type(type)
    if task:
        questions = questions.filter(task_key=task)
    if difficulty in DIFFICULTY_BANDS:
        low, high = DIFFICULTY_BANDS[difficulty]
        questions = questions.filter(difficulty__gte=low, difficulty__lt=high)
    return questions.order_by("position", "id")


def bank_counts() -> dict[str, Any]:
    """Active questions in all (`total`) and per kind (`by_kind`: label, count), counted in the database."""
    counts = Question.objects.active().aggregate(
        total=Count("id"), **{name: Count("id", filter=Q(type=name)) for name in KINDS}
    )
    return {"total": counts["total"], "by_kind": [(kind.label, counts[name]) for name, kind in KINDS.items()]}


def bank_task_choices() -> list[tuple[str, str]]:
    """(task key, label) for every task that has active questions, in document order."""
    rows = (
        Question.objects.active()
        .exclude(task_key="")
        .values("task_key", "task_number", "task")
        .annotate(first=Min("position"))
        .order_by("first")
    )
    return [(row["task_key"], task_label(row["task_number"], row["task"])) for row in rows]


# --- The document's signals -----------------------------------------------------------------------


def bank_on_preparing(sender: Any, *, source_text: str, **kwargs: Any) -> PreparedBank:
    """version_preparing: generate the bank of the text about to be activated, outside any transaction."""
    return bank_prepare(source_text=source_text)


def bank_on_activation(
    sender: Any, *, version: DocumentVersion, prepared: Sequence[Any] = (), **kwargs: Any
) -> BankChange:
    """version_activated: make the bank the new version's questions, as prepared by
    bank_on_preparing (generated here only when nothing prepared fits the version's text). It runs
    inside the import transaction, so a failure here rolls the activation back too."""
    seed = bank_seed()
    bank = next((p for p in prepared if isinstance(p, PreparedBank) and p.is_for(version, seed)), None)
    return bank_sync(version=version, seed=seed, prepared=bank)


def bank_on_preview(sender: Any, *, version: DocumentVersion, **kwargs: Any) -> BankChange:
    """version_previewed: what activating `version` would do to the bank."""
    return bank_preview(version=version)
