"""Writes to the document tree: importing Markdown as a new version, activating versions."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils.text import slugify

from .models import Document, DocumentVersion, ImportLog, Node
from .parsing import ParsedDocument, parse_document
from .signals import activation_changes

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


def document_import(
    *,
    source: bytes,
    source_name: str,
    user: User | AnonymousUser | None = None,
    activate: bool = False,
    dry_run: bool = False,
    slug: str = DEFAULT_DOCUMENT_SLUG,
) -> ImportResult:
    """Parse `source` and store it as the document's next version.

    The first version of a document is always activated. The whole import is one transaction:
    a parse error (DocumentFormatError) or a failing receiver of `version_activated` leaves the
    database as it was. A text identical to an existing version creates nothing.
    """
    parsed = parse_document(source)
    result = ImportResult(parsed=parsed, counts=parsed.counts(), dry_run=dry_run)
    if dry_run:
        return result
    digest = hashlib.sha256(source).hexdigest()
    with transaction.atomic():
        document = _locked_document(slug, parsed.title)
        existing = document.versions.filter(source_sha256=digest).first()
        if existing:
            result.duplicate_of = existing
            result.version = existing
            if activate and not existing.is_active:
                version_activate(version=existing, user=user)
                result.activated = True
            return result
        last = document.versions.order_by("-number").first()
        version = DocumentVersion.objects.create(
            document=document,
            number=(last.number if last else 0) + 1,
            title=parsed.title,
            source_name=source_name,
            source_sha256=digest,
            source_text=source.decode("utf-8-sig"),
            created_by=user if user is not None and user.is_authenticated else None,
        )
        _store_nodes(version, parsed)
        ImportLog.objects.create(
            version=version,
            action=ImportLog.Action.IMPORT,
            user=version.created_by,
            source_name=source_name,
            counts=result.counts,
        )
        result.version = version
        if activate or not document.versions.filter(is_active=True).exists():
            version_activate(version=version, user=user)
            result.activated = True
    return result


@transaction.atomic
def version_activate(*, version: DocumentVersion, user: User | AnonymousUser | None = None) -> ImportLog:
    """Make `version` the one learners see; the previous one stays in history.

    Activating a version older than the active one is a rollback. Receivers of
    `version_activated` (the question bank) run in this transaction; the QuestionChange they
    return goes into the log entry.
    """
    document = Document.objects.select_for_update().get(pk=version.document_id)
    version.refresh_from_db()
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
    for change in activation_changes(version=version, previous=previous):
        counts.update(change.as_log())
    rollback = previous is not None and previous.number > version.number
    return ImportLog.objects.create(
        version=version,
        action=ImportLog.Action.ROLLBACK if rollback else ImportLog.Action.ACTIVATE,
        user=user if user is not None and user.is_authenticated else None,
        source_name=version.source_name,
        counts=counts,
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
