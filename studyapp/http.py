"""What every app's views share: the htmx request type, the partial-page rule and rendering by it,
the staff gate, the private-page middleware, and the two pages that do nothing but answer (health
checks and the load test's floor)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware (every request of this project)."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request to a view that needs a signed-in user: every view not marked `@login_not_required`,
    which Django's LoginRequiredMiddleware sends anonymous users away from (to the login page)."""

    user: User


def partial_wanted(request: HtmxHttpRequest) -> bool:
    """Whether to answer with the page's swappable region alone: an htmx request, except a
    history restore, which wants the whole page back."""
    return bool(request.htmx) and not request.htmx.history_restore_request


@dataclass
class Page:
    """A page to render: its template, the partial that htmx swaps, the context and the status."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    partial: str = ""
    status: int = 200


def render_page(request: HtmxHttpRequest, page: Page) -> HttpResponse:
    """`page` in full, or its partial alone when htmx asks for it (partial_wanted). An htmx request
    gets an error page with status 200: htmx swaps only 2xx responses, and the message must show."""
    template = f"{page.template}#{page.partial}" if page.partial and partial_wanted(request) else page.template
    status = 200 if request.htmx else page.status
    return render(request, template, page.context, status=status)


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous users go to the login page; signed-in users who are not staff get 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class PrivatePagesMiddleware:
    """Every response to a signed-in user shows that person's own data or a group's (the dashboard,
    quizzes, groups, reports and their exports, the reader with its mastery): `Cache-Control: private,
    no-store`, so that no shared cache keeps it and the browser keeps no copy on disk. A response that
    set its own Cache-Control keeps it; static files never get here (WhiteNoise answers them earlier).
    Placed after AuthenticationMiddleware, which it reads `request.user` from."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # The header is checked first: a page with its own (healthz) does not even load the session.
        if not response.has_header("Cache-Control") and request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


@require_GET
@never_cache
@login_not_required
def healthz(request: HtmxHttpRequest) -> HttpResponse:
    """For load balancers and monitoring: the app answers, through the whole middleware stack."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@never_cache
def ping(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The cheapest signed-in page: session and user are loaded, nothing else is done.

    The load test measures it as the floor under every page a cadre opens.
    """
    return HttpResponse("pong", content_type="text/plain")


# --- Idle timeout --------------------------------------------------------------------------------

SESSION_REFRESHED = "_refreshed"  # when the session was last saved, in seconds since the epoch
SESSION_REFRESH_SECONDS = 60 * 60


class SessionRefreshMiddleware:
    """Save a signed-in session again, moving its expiry SESSION_COOKIE_AGE on, once its last save
    is over an hour old: an idle timeout (give or take an hour) for one session write an hour, where
    SESSION_SAVE_EVERY_REQUEST would write on every request. Goes after SessionMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.accessed and not session.is_empty():
            now = int(time.time())
            if now - session.get(SESSION_REFRESHED, 0) >= SESSION_REFRESH_SECONDS:
                session[SESSION_REFRESHED] = now
        return response


def session_refreshed_at_login(sender: object, request: HttpRequest | None, **kwargs: Any) -> None:
    """user_logged_in: a new session counts as saved now (connected in PeopleConfig.ready)."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_REFRESHED] = int(time.time())
