"""What every app's views share: the htmx request type, the partial-page rule and rendering by it,
the staff gate, the private-page and security-policy middleware, the forms' CSRF token, and the two
pages that do nothing but answer (health checks and the load test's floor)."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, wraps
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
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
    history restore, which wants the whole page back. Read from the request's environ, as
    `request.htmx` reads these two headers: its request.headers copies every header first (µs a page)."""
    meta = request.META
    return meta.get("HTTP_HX_REQUEST") == "true" and meta.get("HTTP_HX_HISTORY_RESTORE_REQUEST") != "true"


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
        # With none to merge with, patch_cache_control(private=True, no_store=True) writes just this.
        if not response.has_header("Cache-Control") and request.user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware (settings.CONTENT_SECURITY_POLICY), with the policy put together once
    per process: django-csp builds it from the settings on every response, and no page here has a
    policy of its own or a nonce (no inline scripts). A response or request that does (the
    @csp_update/@csp_replace/@csp decorators, `request.csp_nonce` read) gets django-csp's own."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if settings.DEBUG or getattr(request, "_csp_nonce", None) is not None or _own_policy(response):
            return super().process_response(request, response)
        policy, report_only = _default_policies()
        path = request.path_info
        for header, value, exempt, setting in (
            (HEADER, policy, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, report_only, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            wanted = value and header not in response and not getattr(response, exempt, False)
            if wanted and not path.startswith(_excluded_prefixes(setting)):
                response[header] = value
        # As django-csp does: reading the nonce once the header is out is an error, not a silent gap.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


_OWN_POLICY = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")


def _own_policy(response: HttpResponseBase) -> bool:
    return any(getattr(response, name, None) is not None for name in _OWN_POLICY)


@cache
def _default_policies() -> tuple[str, str]:
    """The policy and the report-only policy from the settings, as django-csp builds them."""
    return build_policy(), build_policy(report_only=True)


@cache
def _excluded_prefixes(setting: str) -> tuple[str, ...]:
    return tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ())


@receiver(setting_changed)
def _policy_changed(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _default_policies.cache_clear()
        _excluded_prefixes.cache_clear()


# --- The forms' CSRF token ------------------------------------------------------------------------


def csrf(request: HttpRequest) -> dict[str, Any]:
    """Context processor: `csrf_token` as Django's own processor gives it (get_token(): the
    request's CSRF secret, masked afresh for each rendering), with a cheaper mask. Django draws the
    mask's 32 characters one `secrets.choice()` (one system call) at a time, 40–90 µs a page;
    here they come from one draw of random bytes. Listed after Django's built-in processor, whose
    `csrf_token` it replaces."""
    return {"csrf_token": SimpleLazyObject(lambda: csrf_token_masked(request))}


_CSRF_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}
_CSRF_BASE = len(CSRF_ALLOWED_CHARS)  # 62
_CSRF_BYTE_LIMIT = 256 - 256 % _CSRF_BASE  # bytes below it map evenly onto the characters


def csrf_token_masked(request: HttpRequest) -> str:
    """What django.middleware.csrf.get_token(request) returns (and its effect: the CSRF cookie is
    sent again with the response), with the mask drawn as described in csrf(). On a first visit (no
    CSRF cookie yet) the new secret is drawn the same way, and set as Django's get_token sets it."""
    if "CSRF_COOKIE" not in request.META:
        request.META["CSRF_COOKIE"] = _csrf_mask()  # what django.middleware.csrf._add_new_csrf_cookie does
    secret = request.META["CSRF_COOKIE"]
    if not isinstance(secret, str) or len(secret) != CSRF_SECRET_LENGTH or not set(secret) <= _CSRF_INDEX.keys():
        return get_token(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = _csrf_mask()
    index = _CSRF_INDEX
    cipher = "".join(CSRF_ALLOWED_CHARS[(index[s] + index[m]) % _CSRF_BASE] for s, m in zip(secret, mask, strict=True))
    return mask + cipher


def _csrf_mask() -> str:
    """CSRF_SECRET_LENGTH characters of CSRF_ALLOWED_CHARS, each drawn uniformly by the OS's generator."""
    chars: list[str] = []
    while len(chars) < CSRF_SECRET_LENGTH:
        chars += [CSRF_ALLOWED_CHARS[byte % _CSRF_BASE] for byte in secrets.token_bytes(48) if byte < _CSRF_BYTE_LIMIT]
    return "".join(chars[:CSRF_SECRET_LENGTH])


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
