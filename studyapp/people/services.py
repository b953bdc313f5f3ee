"""Writes to people and organisations: the demo accounts."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.db import transaction
from django.utils.translation import gettext as _

from .models import TRAINERS_GROUP, Organisation, Profile

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

    @property
    def label(self) -> str:
        if self.superuser:
            return _("管理员")
        if self.trainer:
            return _("培训师")
        return str(Profile.Role(self.role).label)


DEMO_ACCOUNTS: list[DemoAccount] = [
    DemoAccount("admin", "demo-admin-2026", "系统管理员", Profile.Role.CADRE, "全国总工会", superuser=True),
    DemoAccount("trainer", "demo-trainer-2026", "王培训", Profile.Role.CADRE, "某省总工会", trainer=True),
    DemoAccount("cadre1", "demo-cadre-2026", "李干部", Profile.Role.CADRE, "某市总工会"),
    DemoAccount("cadre2", "demo-cadre-2026", "赵干部", Profile.Role.CADRE, "某企业工会"),
    DemoAccount("member1", "demo-member-2026", "张会员", Profile.Role.MEMBER, "某企业工会"),
    DemoAccount("member2", "demo-member-2026", "陈会员", Profile.Role.MEMBER, "某市总工会"),
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
    return accounts
