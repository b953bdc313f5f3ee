"""Searching the active version's text for the reader: which lines and headings hold the words,
where they stand, and where in each the words are."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import DocumentVersion, Node

MIN_QUERY_LENGTH = 2  # one Chinese character matches half the document
MAX_QUERY_LENGTH = 50
MAX_HITS = 50


@dataclass(frozen=True)
class Piece:
    """A run of a hit's text: the searched words (`hit`) or the text around them."""

    text: str
    hit: bool = False


@dataclass(frozen=True)
class SearchHit:
    node: Node
    context: str  # the headings above it, e.g. "（三）… › 大力开展服务帮扶"
    pieces: list[Piece]
    url: str  # the reader's page that shows it, at the line


@dataclass
class SearchResult:
    query: str
    hits: list[SearchHit] = field(default_factory=list)
    error: str = ""  # why nothing was searched (too short, too long)
    more: bool = False  # more than MAX_HITS matched; the first ones are listed

    @property
    def searched(self) -> bool:
        return bool(self.query) and not self.error


def search_query(raw: str) -> str:
    """The query as searched: spaces at either end dropped, runs of spaces made one, no NULs."""
    return " ".join(raw.replace("\x00", "").split())


def document_search(*, version: DocumentVersion, query: str) -> SearchResult:
    """The lines and headings of `version` whose text holds `query` (case-insensitive), in document
    order, with their heading context: two queries, none for an empty or refused query."""
    query = search_query(query)
    result = SearchResult(query=query)
    if not query:
        return result
    if len(query) < MIN_QUERY_LENGTH:
        result.error = _("请至少输入 %(count)d 个字。") % {"count": MIN_QUERY_LENGTH}
        return result
    if len(query) > MAX_QUERY_LENGTH:
        result.error = _("搜索词太长，最多 %(count)d 个字。") % {"count": MAX_QUERY_LENGTH}
        return result
    found = list(version.nodes.filter(text__icontains=query).order_by("position")[: MAX_HITS + 1])
    result.more = len(found) > MAX_HITS
    headings = {node.pk: node for node in version.nodes.headings()}
    pattern = re.compile(re.escape(query), re.IGNORECASE)
    for node in found[:MAX_HITS]:
        result.hits.append(
            SearchHit(
                node=node,
                context=" › ".join(heading.display_title for heading in heading_path(node, headings)),
                pieces=_pieces(node.display_title if node.is_heading else node.text, pattern),
                url=line_url(node, headings),
            )
        )
    return result


def heading_path(node: Node, headings: dict[int, Node]) -> list[Node]:
    """The headings above `node`, outermost first."""
    path: list[Node] = []
    parent_id = node.parent_id
    while parent_id and parent_id in headings:
        path.insert(0, headings[parent_id])
        parent_id = headings[parent_id].parent_id
    return path


def line_url(node: Node, headings: dict[int, Node]) -> str:
    """Where the reader shows `node`: a heading's own page; a line on its heading's page, at the line."""
    if node.is_heading:
        return node.get_absolute_url()
    parent = headings.get(node.parent_id) if node.parent_id else None
    if parent is None:
        return reverse("documents:toc")
    return f"{parent.get_absolute_url()}#l-{node.key}"


def _pieces(text: str, pattern: re.Pattern[str]) -> list[Piece]:
    pieces: list[Piece] = []
    position = 0
    for match in pattern.finditer(text):
        if match.start() > position:
            pieces.append(Piece(text[position : match.start()]))
        pieces.append(Piece(match.group(), hit=True))
        position = match.end()
    if position < len(text):
        pieces.append(Piece(text[position:]))
    return pieces
