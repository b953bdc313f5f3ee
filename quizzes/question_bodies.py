"""The body of a question's answer form (its prompt and inputs, the kind's `form` partial) rendered
once per process for each question content and layout, and given back with the item's id put in.

The body is the same for every learner who gets the question laid out the same way (the choices'
order, the right-hand column of a matching question): it follows from the question's fields, the
layout stored with the item and the language, which make up its key — nothing of the learner, the
attempt or the request. The one thing of the item it shows, its id (the prompt's `id` that the
inputs' `aria-describedby` names), is rendered as a marker and put in on every use. A question a
curator edits, or the bank regenerates, has other fields, hence another key: no entry can show an
old version of it, in this process or another. A form refilled after a refused submit is rendered
every time it shows something the learner typed or picked; one that sent nothing this question reads
is the plain body.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import engines
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from studyapp.memo import ProcessMemo

from .core.kinds import AnswerInputs, QuestionKind
from .core.kinds.base import FormData

if TYPE_CHECKING:
    from .models import AttemptQuestion, Question

# Stands for the item's id while the body is rendered: a NUL cannot be in a question's text (forms
# refuse it, PostgreSQL cannot store it), so the marker is found only where the id goes.
ITEM_MARKER = "\x00item\x00"
BODIES_MAX = 2048  # questions × layouts; a 50-question quiz of 4-option choices uses 50 of them

_BODIES: ProcessMemo[tuple[str, ...]] = ProcessMemo(BODIES_MAX)


@dataclass(frozen=True)
class _Item:
    """What the kinds' templates read of the item: its id (here the marker)."""

    pk: str


@dataclass(frozen=True)
class _View:
    """The `view` the kinds' `form` partials read (as selectors.QuestionView gives it)."""

    item: _Item | AttemptQuestion
    question: Question
    kind: QuestionKind
    inputs: AnswerInputs


def question_body(item: AttemptQuestion, data: FormData | None = None) -> SafeString:
    """The answer form's question (the kind's `form` partial) for `item`; `data` refills it after a
    refused submit (then rendered, not kept)."""
    question = item.question
    kind = question.kind
    layout = item.layout
    if data is not None:
        inputs = kind.inputs(question, layout, data)
        if inputs != kind.inputs(question, layout, None):  # something to refill: rendered for this form
            return _render(kind, _View(item, question, kind, inputs))
    key = body_key(question, layout)
    pieces = _BODIES.get(key, lambda: _pieces(kind, question, layout))
    return mark_safe(str(item.pk).join(pieces))  # rendered (escaped) by the template


def body_key(question: Question, layout: dict[str, Any]) -> tuple:
    """Everything a body follows from: the kind, every field of the question a kind reads, the
    item's layout (repr: equal JSON data gives equal text) and the language."""
    return (
        question.type,
        question.prompt,
        repr(question.blanks),
        repr(question.pairs),
        repr(question.choices),
        question.answer_index,
        repr(question.correct_choices),
        repr(layout),
        get_language(),
    )


def _render(kind: QuestionKind, view: _View) -> SafeString:
    # As the quiz page includes it: inside `{% localize off %}` (ids and counts, no locale formats).
    template = engines["django"].get_template(kind.form_template).template  # type: ignore[attr-defined]
    return mark_safe(template.render(Context({"view": view}, use_l10n=False)))


def _pieces(kind: QuestionKind, question: Question, layout: dict[str, Any]) -> tuple[str, ...]:
    """The body rendered for a stand-in item, cut where the item's id goes."""
    rendered = _render(kind, _View(_Item(ITEM_MARKER), question, kind, kind.inputs(question, layout, None)))
    return tuple(rendered.split(ITEM_MARKER))


def question_bodies_forget() -> None:
    """Empty this process's rendered bodies (tests)."""
    _BODIES.clear()


@receiver(setting_changed)
def _setting_changed(**kwargs: Any) -> None:
    question_bodies_forget()
