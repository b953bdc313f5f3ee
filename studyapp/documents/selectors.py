"""Reads of the document tree for the reader and for other apps."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.http import Http404

from .diffing import Line, VersionDiff, diff_lines
from .models import DocumentVersion, ImportLog, Node


@dataclass
class OutlineEntry:
    """A heading of the outline, with its sub-headings and the text keys of its own lines.

    A heading with nothing of its own (no lines, no sub-headings) that is followed by a sibling
    heading of the same level is read as one section with it: the seed's `## “八个要”` is followed by
    `## 请记住`, which holds the lead-in paragraph and the eight “要”. The first heading carries the
    section (`joined` lists the headings read with it); each of those points back (`joined_to`) and
    is neither a page of its own nor a scope of its own. The parse and the stored nodes are not
    changed, so every node keeps its key: only the reader's and the quiz scopes' view joins them.
    """

    node: Node
    children: list[OutlineEntry] = field(default_factory=list)
    # The text keys of the lines (points, paragraphs, “要”) directly under the heading, in order.
    line_keys: list[str] = field(default_factory=list)
    joined: list[OutlineEntry] = field(default_factory=list)
    joined_to: OutlineEntry | None = field(default=None, repr=False, compare=False)

    @property
    def has_lines(self) -> bool:
        """Whether the heading holds text of its own."""
        return bool(self.line_keys)

    @property
    def is_empty(self) -> bool:
        """A heading alone: no lines and no sub-headings."""
        return not self.line_keys and not self.children

    @property
    def section(self) -> list[OutlineEntry]:
        """The headings read as this one's section: itself and the siblings joined to it."""
        return [self, *self.joined]

    @property
    def section_title(self) -> str:
        """“八个要” · 请记住: the titles of the headings of the section."""
        return " · ".join(entry.node.display_title for entry in self.section)

    @property
    def section_children(self) -> list[OutlineEntry]:
        """The sub-headings of the section, each section once."""
        return [child for entry in self.section for child in entry.children if child.joined_to is None]

    @property
    def section_has_lines(self) -> bool:
        return any(entry.has_lines for entry in self.section)

    @property
    def progress_node(self) -> Node:
        """The heading whose progress is the section's: the one that holds its lines."""
        return next((entry.node for entry in self.section if not entry.is_empty), self.node)


def active_version() -> DocumentVersion | None:
    """The version learners see now (one document per installation today)."""
    return DocumentVersion.objects.active().select_related("document").order_by("document_id").first()


def document_outline(version: DocumentVersion) -> list[OutlineEntry]:
    """Parts → tasks → topics of `version`, in document order, in one query; empty headings are
    joined to the sibling that follows them (see OutlineEntry)."""
    entries: dict[int, OutlineEntry] = {}
    roots: list[OutlineEntry] = []
    for node in version.nodes.order_by("position"):
        if node.is_heading:
            entry = entries[node.pk] = OutlineEntry(node=node)
            (entries[node.parent_id].children if node.parent_id else roots).append(entry)
        elif node.parent_id in entries and node.kind in Node.LINE_KINDS:
            entries[node.parent_id].line_keys.append(node.text_key)
    join_empty_headings(roots)
    return roots


def join_empty_headings(siblings: list[OutlineEntry]) -> None:
    """Join each empty heading to the sibling headings after it, up to the first that is not empty."""
    index = 0
    while index < len(siblings):
        entry = siblings[index]
        index += 1
        while entry.is_empty and index < len(siblings):
            following = siblings[index]
            entry.joined.append(following)
            following.joined_to = entry
            index += 1
            if not following.is_empty:
                break
    for entry in siblings:
        join_empty_headings(entry.children)


def active_outline() -> list[OutlineEntry]:
    """The active version's outline; empty before any import."""
    version = active_version()
    return document_outline(version) if version else []


def reading_order(outline: list[OutlineEntry]) -> list[Node]:
    """Headings a reader pages through: every section that has text of its own, in order (a section
    of joined headings once, by its first heading)."""
    order: list[Node] = []

    def walk(entries: list[OutlineEntry]) -> None:
        for entry in entries:
            if entry.joined_to is not None:
                continue
            if entry.section_has_lines or not entry.section_children:
                order.append(entry.node)
            walk(entry.section_children)

    walk(outline)
    return order


@dataclass
class Section:
    node: Node
    ancestors: list[Node]
    nodes: list[Node]  # the heading's whole subtree, in order, without the heading itself
    previous: Node | None
    next: Node | None


def document_section(version: DocumentVersion, key: str, outline: list[OutlineEntry]) -> Section:
    """The heading with stable key `key` and everything under it; 404 when it is not in `version`.

    A heading joined to the one before it (OutlineEntry) gives that one's section, which runs to the
    end of the last heading joined to it."""
    by_node = {entry.node.pk: entry for entry in flatten(outline)}
    entry = next((e for e in by_node.values() if e.node.key == key), None)
    if entry is None:
        raise Http404("没有这一节")
    entry = entry.joined_to or entry
    node, last = entry.node, entry.section[-1].node
    end = (
        version.nodes.filter(position__gt=last.position, depth__lte=node.depth)
        .order_by("position")
        .values_list("position", flat=True)
        .first()
    )
    subtree = version.nodes.filter(position__gt=node.position).order_by("position")
    if end is not None:
        subtree = subtree.filter(position__lt=end)
    ancestors: list[Node] = []
    parent_id = node.parent_id
    while parent_id:
        ancestors.insert(0, by_node[parent_id].node)
        parent_id = by_node[parent_id].node.parent_id
    order = reading_order(outline)
    keys = [n.key for n in order]
    index = keys.index(node.key) if node.key in keys else -1
    return Section(
        node=node,
        ancestors=ancestors,
        nodes=list(subtree),
        previous=order[index - 1] if index > 0 else None,
        next=order[index + 1] if 0 <= index < len(order) - 1 else None,
    )


def flatten(entries: Iterable[OutlineEntry]) -> list[OutlineEntry]:
    """Every heading of `entries`, depth first, in document order."""
    flat: list[OutlineEntry] = []
    for entry in entries:
        flat.append(entry)
        flat.extend(flatten(entry.children))
    return flat


def version_lines(version: DocumentVersion) -> list[Line]:
    """The studyable lines of `version` with their heading path, in one query."""
    nodes = list(version.nodes.order_by("position"))
    by_id = {node.pk: node for node in nodes}
    lines = []
    for node in nodes:
        if node.kind not in Node.LINE_KINDS:
            continue
        path: list[str] = []
        parent_id = node.parent_id
        while parent_id:
            path.insert(0, by_id[parent_id].display_title)
            parent_id = by_id[parent_id].parent_id
        lines.append(Line(key=node.key, text_key=node.text_key, text=node.text, place=" › ".join(path)))
    return lines


def version_diff(version: DocumentVersion) -> VersionDiff:
    """`version` compared with the document's active version (everything is new when there is none)."""
    active = version.document.versions.filter(is_active=True).first()
    return diff_lines(version_lines(active) if active else [], version_lines(version))


def version_history(document_id: int) -> list[DocumentVersion]:
    """Every version of a document, newest first, with who imported it, in one query.

    Neither the source text (up to a megabyte a version) nor the nodes are read: the line count
    is kept on the version row (DocumentVersion.line_count)."""
    return list(
        DocumentVersion.objects.filter(document_id=document_id)
        .select_related("created_by")
        .defer("source_text")
        .order_by("-number")
    )


def import_log(document_id: int, limit: int = 50) -> list[ImportLog]:
    """The document's latest import log entries, also those of deleted versions, with who acted."""
    return list(ImportLog.objects.filter(document_id=document_id).select_related("user")[:limit])
