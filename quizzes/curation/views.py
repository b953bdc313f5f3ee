"""The curation pages: the bank with its statistics, one question (edit, suppress, restore, review,
accept a wrong fill-in answer as a synonym), writing a question, importing a file, the reports
queue; and the learner's “题目有误” form.

Who may: `can_curate` (staff, or the `quizzes.curate_bank` permission) for every page but the
learner's report, which anyone signed in may send about a question they were asked.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from studyapp.http import AuthenticatedHttpRequest, Page, render_page

from ..core.kinds import KINDS, AnswerInputs, QuestionKind, kind_of
from ..models import BankImport, Question, QuestionLog, QuestionReport
from . import services
from .drafts import QuestionDraft
from .forms import (
    BankFilterForm,
    ConfirmForm,
    ImportUploadForm,
    QuestionForm,
    ReportForm,
    ReportHandleForm,
    SectionForm,
    SynonymForm,
)
from .remarking import SynonymImpact

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_NAME = "题库导入模板.xlsx"


def curator_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Anonymous users go to the login page; signed-in users who may not curate get a 403 page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not services.can_curate(request.user):
            message = _("只有题库编辑人员可以打开这个页面。如需权限，请联系管理员。")
            return render(request, "curation/problem.html", {"message": message}, status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _problem(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "curation/problem.html", {"message": message}, status=status)


# --- The bank -------------------------------------------------------------------------------------


@require_GET
@curator_required
@vary_on_headers("HX-Request")
def bank(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every question with its status, statistics and open reports; filtered, 50 a page."""
    form = BankFilterForm(request.GET or None)
    questions = services.bank_list(**form.filters())
    page = Paginator(questions, PAGE_SIZE).get_page(request.GET.get("page"))
    summary = Question.objects.aggregate(
        total=Count("id"),
        active=Count("id", filter=Q(is_active=True)),
        review=Count("id", filter=Q(needs_review=True)),
        suppressed=Count("id", filter=Q(is_suppressed=True)),
    )
    summary["reports"] = QuestionReport.objects.filter(status=QuestionReport.Status.OPEN).count()
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": services.bank_rows(page.object_list),
        "summary": summary,
        "query": query.urlencode(),
    }
    return render_page(request, Page("curation/bank.html", context, partial="results"))


# --- One question ---------------------------------------------------------------------------------


@dataclass
class PreviewView:
    """What a kind's `form` partial reads, for a question shown as learners see it (nothing to send)."""

    question: Any
    kind: QuestionKind
    inputs: AnswerInputs
    item: Any = None


def learner_preview(question: Question | QuestionDraft) -> PreviewView:
    kind = kind_of(question.type)
    layout = kind.layout(question, random.Random(0), {})
    return PreviewView(question, kind, kind.inputs(question, layout, None), {"pk": "preview"})


@require_GET
@curator_required
def question_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("source", "reviewed_by", "created_in"), pk=pk)
    return _question_page(request, question)


def _question_page(request: AuthenticatedHttpRequest, question: Question, status: int = 200) -> HttpResponse:
    log = list(QuestionLog.objects.filter(question=question).select_related("user", "user__profile"))
    context = {
        "question": question,
        "view": learner_preview(question),
        "stats": services.question_stats(question),
        "wrong_fills": services.cloze_wrong_fills(question),
        "reports": list(
            question.reports.filter(status=QuestionReport.Status.OPEN)
            .select_related("reporter", "reporter__profile")
            .order_by("-created_at", "-id")
        ),
        "log": [(entry, services.log_changes(entry, question.type)) for entry in log],
        "handle_form": ReportHandleForm(),
        "confirm_form": ConfirmForm(),
    }
    return render(request, "curation/question.html", context, status=status)


@require_http_methods(["GET", "POST"])
@curator_required
def question_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=pk)
    form = QuestionForm(request.POST or None, type=question.type, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.question_edit(question=question, user=request.user, changes=form.changes())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存修改。") if changed else _("没有改动。"))
            return redirect("curation:question", pk=question.pk)
    context = {"question": question, "form": form}
    return render(request, "curation/edit.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@curator_required
def question_suppress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET asks first; POST suppresses (never asked again) and logs it."""
    question = get_object_or_404(Question, pk=pk)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.question_suppress(question=question, user=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("已停用这道题：以后的练习和测验都不会再抽到它。"))
        return redirect("curation:question", pk=question.pk)
    return render(request, "curation/suppress.html", {"question": question, "form": form})


@require_POST
@curator_required
def question_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=pk)
    form = ConfirmForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    restored = services.question_restore(question=question, user=request.user, note=note)
    if restored is None:
        messages.info(request, _("这道题没有停用，不需要恢复。"))
    elif restored is services.Restored.NOW:
        messages.success(request, _("已恢复这道题，练习中会再次抽到它。"))
    elif restored is services.Restored.NEXT_GENERATION:
        messages.warning(
            request, _("已恢复；此题在下次重新生成题库（启用文档版本）时重新出题，在那之前练习中还不会抽到它。")
        )
    else:
        messages.warning(request, _("已取消停用，但当前文档版本已不再出这道题（原文已修改或删除），它仍不会被抽到。"))
    return redirect("curation:question", pk=question.pk)


@require_http_methods(["GET", "POST"])
@curator_required
def question_synonym(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Accept a wrong fill-in answer as right: GET (?blank=0&text=…, as the question page links it)
    shows how many earlier answers, attempts and learners that re-marks; POST accepts it, re-marks
    them, rebuilds the learners' memory and goes back to the question with the count. A forged
    request (no such blank, an empty text, another kind of question, a text no learner typed) gets a
    Chinese error and changes nothing."""
    question = get_object_or_404(Question, pk=pk)
    form = SynonymForm(request.POST if request.method == "POST" else request.GET)
    context: dict[str, Any] = {"question": question, "form": form}
    if not form.is_valid():
        return _synonym_problem(request, context, form.problem())
    blank, text = form.cleaned_data["blank"], form.cleaned_data["text"]
    try:
        if request.method == "POST":
            impact = services.synonym_accept(question=question, blank_index=blank, text=text, user=request.user)
        else:
            impact = services.synonym_preview(question=question, blank_index=blank, text=text)
    except ValidationError as error:
        return _synonym_problem(request, context, " ".join(error.messages))
    if request.method == "POST":
        if impact.changes_anything:
            message = _(
                "已接受“%(text)s”为第%(number)d空的正确答案：%(answers)d 个以往作答改判为正确（涉及 %(attempts)d 次练习、%(learners)d 位学员），他们的掌握情况已重新计算。"
            )
            messages.success(request, message % _impact_figures(impact))
        else:
            messages.info(
                request, _("第%(number)d空已经接受“%(text)s”，没有需要改判的作答。") % _impact_figures(impact)
            )
        return redirect(reverse("curation:question", args=[question.pk]) + "#stats")
    blank_data = question.blanks[blank]
    context.update(
        impact=impact,
        number=blank + 1,
        blank_count=len(question.blanks),
        key=blank_data.get("answer", ""),
        accepted=[other for other in blank_data.get("accepted") or [] if other != blank_data.get("answer")],
    )
    return render(request, "curation/synonym.html", context)


def _impact_figures(impact: SynonymImpact) -> dict[str, Any]:
    return {
        "text": impact.text,
        "number": impact.blank_index + 1,
        "answers": impact.answers,
        "attempts": impact.attempts,
        "learners": impact.learners,
    }


def _synonym_problem(request: AuthenticatedHttpRequest, context: dict[str, Any], message: str) -> HttpResponse:
    return render(request, "curation/synonym.html", {**context, "error": message}, status=400)


@require_POST
@curator_required
def question_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=pk)
    form = ConfirmForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services.question_mark_reviewed(question=question, user=request.user, note=note)
    messages.success(request, _("已标记为已复核。"))
    return redirect("curation:question", pk=question.pk)


# --- Writing a question ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@curator_required
def question_new(request: AuthenticatedHttpRequest, type: str = "") -> HttpResponse:
    """Choose a kind, then write the question: “检查” shows its problems and how it will look,
    “保存” adds it to the bank (人工编写)."""
    if not type:
        return render(request, "curation/new_kind.html", {"kinds": list(KINDS.values())})
    if type not in KINDS:
        raise Http404(_("没有这种题型。"))
    nodes = services.section_nodes()
    data = request.POST if request.method == "POST" else None
    form = QuestionForm(data, type=type)
    place = SectionForm(data, nodes=nodes, required=bool(nodes))
    draft, problems, status = None, [], 200
    if request.method == "POST":
        if form.is_valid() and place.is_valid():
            draft = form.draft()
            problems = services.question_problems(draft)
            if "save" in request.POST and not problems:
                try:
                    question = services.question_create(draft=draft, user=request.user, node=place.node())
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, _("已添加这道题，从现在起会出现在练习中。"))
                    return redirect("curation:question", pk=question.pk)
        status = 400 if form.errors or place.errors or problems else 200
    context = {
        "kind": KINDS[type],
        "type": type,
        "form": form,
        "place": place,
        "draft": draft,
        "problems": problems,
        "view": learner_preview(draft) if draft is not None and not problems else None,
        "has_nodes": bool(nodes),
    }
    return render(request, "curation/new.html", context, status=status)


# --- Importing ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@curator_required
def import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload: UploadedFile = form.cleaned_data["file"]
        try:
            checked = services.import_upload(data=upload.read(), filename=upload.name or "", user=request.user)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("curation:import_preview", pk=checked.upload.pk)
    recent = BankImport.objects.filter(uploaded_by=request.user).defer("data")[:10]
    context = {"form": form, "recent": recent}
    return render(request, "curation/import.html", context, status=400 if form.errors else 200)


@require_GET
@curator_required
def import_template(request: AuthenticatedHttpRequest) -> FileResponse:
    from .spreadsheet import template_workbook

    return FileResponse(io.BytesIO(template_workbook()), as_attachment=True, filename=TEMPLATE_NAME, content_type=XLSX)


def _own_upload(request: AuthenticatedHttpRequest, pk: int) -> BankImport | None:
    return BankImport.objects.filter(pk=pk, uploaded_by=request.user).first()


UPLOAD_MISSING = "找不到这次上传：它可能已被删除，或不是你上传的。请重新上传文件。"


@require_GET
@curator_required
def import_preview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    upload = _own_upload(request, pk)
    if upload is None:
        return _problem(request, _(UPLOAD_MISSING), 404)
    return _preview_page(request, upload)


def _preview_page(
    request: AuthenticatedHttpRequest, upload: BankImport, place: SectionForm | None = None, status: int = 200
) -> HttpResponse:
    nodes = services.section_nodes()
    checked = services.read_upload(upload, nodes)
    unplaced = sum(1 for row in checked.rows if row.draft is not None and not row.draft.section)
    context = {
        "upload": upload,
        "checked": checked,
        "rows": [
            (row, KINDS[row.draft.type].label if row.draft and row.draft.type in KINDS else "") for row in checked.rows
        ],
        "accepted": len(checked.rows) - len(checked.refused),
        "unplaced": unplaced,
        "place": place or SectionForm(nodes=nodes, required=False),
    }
    return render(request, "curation/import_preview.html", context, status=status)


@require_POST
@curator_required
def import_apply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    upload = _own_upload(request, pk)
    if upload is None:
        return _problem(request, _(UPLOAD_MISSING), 404)
    place = SectionForm(request.POST, nodes=services.section_nodes(), required=False)
    if not place.is_valid():
        return _preview_page(request, upload, place, status=400)
    try:
        created = services.import_apply(upload=upload, user=request.user, default_node=place.node())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("curation:import_preview", pk=upload.pk)
    messages.success(request, _("已导入 %(count)d 道题。") % {"count": len(created)})
    return redirect(reverse("curation:bank") + "?status=imported")


# --- Reports --------------------------------------------------------------------------------------


@require_GET
@curator_required
def report_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(services.reports_open(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "curation/reports.html", {"page": page, "handle_form": ReportHandleForm()})


@require_POST
@curator_required
def report_handle(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(QuestionReport, pk=pk)
    form = ReportHandleForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        try:
            services.report_handle(
                report=report,
                user=request.user,
                status=form.cleaned_data["status"],
                response=form.cleaned_data["response"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            label = QuestionReport.Status(form.cleaned_data["status"]).label
            messages.success(request, _("反馈已标记为“%(status)s”。") % {"status": label})
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("curation:reports")
    return redirect(next_url)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def question_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A learner's (or trainer's) “题目有误” on a question they were asked: the form, then thanks. htmx
    swaps it into the feedback; without JavaScript it is a page of its own."""
    question = get_object_or_404(Question, pk=pk)
    if not services.question_asked(question=question, user=request.user):
        raise Http404(_("只能反馈你做过的题目。"))
    attempt = request.GET.get("attempt") or request.POST.get("attempt") or ""
    form = ReportForm(request.POST or None)
    sent, status = False, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.report_create(question=question, user=request.user, text=form.cleaned_data["text"])
            except ValidationError as error:
                form.add_error("text", error)
            else:
                sent = True
        status = 200 if sent else 400
    context = {
        "question": question,
        "form": form,
        "sent": sent,
        "attempt": attempt if attempt.isdigit() else "",
    }
    return render_page(request, Page("curation/report.html", context, partial="report", status=status))
