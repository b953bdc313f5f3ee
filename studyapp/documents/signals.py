"""The document's contract with the apps built on it.

The document app imports nothing from them: it sends these signals, and a receiver answers with
one of the typed objects below (anything else is ignored). Each helper sends one signal and
gathers the answers, so the senders read as plain calls.

version_preparing
    Sent outside any transaction, before the one in which a text becomes the active version (an
    import that activates it, or an activation), with `source_text` (the version's text). A
    receiver does its slow work here (the question bank is generated) and may answer with anything:
    the answers go, as `prepared`, to the receivers of version_activated, so that the transaction,
    which holds the database's write lock (SQLite: every write waits), only writes rows. A receiver
    that raises stops the import or activation before anything is written.
version_activated
    Sent inside the import transaction when a version becomes the active one, with `version` (the
    new DocumentVersion), `previous` (the one it replaces, or None) and `prepared` (the answers of
    version_preparing for its text; empty when nothing was prepared). The database may have changed
    since then (another version activated meanwhile): a receiver writes against what it finds, and
    redoes the work when no prepared answer is for `version`'s text. A receiver that raises rolls
    the whole import back; one that keeps questions returns a QuestionChange, logged with the import.
version_previewed
    Sent when staff look at a version that is not active, with `version`. A receiver returns the
    QuestionChange that activating it would make, writing nothing.
reader_opened
    Sent when a signed-in reader opens the document, with `user`, `version` and `outline` (the
    headings, as selectors.document_outline() gives them). A receiver returns
    {heading id: HeadingProgress} for the headings it knows the learner's progress on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.dispatch import Signal

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from .models import DocumentVersion
    from .selectors import OutlineEntry

version_preparing = Signal()
version_activated = Signal()
version_previewed = Signal()
reader_opened = Signal()


@dataclass(frozen=True)
class QuestionChange:
    """What a version does to a question bank: questions created, kept (active before and after),
    retired, and reactivated (retired before, in use again: a rollback brings them back)."""

    created: int
    kept: int
    retired: int
    reactivated: int = 0

    @property
    def total(self) -> int:
        """Questions in use once the version is active."""
        return self.created + self.kept + self.reactivated

    def as_log(self) -> dict[str, int]:
        """The figures as the import log stores them (reactivated ones only when there are some)."""
        figures = {"questions_created": self.created, "questions_kept": self.kept, "questions_retired": self.retired}
        if self.reactivated:
            figures["questions_reactivated"] = self.reactivated
        return figures

    @classmethod
    def from_log(cls, counts: dict[str, Any]) -> QuestionChange:
        """The figures back from an import log entry (zeros where it has none)."""
        return cls(
            created=counts.get("questions_created") or 0,
            kept=counts.get("questions_kept") or 0,
            retired=counts.get("questions_retired") or 0,
            reactivated=counts.get("questions_reactivated") or 0,
        )


@dataclass(frozen=True)
class HeadingProgress:
    """A learner's progress under one heading: points mastered of all its points."""

    mastered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.mastered / self.total) if self.total else 0


def _answers(signal: Signal, wanted: type, **kwargs: Any) -> list[Any]:
    from .models import DocumentVersion

    return [response for _receiver, response in signal.send(DocumentVersion, **kwargs) if isinstance(response, wanted)]


def activation_prepared(*, source_text: str) -> list[Any]:
    """Send version_preparing (outside any transaction); what the receivers prepared, for activation_changes."""
    return [answer for answer in _answers(version_preparing, object, source_text=source_text) if answer is not None]


def activation_changes(
    *, version: DocumentVersion, previous: DocumentVersion | None, prepared: Sequence[Any] = ()
) -> list[QuestionChange]:
    """Send version_activated; the changes the receivers made."""
    return _answers(version_activated, QuestionChange, version=version, previous=previous, prepared=list(prepared))


def preview_changes(*, version: DocumentVersion) -> QuestionChange | None:
    """Send version_previewed; the change activating `version` would make (None without a bank)."""
    answers = _answers(version_previewed, QuestionChange, version=version)
    return answers[0] if answers else None


def reader_progress(*, user: User, version: DocumentVersion, outline: list[OutlineEntry]) -> dict[int, HeadingProgress]:
    """Send reader_opened; the learner's progress by heading id."""
    progress: dict[int, HeadingProgress] = {}
    for answer in _answers(reader_opened, dict, user=user, version=version, outline=outline):
        progress.update({key: value for key, value in answer.items() if isinstance(value, HeadingProgress)})
    return progress
