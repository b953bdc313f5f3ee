"""Writes to the document tree: importing Markdown as a new version, activating and deleting versions."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import ProtectedError
from django.db.models.deletion import Collector
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import Document, DocumentVersion, ImportLog, Node
from .parsing import (
    MAX_SOURCE_BYTES,
    PARAGRAPH,
    POINT,
    REQUIREMENT,
    DocumentFormatError,
    ParsedDocument,
    parse_document,
)
from .signals import activation_changes, activation_prepared

DEFAULT_DOCUMENT_SLUG = "acftu-18th-congress"


@dataclass
class ImportResult:
    parsed: ParsedDocument
    counts: dict[str, int]
    version: DocumentVersion | None = None
    activated: bool = False
    dry_run: bool = False
    duplicate_of: DocumentVersion | None = None
    notes: list[str] = field(default_factory=list)
    # The active version's title when this text has another one (a different document, perhaps).
    title_changed_from: str = ""


class TitleChangeError(DocumentFormatError):
    """The text's title is not the active version's: perhaps another document altogether."""

    def __init__(self, *, new: str, old: str) -> None:
        super().__init__(_("标题《%(new)s》与当前版本的《%(old)s》不同，可能是另一份文件。") % {"new": new, "old": old})


def read_source(path: Path) -> bytes:
    """The bytes of the file at `path`, never more than MAX_SOURCE_BYTES of them.

    A regular file is measured before it is read; anything else (a pipe, a device) is read up to
    one byte past the limit. Raises DocumentFormatError for a larger file, OSError for an unreadable one.
    """
    with path.open("rb") as file:
        info = os.fstat(file.fileno())
        if stat.S_ISREG(info.st_mode) and info.st_size > MAX_SOURCE_BYTES:
            raise DocumentFormatError(_too_large_message(info.st_size))
        data = file.read(MAX_SOURCE_BYTES + 1)
    if len(data) > MAX_SOURCE_BYTES:
        raise DocumentFormatError(_too_large_message(None))
    return data


def _too_large_message(size: int | None) -> str:
    """parsing.decode_source's message; for a stream, whose size is unknown, what was read past the limit."""
    if size is None:
        return _("文件过大（超过 %(limit)d 字节），上限为 %(limit)d 字节。") % {"limit": MAX_SOURCE_BYTES}
    return _("文件过大（%(size)d 字节），上限为 %(limit)d 字节。") % {"size": size, "limit": MAX_SOURCE_BYTES}


def source_digest(source: bytes) -> str:
    """SHA-256 of the text in a canonical form: the same text saved with other line endings, with or
    without a BOM, or with more or less whitespace at the very end has the same digest.

    The canonical form of a file with LF endings, no BOM and nothing after its last character is
    its bytes (the project's copy of the document is one: fixtures/document.json carries its digest).
    """
    text = source.decode("utf-8").removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n").rstrip()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def has_lines(parsed: ParsedDocument) -> bool:
    """Whether the text has anything to study and be quizzed on, beyond its headings."""
    return any(node.kind in _LINE_KINDS for node in parsed.nodes)


def no_lines_message() -> str:
    return _("文件只有标题，没有任何正文（要点、段落或“要”）：启用它会停用题库中的全部题目，因此不能导入或启用。")


_LINE_KINDS = frozenset({POINT, PARAGRAPH, REQUIREMENT})


def document_import(
    *,
    source: bytes,
    source_name: str,
    user: User | AnonymousUser | None = None,
    activate: bool = False,
    dry_run: bool = False,
    slug: str = DEFAULT_DOCUMENT_SLUG,
    same_title: bool = False,
) -> ImportResult:
    """Parse `source` and store it as the document's next version.

    The first version of a document is always activated. The whole import is one transaction:
    a parse error (DocumentFormatError) or a failing receiver of `version_activated` leaves the
    database as it was. What an activation needs that takes long (the question bank) is prepared
    before that transaction (`version_preparing`), so that it holds the write lock only to write.
    A text with headings but no lines is refused (DocumentFormatError): as the active version it
    would retire every question. A text identical to an existing version (but
    for line endings, a BOM or whitespace at the end, see source_digest) creates nothing.
    `title_changed_from` tells when the text's title is not the active version's; with
    `same_title` such a text is refused (TitleChangeError) and nothing is stored.
    """
    parsed = parse_document(source)
    if not has_lines(parsed):
        raise DocumentFormatError(no_lines_message())
    result = ImportResult(parsed=parsed, counts=parsed.counts(), dry_run=dry_run)
    if dry_run:
        return result
    digest = source_digest(source)
    text = source.decode("utf-8-sig")
    # Outside the transaction: whether this import activates is known for sure only under the
    # document's lock, and an activation that finds nothing prepared does the work itself.
    prepared = activation_prepared(source_text=text) if activate or not _has_active_version(slug) else []
    with transaction.atomic():
        document = _locked_document(slug, parsed.title)
        active = document.versions.filter(is_active=True).first()
        if active is not None and active.title != parsed.title:
            result.title_changed_from = active.title
            if same_title:
                raise TitleChangeError(new=parsed.title, old=active.title)
        # Versions stored before the canonical digest carry the digest of their raw bytes.
        existing = (
            document.versions.filter(source_sha256__in={digest, hashlib.sha256(source).hexdigest()})
            .order_by("number")
            .first()
        )
        if existing:
            result.duplicate_of = existing
            result.version = existing
        else:
            result.version = _store_version(document, parsed, result.counts, source_name, digest, text, user)
            if activate or not document.versions.filter(is_active=True).exists():
                _activate(version=result.version, user=user, prepared=prepared)
                result.activated = True
    duplicate = result.duplicate_of
    if activate and duplicate is not None and not duplicate.is_active:
        # Nothing was written; the stored text (its line endings may differ) is prepared and activated.
        version_activate(version=duplicate, user=user)
        result.activated = True
    return result


def _store_version(
    document: Document,
    parsed: ParsedDocument,
    counts: dict[str, int],
    source_name: str,
    digest: str,
    text: str,
    user: User | AnonymousUser | None,
) -> DocumentVersion:
    """The document's next version, with its nodes and its import log entry."""
    last = document.versions.order_by("-number").first()
    version = DocumentVersion.objects.create(
        document=document,
        number=(last.number if last else 0) + 1,
        title=parsed.title,
        source_name=source_name,
        source_sha256=digest,
        source_text=text,
        line_count=sum(counts.get(kind, 0) for kind in _LINE_KINDS),
        created_by=user if user is not None and user.is_authenticated else None,
    )
    _store_nodes(version, parsed)
    ImportLog.objects.create(
        version=version,
        action=ImportLog.Action.IMPORT,
        user=version.created_by,
        source_name=source_name,
        counts=counts,
    )
    return version


def _has_active_version(slug: str) -> bool:
    return DocumentVersion.objects.filter(
        document__slug=slugify(slug) or DEFAULT_DOCUMENT_SLUG, is_active=True
    ).exists()


def version_activate(*, version: DocumentVersion, user: User | AnonymousUser | None = None) -> ImportLog:
    """Make `version` the one learners see; the previous one stays in history.

    Activating a version older than the active one is a rollback. The receivers of
    `version_preparing` first do their slow work (generating the question bank) outside any
    transaction; then, in one short transaction, the versions are swapped and the receivers of
    `version_activated` write what was prepared; the QuestionChange they return goes into the log
    entry. Whatever happened in between (another version activated), the bank ends as the one of
    `version`. A version without lines (stored before imports refused them), or one deleted
    meanwhile, is refused with a ValidationError and changes nothing.
    """
    prepared = activation_prepared(source_text=version.source_text)
    with transaction.atomic():
        return _activate(version=version, user=user, prepared=prepared)


def _activate(*, version: DocumentVersion, user: User | AnonymousUser | None, prepared: list[object]) -> ImportLog:
    """version_activate's writes, in the caller's transaction."""
    document = Document.objects.select_for_update().get(pk=version.document_id)
    try:
        version.refresh_from_db()
    except DocumentVersion.DoesNotExist:
        raise ValidationError(
            _("v%(number)d 已被删除，不能启用。") % {"number": version.number}, code="deleted"
        ) from None
    if not version.nodes.studyable().exists():
        raise ValidationError(no_lines_message(), code="no_lines")
    previous = document.versions.filter(is_active=True).exclude(pk=version.pk).first()
    if previous:
        previous.is_active = False
        previous.save(update_fields=["is_active"])
    version.is_active = True
    version.save(update_fields=["is_active"])
    if document.title != version.title:
        document.title = version.title
        document.save(update_fields=["title"])
    counts: dict[str, int | None] = {"previous": previous.number if previous else None}
    for change in activation_changes(version=version, previous=previous, prepared=prepared):
        counts.update(change.as_log())
    rollback = previous is not None and previous.number > version.number
    return ImportLog.objects.create(
        version=version,
        action=ImportLog.Action.ROLLBACK if rollback else ImportLog.Action.ACTIVATE,
        user=user if user is not None and user.is_authenticated else None,
        source_name=version.source_name,
        counts=counts,
    )


def version_delete_refusal(version: DocumentVersion) -> str:
    """Why `version` cannot be deleted, or "" when it can.

    The active version cannot; nor can one that questions were generated or retired in (their
    created_in / retired_in protect it): any version that was ever active, in practice."""
    if version.is_active:
        return _("v%(number)d 是当前版本，不能删除；请先启用另一个版本。") % {"number": version.number}
    try:
        Collector(using=router.db_for_write(DocumentVersion)).collect([version])
    except ProtectedError as error:
        return _protected_message(version, error)
    return ""


def _protected_message(version: DocumentVersion, error: ProtectedError) -> str:
    return _("v%(number)d 不能删除：题库中有 %(count)d 道题目生成于或停用于这个版本，删除它会丢失这些题目的来历。") % {
        "number": version.number,
        "count": len(error.protected_objects),
    }


@transaction.atomic
def version_delete(*, version: DocumentVersion, user: User | AnonymousUser | None = None) -> ImportLog:
    """Delete an inactive `version` with its nodes, and log it. The log outlives it: its entries,
    and this one, keep its number (ImportLog.version_number) and lose only the link to it.

    Refused with a ValidationError, changing nothing, for the reasons of version_delete_refusal
    (checked under the document's lock: the delete itself meets the protecting questions) and when
    the document has no active version.
    """
    document = Document.objects.select_for_update().get(pk=version.document_id)
    version.refresh_from_db(fields=["is_active"])
    if version.is_active:  # the questions that protect a version are found by the delete itself
        raise ValidationError(version_delete_refusal(version), code="active")
    if not document.versions.filter(is_active=True).exists():
        raise ValidationError(_("没有当前版本，不能删除版本。"), code="no_active")
    number, source_name, line_count = version.number, version.source_name, version.line_count
    try:
        with transaction.atomic():
            version.delete()
    except ProtectedError as error:
        raise ValidationError(_protected_message(version, error), code="protected") from None
    return ImportLog.objects.create(
        document=document,
        version_number=number,
        action=ImportLog.Action.DELETE,
        user=user if user is not None and user.is_authenticated else None,
        source_name=source_name,
        counts={"version": number, "lines": line_count},
    )


def _locked_document(slug: str, title: str) -> Document:
    """The document row, locked so that two imports of it queue rather than interleave."""
    document, _ = Document.objects.get_or_create(slug=slugify(slug) or DEFAULT_DOCUMENT_SLUG, defaults={"title": title})
    return Document.objects.select_for_update().get(pk=document.pk)


def _store_nodes(version: DocumentVersion, parsed: ParsedDocument) -> None:
    """Bulk-insert the outline one depth at a time, so every parent has its id before its children."""
    rows: list[Node] = [
        Node(
            version=version,
            kind=node.kind,
            number=node.number,
            text=node.text,
            position=index,
            depth=node.depth,
            line=node.line,
            key=node.key,
            text_key=node.text_key,
        )
        for index, node in enumerate(parsed.nodes)
    ]
    for depth in sorted({node.depth for node in parsed.nodes}):
        batch = []
        for index, node in enumerate(parsed.nodes):
            if node.depth != depth:
                continue
            if node.parent is not None:
                rows[index].parent = rows[node.parent]
            batch.append(rows[index])
        Node.objects.bulk_create(batch)
