"""Word-level marks within a changed line: which words of the old text went and which of the new
came, so that staff see the edit rather than two whole lines. Words are jieba's (Chinese has no
spaces); difflib pairs them."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

import jieba


@dataclass(frozen=True)
class Piece:
    """A run of a line's text, changed (deleted from the old line, inserted in the new) or not."""

    text: str
    changed: bool


def words(text: str) -> list[str]:
    """The text cut into words (every character belongs to exactly one)."""
    return jieba.lcut(text, HMM=False)


def _add(pieces: list[Piece], text: str, changed: bool) -> None:
    if pieces and pieces[-1].changed == changed:
        pieces[-1] = Piece(pieces[-1].text + text, changed)
    else:
        pieces.append(Piece(text, changed))


def change_marks(old: str, new: str) -> tuple[list[Piece], list[Piece]]:
    """The old line and the new one cut into pieces, the words that differ marked as changed."""
    before, after = words(old), words(new)
    old_pieces: list[Piece] = []
    new_pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if i2 > i1:
            _add(old_pieces, "".join(before[i1:i2]), tag != "equal")
        if j2 > j1:
            _add(new_pieces, "".join(after[j1:j2]), tag != "equal")
    return old_pieces, new_pieces
