"""The learner's pages — the dashboard, starting a quiz, taking it one question at a time, its
review — and the staff's page of the question bank."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from studyapp.documents import selectors as documents
from studyapp.http import AuthenticatedHttpRequest, HtmxHttpRequest, Page, partial_wanted, render_page, staff_required
from studyapp.people.models import display_name

from . import bank, progress, reveal, selectors, services
from .core.checking import MalformedAnswer
from .forms import BankFilterForm, QuizStartForm
from .models import Attempt


@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Home page: mastery by task, due points, streak, recent quizzes."""
    services.attempts_time_out(Attempt.objects.for_user(request.user))  # shown as finished (超时)
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
def quiz_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The form to choose a quiz's scope, type and length."""
    return render(request, "quizzes/start.html", {"form": _start_form(request)})


@require_POST
def quiz_start(request: AuthenticatedHttpRequest) -> HttpResponse:
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
def review_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Start a quiz on the points due today."""
    try:
        attempt = services.attempt_start_review(user=request.user)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return redirect("quizzes:home")
    return redirect(attempt)


@require_GET
@vary_on_headers("HX-Request")
def quiz_take(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
    return render_page(request, selectors.step_page(selectors.Step(attempt, item)))


@require_POST
@vary_on_headers("HX-Request")
def quiz_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record the answer to one question and show the feedback; a repeated submit shows the same."""
    step = selectors.answer_step(request.user, pk, request.POST.get("item"))
    item = step.item
    if step.answer is not None and step.answer.timed_out:  # its time ran out before this answer came
        step.closed = str(services.AttemptClosed(step.attempt))
    if item is not None and step.takes_answer:
        try:
            given = step.kind.answer_from_post(step.question, step.layout, request.POST)  # the kind's form
            token = request.POST.get("token", "").replace("\x00", "")  # PostgreSQL cannot store NUL
            step.answer = services.answer_submit(item=item, user=request.user, given=given, token=token).answer
        except MalformedAnswer as error:
            step.error = str(error)
        except services.AttemptClosed as closed:
            step.attempt, step.closed = closed.attempt, str(closed)
    page = selectors.step_page(step, data=request.POST)
    return render_page(request, page)


@require_GET
def quiz_result(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Score, time taken and every question with the given and the correct answer."""
    attempt = selectors.attempt_for_user(request.user, pk)
    if attempt.deadline is not None:
        services.attempt_close_if_expired(attempt=attempt)  # its time is up: recorded as such first
    now = timezone.now()
    shown = reveal.answers_shown_for(attempt, now)
    review = selectors.attempt_review(attempt, shown=shown)
    timed_out = sum(1 for _item, feedback in review if feedback and feedback.answer.timed_out)
    context = {
        "attempt": attempt,
        "review": review,
        "shown": shown,
        "score_shown": reveal.score_shown_for(attempt, now),
        "when_shown": "" if shown else reveal.when_shown_text(attempt),
        # Which questions were wrong is part of the key: no retry while it is hidden.
        "wrong": sum(1 for _item, feedback in review if feedback and not feedback.answer.is_correct) if shown else 0,
        "timed_out": timed_out,
        "answered": attempt.answered_count - timed_out,
    }
    return render(request, "quizzes/result.html", context)


@require_POST
def quiz_retry(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
def question_bank(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Staff page: the generated bank, filtered by type, task and difficulty."""
    form = BankFilterForm(request.GET or None)
    questions = bank.bank_questions(**(form.cleaned_data if form.is_valid() else {}))
    page = Paginator(questions, 50).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "counts": bank.bank_counts(), "total": page.paginator.count}
    return render_page(request, Page("quizzes/bank.html", context, partial="results"))
