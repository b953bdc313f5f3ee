"""What changed between two versions of the document, line by line.

Pure: works on (key, text_key, text, place) tuples, so it can run on a parsed upload before
anything is stored. A line whose text is unchanged is unchanged wherever it moved; a line whose
text changed is paired with its most similar old line (same topic preferred); the rest were
added or removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

# Below this similarity an edited line counts as one removed and one added.
CHANGED_MIN_RATIO = 0.5


@dataclass(frozen=True)
class Line:
    key: str
    text_key: str
    text: str
    place: str  # the heading path, e.g. "（三）… › 大力开展服务帮扶"


@dataclass
class VersionDiff:
    unchanged: list[tuple[Line, Line]] = field(default_factory=list)
    moved: list[tuple[Line, Line]] = field(default_factory=list)  # unchanged text, other place
    changed: list[tuple[Line, Line]] = field(default_factory=list)
    added: list[Line] = field(default_factory=list)
    removed: list[Line] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.changed or self.added or self.removed or self.moved)

    def counts(self) -> dict[str, int]:
        return {
            "unchanged": len(self.unchanged) + len(self.moved),
            "moved": len(self.moved),
            "changed": len(self.changed),
            "added": len(self.added),
            "removed": len(self.removed),
        }


def diff_lines(old: list[Line], new: list[Line]) -> VersionDiff:
    """Pair the lines of two versions; both lists in document order."""
    diff = VersionDiff()
    old_by_text: dict[str, list[Line]] = {}
    for line in old:
        old_by_text.setdefault(line.text_key, []).append(line)

    unmatched_new: list[Line] = []
    for line in new:
        candidates = old_by_text.get(line.text_key)
        if not candidates:
            unmatched_new.append(line)
            continue
        # Prefer the same place when the same text occurs more than once.
        match = next((c for c in candidates if c.place == line.place), candidates[0])
        candidates.remove(match)
        (diff.unchanged if match.place == line.place else diff.moved).append((match, line))
    unmatched_old = [line for lines in old_by_text.values() for line in lines]
    unmatched_old.sort(key=old.index)

    scored = []
    for n_index, new_line in enumerate(unmatched_new):
        for o_index, old_line in enumerate(unmatched_old):
            matcher = SequenceMatcher(None, old_line.text, new_line.text, autojunk=False)
            if matcher.real_quick_ratio() < CHANGED_MIN_RATIO - 0.1 or matcher.quick_ratio() < CHANGED_MIN_RATIO - 0.1:
                continue
            ratio = matcher.ratio()
            if old_line.place == new_line.place:
                ratio += 0.1
            if ratio >= CHANGED_MIN_RATIO:
                scored.append((-ratio, n_index, o_index))
    taken_new: set[int] = set()
    taken_old: set[int] = set()
    for _ratio, n_index, o_index in sorted(scored):
        if n_index in taken_new or o_index in taken_old:
            continue
        taken_new.add(n_index)
        taken_old.add(o_index)
        diff.changed.append((unmatched_old[o_index], unmatched_new[n_index]))
    diff.changed.sort(key=lambda pair: new.index(pair[1]))
    diff.added = [line for i, line in enumerate(unmatched_new) if i not in taken_new]
    diff.removed = [line for i, line in enumerate(unmatched_old) if i not in taken_old]
    return diff


@dataclass(frozen=True)
class Piece:
    """A run of a line's wording, as the side-by-side view marks it: kept, or only on this side."""

    text: str
    changed: bool = False


def wording_diff(old: str, new: str) -> tuple[list[Piece], list[Piece]]:
    """The old and the new wording of a changed line, each cut into kept runs and runs only on its
    side (removed from the old, inserted in the new). Compared character by character: Chinese
    has no spaces between words, and a changed character is a changed word."""
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    before: list[Piece] = []
    after: list[Piece] = []
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            before.append(Piece(old[old_start:old_end]))
            after.append(Piece(new[new_start:new_end]))
            continue
        if old_end > old_start:
            before.append(Piece(old[old_start:old_end], changed=True))
        if new_end > new_start:
            after.append(Piece(new[new_start:new_end], changed=True))
    return before, after
