"""Writes to people and organisations: the demo accounts, study groups, their members and invitations."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    INVITE_ALPHABET,
    INVITE_LENGTH,
    TRAINERS_GROUP,
    Invitation,
    Membership,
    Organisation,
    OrganisationManager,
    Profile,
    StudyGroup,
    display_name,
    is_trainer,
)

# Demo passwords are fixed and printed on purpose: they are for a demonstration install only.
ORGANISATION_TREE: list[tuple[str, str | None]] = [
    ("全国总工会", None),
    ("某省总工会", "全国总工会"),
    ("某市总工会", "某省总工会"),
    ("某企业工会", "某市总工会"),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    display_name: str
    role: str
    organisation: str
    superuser: bool = False
    trainer: bool = False
    manager: bool = False  # manages their own organisation (quizzes/orgs/: the organisation reports)

    @property
    def label(self) -> str:
        if self.superuser:
            return _("管理员")
        if self.trainer:
            return _("培训师")
        if self.manager:
            return _("组织管理员")
        return str(Profile.Role(self.role).label)


DEMO_ACCOUNTS: list[DemoAccount] = [
    DemoAccount("admin", "demo-admin-2026", "系统管理员", Profile.Role.CADRE, "全国总工会", superuser=True),
    DemoAccount("trainer", "demo-trainer-2026", "王培训", Profile.Role.CADRE, "某省总工会", trainer=True),
    DemoAccount("cadre1", "demo-cadre-2026", "李干部", Profile.Role.CADRE, "某市总工会"),
    DemoAccount("cadre2", "demo-cadre-2026", "赵干部", Profile.Role.CADRE, "某企业工会"),
    DemoAccount("member1", "demo-member-2026", "张会员", Profile.Role.MEMBER, "某企业工会"),
    DemoAccount("member2", "demo-member-2026", "陈会员", Profile.Role.MEMBER, "某市总工会"),
    DemoAccount("manager", "demo-manager-2026", "周主任", Profile.Role.CADRE, "某省总工会", manager=True),
]


@transaction.atomic
def organisations_ensure() -> dict[str, Organisation]:
    """The demo organisation tree (全国总工会 → 某省总工会 → 某市总工会 → 某企业工会), created once."""
    by_name: dict[str, Organisation] = {}
    for name, parent in ORGANISATION_TREE:
        by_name[name], _created = Organisation.objects.get_or_create(
            name=name, parent=by_name[parent] if parent else None
        )
    return by_name


@transaction.atomic
def demo_accounts_ensure(*, accounts: list[DemoAccount] = DEMO_ACCOUNTS) -> list[DemoAccount]:
    """Create or reset the demo accounts, their profiles and the trainers group; safe to run again.

    Existing demo users get their demo password, flags and profile back, so the printed table is
    always true after a run.
    """
    organisations = organisations_ensure()
    trainers, _created = Group.objects.get_or_create(name=TRAINERS_GROUP)
    User = get_user_model()
    for account in accounts:
        user: AbstractUser
        user, _created = User.objects.get_or_create(username=account.username)
        user.is_superuser = user.is_staff = account.superuser
        user.is_active = True
        user.set_password(account.password)
        user.full_clean(exclude=["password"])
        user.save()
        if account.trainer:
            user.groups.add(trainers)
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "display_name": account.display_name,
                "role": account.role,
                "organisation": organisations[account.organisation],
            },
        )
        if account.manager:
            OrganisationManager.objects.get_or_create(user=user, organisation=organisations[account.organisation])
    return accounts


# --- Study groups ----------------------------------------------------------------------------------


def invite_code_new() -> str:
    """A fresh random invite code (CSPRNG, ~59 bits)."""
    return "".join(secrets.choice(INVITE_ALPHABET) for _i in range(INVITE_LENGTH))


def invite_code_normalise(text: str) -> str:
    """What a learner typed, as stored: upper case, without the spaces and dashes shown for reading."""
    return "".join(char for char in text.upper() if char.isalnum())


def unique_invite_code() -> str:
    """A fresh invite code that no group has."""
    while True:
        code = invite_code_new()
        if not StudyGroup.objects.filter(invite_code=code).exists():
            return code


@transaction.atomic
def group_create(*, name: str, trainer: User, description: str = "") -> StudyGroup:
    """Create a study group with `trainer` as its first trainer and a fresh invite code.

    Raises PermissionDenied unless `trainer` is a trainer (or an admin).
    """
    if not is_trainer(trainer):
        raise PermissionDenied
    group = StudyGroup(name=name.strip(), description=description.strip(), invite_code=unique_invite_code())
    group.created_by = trainer
    group.full_clean()
    group.save()
    Membership.objects.create(group=group, user=trainer, role=Membership.Role.TRAINER, added_by=trainer)
    return group


@transaction.atomic
def group_invite_regenerate(*, group: StudyGroup) -> str:
    """Give `group` a new invite code; the old one stops working at once. Members stay."""
    group.invite_code = unique_invite_code()
    group.full_clean()
    group.save(update_fields=["invite_code"])
    return group.invite_code


@transaction.atomic
def group_join(*, code: str, user: User) -> Membership:
    """Join the group whose invite code is `code` as a learner, from now on: joining is the consent to
    its trainers seeing one's study from this moment (quizzes/visibility.py). Joining again changes
    nothing.

    Raises ValidationError for a code that matches no group, or when `user` trains that group.
    """
    normalised = invite_code_normalise(code)
    group = StudyGroup.objects.filter(invite_code=normalised).first() if len(normalised) == INVITE_LENGTH else None
    if group is None:
        raise ValidationError(_("邀请码不对，请核对后再输入。"), code="invalid")
    existing = Membership.objects.filter(group=group, user=user).first()
    if existing is not None:
        if existing.role == Membership.Role.TRAINER:
            raise ValidationError(_("你是这个小组的培训师，不需要以学员身份加入。"), code="trainer")
        return existing
    membership = Membership(group=group, user=user, role=Membership.Role.MEMBER, joined_at=timezone.now())
    membership.full_clean(validate_unique=False)
    membership.save()
    # Joining by the code answers any invitation to the same group.
    Invitation.objects.pending().filter(group=group, user=user).update(
        status=Invitation.Status.ACCEPTED, answered_at=membership.joined_at
    )
    return membership


# --- Invitations: joining is the consent ----------------------------------------------------------
# A trainer never adds a person: joining a group lets its trainers see one's mastery, the group's
# assignment work and practice from that moment on (quizzes/visibility.py), so the person joins
# themselves, with the invite code or by accepting an invitation.


@transaction.atomic
def invitation_create(
    *, group: StudyGroup, username: str, invited_by: User, role: str = Membership.Role.MEMBER
) -> Invitation:
    """Invite the user called `username` to `group` as a learner or (if they may train) as a trainer;
    they are in the group only once they accept.

    Raises ValidationError for an unknown or inactive login, a person already in the group or already
    invited to it, or a trainer who is not in the trainers group.
    """
    User = get_user_model()
    user = User.objects.filter(username=username.strip(), is_active=True).first()
    if user is None:
        raise ValidationError(_("没有登录名为“%(username)s”的用户。") % {"username": username.strip()}, code="unknown")
    if role not in Membership.Role.values:
        raise ValidationError(_("未知角色。"), code="role")
    if role == Membership.Role.TRAINER and not is_trainer(user):
        raise ValidationError(_("只有培训师（或管理员）才能担任小组的培训师。"), code="not_trainer")
    existing = Membership.objects.filter(group=group, user=user).first()
    if existing is not None:
        raise ValidationError(
            _("%(name)s 已在小组中（%(role)s）。") % {"name": display_name(user), "role": existing.get_role_display()},
            code="exists",
        )
    already_invited = ValidationError(
        _("已经邀请过 %(name)s，正在等待对方回复。") % {"name": display_name(user)}, code="invited"
    )
    if Invitation.objects.pending().filter(group=group, user=user).exists():
        raise already_invited
    invitation = Invitation(group=group, user=user, role=role, invited_by=invited_by)
    invitation.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():  # a savepoint: the constraint settles two trainers inviting at once
            invitation.save()
    except IntegrityError:
        raise already_invited from None
    return invitation


def _pending_invitation(*, invitation_id: object, user: User) -> Invitation:
    """`user`'s own pending invitation `invitation_id`, locked; ValidationError for anything else
    (someone else's, answered, cancelled, or no such id), so a forged request changes nothing."""
    invitation = (
        Invitation.objects.pending()
        .select_for_update()
        .select_related("group")
        .filter(pk=invitation_id if str(invitation_id).isdigit() else None, user=user)
        .first()
    )
    if invitation is None:
        raise ValidationError(_("这份邀请不存在，或已经处理过了。"), code="gone")
    return invitation


@transaction.atomic
def invitation_accept(*, invitation_id: object, user: User, now: datetime | None = None) -> Membership:
    """`user` accepts their invitation: they join its group, with joined_at = now (what the group's
    trainers see of their practice starts there). Already in the group (by the code meanwhile):
    nothing changes but the invitation's status.

    Raises ValidationError when it is not `user`'s pending invitation, or when a trainer's place is
    offered to someone who is no longer a trainer.
    """
    now = now or timezone.now()
    invitation = _pending_invitation(invitation_id=invitation_id, user=user)
    membership = Membership.objects.filter(group=invitation.group, user=user).first()
    if membership is None:
        if invitation.role == Membership.Role.TRAINER and not is_trainer(user):
            raise ValidationError(_("只有培训师（或管理员）才能担任小组的培训师。"), code="not_trainer")
        membership = Membership(
            group=invitation.group, user=user, role=invitation.role, joined_at=now, added_by=invitation.invited_by
        )
        membership.full_clean(validate_unique=False)
        membership.save()
    invitation.status, invitation.answered_at = Invitation.Status.ACCEPTED, now
    invitation.save(update_fields=["status", "answered_at"])
    return membership


@transaction.atomic
def invitation_decline(*, invitation_id: object, user: User, now: datetime | None = None) -> Invitation:
    """`user` declines their invitation; the trainers see nothing of them. ValidationError when it is
    not `user`'s pending invitation."""
    invitation = _pending_invitation(invitation_id=invitation_id, user=user)
    invitation.status, invitation.answered_at = Invitation.Status.DECLINED, now or timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    return invitation


@transaction.atomic
def invitation_cancel(*, group: StudyGroup, invitation_id: int, now: datetime | None = None) -> Invitation:
    """A trainer of `group` withdraws its pending invitation `invitation_id`; they may invite again.

    Raises Invitation.DoesNotExist when `group` has no such pending invitation.
    """
    invitation = (
        Invitation.objects.pending().select_for_update().select_related("user").get(group=group, pk=invitation_id)
    )
    invitation.status, invitation.answered_at = Invitation.Status.CANCELLED, now or timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    return invitation


@transaction.atomic
def group_member_remove(*, group: StudyGroup, user_id: int) -> None:
    """Take a person out of `group`; their answers and results stay theirs. The last trainer and the
    group's creator stay.

    Raises Membership.DoesNotExist when they are not in the group, ValidationError for its creator
    or its last trainer.
    """
    membership = Membership.objects.select_for_update().get(group=group, user_id=user_id)
    if group.created_by_id is not None and membership.user_id == group.created_by_id:
        raise ValidationError(_("不能把创建小组的培训师移出小组。"), code="creator")
    if membership.role == Membership.Role.TRAINER and group.memberships.trainers().count() <= 1:
        raise ValidationError(_("小组至少要有一名培训师。"), code="last_trainer")
    membership.delete()


# --- A learner's own settings ---------------------------------------------------------------------


@transaction.atomic
def profile_goal_set(*, user: User, goal: int) -> Profile:
    """Set `user`'s daily goal (questions a day), creating their profile if they have none.

    Raises ValidationError outside DAILY_GOAL_MIN … DAILY_GOAL_MAX; nothing is saved then."""
    profile = Profile.objects.select_for_update().filter(user=user).first() or Profile(user=user)
    profile.daily_goal = goal
    profile.full_clean(exclude=["user"])
    profile.save()
    user.profile = profile
    return profile
