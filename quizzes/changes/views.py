"""The learner's session on what a new version changed: the dashboard's card, the old and new wording
side by side, starting its quiz, dismissing the offer (the rules are in quizzes/changes/selectors.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from studyapp.http import AuthenticatedHttpRequest

from . import selectors as changes


@require_GET
@vary_on_headers("HX-Request")
def changes_card(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The dashboard's card (fetched by htmx after the page): empty when nothing is offered."""
    if not request.htmx:
        return redirect("quizzes:changes")
    return render(request, "quizzes/_changes_card.html", {"offer": changes.changes_offer(request.user)})


@require_GET
def changes_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The lines the active version changed, old and new side by side, with the session's actions
    while it is offered."""
    revision = changes.current_revision()
    context = {
        "revision": revision,
        "offer": changes.changes_offer(request.user, revision) if revision else None,
        "lines": changes.changed_lines(revision, request.user) if revision else [],
    }
    return render(request, "quizzes/changes.html", context)


@require_POST
def changes_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Start (or resume) the quiz on the changed and new lines."""
    try:
        attempt = changes.changes_start(user=request.user)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return redirect("quizzes:changes")
    return redirect(attempt)


@require_http_methods(["GET", "POST"])
def changes_dismiss(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ask, then offer the active version's changes no more (its lines stay in the practice quizzes)."""
    offer = changes.changes_offer(request.user)
    if request.method == "GET":
        if offer is None:
            return redirect("quizzes:changes")
        return render(request, "quizzes/changes_dismiss.html", {"offer": offer})
    if offer is not None:
        changes.changes_dismiss(user=request.user, version=offer.version)
        messages.info(request, _("已不再提示本次修订；修改过的要点仍会出现在日常练习中。"))
    return redirect("quizzes:home")
