"""What a new version of the document changed, for the learners who studied the one before it.

When an admin activates a new version, every learner who had answered anything before that moment
is offered, on the dashboard, a short session on exactly the lines whose wording is new: the old
and the new wording side by side, then a quiz on those lines' questions (an attempt of kind
CHANGES). The offer is gone once that quiz is finished or the learner dismisses it (ChangeStudy).
Unchanged lines, wherever they moved, keep their progress (PointState is keyed by the text) and are
not part of it; removed lines are shown, but have no questions any more.

The offer is for the active version against the one it replaced (the activation's log entry):
reading it takes at most five queries, whatever the size of the document.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from studyapp.documents.diffing import Line, Piece, diff_lines, wording_diff
from studyapp.documents.models import DocumentVersion, ImportLog, Node
from studyapp.documents.selectors import version_lines

from .. import services
from ..core.picking import Candidate, pick_questions
from ..core.rules import MAX_QUIZ_LENGTH
from ..models import Answer, Attempt, ChangeStudy, PointState, Question

CHANGED, ADDED, REMOVED = "changed", "added", "removed"


@dataclass(frozen=True)
class Revision:
    """The active version and the one its activation replaced, with the moment it was activated."""

    version: DocumentVersion
    previous: DocumentVersion
    activated_at: datetime


@dataclass(frozen=True)
class ChangesOffer:
    """The dashboard's card: a revision the learner has yet to study, and how much changed in it."""

    revision: Revision
    new_lines: int  # lines whose wording is new in the version (changed or added)
    dropped_lines: int  # old wordings the version no longer has (changed or removed)
    attempt: Attempt | None  # the session's quiz, started and not finished

    @property
    def version(self) -> DocumentVersion:
        return self.revision.version


@dataclass
class ChangedLine:
    """One line of the side-by-side view: its old and new wording, each cut into kept and changed runs."""

    status: str  # CHANGED, ADDED or REMOVED
    old: Line | None
    new: Line | None
    before: list[Piece] = field(default_factory=list)
    after: list[Piece] = field(default_factory=list)
    studied: bool = False  # the learner has a memory state on the old wording

    @property
    def place(self) -> str:
        line = self.new or self.old
        return line.place if line else ""

    @property
    def heading(self) -> str:
        """The nearest heading above the line: what a phone has room for."""
        return self.place.rsplit(" › ", 1)[-1]


def current_revision() -> Revision | None:
    """The active version and the one it replaced (None for a first version, or when the one it
    replaced was deleted since): two queries."""
    log = (
        ImportLog.objects.filter(
            version__is_active=True, action__in=[ImportLog.Action.ACTIVATE, ImportLog.Action.ROLLBACK]
        )
        .select_related("version")
        .order_by("-at", "-id")
        .first()
    )
    if log is None or log.version is None or not log.counts.get("previous"):
        return None
    previous = DocumentVersion.objects.filter(document_id=log.document_id, number=log.counts["previous"]).first()
    if previous is None:
        return None
    return Revision(version=log.version, previous=previous, activated_at=log.at)


def changes_offer(user: User, revision: Revision | None = None) -> ChangesOffer | None:
    """The revision `user` is offered to study, or None: nothing was replaced, they had not studied
    before it was activated, nothing's wording changed, or they finished or dismissed its session.
    Five queries at most (three when given the current `revision`)."""
    revision = revision or current_revision()
    if revision is None:
        return None
    studied = Answer.objects.filter(attempt_question__attempt__user=user, answered_at__lt=revision.activated_at)
    study = ChangeStudy.objects.filter(user=user, version=revision.version).select_related("attempt").first()
    if study is None:
        if not studied.exists():
            return None
    elif study.dismissed_at is not None or (study.attempt is not None and study.attempt.finished_at is not None):
        return None
    counts = _new_and_removed(revision)
    if not counts["new"] and not counts["dropped"]:
        return None
    attempt = study.attempt if study is not None else None
    return ChangesOffer(revision=revision, new_lines=counts["new"], dropped_lines=counts["dropped"], attempt=attempt)


def _new_and_removed(revision: Revision) -> dict[str, int]:
    """Lines of the version whose wording the previous one lacks, and the reverse: one query."""
    versions = [revision.version.pk, revision.previous.pk]
    elsewhere = (
        Node.objects.studyable()
        .filter(version_id__in=versions, text_key=OuterRef("text_key"))
        .exclude(version_id=OuterRef("version_id"))
    )
    return (
        Node.objects.studyable()
        .filter(version_id__in=versions)
        .annotate(kept=Exists(elsewhere))
        .aggregate(
            new=Count("pk", filter=Q(version_id=revision.version.pk, kept=False)),
            dropped=Count("pk", filter=Q(version_id=revision.previous.pk, kept=False)),
        )
    )


def changed_lines(revision: Revision, user: User | None = None) -> list[ChangedLine]:
    """The lines whose wording changed, was added or removed, in the new version's order (removed
    ones where they stood in the old), each with its wording marked; `studied` for the ones the
    learner has progress on. Three queries (two without a user)."""
    new_lines = version_lines(revision.version)
    diff = diff_lines(version_lines(revision.previous), new_lines)
    lines = [ChangedLine(CHANGED, old, new, *wording_diff(old.text, new.text)) for old, new in diff.changed]
    lines += [ChangedLine(ADDED, None, new, [], [Piece(new.text, changed=True)]) for new in diff.added]
    order = {line.key: index for index, line in enumerate(new_lines)}
    lines.sort(key=lambda line: order[line.new.key] if line.new else len(order))
    lines += [ChangedLine(REMOVED, old, None, [Piece(old.text, changed=True)], []) for old in diff.removed]
    if user is not None:
        old_keys = [line.old.text_key for line in lines if line.old is not None]
        known = set(
            PointState.objects.filter(user=user, point_text_key__in=old_keys).values_list("point_text_key", flat=True)
        )
        for line in lines:
            line.studied = line.old is not None and line.old.text_key in known
    return lines


def changes_questions(revision: Revision) -> list[Candidate]:
    """The active questions on lines whose wording is new in the version: one query (the new text
    keys are read with it)."""
    new_keys = set(
        revision.version.nodes.studyable()
        .exclude(text_key__in=revision.previous.nodes.studyable().values("text_key"))
        .values_list("text_key", flat=True)
    )
    return [
        Candidate(pk, type, source_key)
        for pk, type, source_key, keys in Question.objects.active().values_list(
            "id", "type", "source_key", "source_text_keys"
        )
        if new_keys.intersection(keys or ())
    ]


@transaction.atomic
def changes_start(*, user: User, rng: random.Random | None = None) -> Attempt:
    """Start (or resume) `user`'s quiz on the lines whose wording is new: one question a line while
    the lines last. Raises ValidationError when nothing is offered or no question covers them."""
    offer = changes_offer(user)
    if offer is None:
        raise ValidationError(_("没有需要学习的修订内容。"))
    if offer.attempt is not None:
        return offer.attempt
    candidates = changes_questions(offer.revision)
    lines = len({candidate.source_key for candidate in candidates})
    chosen = pick_questions(candidates, length=min(MAX_QUIZ_LENGTH, lines), mixed=False, rng=rng)
    if not chosen:
        raise ValidationError(_("修改的内容暂时没有题目，看过对照即可。"))
    attempt = services.attempt_create(
        user=user,
        question_ids=chosen,
        rng=rng,
        kind=Attempt.Kind.CHANGES,
        scope=Attempt.Scope.DOCUMENT,
        scope_label=_("第 %(number)d 版修改内容") % {"number": offer.version.number},
        question_type=Attempt.Mix.MIXED,
    )
    ChangeStudy.objects.update_or_create(user=user, version=offer.version, defaults={"attempt": attempt})
    return attempt


def changes_dismiss(*, user: User, version: DocumentVersion, now: datetime | None = None) -> None:
    """`user` wants no more offers for `version`'s changes (they have read them, or will not)."""
    ChangeStudy.objects.update_or_create(user=user, version=version, defaults={"dismissed_at": now or timezone.now()})
