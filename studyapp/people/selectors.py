"""Reads of study groups, with the access rules: a group's page is for its trainers and the admins."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import Membership, StudyGroup


def managed_group(user: User, pk: int) -> StudyGroup:
    """Group `pk` if `user` trains it or is an admin; 404 otherwise, so other groups do not even exist."""
    return get_object_or_404(StudyGroup.objects.managed_by(user), pk=pk)


def managed_groups(user: User) -> QuerySet[StudyGroup]:
    """The groups `user` manages, with how many learners and assignments each has."""
    return StudyGroup.objects.managed_by(user).annotate(
        learner_count=Count("memberships", filter=Q(memberships__role=Membership.Role.MEMBER), distinct=True),
        assignment_count=Count("assignments", distinct=True),
    )


def joined_groups(user: User) -> QuerySet[StudyGroup]:
    """The groups `user` is a learner in, with their trainers."""
    return StudyGroup.objects.joined_by(user).prefetch_related("memberships__user__profile")


def group_people(group: StudyGroup) -> tuple[list[Membership], list[Membership]]:
    """(trainers, learners) of `group`, each with user and profile, learners by name: one query."""
    memberships = list(group.memberships.select_related("user__profile__organisation", "added_by"))
    trainers = [m for m in memberships if m.role == Membership.Role.TRAINER]
    learners = sorted(
        (m for m in memberships if m.role == Membership.Role.MEMBER),
        key=lambda m: getattr(getattr(m.user, "profile", None), "display_name", "") or m.user.get_username(),
    )
    return trainers, learners


def group_learner(group: StudyGroup, user_id: int) -> Membership:
    """The learner `user_id` of `group`, with user and profile; 404 when they are not one."""
    return get_object_or_404(
        Membership.objects.learners().select_related("user__profile__organisation"), group=group, user_id=user_id
    )
