"""Who sees what of a person's study: the one rule, asked by every page that shows one person's
data to someone else.

The rule (from the product guide)
---------------------------------
Learners
    See all of their own data: their pages read `Attempt.objects.for_user(user)` and
    `PointState.objects.for_user(user)` and nobody else's.
A group's trainers
    See each learner's *current* mastery, *everything* done in the group's assignments, and
    *practice* (practice quizzes, reviews, retries) from the moment the learner joined the group
    (`Membership.joined_at`), not before. Joining — with the invite code, or by accepting a
    trainer's invitation — is the consent, and the join and invitation pages say so. Nothing else:
    not the learner's work in other groups' assignments, nothing of a person who was only invited,
    nothing of another group (its pages and members answer 404).
Organisation managers
    Not built yet (no organisation model has managers). See the section at the end of this module:
    that is where their rule goes.
Admins (staff and superusers)
    See everything.

Every trainer-facing read — the member page, the group report and its analysis, the exports, the
common wrong answers — starts from the querysets here, so a page cannot show more than the rule
allows by forgetting a filter. Practice is cut per answer (`Answer.answered_at`) and per attempt
(`Attempt.started_at`): a quiz begun before joining stays hidden as a sitting even if it was
finished after, while its later answers count in the analysis.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import F, Q, QuerySet
from django.shortcuts import get_object_or_404

from studyapp.people.models import Membership, StudyGroup, is_admin

from .models import Answer, Attempt


def sees_everything(viewer: User | AnonymousUser) -> bool:
    """Admins (staff and superusers) see every group and all of everyone's study."""
    return is_admin(viewer)


def group_seen(viewer: User, pk: int) -> StudyGroup:
    """Group `pk` if `viewer` trains it or is an admin; 404 otherwise, so other groups do not exist."""
    return get_object_or_404(StudyGroup.objects.managed_by(viewer), pk=pk)


def learners(group: StudyGroup) -> QuerySet[Membership]:
    """The group's learners (not its trainers, not people only invited): whom its trainers see."""
    return Membership.objects.learners().filter(group=group)


def learner_seen(group: StudyGroup, user_id: int) -> Membership:
    """The learner `user_id` of `group` (a group from group_seen()), with user and profile; 404 when
    they are not one — another group's member, a trainer, someone only invited."""
    return get_object_or_404(learners(group).select_related("user__profile__organisation"), user_id=user_id)


def mastery_user_ids(group: StudyGroup) -> QuerySet[Any]:
    """Whose mastery the group's trainers see: every learner's, as it is now (mastery is a state, not
    a history: progress.mastery_by_member counts it over these ids)."""
    return learners(group).values("user_id")


def attempts_seen(viewer: User, group: StudyGroup) -> QuerySet[Attempt]:
    """The attempts of `group`'s learners that `viewer` sees: for a trainer, all of them at the
    group's assignments and the practice ones started since the learner joined; for an admin, all."""
    if sees_everything(viewer):
        return Attempt.objects.filter(user__in=learners(group).values("user_id"))
    # One filter() call, so both conditions and joined_at come from the same membership row.
    return Attempt.objects.filter(
        Q(assignment__group=group) | Q(assignment__isnull=True, started_at__gte=F("user__memberships__joined_at")),
        user__memberships__group=group,
        user__memberships__role=Membership.Role.MEMBER,
    )


def answers_seen(viewer: User, group: StudyGroup) -> QuerySet[Answer]:
    """The answers of `group`'s learners that `viewer` sees: for a trainer, all of them at the group's
    assignments and the practice ones given since the learner joined; for an admin, all."""
    if sees_everything(viewer):
        return Answer.objects.filter(attempt_question__attempt__user__in=learners(group).values("user_id"))
    attempt = "attempt_question__attempt__"
    return Answer.objects.filter(
        Q(**{f"{attempt}assignment__group": group})
        | Q(**{f"{attempt}assignment__isnull": True, "answered_at__gte": F(f"{attempt}user__memberships__joined_at")}),
        **{f"{attempt}user__memberships__group": group, f"{attempt}user__memberships__role": Membership.Role.MEMBER},
    )


# --- Organisation managers (not built) -----------------------------------------------------------------
# When organisations get managers, their rule goes here, beside the trainers': a manager of an
# organisation sees aggregates over its subtree (Organisation.children, recursively) and each person's
# participation and assignment results — `Attempt` rows with an assignment, counted — but never
# practice, answers or wrong answers. Write it as `organisation_seen()` / `participation_seen()`
# querysets and make the organisation pages start from them, as the group pages start from the above.
