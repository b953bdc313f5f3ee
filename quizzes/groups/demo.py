"""The demo study group: 十八大精神学习班 with the demo trainer and learners, a closed and an open
assignment, and some days of study by three of the learners — recorded through the real services
(quizzes started, answers checked and scheduled), so the group report has something to show.

cadre1 (李干部) is left without any activity, to try the open assignment (and a practice quiz) from
a clean start.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from studyapp.people.models import Membership, StudyGroup
from studyapp.people.services import unique_invite_code

from .. import bank, services
from ..core.rules import STUDY_TIMEZONE, study_day
from ..models import Assignment, Attempt, Question
from . import services as assignments

DEMO_GROUP = "十八大精神学习班"
DEMO_TRAINER = "trainer"
DEMO_LEARNERS = ("cadre1", "cadre2", "member1", "member2")
# Who studies, how well at first (share of right answers), on which days before today, and whether
# they have done the open assignment yet.
DEMO_ACTIVITY = {
    "cadre2": (0.75, [12, 10, 9, 7, 5, 3, 1], True),
    "member1": (0.6, [11, 9, 6, 4, 2, 1], True),
    "member2": (0.45, [10, 8, 5, 2], False),
}
# The demo learners joined (as if they had accepted the trainer's invitation) before their demo
# activity began, so that their trainer sees it (quizzes/visibility.py).
JOINED_DAYS_AGO = 14
CLOSED_TITLE = "第一次测验：全文综合"
OPEN_TITLE = "第二次测验：随堂练习"


@dataclass(frozen=True)
class DemoGroup:
    group: StudyGroup
    assignments: list[Assignment]
    answers_recorded: int


def demo_group_ensure(*, now: datetime | None = None) -> DemoGroup | None:
    """Create the demo group, its assignments and activity once; running again adds nothing.

    Needs the demo accounts (create them first) and an active question bank for the assignments and
    activity; returns None without the accounts.
    """
    now = now or timezone.now()
    users = {
        user.username: user for user in get_user_model().objects.filter(username__in=[DEMO_TRAINER, *DEMO_LEARNERS])
    }
    if len(users) < 1 + len(DEMO_LEARNERS):
        return None
    group = _group_ensure(users, joined_at=now - timedelta(days=JOINED_DAYS_AGO))
    if not Question.objects.active().exists():
        return DemoGroup(group, [], 0)
    closed, open_ = _assignments_ensure(group, users[DEMO_TRAINER], now)
    recorded = 0
    for username, (skill, days, takes_open) in DEMO_ACTIVITY.items():
        user = users[username]
        if Attempt.objects.filter(user=user, assignment__group=group).exists():
            continue  # this learner's demo activity is there already
        recorded += _activity(
            user=user, skill=skill, days=days, closed=closed, open_=open_ if takes_open else None, now=now
        )
    return DemoGroup(group, [closed, open_], recorded)


@transaction.atomic
def _group_ensure(users: dict[str, Any], *, joined_at: datetime) -> StudyGroup:
    trainer = users[DEMO_TRAINER]
    group = StudyGroup.objects.filter(name=DEMO_GROUP, created_by=trainer).first()
    if group is None:
        group = StudyGroup(
            name=DEMO_GROUP, description="中国工会十八大精神专题培训（演示）", invite_code=unique_invite_code()
        )
        group.created_by = trainer
        group.full_clean()
        group.save()
    Membership.objects.get_or_create(group=group, user=trainer, defaults={"role": Membership.Role.TRAINER})
    learners = [users[username] for username in DEMO_LEARNERS]
    for user in learners:
        Membership.objects.get_or_create(
            group=group,
            user=user,
            defaults={"role": Membership.Role.MEMBER, "joined_at": joined_at, "added_by": trainer},
        )
    # Only ever earlier: a later run must not hide the activity an earlier run recorded.
    Membership.objects.filter(group=group, user__in=learners, joined_at__gt=joined_at).update(joined_at=joined_at)
    return group


def _assignments_ensure(group: StudyGroup, trainer, now: datetime) -> tuple[Assignment, Assignment]:
    closed = Assignment.objects.filter(group=group, title=CLOSED_TITLE).first()
    if closed is None:
        chosen, _label = bank.scope_draw(scope=Attempt.Scope.DOCUMENT, length=10, rng=random.Random(2026))
        closed = assignments.assignment_create(
            group=group,
            created_by=trainer,
            title=CLOSED_TITLE,
            mode=Assignment.Mode.FIXED,
            question_ids=chosen,
            opens_at=now - timedelta(days=13),
            closes_at=now - timedelta(days=4),
        )
    open_ = Assignment.objects.filter(group=group, title=OPEN_TITLE).first()
    if open_ is None:
        open_ = assignments.assignment_create(
            group=group,
            created_by=trainer,
            title=OPEN_TITLE,
            mode=Assignment.Mode.GENERATED,
            length=10,
            opens_at=now - timedelta(days=3),
            closes_at=now + timedelta(days=14),
            time_limit_minutes=20,
        )
    return closed, open_


def _activity(
    *, user, skill: float, days: list[int], closed: Assignment, open_: Assignment | None, now: datetime
) -> int:
    """Practice quizzes on each of `days` (days ago), getting a little better each time; the closed
    assignment on the first day it was open for them, the open one on the last day."""
    rng = random.Random(f"demo-{user.username}")
    recorded = 0
    for index, days_ago in enumerate(days):
        moment = min(_china_time(now, days_ago, 9 + 3 * (index % 4), rng.randrange(60)), now - timedelta(minutes=40))
        accuracy = min(0.95, skill + 0.04 * index)
        if closed.opens_at <= moment < closed.closes_at and not closed.attempts.filter(user=user).exists():
            attempt = assignments.assignment_start(assignment=closed, user=user, now=moment, rng=rng)
            recorded += _answer_all(attempt, user, accuracy, moment, rng)
            moment += timedelta(minutes=15)
        attempt = services.attempt_start(user=user, length=10, rng=rng)
        Attempt.objects.filter(pk=attempt.pk).update(started_at=moment)
        attempt.started_at = moment
        recorded += _answer_all(attempt, user, accuracy, moment, rng)
    last = min(now - timedelta(minutes=30), _china_time(now, days[-1], 20, rng.randrange(60)))
    if open_ is not None and open_.opens_at <= last:
        attempt = assignments.assignment_start(assignment=open_, user=user, now=last, rng=rng)
        recorded += _answer_all(attempt, user, min(0.95, skill + 0.04 * len(days)), last, rng)
    return recorded


def _china_time(now: datetime, days_ago: int, hour: int, minute: int) -> datetime:
    """`hour`:`minute` in China, `days_ago` study days before `now`'s, in UTC (as FSRS wants it)."""
    day = study_day(now) - timedelta(days=days_ago)
    return datetime.combine(day, time(hour, minute), tzinfo=STUDY_TIMEZONE).astimezone(UTC)


def _answer_all(attempt: Attempt, user, accuracy: float, start: datetime, rng: random.Random) -> int:
    moment = start
    count = 0
    for item in attempt.items.select_related("question").order_by("position"):
        moment += timedelta(seconds=rng.randrange(15, 60))
        right = rng.random() < accuracy
        services.answer_submit(
            item=item, user=user, given=item.question.kind.sample_answer(item.question, right, rng), now=moment
        )
        count += 1
    return count
