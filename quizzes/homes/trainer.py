"""The trainer's home: for each group they train, the open assignments with their closing time and the
submissions so far, who has not started them, and the group's weakest tasks.

What the figures mean
---------------------
Due (待完成)
    The group's assignments open now (opened, not yet closed), closing soonest first. Started: the
    group's learners with an attempt at it; submitted (已交): those who answered every question; not
    started (未开始): the group's learners without an attempt, by name. Counted over the group's
    current learners only, as the group report counts them (quizzes/visibility.py: a group's assignment
    work is seen whole, of its learners).
Weakest tasks (薄弱任务)
    The group's mastery of each task — every learner's points pooled, by the one rule of
    quizzes/progress.py, exactly the figures of the group report's heatmap footer
    (reports.task_mastery_by_member) — lowest first, at most WEAKEST of them.

Seven queries whatever the number of groups, learners and assignments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from studyapp.people.models import Membership, StudyGroup

from ..groups.reports import task_mastery_by_member
from ..models import Assignment, Attempt
from ..progress import NO_POINTS, Column, Mastery

WEAKEST = 3


@dataclass
class DueAssignment:
    assignment: Assignment
    learners: int
    started: int = 0
    submitted: int = 0
    not_started: list[str] = field(default_factory=list)  # names, in name order


@dataclass(frozen=True)
class WeakTask:
    column: Column
    mastery: Mastery


@dataclass
class GroupHome:
    group: StudyGroup
    learners: dict[int, str] = field(default_factory=dict)  # user id → name
    due: list[DueAssignment] = field(default_factory=list)
    weakest: list[WeakTask] = field(default_factory=list)

    @property
    def learner_count(self) -> int:
        return len(self.learners)


def trainer_groups(user: User, now: datetime | None = None) -> list[GroupHome]:
    """The groups `user` trains, by name, each with what is due, who has not started it and its weakest
    tasks: seven queries (groups, learners, open assignments, their attempts, the active version, its
    outline, the learners' mastered points)."""
    now = now or timezone.now()
    # The groups whose pages the trainer may open (people.selectors.managed_group()'s rule): those they
    # train. (An admin, who may open every group, has the admin home instead.)
    trained = StudyGroup.objects.managed_by(user).order_by("name", "pk")
    homes = {group.pk: GroupHome(group) for group in trained}
    if not homes:
        return []

    learners = Membership.objects.learners().filter(group_id__in=list(homes))
    for group_id, user_id, username, first, last, shown in learners.values_list(
        "group_id",
        "user_id",
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__profile__display_name",
    ):  # query: the learners with their names
        # As people.models.display_name(): the profile's name, else the full name, else the login.
        homes[group_id].learners[user_id] = shown or f"{last}{first}".strip() or username

    open_assignments = list(
        Assignment.objects.filter(group_id__in=list(homes), opens_at__lte=now, closes_at__gt=now).order_by(
            "closes_at", "pk"
        )
    )  # query
    attempts: dict[int, dict[int, bool]] = {a.pk: {} for a in open_assignments}
    rows = Attempt.objects.filter(assignment__in=open_assignments).values_list(
        "assignment_id", "user_id", "answered_count", "question_count"
    )
    for assignment_id, user_id, answered, questions in rows:  # query
        attempts[assignment_id][user_id] = answered >= questions
    for assignment in open_assignments:
        home = homes[assignment.group_id]
        seen = {user_id: done for user_id, done in attempts[assignment.pk].items() if user_id in home.learners}
        home.due.append(
            DueAssignment(
                assignment=assignment,
                learners=home.learner_count,
                started=len(seen),
                submitted=sum(seen.values()),
                not_started=sorted(name for user_id, name in home.learners.items() if user_id not in seen),
            )
        )

    tasks, mastery = task_mastery_by_member(member_ids=learners.values("user_id"), now=now)  # three queries
    for home in homes.values():
        if not home.learners:
            continue
        pooled = [NO_POINTS] * len(tasks)
        for user_id in home.learners:
            found = mastery.get(user_id) or [Mastery(0, task.total) for task in tasks]
            pooled = [total + one for total, one in zip(pooled, found, strict=True)]
        ranked = sorted(zip(tasks, pooled, strict=True), key=lambda pair: pair[1].percent)  # ties: document order
        home.weakest = [WeakTask(column, found) for column, found in ranked[:WEAKEST]]
    return list(homes.values())
