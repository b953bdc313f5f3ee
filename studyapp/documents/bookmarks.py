"""A reader's bookmarks: marking a line or heading, and the list of them as the active version has
them now (the same line, its changed wording, or gone)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.http import Http404

from .diffing import Line, diff_lines
from .models import Bookmark, DocumentVersion, Node
from .search import heading_path, line_url

CURRENT, CHANGED, REMOVED = "current", "changed", "removed"


def bookmark_toggle(*, user: User, version: DocumentVersion, key: str) -> tuple[Node, bool]:
    """Bookmark the node of `version` with stable key `key`, or take its bookmark away; the node and
    whether it is bookmarked now. 404 for a key not in `version`."""
    node = version.nodes.filter(key=key).first()
    if node is None:
        raise Http404("没有这一行")
    deleted, _by_model = Bookmark.objects.filter(user=user, text_key=node.text_key).delete()
    if deleted:
        return node, False
    try:
        with transaction.atomic():
            Bookmark.objects.create(user=user, text_key=node.text_key, node=node, text=node.text)
    except IntegrityError:  # a second tap that overtook the first: it is bookmarked either way
        pass
    return node, True


def bookmarked_text_keys(user: User) -> set[str]:
    """The text keys `user` bookmarked (one query): the reader marks the lines that have them."""
    return set(Bookmark.objects.for_user(user).values_list("text_key", flat=True))


@dataclass(frozen=True)
class BookmarkEntry:
    """A bookmark as the active version has it: `status` CURRENT (the same wording, at `node`),
    CHANGED (`node` is the line it became) or REMOVED (no `node`)."""

    bookmark: Bookmark
    status: str
    node: Node | None
    context: str
    url: str


def bookmark_list(*, user: User, version: DocumentVersion) -> list[BookmarkEntry]:
    """`user`'s bookmarks, newest first, each matched to the active `version`: by its text, else by
    the diff between the version it was made in and `version`. Three queries at most, however many
    bookmarks and versions (the old versions' nodes are read only when some text is not found)."""
    bookmarks = list(Bookmark.objects.for_user(user).select_related("node"))
    if not bookmarks:
        return []
    nodes = list(version.nodes.order_by("position"))
    headings = {node.pk: node for node in nodes if node.is_heading}
    by_text: dict[str, Node] = {}
    for node in nodes:
        by_text.setdefault(node.text_key, node)
    missing = [b for b in bookmarks if b.text_key not in by_text and b.node is not None]
    became = _changed_into(missing, version, nodes)
    entries = []
    for bookmark in bookmarks:
        node = by_text.get(bookmark.text_key)
        status = CURRENT
        if node is None:
            node = became.get(bookmark.pk)
            status = CHANGED if node is not None else REMOVED
        context = " › ".join(h.display_title for h in heading_path(node, headings)) if node else ""
        url = line_url(node, headings) if node else ""
        entries.append(BookmarkEntry(bookmark=bookmark, status=status, node=node, context=context, url=url))
    return entries


def _changed_into(bookmarks: list[Bookmark], version: DocumentVersion, nodes: list[Node]) -> dict[int, Node]:
    """The line of `version` each bookmarked node was changed into (by bookmark id), by the diff of
    the node's version with `version`, lines with lines and headings with headings."""
    if not bookmarks:
        return {}
    old_ids = {b.node.version_id for b in bookmarks if b.node is not None}
    old_nodes: dict[int, list[Node]] = {}
    for node in Node.objects.filter(version_id__in=old_ids).order_by("version_id", "position"):
        old_nodes.setdefault(node.version_id, []).append(node)
    new_by_key = {node.key: node for node in nodes}
    became: dict[int, Node] = {}
    for old_id, old in old_nodes.items():
        pairs: dict[str, str] = {}
        for headings in (True, False):
            diff = diff_lines(_lines(old, headings), _lines(nodes, headings))
            pairs.update({before.key: after.key for before, after in diff.changed})
        for bookmark in bookmarks:
            if bookmark.node is not None and bookmark.node.version_id == old_id and bookmark.node.key in pairs:
                became[bookmark.pk] = new_by_key[pairs[bookmark.node.key]]
    return became


def _lines(nodes: Iterable[Node], headings: bool) -> list[Line]:
    """diffing's lines of a version's nodes: its headings, or its studyable lines, with their place."""
    nodes = list(nodes)
    by_id = {node.pk: node for node in nodes}
    lines = []
    for node in nodes:
        if node.is_heading != headings or (not headings and node.kind not in Node.LINE_KINDS):
            continue
        path: list[str] = []
        parent_id = node.parent_id
        while parent_id and parent_id in by_id:
            path.insert(0, by_id[parent_id].display_title)
            parent_id = by_id[parent_id].parent_id
        lines.append(Line(key=node.key, text_key=node.text_key, text=node.text, place=" › ".join(path)))
    return lines
