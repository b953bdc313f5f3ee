"""The learner's pages — the dashboard, starting a quiz, taking it one question at a time, its
review — and the staff's page of the question bank."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from studyapp.documents import selectors as documents
from studyapp.http import HtmxHttpRequest, partial_wanted, staff_required
from studyapp.people.models import display_name

from . import bank, progress, selectors, services
from .core.checking import MalformedAnswer
from .forms import AnswerForm, BankFilterForm, QuizStartForm
from .models import Attempt, AttemptQuestion
from .selectors import Feedback


@require_GET
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    """Home page: mastery by task, due points, streak, recent quizzes."""
    context = {
        "name": display_name(request.user),
        "tasks": progress.learner_task_mastery(request.user),
        "due": progress.due_count(request.user),
        "streak": progress.streak_days(request.user),
        "recent": progress.recent_attempts(request.user),
        "resume": selectors.in_progress_attempt(request.user),
    }
    return render(request, "quizzes/dashboard.html", context)


@require_GET
def quiz_new(request: HtmxHttpRequest) -> HttpResponse:
    """The form to choose a quiz's scope, type and length."""
    return render(request, "quizzes/start.html", {"form": _start_form(request)})


@require_POST
def quiz_start(request: HtmxHttpRequest) -> HttpResponse:
    # The service checks the scope against the active document: the outline behind the form's
    # choices is built only when the form has to be shown again.
    form = QuizStartForm(request.POST)
    problem = None
    if form.is_valid():
        try:
            attempt = services.attempt_start(user=request.user, **form.start_arguments())
        except ValidationError as error:
            problem = error
        else:
            return redirect(attempt)
    form = _start_form(request, request.POST)
    if form.is_valid() and problem is not None:
        form.add_error(None, problem)
    return render(request, "quizzes/start.html", {"form": form}, status=400)


def _start_form(request: HtmxHttpRequest, data: object = None) -> QuizStartForm:
    initial = {"scope": request.GET.get("scope", "document")}
    return QuizStartForm(data, initial=initial, scope_choices=selectors.scope_choices(documents.active_outline()))


@require_POST
def review_start(request: HtmxHttpRequest) -> HttpResponse:
    """Start a quiz on the points due today."""
    try:
        attempt = services.attempt_start_review(user=request.user)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return redirect("quizzes:home")
    return redirect(attempt)


@require_GET
@vary_on_headers("HX-Request")
def quiz_take(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The current question of the attempt; the review once every question is answered."""
    attempt, item = selectors.attempt_step(request.user, pk)
    # An assignment's attempt past its deadline is closed here (no query for practice quizzes).
    if attempt.deadline is not None and services.attempt_close_if_expired(attempt=attempt):
        item = None
    if item is None:
        if partial_wanted(request):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("quizzes:result", kwargs={"pk": attempt.pk})
            return response
        return redirect("quizzes:result", pk=attempt.pk)
    item.attempt = attempt
    return _render_step(request, item=item)


@require_POST
@vary_on_headers("HX-Request")
def quiz_answer(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Record the answer to one question and show the feedback; a repeated submit shows the same."""
    step = selectors.answer_step(request.user, pk, request.POST.get("item"))
    if step.item is None:
        return _render_problem(request, step.attempt, _("这道题不在本次练习中，请回到当前题目继续。"))
    answer = step.answer
    if answer is None:
        form = AnswerForm(step.item, request.POST)
        try:
            answer = services.answer_submit(item=step.item, user=request.user, given=form.given(), token=form.token).answer
        except MalformedAnswer as error:
            return _render_step(request, item=step.item, error=str(error), status=400)
        except services.AttemptClosed as closed:
            return _render_problem(request, closed.attempt, str(closed), closed=True)
    return _render_step(request, item=step.item, feedback=selectors.feedback(step.item, answer))


@require_GET
def quiz_result(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Score, time taken and every question with the given and the correct answer."""
    attempt = selectors.attempt_for_user(request.user, pk)
    review = selectors.attempt_review(attempt)
    wrong = sum(1 for _item, feedback in review if feedback and not feedback.answer.is_correct)
    return render(request, "quizzes/result.html", {"attempt": attempt, "review": review, "wrong": wrong})


@require_POST
def quiz_retry(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A new attempt with exactly the questions answered wrongly."""
    attempt = selectors.attempt_for_user(request.user, pk)
    try:
        retry = services.attempt_retry_wrong(attempt=attempt, user=request.user)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return redirect("quizzes:result", pk=attempt.pk)
    return redirect(retry)


@require_GET
@staff_required
@vary_on_headers("HX-Request")
def question_bank(request: HtmxHttpRequest) -> HttpResponse:
    """Staff page: the generated bank, filtered by type, task and difficulty."""
    form = BankFilterForm(request.GET or None)
    questions = bank.bank_questions(**(form.cleaned_data if form.is_valid() else {}))
    page = Paginator(questions, 50).get_page(request.GET.get("page"))
    template = "quizzes/bank.html" + ("#results" if request.htmx else "")
    context = {"form": form, "page": page, "counts": bank.bank_counts(), "total": page.paginator.count}
    return render(request, template, context)


def _render_step(
    request: HtmxHttpRequest,
    *,
    item: AttemptQuestion,
    feedback: Feedback | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    template = "quizzes/take.html" + ("#step" if partial_wanted(request) else "")
    seconds_left = item.attempt.seconds_left(timezone.now())
    context = {
        "attempt": item.attempt,
        # Time left is the server's: the page's countdown only shows it going down.
        "seconds_left": seconds_left,
        "time_left": countdown_text(seconds_left) if seconds_left is not None else "",
        "view": selectors.question_view(item, data=request.POST if error else None),
        "feedback": feedback,
        "error": error,
        # A fresh token per rendering of the form: the answer records which submission it came from.
        "token": uuid.uuid4().hex,
    }
    return render(request, template, context, status=_error_status(request, status))


def _render_problem(
    request: HtmxHttpRequest, attempt: Attempt, message: str, *, closed: bool = False
) -> HttpResponse:
    template = "quizzes/problem.html" + ("#step" if partial_wanted(request) else "")
    context = {"attempt": attempt, "message": message, "closed": closed}
    return render(request, template, context, status=_error_status(request, 409 if closed else 400))


def countdown_text(seconds: int) -> str:
    """Seconds as the countdown shows them: m:ss, or h:mm:ss from an hour on."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def _error_status(request: HtmxHttpRequest, status: int) -> int:
    # htmx swaps only 2xx responses by default: the message must arrive as a 200 to be shown.
    return 200 if request.htmx else status
