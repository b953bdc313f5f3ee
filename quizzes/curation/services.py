"""What staff do to the bank: edit, suppress, restore, review, write and import questions, and handle
reports. Every change writes one `QuestionLog` entry (who, when, before and after) in the same
transaction as the change itself.

Who may: staff, and anyone given the “question editor” permission (`quizzes.curate_bank`).
"""

from __future__ import annotations

import enum
import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from studyapp.documents.models import DocumentVersion, Node
from studyapp.documents.selectors import active_version

from ..core.checking import normalize
from ..core.kinds import CLOZE, TRUEFALSE, kind_of
from ..core.kinds.base import mark
from ..models import Answer, AttemptQuestion, BankImport, Origin, Question, QuestionLog, QuestionReport
from .drafts import QuestionDraft, RowOutcome
from .remarking import SynonymImpact, accept_synonym, synonym_impact
from .remarking import _validated as _synonym_text
from .statistics import COMMON_WRONG, ItemStats, flagged, item_statistics

# What an edit may change; the rest (source, keys, place in the document) belongs to the generator.
EDITABLE = ("prompt", "blanks", "choices", "answer_index", "correct_choices", "pairs", "explanation")
MAX_REPORT_LENGTH = 500
MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_ROWS = 5000  # as spreadsheet.MAX_ROWS: more is a mistake or a job for several files


def can_curate(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and (user.is_staff or user.has_perm("quizzes.curate_bank")))


CURATOR_SESSION_KEY = "can_curate"


def curator_at_login(sender: object, request: Any, user: User, **kwargs: Any) -> None:
    """user_logged_in: remember in the session whether the person may curate, so that the menu shows
    题库 to question editors without asking the database for permissions on every page (a permission
    given later shows from the next sign-in; the pages themselves check it on every request)."""
    if request is not None and hasattr(request, "session"):
        request.session[CURATOR_SESSION_KEY] = can_curate(user)


def _snapshot(question: Question, fields: Iterable[str] = EDITABLE) -> dict[str, Any]:
    return {name: getattr(question, name) for name in fields}


def _log(question: Question, user: User | None, action: str, before=None, after=None, note: str = "") -> QuestionLog:
    return QuestionLog.objects.create(
        question=question, user=user, action=action, before=before or {}, after=after or {}, note=note[:300]
    )


def question_problems(question: Question | QuestionDraft) -> list[str]:
    """Why the question could not be asked as it stands (the kind's own shape rules)."""
    return [str(problem) for problem in kind_of(question.type).problems(question)]


@transaction.atomic
def question_edit(*, question: Question, user: User, changes: Mapping[str, Any], note: str = "") -> bool:
    """Change the wording or answers of a question; ValidationError (nothing saved) when the result is
    not a well-formed question. Returns whether anything changed."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    changed = {name: value for name, value in changes.items() if getattr(question, name) != value}
    if not changed:
        return False
    before = _snapshot(question, changed)
    for name, value in changed.items():
        setattr(question, name, value)
    problems = question_problems(question)
    if problems:
        raise ValidationError(problems)
    question.is_edited = True
    question.save(update_fields=[*changed, "is_edited"])
    action = QuestionLog.Action.SYNONYM if _only_accepted_forms(before, changed) else QuestionLog.Action.EDITED
    _log(question, user, action, before, _snapshot(question, changed), note)
    return True


def _only_accepted_forms(before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    """Whether an edit only added accepted forms to blanks (nothing else of them changed)."""
    if set(after) != {"blanks"} or len(before["blanks"]) != len(after["blanks"]):
        return False
    for old, new in zip(before["blanks"], after["blanks"], strict=True):
        rest_old = {k: v for k, v in old.items() if k != "accepted"}
        rest_new = {k: v for k, v in new.items() if k != "accepted"}
        if rest_old != rest_new or not set(old.get("accepted") or []) <= set(new.get("accepted") or []):
            return False
    return True


@transaction.atomic
def question_suppress(*, question: Question, user: User, note: str = "") -> None:
    """Never asked again (answers and history stay); regeneration keeps it suppressed."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.is_suppressed:
        return
    question.is_suppressed, question.is_active = True, False
    question.save(update_fields=["is_suppressed", "is_active"])
    _log(question, user, QuestionLog.Action.SUPPRESSED, {"is_suppressed": False}, {"is_suppressed": True}, note)


class Restored(enum.Enum):
    """What restoring a suppressed question did, for the curator's message."""

    NOW = "now"  # in use again from now on
    # A generated fill-in whose line the active version still has: the generator avoided it while it
    # was suppressed (so a regeneration retired it); the next regeneration makes it, and brings it back.
    NEXT_GENERATION = "next_generation"
    GONE = "gone"  # retired, and the active version does not make it (its line changed or went)


@transaction.atomic
def question_restore(*, question: Question, user: User, note: str = "") -> Restored | None:
    """Asked again, unless a regeneration retired it meanwhile: then it stays out of quizzes until
    a regeneration makes it again (bank_sync reactivates a known key that is not suppressed), which
    the next one does for a generated fill-in on a line the active version still has, since the
    generator no longer avoids it. Returns what happens (None: it was not suppressed, nothing done).
    Nothing is regenerated here: that is the slow part of a document activation."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if not question.is_suppressed:
        return None
    question.is_suppressed = False
    question.is_active = question.retired_in_id is None
    question.save(update_fields=["is_suppressed", "is_active"])
    _log(question, user, QuestionLog.Action.RESTORED, {"is_suppressed": True}, {"is_suppressed": False}, note)
    if question.is_active:
        return Restored.NOW
    if question.origin == Origin.GENERATED and question.type == CLOZE and _line_in_active_version(question):
        return Restored.NEXT_GENERATION
    return Restored.GONE


def _line_in_active_version(question: Question) -> bool:
    """Whether every line the question was made from is in the active version, as it was."""
    version = active_version()
    keys = set(question.source_text_keys or ())
    if version is None or not keys:
        return False
    return version.nodes.filter(text_key__in=keys).values("text_key").distinct().count() == len(keys)


@transaction.atomic
def question_mark_reviewed(*, question: Question, user: User, note: str = "") -> None:
    question = Question.objects.select_for_update().get(pk=question.pk)
    before = {"needs_review": question.needs_review, "review_reason": question.review_reason}
    question.needs_review, question.review_reason = False, ""
    question.reviewed_at, question.reviewed_by = timezone.now(), user
    question.save(update_fields=["needs_review", "review_reason", "reviewed_at", "reviewed_by"])
    _log(question, user, QuestionLog.Action.REVIEWED, before, {"needs_review": False}, note)


# --- Writing and importing questions -----------------------------------------------------------


def section_nodes(version: DocumentVersion | None = None) -> dict[str, Node]:
    """The headings and lines of the active version a question can be attached to, by their text."""
    version = version or active_version()
    if version is None:
        return {}
    nodes: dict[str, Node] = {}
    for node in version.nodes.order_by("position"):
        nodes.setdefault(_section_text(node.text), node)
    return nodes


def _section_text(text: str) -> str:
    return "".join(text.split())


def find_section(text: str, nodes: Mapping[str, Node]) -> Node | None:
    return nodes.get(_section_text(text)) if text.strip() else None


def _place(node: Node | None) -> dict[str, Any]:
    """The fields that say where a question stands in the document (as the generator fills them)."""
    if node is None:
        return {"source": None, "source_key": "", "source_text_keys": []}
    place: dict[str, Any] = {"source": node, "source_key": node.key, "source_text_keys": [node.text_key]}
    ancestor: Node | None = node
    while ancestor is not None:
        if ancestor.kind == Node.Kind.TOPIC and "topic" not in place:
            place.update(topic=ancestor.text, topic_key=ancestor.key)
        elif ancestor.kind == Node.Kind.TASK and "task" not in place:
            place.update(task=ancestor.text, task_key=ancestor.key, task_number=ancestor.number)
        elif ancestor.kind == Node.Kind.PART and "part" not in place:
            place.update(part=ancestor.text)
        ancestor = ancestor.parent
    return place


def _written_key(draft: QuestionDraft, origin: str) -> str:
    """Unique and stable for the same content: a second import of one file finds its questions."""
    basis = "\x1f".join(
        [origin, draft.type, draft.prompt, repr(draft.blanks), repr(draft.choices), repr(draft.pairs), draft.key]
    )
    return ("w" if origin == Origin.WRITTEN else "i") + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:15]


def question_create(
    *, draft: QuestionDraft, user: User, node: Node | None, origin: str = Origin.WRITTEN, note: str = ""
) -> Question:
    """A hand-written (or imported) question on `node`, asked from now on; ValidationError when it is
    not well formed or the same question is already in the bank."""
    problems = question_problems(draft)
    if problems:
        raise ValidationError(problems)
    version = node.version if node is not None else active_version()
    if version is None:
        raise ValidationError(_("还没有启用的文档版本，不能添加题目。"))
    key = _written_key(draft, origin)
    if Question.objects.filter(key=key).exists():
        raise ValidationError(_("题库中已有相同的题目。"))
    last = Question.objects.aggregate(last=Max("position"))["last"] or 0
    try:
        with transaction.atomic():
            question = Question.objects.create(
                key=key,
                type=draft.type,
                prompt=draft.prompt,
                blanks=draft.blanks,
                choices=draft.choices,
                answer_index=draft.answer_index,
                correct_choices=draft.correct_choices,
                pairs=draft.pairs,
                explanation=draft.explanation,
                origin=origin,
                created_in=version,
                position=last + 1,
                **_place(node),
            )
            action = QuestionLog.Action.IMPORTED if origin == Origin.IMPORTED else QuestionLog.Action.CREATED
            _log(question, user, action, {}, _snapshot(question), note)
    except IntegrityError:
        raise ValidationError(_("题库中已有相同的题目。")) from None
    return question


@dataclass(frozen=True)
class ImportCheck:
    """An uploaded file read and checked: each row's outcome, the file's own errors."""

    upload: BankImport
    rows: list[RowOutcome]
    file_errors: list[str]

    @property
    def refused(self) -> list[RowOutcome]:
        return [row for row in self.rows if not row.accepted]

    @property
    def ok(self) -> bool:
        return not self.file_errors and bool(self.rows) and not self.refused


def read_upload(upload: BankImport, nodes: Mapping[str, Node] | None = None) -> ImportCheck:
    """Read a stored upload again and check every row: its kind's shape, its section, and that the
    bank (or an earlier row of the file) does not hold the same question already."""
    from . import interchange, spreadsheet  # parsers load only when a file is read

    nodes = section_nodes() if nodes is None else nodes
    data = bytes(upload.data)
    rows: list[RowOutcome]
    if upload.format == BankImport.Format.XLSX:
        preview = spreadsheet.read_workbook(data, known_sections=set(nodes))
        rows, file_errors = preview.rows, list(preview.file_errors)
    elif upload.format == BankImport.Format.MOODLE_XML:
        # Bytes: the reader honours the file's declared encoding (GBK and the like).
        rows, file_errors = interchange.read_moodle_xml(data), []
        if len(rows) == 1 and rows[0].number == 0 and rows[0].draft is None:  # not Moodle XML at all
            rows, file_errors = [], list(rows[0].errors)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return ImportCheck(upload, [], [_("文件不是 UTF-8 编码的文本，无法读取。")])
        rows, file_errors = interchange.read_gift(text), []
    if len(rows) > MAX_IMPORT_ROWS:
        message = _("文件有 %(count)d 道题，超过 %(max)d 道的上限：请分成几个文件上传。")
        return ImportCheck(upload, [], [message % {"count": len(rows), "max": MAX_IMPORT_ROWS}])
    if not rows and not file_errors:
        file_errors = [_("文件中没有读到任何题目。")]
    where = _("第%(n)d行") if upload.format == BankImport.Format.XLSX else _("第%(n)d题")
    seen: dict[str, int] = {}
    for row in rows:
        if row.draft is None:
            continue
        place = where % {"n": row.number}
        row.errors.extend(f"{place}：{problem}" for problem in question_problems(row.draft))
        if row.draft.section and find_section(row.draft.section, nodes) is None:
            row.errors.append(_("%(place)s：找不到所属章节“%(s)s”。") % {"place": place, "s": row.draft.section})
        content = _written_key(replace(row.draft, key=""), Origin.IMPORTED)  # whatever its name in the file
        if content in seen:
            row.errors.append(_("%(place)s：与第%(n)d题完全相同。") % {"place": place, "n": seen[content]})
        seen.setdefault(content, row.number)
    keys = [_written_key(row.draft, Origin.IMPORTED) for row in rows if row.draft is not None]
    known = set(Question.objects.filter(key__in=keys).values_list("key", flat=True)) if keys else set()
    for row in rows:
        if row.draft is not None and _written_key(row.draft, Origin.IMPORTED) in known:
            row.errors.append(_("%(place)s：题库中已有相同的题目。") % {"place": where % {"n": row.number}})
    return ImportCheck(upload, rows, file_errors)


def import_upload(*, data: bytes, filename: str, user: User) -> ImportCheck:
    """Keep an uploaded file and check it (nothing enters the bank until `import_apply`)."""
    name = filename.lower()
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError(_("文件超过 10 MB，请拆分后再导入。"))
    if name.endswith(".xlsx"):
        format = BankImport.Format.XLSX
    elif name.endswith((".gift", ".txt")):
        format = BankImport.Format.GIFT
    elif name.endswith(".xml"):
        format = BankImport.Format.MOODLE_XML
    else:
        raise ValidationError(_("只能导入 .xlsx（题库模板）、.gift/.txt（GIFT）或 .xml（Moodle XML）文件。"))
    upload = BankImport.objects.create(
        format=format,
        filename=filename[:200],
        data=data,
        sha256=BankImport.digest(data),
        uploaded_by=user,
    )
    checked = read_upload(upload)
    upload.rows, upload.refused = len(checked.rows), len(checked.refused)
    upload.save(update_fields=["rows", "refused"])
    return checked


@transaction.atomic
def import_apply(*, upload: BankImport, user: User, default_node: Node | None = None) -> list[Question]:
    """All of the file's questions, or none: refused when any row (or the file) has an error."""
    upload = BankImport.objects.select_for_update().get(pk=upload.pk)
    if upload.imported_at is not None:
        raise ValidationError(_("这个文件已经导入过了。"))
    nodes = section_nodes()
    checked = read_upload(upload, nodes)
    if not checked.ok:
        raise ValidationError(_("文件中还有错误，请改正后重新上传；这次没有导入任何题目。"))
    created = []
    for row in checked.rows:
        assert row.draft is not None
        node = find_section(row.draft.section, nodes) or default_node
        note = _("从 %(file)s 第%(n)d题导入") % {"file": upload.filename, "n": row.number}
        created.append(question_create(draft=row.draft, user=user, node=node, origin=Origin.IMPORTED, note=note))
    upload.imported_at, upload.imported = timezone.now(), len(created)
    upload.save(update_fields=["imported_at", "imported"])
    return created


# --- Reports ----------------------------------------------------------------------------------


def question_asked(*, question: Question, user: User) -> bool:
    """Whether `question` was put to `user` in one of their quizzes: what they may report."""
    return AttemptQuestion.objects.filter(attempt__user=user, question=question).exists()


def report_create(*, question: Question, user: User, text: str) -> QuestionReport:
    """A “题目有误” report on a question the person was asked; a second one from the same person while
    the first is open updates it."""
    if not question_asked(question=question, user=user):
        raise ValidationError(_("只能反馈你做过的题目。"))
    text = " ".join(text.split())[:MAX_REPORT_LENGTH]
    if not text:
        raise ValidationError(_("请说明题目哪里有误。"))
    with transaction.atomic():
        report, created = QuestionReport.objects.select_for_update().get_or_create(
            question=question, reporter=user, status=QuestionReport.Status.OPEN, defaults={"text": text}
        )
        if not created and report.text != text:
            report.text = text
            report.save(update_fields=["text"])
    return report


@transaction.atomic
def report_handle(*, report: QuestionReport, user: User, status: str, response: str = "") -> None:
    if status not in (QuestionReport.Status.RESOLVED, QuestionReport.Status.DISMISSED):
        raise ValidationError(_("处理结果无效。"))
    report = QuestionReport.objects.select_for_update().get(pk=report.pk)
    if report.status != QuestionReport.Status.OPEN:
        raise ValidationError(_("这条反馈已经处理过了。"))
    report.status, report.handled_by, report.handled_at = status, user, timezone.now()
    report.response = response[:300]
    report.save(update_fields=["status", "handled_by", "handled_at", "response"])


def reports_open() -> QuerySet[QuestionReport]:
    """Open reports, newest first, with what the queue shows (no query per row)."""
    return (
        QuestionReport.objects.filter(status=QuestionReport.Status.OPEN)
        .select_related("question", "question__source", "reporter", "reporter__profile")
        .order_by("-created_at", "-id")
    )


# --- Reads for the staff pages ------------------------------------------------------------------

STATUS_FILTERS = {
    "active": _("在用"),
    "flagged": _("统计异常"),
    "review": _("待复核"),
    "suppressed": _("已停用"),
    "retired": _("已退役"),
    "reported": _("有待处理反馈"),
    "written": _("人工编写"),
    "imported": _("导入"),
    "edited": _("已修改"),
}


def bank_list(*, status: str = "", type: str = "", task: str = "", q: str = "") -> QuerySet[Question]:
    """Every question of the bank (retired and suppressed ones too), filtered, with its source line and
    its count of open reports (`open_reports`); flagged ones worst first, the rest in bank order."""
    questions = Question.objects.select_related("source").annotate(
        open_reports=Count("reports", filter=Q(reports__status=QuestionReport.Status.OPEN))
    )
    order: list[Any] = ["position", "id"]
    if status == "flagged":
        worst = flagged(item_statistics())
        questions = questions.filter(pk__in=worst)
        if worst:
            rank = Case(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(worst)), output_field=IntegerField())
            order = [rank, "id"]
    elif status == "active":
        questions = questions.filter(is_active=True)
    elif status == "review":
        questions = questions.filter(needs_review=True)
    elif status == "suppressed":
        questions = questions.filter(is_suppressed=True)
    elif status == "retired":
        questions = questions.filter(is_active=False, is_suppressed=False)
    elif status == "reported":
        questions = questions.filter(reports__status=QuestionReport.Status.OPEN).distinct()
    elif status in (Origin.WRITTEN, Origin.IMPORTED):
        questions = questions.filter(origin=status)
    elif status == "edited":
        questions = questions.filter(is_edited=True)
    if type:
        questions = questions.filter(type=type)
    if task:
        questions = questions.filter(task_key=task)
    words = q.split()
    for word in words[:5]:
        questions = questions.filter(
            Q(prompt__icontains=word) | Q(source__text__icontains=word) | Q(explanation__icontains=word)
        )
    return questions.order_by(*order)


@dataclass(frozen=True)
class BankRow:
    question: Question
    stats: ItemStats | None


def bank_rows(questions: Iterable[Question]) -> list[BankRow]:
    """The questions of one page with their item statistics (four queries at most, whatever the page)."""
    questions = list(questions)
    stats = item_statistics(Question.objects.filter(pk__in=[q.pk for q in questions])) if questions else {}
    return [BankRow(question, stats.get(question.pk)) for question in questions]


def question_stats(question: Question) -> ItemStats | None:
    return item_statistics(Question.objects.filter(pk=question.pk)).get(question.pk)


# --- Wrong fill-ins, and accepting one as a synonym ----------------------------------------------


@dataclass(frozen=True)
class WrongFill:
    """A text typed into one blank of a fill-in and marked wrong there, over every recorded answer."""

    blank_index: int  # from 0
    text: str  # as learners typed it most often (trimmed): what accepting it stores
    normalised: str  # its compare form (checking.normalize), as the statistics count it
    count: int  # answers that have it in this blank, marked wrong

    @property
    def number(self) -> int:
        return self.blank_index + 1

    @property
    def query(self) -> str:
        """The query string of the page that accepts it (`question_synonym`)."""
        return urlencode({"blank": self.blank_index, "text": self.text})


@dataclass(frozen=True)
class BlankWrongFills:
    """The most common wrong texts of one blank."""

    blank_index: int
    answer: str
    fills: list[WrongFill]

    @property
    def number(self) -> int:
        return self.blank_index + 1


@dataclass
class _Typed:
    """One normal form typed into one blank: in how many answers, how many marked wrong there, and
    the texts as typed in those wrong ones."""

    answers: int = 0
    wrong: int = 0
    as_typed: Counter[str] = field(default_factory=Counter)


def _typed_fills(question: Question) -> dict[tuple[int, str], _Typed]:
    """(blank index, normal form) → what was typed there, over every answer to the fill-in
    `question` (one query; answers grouped by content, normalising once per distinct text). Empty
    boxes are left out: nothing there to accept."""
    blanks = len(question.blanks or [])
    rows = (
        Answer.objects.filter(attempt_question__question_id=question.pk)
        .values_list("given", "marks")
        .annotate(n=Count("id"))
        .order_by()
    )
    normal: dict[str, str] = {}
    typed: dict[tuple[int, str], _Typed] = {}
    for given, marks, n in rows:
        if not isinstance(given, list):
            continue
        for index, value in enumerate(given[:blanks]):
            text = str(value).strip()
            if text not in normal:
                normal[text] = normalize(text)
            if not normal[text]:
                continue
            entry = typed.setdefault((index, normal[text]), _Typed())
            entry.answers += n
            if not mark(list(marks or []), index):
                entry.wrong += n
                entry.as_typed[text] += n
    return typed


def cloze_wrong_fills(question: Question, per_blank: int = COMMON_WRONG) -> list[BlankWrongFills]:
    """The `per_blank` most common wrong texts of each blank of a fill-in (most frequent first, ties
    by normal form), for the blanks that have any; [] for another kind of question. Counted as the
    statistics count a fill-in's wrong answers (normalised, per blank), without the empty boxes."""
    if question.type != CLOZE:
        return []
    by_blank: dict[int, list[WrongFill]] = {}
    for (index, normal), entry in _typed_fills(question).items():
        if entry.wrong:
            text = min(entry.as_typed, key=lambda typed: (-entry.as_typed[typed], typed))
            by_blank.setdefault(index, []).append(WrongFill(index, text, normal, entry.wrong))
    return [
        BlankWrongFills(
            index,
            str(question.blanks[index].get("answer", "")),
            sorted(fills, key=lambda fill: (-fill.count, fill.normalised))[:per_blank],
        )
        for index, fills in sorted(by_blank.items())
    ]


def _check_synonym(question: Question, blank_index: int, text: str) -> None:
    """ValidationError (in Chinese) for another kind of question, a blank it does not have or an
    empty text (as remarking checks them), and unless some learner typed `text` (in its normal
    form) into that blank: the page offers only what learners typed, so anything else is a forged or
    stale request."""
    text, normal = _synonym_text(question, blank_index, text)
    if (blank_index, normal) not in _typed_fills(question):
        message = _("没有学员在第%(number)d空填过“%(text)s”，不能接受为正确答案。")
        raise ValidationError(message % {"number": blank_index + 1, "text": text[:50]})


def synonym_preview(*, question: Question, blank_index: int, text: str) -> SynonymImpact:
    """What accepting `text` for blank `blank_index` (from 0) would change, nothing written;
    ValidationError as `_check_synonym`."""
    _check_synonym(question, blank_index, text)
    return synonym_impact(question, blank_index, text)


def synonym_accept(*, question: Question, blank_index: int, text: str, user: User) -> SynonymImpact:
    """Accept `text` for the blank, re-mark earlier answers and rebuild the learners' memory
    (remarking.accept_synonym); refused as `synonym_preview`, with nothing changed."""
    _check_synonym(question, blank_index, text)
    return accept_synonym(question=question, blank_index=blank_index, text=text, user=user)


def section_choices(nodes: Mapping[str, Node]) -> list[tuple[str, list[tuple[int, str]]]]:
    """The nodes a question can be attached to, for a select: grouped under each part and task, in
    document order, headings marked and long lines shortened."""
    groups: list[tuple[str, list[tuple[int, str]]]] = []
    for node in sorted(nodes.values(), key=lambda node: node.position):
        if node.kind in (Node.Kind.PART, Node.Kind.TASK) or not groups:
            groups.append((_shorten(node.display_title, 30), []))
        if node.kind == Node.Kind.TOPIC:
            label = f"【{_('专题')}】{node.text}"
        elif node.is_heading:
            label = f"【{node.get_kind_display()}】{node.display_title}"
        else:
            label = "· " + node.text
        groups[-1][1].append((node.pk, _shorten(label, 60)))
    return groups


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# --- The audit log, readable ---------------------------------------------------------------------


@dataclass(frozen=True)
class LogChange:
    label: str
    before: str
    after: str


def log_changes(entry: QuestionLog, question_type: str) -> list[LogChange]:
    """What one log entry changed, field by field, as people read the question (not raw JSON)."""
    names = list(dict.fromkeys([*entry.before, *entry.after]))
    changes = []
    for name in names:
        label = str(getattr(_field_or_none(name), "verbose_name", name))
        before = _readable(name, entry.before.get(name), question_type) if name in entry.before else ""
        after = _readable(name, entry.after.get(name), question_type) if name in entry.after else ""
        if before != after:
            changes.append(LogChange(label, before, after))
    return changes


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _field_or_none(name: str) -> Any:
    try:
        return Question._meta.get_field(name)
    except Exception:  # FieldDoesNotExist: an old entry may name a field since removed
        return None


def _letter(index: Any) -> str:
    return LETTERS[index] if isinstance(index, int) and 0 <= index < len(LETTERS) else str(index)


def _readable(name: str, value: Any, question_type: str) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if name == "blanks" and isinstance(value, list):
        return "；".join(_blank_text(number, blank) for number, blank in enumerate(value, start=1))
    if name == "choices" and isinstance(value, list):
        return "　".join(f"{_letter(i)}. {choice}" for i, choice in enumerate(value))
    if name == "answer_index":
        if question_type == TRUEFALSE:
            return str(_("正确") if value == 1 else _("错误"))
        return _letter(value)
    if name == "correct_choices" and isinstance(value, list):
        return "".join(_letter(i) for i in value)
    if name == "pairs" and isinstance(value, list):
        return "；".join(" → ".join(str(side) for side in pair) for pair in value)
    return str(value)


def _blank_text(number: int, blank: Any) -> str:
    if not isinstance(blank, Mapping):
        return str(blank)
    answer = str(blank.get("answer", ""))
    others = [form for form in blank.get("accepted") or [] if form != answer]
    text = _("第%(n)d空：%(answer)s") % {"n": number, "answer": answer}
    if others:
        text += _("（也接受：%(forms)s）") % {"forms": "、".join(others)}
    return text
