"""{{ value|duration }}: a duration (seconds or a timedelta) as Chinese reads it, e.g. 11分49秒;
{{ minutes|duration:"minutes" }} for a number of minutes."""

from __future__ import annotations

from datetime import timedelta

from django import template

from ..core.rules import duration_text

register = template.Library()


@register.filter
def duration(value: float | timedelta | None, unit: str = "seconds") -> str:
    if unit == "minutes" and value is not None and not isinstance(value, timedelta):
        value = timedelta(minutes=value)
    return duration_text(value)
