"""Writes of the wrong-answer book: practising it as a quiz."""

from __future__ import annotations

import random
from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import services
from ..core.rules import MAX_QUIZ_LENGTH
from ..models import Attempt
from . import selectors
from .selectors import BookScope


def attempt_start_wrong_book(
    *, user: User, scope: BookScope, now: datetime | None = None, rng: random.Random | None = None
) -> Attempt:
    """Start a retry quiz of the questions in `scope` of `user`'s wrong-answer book (the whole book,
    a task or a topic), in the document's order, at most MAX_QUIZ_LENGTH of them.

    Raises ValidationError when that part of the book is empty. Answering a question right in it
    takes the question out of the book.
    """
    now = now or timezone.now()
    outline = selectors.book_outline(user, now=now)
    question_ids = selectors.book_question_ids(user, now=now, scope=scope, limit=MAX_QUIZ_LENGTH)
    if not question_ids:
        raise ValidationError(_("错题本里没有这一组的题目了。"))
    book = _("错题本")
    label = f"{book} · {title}" if (title := outline.title_of(scope)) else book
    return services.attempt_create(
        user=user,
        question_ids=question_ids,
        rng=rng,
        kind=Attempt.Kind.RETRY,
        scope=scope.kind,
        scope_key=scope.key,
        scope_label=label[:200],
        question_type=Attempt.Mix.MIXED,
    )
