"""The trainer's and the admin's home pages, rendered by the home view (quizzes.views.home) for whom
choice.home_for() sends there."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from studyapp.http import AuthenticatedHttpRequest
from studyapp.people.models import display_name

from . import staff, trainer


def trainer_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The groups the user trains: what is due, who has not started it, the weakest tasks."""
    context = {"name": display_name(request.user), "groups": trainer.trainer_groups(request.user)}
    return render(request, "homes/trainer.html", context)


def admin_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The document, its imports, the question bank and the usage figures."""
    context = {"name": display_name(request.user), "home": staff.admin_home()}
    return render(request, "homes/admin.html", context)
