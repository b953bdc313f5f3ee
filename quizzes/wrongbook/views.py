"""The wrong-answer book's pages: the book (all of it, or a task's or topic's group) and practising it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from studyapp.http import AuthenticatedHttpRequest, Page, render_page

from ..core.rules import MAX_QUIZ_LENGTH
from . import selectors, services
from .selectors import BookScope

PAGE_SIZE = 20


@require_GET
@vary_on_headers("HX-Request")
def wrong_book(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The learner's wrong questions grouped by task and topic; `group` narrows the review to one."""
    now = timezone.now()
    scope = BookScope.parse(request.GET.get("group"))
    outline = selectors.book_outline(request.user, now=now)
    page = Paginator(selectors.book_answers(request.user, now=now, scope=scope), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "outline": outline,
        "scope": scope,
        "scope_title": outline.title_of(scope),
        "page": page,
        "entries": selectors.book_entries(page.object_list),
        "max_length": MAX_QUIZ_LENGTH,
    }
    return render_page(request, Page("quizzes/wrong_book.html", context, partial="book"))


@require_POST
def wrong_book_practice(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Start a quiz of the book's questions (all, or one group's)."""
    scope = BookScope.parse(request.POST.get("group"))
    try:
        attempt = services.attempt_start_wrong_book(user=request.user, scope=scope)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        url = reverse("wrongbook:book")
        return redirect(f"{url}?group={scope.param}" if scope.param else url)
    return redirect(attempt)
