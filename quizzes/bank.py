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
from django.utils.translation import gettext_noop

from studyapp.documents.models import DocumentVersion, Node
from studyapp.documents.parsing import parse_document
from studyapp.documents.signals import QuestionChange

from .core.kinds import CLOZE, KINDS, MIXED
from .core.picking import Candidate, pick_questions
from .core.rules import DIFFICULTY_BANDS, task_label
from .models import Attempt, Origin, Question, QuestionLog, QuestionQuerySet

if TYPE_CHECKING:
    from .generation import GeneratedQuestion

# What the bank did, or would do, to its questions when a version becomes active.
BankChange = QuestionChange


def bank_seed() -> int:
    return int(getattr(settings, "QUESTION_BANK_SEED", 0))


# (line text key, answer text) of fill-ins staff suppressed: the generator does not blank them again.
Avoid = frozenset[tuple[str, str]]


@functools.lru_cache(maxsize=4)
def generated_bank(source_text: str, seed: int, avoid: Avoid = frozenset()) -> tuple[GeneratedQuestion, ...]:
    """The generator's output for one text; cached because imports preview, then activate."""
    from .generation import generate_questions  # the segmenter loads only when a bank is generated

    return tuple(generate_questions(parse_document(source_text), seed=seed, avoid=avoid))


def _generated(source_text: str, seed: int, avoid: Avoid) -> tuple[GeneratedQuestion, ...]:
    # lru_cache keys f(a, b) and f(a, b, frozenset()) apart: without fill-ins to avoid, call it as
    # everyone else does (scripts, tests), so that they share the cached bank.
    return generated_bank(source_text, seed, avoid) if avoid else generated_bank(source_text, seed)


def bank_avoid() -> Avoid:
    """What the generator must not blank again: (line text key, answer text) of every suppressed
    generated fill-in, retired ones included (else the blank would come back once its question is
    retired). The answer text of a fill-in with several blanks is theirs joined as cloze.answer_text does."""
    from .generation.cloze import answer_text

    rows = Question.objects.filter(is_suppressed=True, type=CLOZE, origin=Origin.GENERATED).values_list(
        "source_text_keys", "blanks"
    )
    return frozenset(
        (text_keys[0], answer_text(blank["answer"] for blank in blanks))
        for text_keys, blanks in rows
        if text_keys and blanks
    )


def bank_preview(*, version: DocumentVersion, seed: int | None = None) -> BankChange:
    """How many questions activating `version` would create, keep, retire and reactivate, counted as
    bank_sync counts them (suppressed questions are neither kept nor reactivated; hand-written and
    imported ones are never retired); writes nothing."""
    seed = bank_seed() if seed is None else seed
    keys = {question.key for question in _generated(version.source_text, seed, bank_avoid())}
    active = set(Question.objects.active().filter(origin=Origin.GENERATED).values_list("key", flat=True))
    known = dict(Question.objects.filter(key__in=keys - active).values_list("key", "is_suppressed"))
    return BankChange(
        created=len(keys - active - set(known)),
        kept=len(keys & active),
        retired=len(active - keys),
        reactivated=sum(not suppressed for suppressed in known.values()),
    )


@dataclass(frozen=True, eq=False)
class PreparedBank:
    """The questions generated from one text with one seed and the fill-ins to avoid, ahead of the
    transaction that stores them."""

    source_text: str
    seed: int
    questions: tuple[GeneratedQuestion, ...]
    avoid: Avoid = frozenset()

    def is_for(self, version: DocumentVersion, seed: int, avoid: Avoid | None = None) -> bool:
        """Made from `version`'s text with `seed` (and with `avoid`, unless None)."""
        return self.seed == seed and self.source_text == version.source_text and (avoid is None or self.avoid == avoid)


def bank_prepare(*, source_text: str, seed: int | None = None, avoid: Avoid | None = None) -> PreparedBank:
    """Generate the bank of `source_text`: the slow part of an activation, done outside its
    transaction. The fill-ins to avoid are read from the bank as it is now unless given."""
    seed = bank_seed() if seed is None else seed
    avoid = bank_avoid() if avoid is None else frozenset(avoid)
    return PreparedBank(source_text, seed, _generated(source_text, seed, avoid), avoid)


# Why bank_sync flags a question for review (Question.review_reason), translated when written.
POINT_CHANGED = gettext_noop("所属原文已修改或删除，请复核")
NO_LONGER_GENERATED = gettext_noop("原文未变，但重新生成后不再出此题，请复核")


@transaction.atomic
def bank_sync(*, version: DocumentVersion, seed: int | None = None, prepared: PreparedBank | None = None) -> BankChange:
    """Make the active bank the questions generated from `version`, with what staff did kept.

    New keys are created; known keys (also retired ones that come back) are refreshed and
    re-linked to this version's nodes; generated keys no longer generated are retired, never deleted.
    The bank is compared with the rows as they are now, so it does not matter which version was
    active when `prepared` was generated; a `prepared` bank of another text, seed or set of
    suppressed fill-ins is not used (the bank is generated here, inside the transaction).

    Curation: a suppressed question stays inactive when its key comes back; an edited one keeps its
    wording (only its place is refreshed); a hand-written or imported one is re-linked to the node
    with its point's text and stays in use whatever the generator does. An edited question retired
    here, a suppressed one whose line changed, and a hand-written one whose point changed or vanished
    (it stays in use, unlinked) are flagged for review with a FLAGGED log entry.
    """
    seed = bank_seed() if seed is None else seed
    avoid = bank_avoid()
    if prepared is None or not prepared.is_for(version, seed, avoid):
        prepared = bank_prepare(source_text=version.source_text, seed=seed, avoid=avoid)
    generated = prepared.questions
    keys = [item.key for item in generated]
    nodes = {node.key: node for node in version.nodes.all()}
    nodes_by_id = {node.pk: node for node in nodes.values()}
    by_key = {question.key: question for question in Question.objects.filter(key__in=keys)}
    was_active = {key for key, question in by_key.items() if question.is_active}

    to_create, to_update = [], []
    reactivated = 0
    for position, item in enumerate(generated):
        fields = _question_fields(item, nodes, nodes_by_id, position)
        question = by_key.get(item.key)
        if question is None:
            to_create.append(Question(key=item.key, created_in=version, **fields))
            continue
        for name in _PLACE_FIELDS if question.is_edited else _UPDATED_FIELDS:
            setattr(question, name, fields[name])
        question.is_active = not question.is_suppressed
        reactivated += question.is_active and item.key not in was_active
        question.retired_in = None
        to_update.append(question)
    Question.objects.bulk_create(to_create, batch_size=500)
    # One UPDATE a row: bulk_update's CASE WHEN over a batch costs the batch's size for every row,
    # which made the write transaction of a large document last many seconds.
    for question in to_update:
        names = _WRITTEN_PLACE_FIELDS if question.is_edited else _WRITTEN_FIELDS
        Question.objects.filter(pk=question.pk).update(**{name: getattr(question, name) for name in names})

    text_keys = {node.text_key for node in nodes.values()}
    flags: list[tuple[Question, str]] = []
    # Generated questions in the bank (in use, or suppressed) that the generator no longer makes.
    gone = Question.objects.filter(origin=Origin.GENERATED, retired_in__isnull=True).exclude(key__in=keys)
    # The curated ones among them, and the ones not in use (suppressed): few, read before they go.
    curated = list(
        gone.filter(Q(is_edited=True) | Q(is_suppressed=True) | Q(is_active=False)).only(
            "pk", "is_active", "is_edited", "is_suppressed", "needs_review", "review_reason", "source_text_keys"
        )
    )
    for question in curated:
        if not (question.is_edited or question.is_suppressed):
            continue
        if not set(question.source_text_keys or ()) <= text_keys:
            flags.append((question, POINT_CHANGED))
        elif question.is_edited and not question.is_suppressed:  # suppressed on an unchanged line: as asked
            flags.append((question, NO_LONGER_GENERATED))
    retired = gone.update(is_active=False, retired_in=version, source=None)
    retired -= sum(not question.is_active for question in curated)  # suppressed ones were not in use
    flags += _relink_written(nodes, nodes_by_id)
    _flag(flags, version)
    return BankChange(created=len(to_create), kept=len(was_active), retired=retired, reactivated=reactivated)


def _relink_written(nodes: dict[str, Node], nodes_by_id: dict[int, Node]) -> list[tuple[Question, str]]:
    """Re-link every hand-written or imported question with a point to the node of the same text (the
    same node key first); unlink the ones whose point is gone, and return them to be flagged.

    A question whose point changed stays in use: staff wrote it, and the flag asks them to check it.
    It keeps its text keys and headings, so that the text's return (a rollback) links it again."""
    by_text: dict[str, Node] = {}
    for each in nodes.values():
        by_text.setdefault(each.text_key, each)
    questions = Question.objects.exclude(origin=Origin.GENERATED).only(
        "pk", "source", "needs_review", "review_reason", *_PLACE_NAMES
    )
    flags: list[tuple[Question, str]] = []
    for question in questions:
        text_key = question.source_text_keys[0] if question.source_text_keys else ""
        if not text_key:
            continue  # written for no point: nothing to follow
        same = nodes.get(question.source_key)
        node: Node | None = same if same is not None and same.text_key == text_key else by_text.get(text_key)
        if node is None:
            if question.source_id is not None:
                Question.objects.filter(pk=question.pk).update(source=None)
                flags.append((question, POINT_CHANGED))
            continue
        place = _node_place(node, nodes_by_id)
        if question.source_id != node.pk or any(getattr(question, name) != place[name] for name in _PLACE_NAMES):
            Question.objects.filter(pk=question.pk).update(source=node, **place)
    return flags


def _node_place(node: Node, nodes_by_id: dict[int, Node]) -> dict[str, Any]:
    """Where a question on `node` stands (as curation's _place fills it), from the version's nodes."""
    place: dict[str, Any] = dict.fromkeys(_PLACE_NAMES, "")
    place.update(source_key=node.key, source_text_keys=[node.text_key])
    found: set[str] = set()  # the nearest heading of each kind counts
    ancestor: Node | None = node
    while ancestor is not None:
        if ancestor.kind not in found:
            found.add(ancestor.kind)
            if ancestor.kind == Node.Kind.TOPIC:
                place.update(topic=ancestor.text, topic_key=ancestor.key)
            elif ancestor.kind == Node.Kind.TASK:
                place.update(task=ancestor.text, task_key=ancestor.key, task_number=ancestor.number)
            elif ancestor.kind == Node.Kind.PART:
                place.update(part=ancestor.text)
        ancestor = nodes_by_id.get(ancestor.parent_id) if ancestor.parent_id is not None else None
    return place


def _flag(flags: list[tuple[Question, str]], version: DocumentVersion) -> None:
    """Mark the questions for review, each with its reason, and log it (no user: the activation did)."""
    for reason in {reason for _question, reason in flags}:
        ids = [question.pk for question, why in flags if why == reason]
        Question.objects.filter(pk__in=ids).update(needs_review=True, review_reason=_(reason))
    QuestionLog.objects.bulk_create(
        QuestionLog(
            question=question,
            action=QuestionLog.Action.FLAGGED,
            before={"needs_review": question.needs_review, "review_reason": question.review_reason},
            after={"needs_review": True, "review_reason": _(reason)},
            note=_("启用第 %(number)d 版时：%(reason)s") % {"number": version.number, "reason": _(reason)},
        )
        for question, reason in flags
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
# What staff may edit (curation.services.EDITABLE, but explanation, which the generator never writes):
# an edited question keeps it when the generator makes its key again; the rest is refreshed.
_CONTENT_FIELDS = ("prompt", "blanks", "pairs", "choices", "answer_index", "correct_choices")
_PLACE_FIELDS = [name for name in _UPDATED_FIELDS if name not in (*_CONTENT_FIELDS, "type", "difficulty")]
_WRITTEN_PLACE_FIELDS = [*_PLACE_FIELDS, "is_active", "retired_in"]
# Where a hand-written question stands, besides its source node.
_PLACE_NAMES = ("source_key", "source_text_keys", "part", "task", "task_number", "task_key", "topic", "topic_key")


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
    bank_on_preparing (generated here only when nothing prepared fits the version's text, or when
    staff suppressed or restored a fill-in since: bank_sync checks the fill-ins to avoid). It runs
    inside the import transaction, so a failure here rolls the activation back too."""
    seed = bank_seed()
    bank = next((p for p in prepared if isinstance(p, PreparedBank) and p.is_for(version, seed)), None)
    return bank_sync(version=version, seed=seed, prepared=bank)


def bank_on_preview(sender: Any, *, version: DocumentVersion, **kwargs: Any) -> BankChange:
    """version_previewed: what activating `version` would do to the bank."""
    return bank_preview(version=version)
