"""The document's own dictionary: maximal phrases that recur across its lines and headings.

和谐劳动关系, 产业工人队伍建设改革, 劳动领域政治安全, 习近平新时代中国特色社会主义思想 are each
written in several lines. A phrase the document repeats is one of its terms: it becomes one word of
the segmentation, so a blank takes it whole or leaves it whole (never 特色社会主义思想 alone).

A phrase is a run of two or more words of the segmentation, 4 to MAX_LENGTH characters of Chinese,
that stands in two texts or more and is maximal there (one more word on either side would be in
fewer texts). It holds no verb or preposition, opens with no frame or function word, ends with no
adjective, ends with no generic head or
function word, and is not made of common words only. Counting goes once over every text's word runs
up to MAX_LENGTH characters: linear in the document's size.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

from .phrases import FRAME, FUNCTION_POS, TRAILING

MAX_LENGTH = 16
MIN_LENGTH = 4
Token = tuple[str, str, int]
_HAN = re.compile(r"[\u4e00-\u9fff]+")


def recurring_phrases(
    texts: Sequence[str], tokens: Sequence[Sequence[Token]], common: Callable[[str], bool]
) -> list[str]:
    """Recurring maximal phrases of the texts (see the module docstring), sorted.
    `tokens` is each text's segmentation; `common(word)` says a word is too common to be a term."""
    counts: Counter[tuple[str, ...]] = Counter()
    tags: dict[tuple[str, ...], tuple[str, str]] = {}  # words → the first and last word's tags
    verbal: set[tuple[str, ...]] = set()  # runs holding a verb: 企业建会, 常态化开展 are no names
    done: set[str] = set()
    for text, toks in zip(texts, tokens, strict=True):
        if text in done:
            continue
        done.add(text)
        seen: set[tuple[str, ...]] = set()
        for i in range(len(toks)):
            size = 0
            for j in range(i, len(toks)):
                size += len(toks[j][0])
                if size > MAX_LENGTH + 4 or not _HAN.fullmatch(toks[j][0]):
                    break
                if j > i and size >= MIN_LENGTH:
                    words = tuple(t[0] for t in toks[i : j + 1])
                    seen.add(words)
                    tags.setdefault(words, (toks[i][1], toks[j][1]))
                    if any(t[1] in ("v", "vd", "vi", "p") for t in toks[i : j + 1]):
                        verbal.add(words)
        counts.update(seen)
    acceptable = {}
    for words, n in counts.items():
        first_tag, last_tag = tags[words]
        if (
            n < 2
            or words in verbal
            or words[0] in FRAME
            or first_tag.startswith(FUNCTION_POS)
            or words[-1] in TRAILING
            or last_tag.startswith(("u", "c", "p", "f", "d", "r", "a"))
            or all(common(word) for word in words)
        ):
            continue
        acceptable[words] = n
    # An acceptable run one word longer with the same count makes a run not maximal (深化 before
    # 产业工人队伍建设改革 does not count: it is no phrase). Index the longer runs by the run they hold.
    longer: dict[tuple[str, ...], set[int]] = {}
    for words, n in acceptable.items():
        if len(words) > 2:
            longer.setdefault(words[1:], set()).add(n)
            longer.setdefault(words[:-1], set()).add(n)
    found = {
        "".join(words)
        for words, n in acceptable.items()
        if len("".join(words)) <= MAX_LENGTH and n not in longer.get(words, ())
    }
    return sorted(found)
