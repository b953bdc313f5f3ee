"""{{ value|duration }}: a duration (seconds or a timedelta) as Chinese reads it, e.g. 11分49秒."""

from __future__ import annotations

from datetime import timedelta

from django import template

from ..core.rules import duration_text

register = template.Library()


@register.filter
def duration(value: float | timedelta | None) -> str:
    return duration_text(value)
