"""What every app's views share: the htmx request type, the partial-page rule, the staff gate, and
the two pages that do nothing but answer (health checks and the load test's floor)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware (every request of this project)."""

    htmx: HtmxDetails


def partial_wanted(request: HtmxHttpRequest) -> bool:
    """Whether to answer with the page's swappable region alone: an htmx request, except a
    history restore, which wants the whole page back."""
    return bool(request.htmx) and not request.htmx.history_restore_request


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


@require_GET
@never_cache
@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring: the app answers, through the whole middleware stack."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@never_cache
def ping(request: HttpRequest) -> HttpResponse:
    """The cheapest signed-in page: session and user are loaded, nothing else is done.

    The load test measures it as the floor under every page a cadre opens.
    """
    return HttpResponse("pong", content_type="text/plain")
