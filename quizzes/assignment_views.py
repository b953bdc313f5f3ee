"""Assignments: a trainer sets one for a group; a learner sees theirs and starts (or resumes) one.

The quiz itself is taken with the ordinary quiz pages (quiz_views), which enforce its deadline.
"""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from studyapp.documents import selectors as documents
from studyapp.people import selectors as people

from . import assignments, quiz_selectors
from .forms import AssignmentForm
from .models import Assignment


def _partial_wanted(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def _assignment_form(data=None) -> AssignmentForm:
    version = documents.active_version()
    outline = documents.document_outline(version) if version else []
    now = timezone.localtime().replace(second=0, microsecond=0)
    initial = {"opens_at": now, "closes_at": now + timezone.timedelta(days=7)}
    return AssignmentForm(data, initial=initial, scope_choices=quiz_selectors.scope_choices(outline))


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def assignment_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The form to set a quiz for the group. “预览题目” lists the scope's questions to pick from (for a
    fixed set); “布置” saves it."""
    group = people.managed_group(request.user, pk)
    form = _assignment_form(request.POST if request.method == "POST" else None)
    context = {"group": group, "form": form, "candidates": None, "picked": []}
    if request.method == "GET":
        return render(request, "groups/assignment_form.html", context)
    form.is_valid()  # fills cleaned_data with what is valid, for the preview too
    context["picked"] = [str(pk) for pk in request.POST.getlist("questions")]
    if request.POST.get("action") == "preview":
        try:
            context["candidates"] = assignments.assignment_candidates(**form.scope_arguments())
        except ValidationError as error:
            context["preview_error"] = " ".join(error.messages)
        template = "groups/assignment_form.html" + ("#preview" if _partial_wanted(request) else "")
        return render(request, template, context)
    if form.is_valid():
        try:
            assignment = assignments.assignment_create(group=group, created_by=request.user, **form.create_arguments())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已布置测验“%(title)s”。") % {"title": assignment.title})
            return redirect(group)
    if form.data.get("mode") == Assignment.Mode.FIXED:
        # The trainer's picks stay on screen to correct; a bad scope is reported by the form already.
        with contextlib.suppress(ValidationError):
            context["candidates"] = assignments.assignment_candidates(**form.scope_arguments())
    return render(request, "groups/assignment_form.html", context, status=400)


@require_GET
@vary_on_headers("HX-Request")
def my_assignments(request: HttpRequest) -> HttpResponse:
    """The learner's assignments: open, upcoming and closed, with their own result. htmx (the
    dashboard) asks for the list alone."""
    context = {"sections": assignments.learner_assignments(request.user)}
    template = "groups/assignments.html" + ("#assigned" if _partial_wanted(request) else "")
    return render(request, template, context)


@require_POST
def assignment_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the learner's attempt at the assignment, or go back to it (or to its result)."""
    try:
        assignment = assignments.learner_assignment(request.user, pk)
    except Assignment.DoesNotExist:
        raise Http404("没有这次测验") from None
    try:
        attempt = assignments.assignment_start(assignment=assignment, user=request.user)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return redirect("quizzes:assignments")
    if attempt.is_closed_at(timezone.now()):
        return redirect("quizzes:result", pk=attempt.pk)
    return redirect(attempt)
