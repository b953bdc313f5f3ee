"""The learner's pages — the dashboard, starting a quiz, taking it one question at a time, its
review — and the staff's page of the question bank."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from studyapp.documents import selectors as documents
from studyapp.http import AuthenticatedHttpRequest, HtmxHttpRequest, Page, partial_wanted, render_page, staff_required
from studyapp.people.models import DAILY_GOAL_CHOICES, display_name
from studyapp.people.services import profile_goal_set

from . import bank, progress, reveal, selectors, services, today
from .core.checking import MalformedAnswer
from .forms import BankFilterForm, DailyGoalForm, QuizStartForm
from .groups import selectors as group_selectors
from .homes import choice
from .homes import views as homes
from .models import Assignment, Attempt
from .step_html import step_response


@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """`/`: the home of the user's role (quizzes/homes/choice.py): an admin's, a trainer's, or the
    learner's dashboard."""
    role = choice.home_for(request.user)
    if role == "admin":
        return homes.admin_home(request)
    if role == "trainer":
        return homes.trainer_home(request)
    return dashboard(request)


@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The learner's dashboard (everyone's own study, at /study/; `/` for learners): what to do today (due
    points, or why none and the weakest topic), the daily goal and streak, mastery by task, recent
    quizzes; group quizzes and their deadlines arrive by htmx."""
    services.attempts_time_out(Attempt.objects.for_user(request.user))  # shown as finished (超时)
    name = display_name(request.user)  # loads the profile, which holds the daily goal
    figures = today.learner_today(request.user)
    context = {
        "name": name,
        "today": figures,
        "tasks": figures.tasks,
        "due": figures.due,
        **_goal_context(figures.goal),
        "recent": progress.recent_attempts(request.user),
        "resume": selectors.in_progress_attempt(request.user),
    }
    return render(request, "quizzes/dashboard.html", context)


# --- The daily goal and the deadlines of group quizzes (parts of the dashboard) ----------------------


def _goal_context(goal: progress.DailyGoal, form: DailyGoalForm | None = None) -> dict[str, object]:
    return {
        "goal": goal,
        "streak": goal.streak,
        "goal_form": form or DailyGoalForm(initial={"goal": goal.goal}),
        "goal_choices": DAILY_GOAL_CHOICES,
    }


@require_GET
def goal_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The daily goal with today's progress and this week, and the form to change it."""
    goal = progress.daily_goal(request.user, today.daily_goal_of(request.user))
    return render(request, "quizzes/goal.html", _goal_context(goal))


@require_POST
@vary_on_headers("HX-Request")
def goal_set(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Set the daily goal: htmx gets the dashboard's goal card back; a plain form post goes home."""
    form = DailyGoalForm(request.POST)
    if form.is_valid():
        try:
            profile_goal_set(user=request.user, goal=form.cleaned_data["goal"])
        except ValidationError as error:
            form.add_error("goal", error)
    if form.is_valid() and not partial_wanted(request):
        messages.success(request, _("每日目标已改为 %(goal)d 题。") % {"goal": form.cleaned_data["goal"]})
        return redirect("quizzes:home")
    goal = progress.daily_goal(request.user, today.daily_goal_of(request.user))
    context = _goal_context(goal, None if form.is_valid() else form)
    return render_page(
        request, Page("quizzes/goal.html", context, partial="goal", status=200 if form.is_valid() else 400)
    )


@require_GET
@vary_on_headers("HX-Request")
def deadlines(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Each open group quiz with how many of its points the learner would remember at its closing
    time, and a review of the others. htmx (the dashboard) asks for the list alone."""
    context = {"deadlines": today.learner_deadlines(request.user)}
    return render_page(request, Page("quizzes/deadlines.html", context, partial="deadlines"))


@require_POST
def deadline_review_start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Start a review of the points of a group quiz the learner might have forgotten by its deadline."""
    try:
        assignment = group_selectors.learner_assignment(request.user, pk)
    except Assignment.DoesNotExist:
        raise Http404(_("没有这次测验")) from None
    try:
        attempt = services.attempt_start_deadline_review(user=request.user, assignment=assignment)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return redirect("quizzes:home")
    return redirect(attempt)


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
    return step_response(request, selectors.step_page(selectors.Step(attempt, item)))


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
    return step_response(request, selectors.step_page(step, data=request.POST))


@require_GET
@vary_on_headers("HX-Request")
def quiz_result(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Score, time taken and every question with the given and the correct answer; `?show=wrong`
    keeps only the questions answered wrongly."""
    attempt = selectors.attempt_for_user(request.user, pk)
    if attempt.deadline is not None:
        services.attempt_close_if_expired(attempt=attempt)  # its time is up: recorded as such first
    now = timezone.now()
    shown = reveal.answers_shown_for(attempt, now)
    wrong_only = request.GET.get("show") == "wrong"
    review = selectors.attempt_review(attempt, shown=shown, wrong_only=wrong_only and shown)
    timed_out = sum(1 for _item, feedback in review if feedback and feedback.answer.timed_out)
    context = {
        "attempt": attempt,
        "review": review,
        "shown": shown,
        "score_shown": reveal.score_shown_for(attempt, now),
        "when_shown": "" if shown else reveal.when_shown_text(attempt),
        # Which questions were wrong is part of the key: no retry, no filter while it is hidden.
        "wrong": attempt.answered_count - attempt.correct_count if shown else 0,
        "wrong_only": wrong_only and shown,
        "timed_out": timed_out,
        "answered": attempt.answered_count - timed_out,
    }
    return render_page(request, Page("quizzes/result.html", context, partial="review"))


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
