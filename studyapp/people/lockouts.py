"""Who may try to log in: the client's address behind trusted proxies, and the two lockout rules
(per username and address; per username from all addresses, slowing down rather than locking).
The rules and their settings are described in studyapp/settings.py; django-axes calls these."""

from __future__ import annotations

import math
from datetime import timedelta

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from ipware.ip import get_client_ip


def axes_client_ip(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the client address, as described above (parsed by django-ipware)."""

    if settings.TRUSTED_PROXY_COUNT > 0:
        # django-ipware counts only the proxies listed in the header: the nearest proxy is
        # REMOTE_ADDR, hence count - 1. Not strict, so a forged token on the (untrusted) left
        # cannot void the header and send everyone back to the proxy's own address.
        ip, _routable = get_client_ip(
            request,
            proxy_count=settings.TRUSTED_PROXY_COUNT - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,
        )
        if ip:
            return ip
    return request.META.get("REMOTE_ADDR")


def username_wait(request: HttpRequest, credentials: dict | None = None) -> timedelta | None:
    """How much longer this username must wait under the all-addresses rule; None if it need not."""

    username = get_client_username(request, credentials)
    cool_off = get_cool_off(request)
    if not username or cool_off is None:
        return None
    now = getattr(request, "axes_attempt_time", None) or timezone.now()
    recent = AccessAttempt.objects.filter(username=username, attempt_time__gte=now - cool_off).aggregate(
        failures=Sum("failures_since_start"), latest=Max("attempt_time")
    )
    beyond = (recent["failures"] or 0) - settings.LOCKOUT_USERNAME_FAILURE_LIMIT
    if beyond < 0:
        return None
    wait = min(settings.LOCKOUT_USERNAME_FIRST_WAIT * 2 ** min(beyond, 16), cool_off)
    remaining = recent["latest"] + wait - now
    return remaining if remaining > timedelta(0) else None


def axes_failure_limit(request: HttpRequest, credentials: dict | None = None) -> int:
    """AXES_FAILURE_LIMIT: the per-address limit, or 0 (refuse) while the username must wait."""

    return 0 if username_wait(request, credentials) else settings.LOCKOUT_FAILURE_LIMIT


def axes_lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the lockout page, saying which rule applies and for how long."""

    wait = username_wait(request, credentials)
    cool_off = wait or get_cool_off(request) or timedelta(0)
    context = {
        "failure_limit": settings.LOCKOUT_FAILURE_LIMIT,
        "username_slowed_down": wait is not None,
        "minutes": max(1, math.ceil(cool_off.total_seconds() / 60)),
    }
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)
