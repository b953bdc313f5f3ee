"""Reads of study groups and invitations, with the access rule: a group's page is for its trainers and
the admins. What those pages show of a learner's study is quizzes/visibility.py's rule."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import Invitation, Membership, StudyGroup


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


def pending_invitations(user: User) -> QuerySet[Invitation]:
    """The invitations waiting for `user`'s answer, newest first, with group and inviter."""
    return Invitation.objects.pending().filter(user=user).select_related("group", "invited_by__profile")


def group_pending_invitations(group: StudyGroup) -> QuerySet[Invitation]:
    """The invitations of `group` still waiting for an answer, with the invited people."""
    return group.invitations.pending().select_related("user__profile").order_by("created_at", "id")
