"""Markdown → a flat, ordered outline of the study document.

Pure functions over strings and bytes: no database. The importer, the fixture builder and
the question generator all start from `parse_document()`, so they cannot disagree about
what the text says.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from markdown_it import MarkdownIt
from markdown_it.token import Token

# What an import accepts. The parser is linear, so these bound its time (scripts/bench_import.py):
# a file at every limit parses and imports in a few seconds. They are checked before parsing.
MAX_SOURCE_BYTES = 1024 * 1024
MAX_SOURCE_LINES = 10_000
MAX_HEADINGS = 3_000

# Node kinds, in the order they nest.
PART = "part"
TASK = "task"
TOPIC = "topic"
POINT = "point"
PARAGRAPH = "paragraph"
REQUIREMENT = "requirement"  # the numbered “要” statements

HEADING_KINDS = {2: PART, 3: TASK, 4: TOPIC}
CHINESE_NUMERALS = "一二三四五六七八九十"

# "(一) 标题" / "（一）标题" / "一、标题"
_HEADING_NUMBER = re.compile(r"^\s*(?:[（(]\s*([一二三四五六七八九十]+)\s*[)）]|([一二三四五六七八九十]+)\s*、)\s*")
_CJK = r"[\u3400-\u9fff\uf900-\ufaff“”‘’（）《》「」]"
# An ATX heading line ("## 标题"); setext headings are counted from the tokens (_check_heading_count).
_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)", re.MULTILINE)
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}


class DocumentFormatError(ValueError):
    """The source cannot be imported; `line` is 1-based (0 when the whole file is at fault)."""

    def __init__(self, message: str, line: int = 0) -> None:
        self.message = message
        self.line = line
        super().__init__(_("第 %(line)d 行：%(message)s") % {"line": line, "message": message} if line else message)


@dataclass
class ParsedNode:
    kind: str
    text: str
    line: int
    depth: int
    parent: int | None  # index into ParsedDocument.nodes
    number: str = ""
    key: str = ""
    text_key: str = ""


@dataclass
class ParsedDocument:
    title: str
    title_line: int
    nodes: list[ParsedNode] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for node in self.nodes:
            counts[node.kind] = counts.get(node.kind, 0) + 1
        return counts

    def children(self, index: int | None) -> list[int]:
        return [i for i, node in enumerate(self.nodes) if node.parent == index]

    def ancestors(self, index: int) -> list[ParsedNode]:
        """Ancestors from the outermost to the node's parent."""
        chain = []
        parent = self.nodes[index].parent
        while parent is not None:
            chain.append(self.nodes[parent])
            parent = self.nodes[parent].parent
        return chain[::-1]


def normalize_for_key(text: str) -> str:
    """Width, case and spacing do not make a new text: NFKC, no whitespace, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def tidy_text(text: str) -> str:
    """Display form: trimmed, single-spaced, half-width punctuation inside Chinese made full width.

    A space between Chinese characters stays (one): it separates the parts of a heading (第一章 总则)
    or of a slogan (网聚职工正能量 争做中国好网民). Keys ignore it (normalize_for_key)."""
    text = text.replace("\u3000", " ")
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(rf"(?<={_CJK})\s*([,;:?!])\s*", lambda m: _HALF_TO_FULL[m.group(1)], text)
    text = re.sub(rf"\(\s*({_CJK}[^()]*)\s*\)", r"（\1）", text)
    return re.sub(r"(?<=[，；：？！。、])\s+", "", text)


def split_heading_number(text: str) -> tuple[str, str]:
    """'(一) 坚持…' → ('一', '坚持…')."""
    match = _HEADING_NUMBER.match(text)
    if not match:
        return "", text
    return match.group(1) or match.group(2), text[match.end() :]


def decode_source(data: bytes) -> str:
    """Bytes → text, refusing what is not a reasonable UTF-8 Markdown file."""
    if not data.strip():
        raise DocumentFormatError(_("文件是空的。"))
    if len(data) > MAX_SOURCE_BYTES:
        raise DocumentFormatError(
            _("文件过大（%(size)d 字节），上限为 %(limit)d 字节。") % {"size": len(data), "limit": MAX_SOURCE_BYTES}
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DocumentFormatError(_("这是二进制文件，不是 Markdown 文本。"), data.count(b"\n", 0, nul) + 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DocumentFormatError(_("不是 UTF-8 编码的文本。"), data.count(b"\n", 0, error.start) + 1) from None
    return text.removeprefix("\ufeff")


def parse_document(source: str | bytes) -> ParsedDocument:
    """Parse the Markdown of the document; raise DocumentFormatError naming the line at fault."""
    text = decode_source(source) if isinstance(source, bytes) else source
    if not text.strip():
        raise DocumentFormatError(_("文件是空的。"))
    if len(text.encode("utf-8")) > MAX_SOURCE_BYTES:
        decode_source(text.encode("utf-8"))  # raises the size error
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    check_limits(text)
    tokens = MarkdownIt("commonmark").parse(text)
    _check_heading_count(sum(1 for token in tokens if token.type == "heading_open"))
    return _Outline(tokens).build()


def check_limits(text: str) -> None:
    """Refuse, before any parsing, a text with more lines or headings than an import accepts.

    `text` has "\n" line ends. Headings are counted by their "#" lines here, which is cheap; the
    rarer underlined (setext) headings are counted again from the tokens."""
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if lines > MAX_SOURCE_LINES:
        raise DocumentFormatError(
            _("文件行数过多（%(count)d 行），上限为 %(limit)d 行。") % {"count": lines, "limit": MAX_SOURCE_LINES}
        )
    _check_heading_count(len(_ATX_HEADING.findall(text)))


def _check_heading_count(count: int) -> None:
    if count > MAX_HEADINGS:
        raise DocumentFormatError(
            _("标题过多（%(count)d 个），上限为 %(limit)d 个。") % {"count": count, "limit": MAX_HEADINGS}
        )


class _Outline:
    """Walks markdown-it's block tokens, keeping a stack of open headings."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.doc: ParsedDocument | None = None
        self.stack: list[tuple[int, int]] = []  # (heading level, node index)
        self.level = 0
        # How many “要” each heading (None: the title) holds so far: numbering one must not
        # look at the nodes before it, or a long run of them is quadratic.
        self.requirements: dict[int | None, int] = {}

    def build(self) -> ParsedDocument:
        tokens = self.tokens
        i = 0
        while i < len(tokens):
            token = tokens[i]
            line = token.map[0] + 1 if token.map else 0
            if token.type == "heading_open":
                self._heading(int(token.tag[1]), tokens[i + 1], line)
                i += 3
            elif token.type == "paragraph_open":
                self._paragraph(tokens[i + 1], line)
                i += 3
            elif token.type in ("bullet_list_open", "ordered_list_open"):
                i = self._list(i, line)
            elif token.type == "hr":
                i += 1
            elif token.type == "html_block" and token.content.strip().startswith("<!--"):
                i += 1  # comments are notes for editors
            else:
                raise DocumentFormatError(_("不支持的 Markdown 结构（%(type)s）。") % {"type": token.type}, line)
        if self.doc is None:
            raise DocumentFormatError(_("文档缺少一级标题（# 标题）。"))
        _assign_keys(self.doc)
        return self.doc

    def _heading(self, level: int, inline: Token, line: int) -> None:
        title = tidy_text(_inline_text(inline))
        if not title:
            raise DocumentFormatError(_("标题是空的。"), line)
        if level == 1:
            if self.doc is not None:
                raise DocumentFormatError(_("文档只能有一个一级标题（#）。"), line)
            self.doc = ParsedDocument(title=title, title_line=line)
            self.level = 1
            return
        if self.doc is None:
            raise DocumentFormatError(_("第一个标题必须是一级标题（# 标题）。"), line)
        if level > 4:
            raise DocumentFormatError(_("标题层级最多四级（####），这里是 %(level)d 级。") % {"level": level}, line)
        if level > self.level + 1:
            raise DocumentFormatError(
                _("标题层级跳跃：%(before)s 之后直接出现 %(after)s。")
                % {"before": "#" * self.level, "after": "#" * level},
                line,
            )
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        number = ""
        if level == 3:
            number, title = split_heading_number(title)
        self.stack.append((level, self._add(HEADING_KINDS[level], title, line, number)))
        self.level = level

    def _paragraph(self, inline: Token, line: int) -> None:
        if self.doc is None:
            raise DocumentFormatError(_("第一个标题之前不能有正文。"), line)
        for text, lead, offset in _lines(inline):
            self._body_line(text, lead, line + offset)

    def _list(self, i: int, line: int) -> int:
        """Each list item is a line of its own, as if written with hard breaks."""
        if self.doc is None:
            raise DocumentFormatError(_("第一个标题之前不能有正文。"), line)
        opening = self.tokens[i]
        closing = opening.type.replace("_open", "_close")
        i += 1
        while not (self.tokens[i].type == closing and self.tokens[i].level == opening.level):
            token = self.tokens[i]
            if token.type == "inline":
                start = token.map[0] + 1 if token.map else line
                for text, lead, offset in _lines(token):
                    self._body_line(text, lead, start + offset)
            i += 1
        return i + 1

    def _body_line(self, text: str, lead: str, line: int) -> None:
        text = tidy_text(text)
        if not text:
            return
        parent_level = self.stack[-1][0] if self.stack else 1
        if lead == "要":
            parent = self.stack[-1][1] if self.stack else None
            number = self.requirements[parent] = self.requirements.get(parent, 0) + 1
            self._add(REQUIREMENT, text, line, str(number))
        elif parent_level == 4:
            self._add(POINT, text, line)
        else:
            self._add(PARAGRAPH, text, line)

    def _add(self, kind: str, text: str, line: int, number: str = "") -> int:
        assert self.doc is not None  # nodes are added only under the title (every caller refuses them before it)
        parent = self.stack[-1][1] if self.stack else None
        self.doc.nodes.append(
            ParsedNode(kind=kind, text=text, line=line, depth=len(self.stack), parent=parent, number=number)
        )
        return len(self.doc.nodes) - 1


# Inline HTML is kept as literal text: the pages escape it, and an editor sees what was written.
_TEXT_TOKENS = ("text", "code_inline", "html_inline")


def _inline_text(inline: Token) -> str:
    return "".join(child.content for child in inline.children or [] if child.type in _TEXT_TOKENS)


def _lines(inline: Token) -> list[tuple[str, str, int]]:
    """Split an inline run at hard breaks. Soft breaks join (Chinese needs no space).

    Returns (text, lead, offset): `lead` is the bold text the line opens with, if any, and
    `offset` counts the source lines before it.
    """
    lines: list[tuple[str, str, int]] = []
    parts: list[str] = []
    lead = ""
    bold_depth = 0
    bold_at_start = False
    start = breaks = 0
    for child in inline.children or []:
        if child.type == "hardbreak":
            lines.append((_joined(parts), lead, start))
            parts, lead = [], ""
            breaks += 1
            start = breaks
        elif child.type == "softbreak":
            parts.append(_SOFT_BREAK)
            breaks += 1
        elif child.type == "strong_open":
            bold_depth += 1
            bold_at_start = not "".join(parts).strip()
        elif child.type == "strong_close":
            bold_depth -= 1
            bold_at_start = False
        elif child.type in _TEXT_TOKENS:
            if bold_depth and bold_at_start:
                lead += child.content.strip()
            parts.append(child.content)
        elif child.type in ("em_open", "em_close", "link_open", "link_close"):
            continue
        elif child.type == "image":
            parts.append(child.content)
    lines.append((_joined(parts), lead, start))
    return lines


_SOFT_BREAK = "\n"


def _joined(parts: list[str]) -> str:
    """The parts of a line; a soft break between Chinese characters joins them, elsewhere it is a space."""
    text = re.sub(rf"(?<={_CJK})\s*{_SOFT_BREAK}\s*(?={_CJK})", "", "".join(parts))
    return text.replace(_SOFT_BREAK, " ")


def _assign_keys(doc: ParsedDocument) -> None:
    """key: from the text and its place (kind, heading path, repeat count); text_key: from the text alone."""
    seen: dict[str, int] = {}
    for index, node in enumerate(doc.nodes):
        path = "/".join(normalize_for_key(a.text) for a in doc.ancestors(index))
        basis = f"{node.kind}|{path}|{normalize_for_key(node.text)}"
        seen[basis] = seen.get(basis, 0) + 1
        node.key = _digest(f"{basis}|{seen[basis]}")
        node.text_key = _digest(f"{node.kind}|{normalize_for_key(node.text)}")


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


__all__ = [
    "CHINESE_NUMERALS",
    "MAX_HEADINGS",
    "MAX_SOURCE_BYTES",
    "MAX_SOURCE_LINES",
    "PARAGRAPH",
    "PART",
    "POINT",
    "REQUIREMENT",
    "TASK",
    "TOPIC",
    "DocumentFormatError",
    "ParsedDocument",
    "ParsedNode",
    "check_limits",
    "decode_source",
    "normalize_for_key",
    "parse_document",
    "split_heading_number",
    "tidy_text",
]
