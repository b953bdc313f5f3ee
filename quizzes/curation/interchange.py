"""Question banks read from GIFT and Moodle XML into drafts: the inverse of quizzes/export.py.

Pure functions over text (no database). Each question read becomes a `RowOutcome`: a `QuestionDraft`,
or the reasons it was refused, in Chinese, numbered as staff count the questions in the file.

Round trip: what `bank_as_gift` and `bank_as_moodle_xml` write reads back as the same questions. Two
things the exports spread out are put back together here:

- GIFT allows one answer block per question, so the exporter writes a cloze of several blanks as
  entries `key-1`, `key-2` … that each ask one blank with the others filled in (an any-order group
  is asked in one entry that keeps its blanks and ends with a hint and the joined members). Those
  entries are reassembled into one draft when their texts agree.
- Moodle XML writes every member of an any-order group as a field that also accepts the other
  members; fields that accept each other's answers are read back as one any-order group.

Neither format keeps the width of a blank, so a blank comes back as the generator draws it: a run of
＿ as long as its answer (a group's as long as its longest member, a choice's as long as its longest
option), never shorter than 2. What neither format carries is not invented: a true/false statement's
swapped term and a choice question's blank record (`blanks`) come back empty.

Files Moodle itself writes are read too: GIFT multiple choice, multiple answers with % weights,
true/false, short answer, matching; Moodle XML multichoice, truefalse, shortanswer, matching, cloze
and categories. Other question types are refused one by one, with the question's number.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..core.rules import BLANK
from .drafts import QuestionDraft, RowOutcome

UNDERSCORE = "＿"
MIN_BLANK_WIDTH = 2  # the generator's narrowest blank
FULL_CREDIT = 100.0


class Refused(Exception):
    """A question that cannot become a draft; the message says why, in Chinese."""


# --- Shared -----------------------------------------------------------------------------------------


def _run(width: int) -> str:
    return UNDERSCORE * max(MIN_BLANK_WIDTH, width)


def _width(*answers: str) -> int:
    return max((len(answer) for answer in answers), default=0)


def _section(path: str) -> str:
    """The last component of a category path. Moodle writes a "/" inside a name as "//"; our
    exporter writes it as "／", so a single "/" always separates."""
    parts = [part.replace("//", "/").strip() for part in re.split(r"(?<!/)/(?!/)", path.strip())]
    parts = [part for part in parts if part and part not in ("$course$", "$system$", "$module$", "$cat$", "top")]
    return parts[-1] if parts else ""


_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_LINE_BREAK = re.compile(r"(?i)<br\s*/?>|</(?:p|div|li|h[1-6])\s*>")


def _strip_tags(text: str) -> str:
    """Text of an HTML fragment: tags dropped, entities decoded, line breaks kept as newlines."""
    text = _LINE_BREAK.sub("\n", text)
    return html.unescape(_TAG.sub("", text)).replace("\xa0", " ")


def _html_text(text: str) -> str:
    """`_strip_tags`, with each line trimmed and empty lines dropped (Moodle's editor pads both)."""
    lines = (line.strip() for line in _strip_tags(text).splitlines())
    return "\n".join(line for line in lines if line)


def _check(draft: QuestionDraft) -> list[str]:
    """What makes a draft unusable by its kind, as messages."""
    errors = [] if draft.prompt.strip() else ["题干为空"]
    if draft.type == "cloze" and (not draft.blanks or not all(blank["answer"] for blank in draft.blanks)):
        errors.append("填空题没有可接受的答案")
    if draft.type in ("choice", "multiselect") and len(draft.choices) < 2:
        errors.append("选择题至少要有两个选项")
    if draft.type == "multiselect" and not draft.correct_choices:
        errors.append("多选题没有正确选项")
    if draft.type == "matching" and (len(draft.pairs) < 2 or not all(all(pair) for pair in draft.pairs)):
        errors.append("连线题至少要有两对完整的配对")
    return errors


def _outcome(number: int, where: str, draft: QuestionDraft | None, errors: list[str]) -> RowOutcome:
    if draft is not None and not errors:
        errors = _check(draft)
    return RowOutcome(number, draft if not errors else None, [f"{where}：{error}" for error in errors])


# --- Cloze blanks, as both formats hand them over -----------------------------------------------------


@dataclass
class _Span:
    """A blank found in the filled-in text of a cloze: where its answer stands."""

    start: int
    end: int
    width: int
    answers: list[str]  # full-credit answers, the key first
    together: int | None = None  # members of one any-order group share a token


@dataclass
class _ClozePiece:
    """A cloze as one GIFT entry or one Moodle XML text shows it: the text with every blank filled in
    with its key, and the blanks it asks."""

    filled: str
    spans: list[_Span]


def _assemble(pieces: list[_ClozePiece]) -> QuestionDraft | None:
    """One cloze draft from pieces that show the same text and ask different blanks; None when
    they do not fit together (different texts, overlapping blanks)."""
    filled = pieces[0].filled
    if any(piece.filled != filled for piece in pieces):
        return None
    spans = sorted((span for piece in pieces for span in piece.spans), key=lambda span: span.start)
    if any(later.start < earlier.end for earlier, later in zip(spans, spans[1:], strict=False)):
        return None
    prompt, position, blanks = "", 0, []
    groups: dict[int, int] = {}
    for index, span in enumerate(spans):
        prompt += filled[position : span.start] + _run(span.width)
        position = span.end
        group = index if span.together is None else groups.setdefault(span.together, index)
        blanks.append(
            {
                "answer": span.answers[0],
                "accepted": span.answers,
                "group": group,
                "any_order": span.together is not None,
            }
        )
    prompt += filled[position:]
    return QuestionDraft(type="cloze", prompt=prompt.strip(), blanks=blanks)


def _single_blank(before: str, answers: list[str], after: str) -> _ClozePiece:
    """A short-answer question: the blank stands where its answer block stood, or, when the block
    ends the text and the text already shows one run of ＿, at that run."""
    if not after.strip():  # the block ends the text: no padding between the text and its blank
        before, after = before.rstrip(), ""
    runs = list(BLANK.finditer(before))
    if not after and len(runs) == 1:
        run = runs[0]
        filled = before[: run.start()] + answers[0] + before[run.end() :]
        return _ClozePiece(filled, [_Span(run.start(), run.start() + len(answers[0]), len(run.group()), answers)])
    start = len(before)
    return _ClozePiece(
        before + answers[0] + after, [_Span(start, start + len(answers[0]), _width(answers[0]), answers)]
    )


# --- GIFT ---------------------------------------------------------------------------------------------


@dataclass
class _Entry:
    """One question of a GIFT file, its comments and category lines removed."""

    number: int  # its order among the file's questions
    line: int  # the line it starts on
    text: str
    section: str

    @property
    def where(self) -> str:
        return f"第{self.number}题（第{self.line}行）"


@dataclass
class _Read:
    """One GIFT entry read: a draft, or a cloze piece still to be assembled, or errors."""

    entry: _Entry
    title: str
    draft: QuestionDraft | None = None
    piece: _ClozePiece | None = None
    errors: list[str] = field(default_factory=list)


def read_gift(text: str) -> list[RowOutcome]:
    """The questions of a GIFT file, in order; entries our exporter split from one cloze are one."""
    reads = [_read_entry(entry) for entry in _gift_entries(text)]
    outcomes, index = [], 0
    while index < len(reads):
        run = _split_cloze_run(reads, index)
        merged = _assemble([read.piece for read in run if read.piece]) if run else None
        if merged is not None:
            first = run[0]
            merged.key, merged.section = first.title.rsplit("-", 1)[0], first.entry.section
            outcomes.append(_outcome(first.entry.number, first.entry.where, merged, []))
            index += len(run)
            continue
        outcomes.append(_gift_outcome(reads[index]))
        index += 1
    return outcomes


def _gift_outcome(read: _Read) -> RowOutcome:
    draft = read.draft
    if read.piece is not None:
        draft = _assemble([read.piece])
    if draft is not None:
        draft.key, draft.section = read.title, read.entry.section
    return _outcome(read.entry.number, read.entry.where, draft, read.errors)


_SPLIT_TITLE = re.compile(r"(.+)-(\d+)")


def _split_cloze_run(reads: list[_Read], index: int) -> list[_Read]:
    """The entries from `index` titled base-1, base-2 … that are all clozes (at least two), as our
    exporter writes a cloze of several blanks; [] when `index` does not start one."""
    match = _SPLIT_TITLE.fullmatch(reads[index].title)
    if not match or match.group(2) != "1":
        return []
    base, run = match.group(1), list[_Read]()
    while index + len(run) < len(reads):
        read = reads[index + len(run)]
        if read.title != f"{base}-{len(run) + 1}" or read.piece is None:
            break
        run.append(read)
    return run if len(run) > 1 else []


def _gift_entries(text: str) -> Iterator[_Entry]:
    """Entries are separated by blank lines; // comment lines are dropped and $CATEGORY lines set
    the section of the entries after them."""
    section, number = "", 0
    lines: list[tuple[int, str]] = []
    for line_number, line in enumerate([*text.lstrip("\ufeff").splitlines(), ""], start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if stripped.startswith("$CATEGORY:"):
            section = _section(stripped.removeprefix("$CATEGORY:"))
            continue
        if stripped:
            lines.append((line_number, line))
            continue
        if lines:
            number += 1
            yield _Entry(number, lines[0][0], "\n".join(text for _, text in lines).strip(), section)
            lines = []


def _unescaped(text: str, chars: str) -> list[int]:
    """Where any of `chars` stands in `text`, not escaped by a backslash."""
    found, index = [], 0
    while index < len(text):
        if text[index] == "\\":
            index += 1
        elif text[index] in chars:
            found.append(index)
        index += 1
    return found


def _find(text: str, target: str, start: int = 0) -> int:
    """Where `target` first occurs in `text` from `start`, not escaped by a backslash; -1 if nowhere."""
    index = start
    while index < len(text):
        if text[index] == "\\":
            index += 2
        elif text.startswith(target, index):
            return index
        else:
            index += 1
    return -1


_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def _unescape(text: str) -> str:
    """GIFT's backslash escapes (\\= \\~ \\{ \\} \\# \\: \\\\, and \\n for a line break)."""
    return _ESCAPE.sub(lambda match: "\n" if match.group(1) == "n" else match.group(1), text)


_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]")


def _plain(raw: str, format: str) -> str:
    text = _unescape(raw)
    return _strip_tags(text) if format == "html" else text


def _read_entry(entry: _Entry) -> _Read:
    text, title = entry.text, ""
    if text.startswith("::"):
        end = _find(text, "::", 2)
        if end < 0:
            return _Read(entry, "", errors=["标题缺少结尾的“::”"])
        title, text = _unescape(text[2:end]).strip(), text[end + 2 :]
    read = _Read(entry, title)
    try:
        _read_question(read, text)
    except Refused as refused:
        read.errors.append(str(refused))
    return read


def _read_question(read: _Read, text: str) -> None:
    """Fill `read` from the question text after the title: the text around the answer block, and
    the block."""
    format = "moodle"
    if match := _FORMAT.match(text):
        format, text = match.group(1), text[match.end() :]
    opening = _find(text, "{")
    if opening < 0:
        raise Refused("不支持的题型“description”（没有答案块）")
    closing = _find(text, "}", opening)
    if closing < 0:
        raise Refused("答案块缺少结尾的“}”")
    if _find(text, "{", closing) >= 0:
        raise Refused("一道题只能有一个答案块")
    before, block, after = (
        _plain(text[:opening], format),
        text[opening + 1 : closing],
        _plain(text[closing + 1 :], format),
    )
    _read_block(read, before, block.strip(), after)


_TRUTH = {"T": 1, "TRUE": 1, "F": 0, "FALSE": 0}


def _read_block(read: _Read, before: str, block: str, after: str) -> None:
    if not block:
        raise Refused("不支持的题型“essay”")
    if block.startswith("#"):
        raise Refused("不支持的题型“numerical”")
    verdict = _unescape(_without_feedback(block)).strip().upper()
    if verdict in _TRUTH:
        read.draft = QuestionDraft(type="truefalse", prompt=(before + after).strip(), answer_index=_TRUTH[verdict])
        return
    answers = _gift_answers(block)
    if any(_find(answer.raw, "->") >= 0 for answer in answers):
        read.draft = QuestionDraft(type="matching", prompt=(before + after).strip(), pairs=_pairs(answers))
    elif all(answer.marker == "=" for answer in answers):
        read.piece = _short_answer(before, [answer.text for answer in answers if answer.right], after)
    else:
        read.draft = _choices(before, answers, after)


@dataclass
class _Answer:
    """One answer of a GIFT block: its marker (= or ~), its weight, its text without feedback."""

    marker: str
    weight: float | None
    raw: str  # as written, escapes kept (a matching pair is split on it)

    @property
    def text(self) -> str:
        return _answer_text(self.raw)

    @property
    def fraction(self) -> float:
        if self.weight is not None:
            return self.weight
        return FULL_CREDIT if self.marker == "=" else 0.0

    @property
    def right(self) -> bool:
        return self.fraction >= FULL_CREDIT


_WEIGHT = re.compile(r"^\s*%(-?\d+(?:\.\d*)?)%")


def _gift_answers(block: str) -> list[_Answer]:
    """The answers of a block, each starting at an unescaped = or ~."""
    starts = _unescaped(block, "=~")
    if not starts or block[: starts[0]].strip():
        raise Refused("答案块格式不对：每个答案应以“=”或“~”开头")
    answers = []
    for start, end in zip(starts, [*starts[1:], len(block)], strict=True):
        raw = block[start + 1 : end]
        weight = None
        if match := _WEIGHT.match(raw):
            weight, raw = float(match.group(1)), raw[match.end() :]
        answers.append(_Answer(block[start], weight, _without_feedback(raw)))
    return answers


def _without_feedback(raw: str) -> str:
    cut = _find(raw, "#")
    return raw[:cut] if cut >= 0 else raw


def _answer_text(raw: str) -> str:
    format = "moodle"
    if match := _FORMAT.match(raw):
        format, raw = match.group(1), raw[match.end() :]
    return _plain(raw, format).strip()


def _pairs(answers: list[_Answer]) -> list[list[str]]:
    pairs = []
    for answer in answers:
        arrow = _find(answer.raw, "->")
        if answer.marker != "=" or arrow < 0:
            raise Refused("连线题的每一项都应写成“=左项 -> 右项”")
        left, right = _answer_text(answer.raw[:arrow]), _answer_text(answer.raw[arrow + 2 :])
        if not left:
            raise Refused("连线题中有只有右项的干扰项，本系统的连线题不支持")
        pairs.append([left, right])
    return pairs


# What our exporter writes after the blanks of an any-order group (core/kinds/cloze.py _gift_enumeration).
_ENUMERATION_HINT = re.compile(r"(.*)（(\d+)项，(?:顺序不限|按原文顺序)，用“、”隔开）\s*", re.DOTALL)
_MEMBER_SEPARATORS = ("、", "，")


def _short_answer(before: str, answers: list[str], after: str) -> _ClozePiece:
    if not answers:
        raise Refused("填空题没有得满分的答案")
    hint = _ENUMERATION_HINT.fullmatch(before) if not after.strip() else None
    if hint and len(BLANK.findall(hint.group(1))) == int(hint.group(2)) > 1:
        return _enumeration(hint.group(1), int(hint.group(2)), answers)
    return _single_blank(before, answers, after)


def _enumeration(text: str, size: int, answers: list[str]) -> _ClozePiece:
    """An any-order group asked in one entry: its blanks are the runs of ＿ in the text; its members,
    in the document's order, are the first answer (or the first joined with ，) split apart."""
    members = next(
        (
            parts
            for answer in answers[:2]
            for separator in _MEMBER_SEPARATORS
            if len(parts := answer.split(separator)) == size
        ),
        None,
    )
    if members is None:
        raise Refused(f"无法从答案中分出{size}项")
    filled, spans, position = "", [], 0
    for member, run in zip(members, BLANK.finditer(text), strict=True):
        filled += text[position : run.start()]
        spans.append(_Span(len(filled), len(filled) + len(member), len(run.group()), [member], together=0))
        filled += member
        position = run.end()
    return _ClozePiece(filled + text[position:], spans)


_SENTENCE_END = tuple("？?。．.：:！!）)")


def _choices(before: str, answers: list[_Answer], after: str) -> QuestionDraft:
    """Multiple choice: single when some answer starts with = (as Moodle decides), else multiple
    answers, where every answer of positive weight is right."""
    texts = [answer.text for answer in answers]
    width = _width(*texts)
    if any(answer.marker == "=" for answer in answers):
        right = [index for index, answer in enumerate(answers) if answer.right]
        if len(right) != 1:
            raise Refused(f"单选题应有且只有一个正确选项（现有{len(right)}个）")
        # A block attached to the end of a sentence is its missing word; after a space or a question
        # mark it only follows the question (as our exporter writes a prompt without a blank).
        attached = bool(before) and not before[-1].isspace() and not before.endswith(_SENTENCE_END)
        prompt = _around_block(before, after, width, blank_at_end=attached and not BLANK.search(before))
        return QuestionDraft(type="choice", prompt=prompt, choices=texts, answer_index=right[0])
    right = [index for index, answer in enumerate(answers) if answer.fraction > 0]
    prompt = _around_block(before, after, width, blank_at_end=False)
    return QuestionDraft(type="multiselect", prompt=prompt, choices=texts, correct_choices=right)


def _around_block(before: str, after: str, width: int, *, blank_at_end: bool) -> str:
    """The prompt of a choice question: a blank where the block stood inside the text."""
    if after.strip() or blank_at_end:
        return (before + _run(width) + after).strip()
    return before.strip()


# --- Moodle XML -----------------------------------------------------------------------------------------


def read_moodle_xml(text: str | bytes) -> list[RowOutcome]:
    """The questions of a Moodle XML file, in order, numbered without its category entries; one
    outcome numbered 0 when the file is not Moodle XML at all."""
    try:
        quiz = _parse_xml(text)
    except Refused as refused:
        return [RowOutcome(0, None, [f"文件不是有效的 Moodle XML：{refused}"])]
    outcomes, section, number = [], "", 0
    for element in quiz.findall("question"):
        if element.get("type") == "category":
            section = _section(element.findtext("category/text") or "")
            continue
        number += 1
        outcomes.append(_xml_outcome(element, number, section))
    return outcomes


def _parse_xml(text: str | bytes) -> ET.Element:
    # Moodle never writes a DOCTYPE; refusing one keeps entity tricks out of the parser.
    if re.search(rb"<!(?:DOCTYPE|ENTITY)", text if isinstance(text, bytes) else text.encode("utf-8")):
        raise Refused("不接受 DOCTYPE 或实体声明")
    try:
        root = ET.fromstring(_xml_source(text))
    except ET.ParseError as error:
        line, column = error.position
        reason = str(error).split(":", 1)[0]
        raise Refused(f"第{line}行第{column + 1}列附近格式有误（{reason}）") from None
    if root.tag != "quiz":
        raise Refused(f"根元素应为 <quiz>，这里是 <{root.tag}>")
    return root


_DECLARED = re.compile(rb"""\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _xml_source(text: str | bytes) -> str | bytes:
    """What the parser is fed: text as text (its declared encoding no longer applies); bytes as they
    are when UTF-8, else decoded here, since expat reads no multi-byte encoding such as GBK."""
    if isinstance(text, str):
        return text.lstrip("\ufeff")
    declared = _DECLARED.match(text)
    encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    if encoding.replace("-", "").replace("_", "") in ("utf8", "utf16", "ascii", "usascii"):
        return text
    try:
        return text.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        raise Refused(f"无法按声明的编码“{encoding}”读取，请另存为 UTF-8") from None


def _xml_outcome(element: ET.Element, number: int, section: str) -> RowOutcome:
    where = f"第{number}题"
    try:
        draft = _xml_question(element)
    except Refused as refused:
        return _outcome(number, where, None, [str(refused)])
    draft.key = (element.findtext("idnumber") or "").strip()
    draft.section = section
    feedback = _xml_text(element, "generalfeedback")
    if not feedback.startswith("出处："):  # our exporter's source line, not an explanation
        draft.explanation = feedback
    return _outcome(number, where, draft, [])


def _xml_text(element: ET.Element, tag: str) -> str:
    """The text of <tag><text>…</text></tag>, as plain text when its format is HTML."""
    part = element.find(tag)
    return _formatted(part) if part is not None else ""


def _formatted(element: ET.Element) -> str:
    """The <text> of `element`, as plain text when its format is HTML (Moodle's default)."""
    text = element.findtext("text") or ""
    if element.get("format", "html") in ("html", "moodle_auto_format"):
        return _html_text(text)
    return text.strip()


@dataclass
class _XmlAnswer:
    text: str
    fraction: float


def _xml_answers(element: ET.Element) -> list[_XmlAnswer]:
    answers = []
    for answer in element.findall("answer"):
        try:
            fraction = float(answer.get("fraction") or 0)
        except ValueError:
            raise Refused(f"答案的得分“{answer.get('fraction')}”不是数字") from None
        text = answer.findtext("text") or ""
        # An answer's format defaults to plain text (truefalse writes moodle_auto_format).
        plain = _html_text(text) if answer.get("format") in ("html", "moodle_auto_format") else text.strip()
        answers.append(_XmlAnswer(plain, fraction))
    return answers


def _xml_question(element: ET.Element) -> QuestionDraft:
    moodle_type = element.get("type") or ""
    reader = _XML_READERS.get(moodle_type)
    if reader is None:
        raise Refused(f"不支持的题型“{moodle_type}”")
    return reader(element, _xml_text(element, "questiontext"))


def _xml_multichoice(element: ET.Element, prompt: str) -> QuestionDraft:
    answers = _xml_answers(element)
    texts = [answer.text for answer in answers]
    if (element.findtext("single") or "true").strip().lower() in ("true", "1"):
        right = [index for index, answer in enumerate(answers) if answer.fraction >= FULL_CREDIT]
        if len(right) != 1:
            raise Refused(f"单选题应有且只有一个正确选项（现有{len(right)}个）")
        return QuestionDraft(type="choice", prompt=prompt, choices=texts, answer_index=right[0])
    right = [index for index, answer in enumerate(answers) if answer.fraction > 0]
    return QuestionDraft(type="multiselect", prompt=prompt, choices=texts, correct_choices=right)


def _xml_truefalse(element: ET.Element, prompt: str) -> QuestionDraft:
    truths = [answer.text.lower() == "true" for answer in _xml_answers(element) if answer.fraction >= FULL_CREDIT]
    if len(truths) != 1:
        raise Refused("判断题应有且只有一个得满分的答案")
    return QuestionDraft(type="truefalse", prompt=prompt, answer_index=1 if truths[0] else 0)


def _xml_shortanswer(element: ET.Element, prompt: str) -> QuestionDraft:
    answers = [answer.text for answer in _xml_answers(element) if answer.fraction >= FULL_CREDIT and answer.text]
    if not answers:
        raise Refused("填空题没有得满分的答案")
    draft = _assemble([_single_blank(prompt, answers, "")])
    assert draft is not None  # one piece always fits itself
    return draft


def _xml_matching(element: ET.Element, prompt: str) -> QuestionDraft:
    pairs = []
    for sub in element.findall("subquestion"):
        left, right = _formatted(sub), (sub.findtext("answer/text") or "").strip()
        if not left:
            raise Refused("连线题中有只有右项的干扰项，本系统的连线题不支持")
        pairs.append([left, right])
    return QuestionDraft(type="matching", prompt=prompt, pairs=pairs)


# --- Moodle's embedded answers (Cloze) ---------------------------------------------------------------------

_FIELD = re.compile(r"\{(\d*):([A-Za-z_]+):((?:\\.|[^\\}])*)\}", re.DOTALL)
_SHORT_ANSWER = {"SHORTANSWER", "SA", "MW", "SHORTANSWER_C", "SAC", "MWC"}
_MULTICHOICE = {"MULTICHOICE", "MC", "MULTICHOICE_V", "MCV", "MULTICHOICE_H", "MCH"}
_MULTICHOICE |= {"MULTICHOICE_S", "MCS", "MULTICHOICE_VS", "MCVS", "MULTICHOICE_HS", "MCHS"}  # shuffled
_EMBEDDED_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


@dataclass
class _Field:
    """One embedded answer field: its place in the text, its answers (text, fraction)."""

    start: int
    end: int
    type: str
    answers: list[tuple[str, float]]

    @property
    def right(self) -> list[str]:
        return [text for text, fraction in self.answers if fraction >= FULL_CREDIT and text]


def _embedded_answers(body: str) -> list[tuple[str, float]]:
    """`=a#feedback~%50%b~c`: alternatives split on unescaped ~, feedback after # dropped."""
    answers = []
    for raw in _split_unescaped(body, "~"):
        if not raw.strip():
            continue
        fraction = 0.0
        if raw.startswith("="):
            fraction, raw = FULL_CREDIT, raw[1:]
        elif match := re.match(r"%(-?\d+(?:\.\d*)?)%", raw):
            fraction, raw = float(match.group(1)), raw[match.end() :]
        answers.append((_EMBEDDED_ESCAPE.sub(r"\1", _split_unescaped(raw, "#")[0]).strip(), fraction))
    return answers


def _split_unescaped(text: str, separator: str) -> list[str]:
    cuts = _unescaped(text, separator)
    return [text[start + 1 : end] for start, end in zip([-1, *cuts], [*cuts, len(text)], strict=True)]


def _xml_cloze(element: ET.Element, text: str) -> QuestionDraft:
    fields = [
        _Field(match.start(), match.end(), match.group(2).upper(), _embedded_answers(match.group(3)))
        for match in _FIELD.finditer(text)
    ]
    if not fields:
        raise Refused("完形填空题中没有答案空")
    if len(fields) == 1 and fields[0].type in _MULTICHOICE:
        return _embedded_choice(text, fields[0])
    refused = sorted({slot.type for slot in fields if slot.type not in _SHORT_ANSWER})
    if refused:
        raise Refused(f"完形填空题中不支持的答案空类型“{'、'.join(refused)}”（只支持填空，或只有一个选择空）")
    if any(not slot.right for slot in fields):
        raise Refused("完形填空题中有答案空没有得满分的答案")
    draft = _assemble([_embedded_piece(text, fields)])
    if draft is None:
        raise Refused("完形填空题的答案空无法拼成题干")
    return draft


def _embedded_choice(text: str, choice: _Field) -> QuestionDraft:
    texts = [answer for answer, _ in choice.answers]
    right = [index for index, (_, fraction) in enumerate(choice.answers) if fraction >= FULL_CREDIT]
    if len(right) != 1:
        raise Refused(f"单选题应有且只有一个正确选项（现有{len(right)}个）")
    prompt = (text[: choice.start] + _run(_width(*texts)) + text[choice.end :]).strip()
    return QuestionDraft(type="choice", prompt=prompt, choices=texts, answer_index=right[0])


def _embedded_piece(text: str, fields: list[_Field]) -> _ClozePiece:
    """The text with each field filled in with its key. Fields that accept each other's keys are an
    any-order group (our exporter's enumerations): each keeps its own answers, the ones before the
    first key of another member."""
    rights = [slot.right for slot in fields]
    groups = _mutual_groups(rights)
    filled, spans, position = "", [], 0
    for index, slot in enumerate(fields):
        members = groups.get(index)
        answers = rights[index]
        if members:
            others = {rights[member][0] for member in members if member != index}
            answers = answers[: next((k for k, answer in enumerate(answers) if k and answer in others), len(answers))]
        width = _width(*(rights[member][0] for member in members)) if members else _width(answers[0])
        filled += text[position : slot.start]
        spans.append(
            _Span(len(filled), len(filled) + len(answers[0]), width, answers, min(members) if members else None)
        )
        filled += answers[0]
        position = slot.end
    return _ClozePiece(filled + text[position:], spans)


def _mutual_groups(rights: list[list[str]]) -> dict[int, list[int]]:
    """Fields that accept each other's keys, joined into groups: field index → its group's fields."""
    parent = list(range(len(rights)))

    def root(index: int) -> int:
        while parent[index] != index:
            index = parent[index]
        return index

    for i, own in enumerate(rights):
        for j, other in enumerate(rights):
            if i < j and other[0] in own[1:] and own[0] in other[1:]:
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for index in range(len(rights)):
        groups.setdefault(root(index), []).append(index)
    return {index: members for members in groups.values() if len(members) > 1 for index in members}


_XML_READERS: dict[str, Callable[[ET.Element, str], QuestionDraft]] = {
    "multichoice": _xml_multichoice,
    "truefalse": _xml_truefalse,
    "shortanswer": _xml_shortanswer,
    "matching": _xml_matching,
    "cloze": _xml_cloze,
}
