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
    See their organisation's subtree only: aggregates over it (participation, scores, mastery by
    task per organisation), each person's participation (whether and how much they answered, quizzes
    finished: the DailyActivity aggregates) and assignment results (Attempt rows with an assignment);
    never practice details — no answer, no wrong answer, no practice attempt, no person's mastery. Organisations outside their subtrees answer 404, and the
    organisation pages 403 to anyone who manages none. See the section at the end of this module.
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
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.shortcuts import get_object_or_404

from studyapp.people.models import Membership, Organisation, OrganisationManager, Profile, StudyGroup, is_admin

from .models import Answer, Attempt, DailyActivity


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


# --- Organisation managers --------------------------------------------------------------------------
# A manager of an organisation (people.OrganisationManager) sees its subtree — the organisation and every
# organisation under it (Organisation.path prefixes) — and nothing above or beside it: other
# organisations and their people answer 404. Of the people whose profile is in the subtree they see
# aggregates (DailyActivity: how much each answered and finished, per study day — participation; mastery
# by task summed per organisation) and assignment results (Attempt rows with an assignment: scores,
# completion); never practice details: no answer, no wrong answer, no practice attempt, no person's
# mastery. A signed-in person who manages
# nothing (and is no admin) gets 403 on the organisation pages. Admins see every organisation.
# Every organisation page (quizzes/orgs/) starts from these querysets.


def manages_any(viewer: User | AnonymousUser) -> bool:
    """Whether `viewer` manages at least one organisation (admins aside): one query."""
    return bool(viewer.is_authenticated and OrganisationManager.objects.filter(user_id=viewer.pk).exists())


def organisations_managed(viewer: User | AnonymousUser) -> QuerySet[Organisation]:
    """The organisations whose subtree `viewer` sees as a whole: those they manage; for an admin, the
    roots of the tree. Empty for anyone else."""
    if sees_everything(viewer):
        return Organisation.objects.filter(parent__isnull=True)
    if not viewer.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(managers__user_id=viewer.pk).distinct()


def organisations_seen(viewer: User | AnonymousUser) -> QuerySet[Organisation]:
    """Every organisation `viewer` may open: the subtrees of those they manage; all for an admin."""
    if sees_everything(viewer):
        return Organisation.objects.all()
    managed = list(organisations_managed(viewer).only("pk", "path"))
    return Organisation.objects.subtree_of(managed)


def organisation_seen(viewer: User | AnonymousUser, pk: int) -> Organisation:
    """Organisation `pk` if `viewer` may see it: 403 for someone who manages nothing, 404 for an
    organisation outside their subtrees (so that other organisations do not exist for them)."""
    if not sees_everything(viewer) and not manages_any(viewer):
        raise PermissionDenied
    return get_object_or_404(organisations_seen(viewer), pk=pk)


def people_seen_by_manager(viewer: User, organisation: Organisation) -> QuerySet[Profile]:
    """The people of `organisation`'s subtree (an organisation from organisation_seen()): their
    profiles, whose participation and assignment results `viewer` sees."""
    return Profile.objects.filter(organisation__path__startswith=organisation.path)


def person_seen_by_manager(viewer: User, organisation: Organisation, user_id: int) -> Profile:
    """The person `user_id` if their profile is in `organisation`'s subtree; 404 otherwise."""
    return get_object_or_404(
        people_seen_by_manager(viewer, organisation).select_related("user", "organisation"), user_id=user_id
    )


def participation_seen(viewer: User, organisation: Organisation) -> QuerySet[DailyActivity]:
    """Participation (per person and study day: answers, right, credit, quizzes finished) of the people
    of `organisation`'s subtree: aggregates only, nothing of what was answered."""
    # An IN over the people (one indexed prefix match on the organisations, then the profiles by
    # organisation): the database reads each person's days by the (user, day) index, never every row.
    return DailyActivity.objects.filter(user_id__in=people_seen_by_manager(viewer, organisation).values("user_id"))


def assignment_results_seen(viewer: User, organisation: Organisation) -> QuerySet[Attempt]:
    """The assignment attempts (scores, completion) of the people of `organisation`'s subtree; never a
    practice, review or retry attempt."""
    return Attempt.objects.filter(
        assignment__isnull=False, user_id__in=people_seen_by_manager(viewer, organisation).values("user_id")
    )


def mastery_user_ids_of_organisation(viewer: User, organisation: Organisation) -> QuerySet[Any]:
    """Whose mastery the manager sees summed per organisation (never per person): every person of the
    subtree."""
    return people_seen_by_manager(viewer, organisation).values("user_id")
