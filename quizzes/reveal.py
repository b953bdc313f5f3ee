"""When a learner may see the correct answers to what they answered: the one rule, asked wherever
an answer's key is shown back to its learner outside the quiz itself (the wrong-answer book).

Practice, reviews and retries show their answers at once; an assignment's answers are shown once
the assignment has closed, so that nobody reads the key of a test still open to the group.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

_ATTEMPT = "attempt_question__attempt__"


def answers_shown_q(*, now: datetime) -> Q:
    """A Q over `Answer`: the answers whose correct answers their learner may see at `now`."""
    return Q(**{f"{_ATTEMPT}assignment__isnull": True}) | Q(**{f"{_ATTEMPT}assignment__closes_at__lte": now})
