"""The worksheet pages: a practice sheet for a scope (any signed-in reader, from the quiz start page)
and an assignment's sheet (its group's trainers and admins only: quizzes/visibility.py), each as a
print page and as a PDF. The URL carries the seed, so the page and its PDF show the same sheet."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from studyapp.documents import selectors as documents
from studyapp.http import AuthenticatedHttpRequest

from .. import selectors, visibility
from ..forms import QuizStartForm
from ..models import Assignment
from .forms import SeedForm, WorksheetForm
from .pdf import sheet_pdf
from .sheets import Worksheet, assignment_sheet, new_seed, scope_sheet


def _problem(request: AuthenticatedHttpRequest, message: str, back: str) -> HttpResponse:
    return render(request, "worksheets/problem.html", {"message": message, "back": back}, status=400)


def _with_query(url: str, **params: object) -> str:
    return f"{url}?{urlencode(params)}"


def _pdf_response(sheet: Worksheet, name: str) -> HttpResponse:
    response = HttpResponse(sheet_pdf(sheet), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}-{sheet.seed}.pdf"'
    return response


# --- A scope's practice sheet -------------------------------------------------------------------


@require_POST
def scope_worksheet_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """From the quiz start form (“打印练习卷”): a new sheet for the chosen scope, type and length."""
    form = QuizStartForm(request.POST, scope_choices=selectors.scope_choices(documents.active_outline()))
    if form.is_valid():
        seed = new_seed()
        arguments = form.start_arguments()
        try:
            scope_sheet(**arguments, seed=seed)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(_with_query(reverse("worksheets:scope"), **_scope_params(form), seed=seed))
    return render(request, "quizzes/start.html", {"form": form}, status=400)


def _scope_params(form: QuizStartForm) -> dict[str, object]:
    return {key: form.cleaned_data[key] for key in ("scope", "question_type", "length")}


def _scope_sheet(request: AuthenticatedHttpRequest) -> tuple[Worksheet | None, HttpResponse | None]:
    """The sheet the query string asks for, or the response to send instead (a problem, or the same
    URL with a new seed)."""
    form = WorksheetForm(request.GET)
    back = reverse("quizzes:new")
    if not form.is_valid():
        return None, _problem(request, " ".join(str(e) for errors in form.errors.values() for e in errors), back)
    seed = form.cleaned_data["seed"]
    if seed is None:
        return None, redirect(_with_query(request.path, **_scope_params(form), seed=new_seed()))
    try:
        return scope_sheet(**form.sheet_arguments(), seed=seed), None
    except ValidationError as error:
        return None, _problem(request, " ".join(error.messages), back)


@require_GET
def scope_worksheet(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The print page of a practice sheet: questions, then the key on a page of its own."""
    sheet, response = _scope_sheet(request)
    if sheet is None:
        assert response is not None
        return response
    context = {
        "sheet": sheet,
        "pdf_url": _with_query(reverse("worksheets:scope_pdf"), **request.GET.dict()),
        "again_url": _with_query(request.path, **{**request.GET.dict(), "seed": new_seed()}),
        "back_url": reverse("quizzes:new"),
    }
    return render(request, "worksheets/worksheet.html", context)


@require_GET
def scope_worksheet_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The same sheet as PDF."""
    sheet, response = _scope_sheet(request)
    if sheet is None:
        assert response is not None
        return response
    return _pdf_response(sheet, "worksheet")


# --- An assignment's sheet ------------------------------------------------------------------------


def _assignment_sheet(
    request: AuthenticatedHttpRequest, pk: int, assignment_id: int
) -> tuple[Worksheet | None, HttpResponse | None]:
    group = visibility.group_seen(request.user, pk)  # 404 unless a trainer of the group or an admin
    assignment = get_object_or_404(Assignment, pk=assignment_id, group=group)
    back = reverse("groups:detail", kwargs={"pk": group.pk})
    form = SeedForm(request.GET)
    if not form.is_valid():
        return None, _problem(request, " ".join(str(e) for errors in form.errors.values() for e in errors), back)
    seed = form.cleaned_data["seed"]
    if seed is None:
        return None, redirect(_with_query(request.path, seed=new_seed()))
    try:
        return assignment_sheet(assignment=assignment, seed=seed), None
    except ValidationError as error:
        return None, _problem(request, " ".join(error.messages), back)


@require_GET
def assignment_worksheet(request: AuthenticatedHttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    """The print page of an assignment's questions, for its group's trainers."""
    sheet, response = _assignment_sheet(request, pk, assignment_id)
    if sheet is None:
        assert response is not None
        return response
    kwargs = {"pk": pk, "assignment_id": assignment_id}
    context = {
        "sheet": sheet,
        "pdf_url": _with_query(reverse("worksheets:assignment_pdf", kwargs=kwargs), seed=sheet.seed),
        "again_url": _with_query(request.path, seed=new_seed()),
        "back_url": reverse("groups:detail", kwargs={"pk": pk}),
    }
    return render(request, "worksheets/worksheet.html", context)


@require_GET
def assignment_worksheet_pdf(request: AuthenticatedHttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    """The same sheet as PDF."""
    sheet, response = _assignment_sheet(request, pk, assignment_id)
    if sheet is None:
        assert response is not None
        return response
    return _pdf_response(sheet, f"assignment-{assignment_id}")
