"""When a learner sees the correct answers of their own quizzes: the one rule, asked by every page
that shows a learner right/wrong or a key (the quiz's feedback, the result page, the retry of the
wrong questions, the list of one's wrong answers).

The rule
--------
Practice, review and retry quizzes (no assignment, or one since deleted)
    The key is shown as soon as the question is answered.
An assignment (小组测验), by its `show_answers` (Assignment.ShowAnswers, Moodle's choices):
    每题作答后 (each)      as in practice: right after each answer;
    提交后 (finished)      once the attempt is over: every question answered, or its time ran out;
    截止后 (deadline)      once the assignment has closed (`closes_at`), for everyone at once;
    不显示 (never)         never.
While the key is hidden, the learner is told only that an answer was recorded: neither whether it
was right nor the correct answer nor the source lines (which mark the key).

The score (得分) of an assignment's attempt is shown once the attempt is over, except with 不显示
before the deadline (a score is a count of right answers, and a one-question test would give the
key away) — from the deadline on a 不显示 attempt shows its score, never its keys.

A group's trainers see everything in their group's report at any time (quizzes/visibility.py).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import Assignment, Attempt

SHOW = Assignment.ShowAnswers


def answers_shown_q(*, now: datetime) -> Q:
    """A Q over Answer: the answers whose correct answer their learner may see at `now`."""
    attempt = "attempt_question__attempt__"
    assignment = f"{attempt}assignment__"
    return (
        Q(**{f"{attempt}assignment__isnull": True})
        | Q(**{f"{assignment}show_answers": SHOW.EACH})
        | Q(**{f"{assignment}show_answers": SHOW.FINISHED, f"{attempt}finished_at__isnull": False})
        | Q(**{f"{assignment}show_answers": SHOW.FINISHED, f"{attempt}deadline__lt": now})
        | Q(**{f"{assignment}show_answers": SHOW.DEADLINE, f"{assignment}closes_at__lte": now})
    )


def answers_shown_for(attempt: Attempt, now: datetime) -> bool:
    """Whether the learner of `attempt` may see right/wrong and the correct answers at `now` (the
    attempt's assignment is read if not loaded: at most one query, none for practice)."""
    if attempt.assignment_id is None:
        return True
    assignment = attempt.assignment
    if assignment is None:  # deleted meanwhile
        return True
    mode = assignment.show_answers
    if mode == SHOW.EACH:
        return True
    if mode == SHOW.FINISHED:
        return attempt.is_closed_at(now)  # finished, or its time is up (even if not yet recorded)
    if mode == SHOW.DEADLINE:
        return now >= assignment.closes_at
    return False


def score_shown_for(attempt: Attempt, now: datetime) -> bool:
    """Whether the learner of `attempt` may see its score at `now` (see the module's rule)."""
    if answers_shown_for(attempt, now):
        return True
    if not attempt.is_closed_at(now):
        return False
    assignment = attempt.assignment
    assert assignment is not None
    return assignment.show_answers != SHOW.NEVER or now >= assignment.closes_at


def when_shown_text(attempt: Attempt) -> str:
    """What the learner is told about when the answers will be shown (empty when they are)."""
    assignment = attempt.assignment
    if assignment is None:
        return ""
    mode = assignment.show_answers
    if mode == SHOW.FINISHED:
        return _("交卷后可查看对错和正确答案。")
    if mode == SHOW.DEADLINE:
        moment = formats.date_format(timezone.localtime(assignment.closes_at), "n月j日 H:i")
        return _("测验截止（%(moment)s）后可查看对错和正确答案。") % {"moment": moment}
    if mode == SHOW.NEVER:
        return _("本次测验不公布对错和正确答案。")
    return ""
