"""Remembering at sign-in who manages an organisation (the organisation pages' menu link). The daily
aggregates these pages read are kept by quizzes/activity.py, with the writes they count."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

MANAGER_SESSION_KEY = "manages_organisations"


# --- Sign-in -----------------------------------------------------------------------------------------


def manager_at_login(sender: object, request: Any, user: User, **kwargs: Any) -> None:
    """user_logged_in: remember in the session whether the person manages an organisation (or is an
    admin), so that the menu shows 组织报表 without a query on every page (an appointment made later
    shows from the next sign-in; the pages themselves check on every request)."""
    from .. import visibility

    if request is not None and hasattr(request, "session"):
        request.session[MANAGER_SESSION_KEY] = visibility.sees_everything(user) or visibility.manages_any(user)
