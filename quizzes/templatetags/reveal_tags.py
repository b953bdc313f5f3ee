"""Template filters asking quizzes/reveal.py what a learner may see of an attempt, now."""

from __future__ import annotations

from django import template
from django.utils import timezone

from .. import reveal
from ..models import Attempt

register = template.Library()


@register.filter
def score_shown(attempt: Attempt) -> bool:
    """Whether the attempt's learner may see its score now (load its assignment with it)."""
    return reveal.score_shown_for(attempt, timezone.now())
