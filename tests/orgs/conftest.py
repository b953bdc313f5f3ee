"""A small organisation tree with people and hand-made daily aggregates, for the organisation pages.

全国总工会
├── 北京市          (直属: 北京甲)
│   ├── 朝阳区      (直属: 朝阳甲)
│   │   └── 望京街道工会   (望京甲, 望京乙)
│   └── 海淀区      (海淀甲, 海淀乙)
└── 上海市          (上海甲)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from quizzes.core.rules import study_day
from quizzes.models import DailyActivity
from studyapp.people.models import Organisation, OrganisationManager
from tests.factories import ProfileFactory, UserFactory


@dataclass
class Tree:
    orgs: dict[str, Organisation] = field(default_factory=dict)
    people: dict[str, object] = field(default_factory=dict)  # name → user
    today: date = date.min

    def __getitem__(self, name: str) -> Organisation:
        return self.orgs[name]


LAYOUT = [
    ("全国总工会", None),
    ("北京市", "全国总工会"),
    ("朝阳区", "北京市"),
    ("望京街道工会", "朝阳区"),
    ("海淀区", "北京市"),
    ("上海市", "全国总工会"),
]
PEOPLE = [
    ("北京甲", "北京市"),
    ("朝阳甲", "朝阳区"),
    ("望京甲", "望京街道工会"),
    ("望京乙", "望京街道工会"),
    ("海淀甲", "海淀区"),
    ("海淀乙", "海淀区"),
    ("上海甲", "上海市"),
]
EARLY, LATE = 12, 2  # days before today


@pytest.fixture
def tree(db) -> Tree:
    tree = Tree(today=study_day(timezone.now()))
    for name, parent in LAYOUT:
        tree.orgs[name] = Organisation.objects.create(name=name, parent=tree.orgs[parent] if parent else None)
    for index, (name, organisation) in enumerate(PEOPLE):
        tree.people[name] = ProfileFactory(
            display_name=name, organisation=tree.orgs[organisation], user__username=f"person{index}"
        ).user
    return tree


@pytest.fixture
def activity(tree) -> Tree:
    """Hand-made aggregates (answers, correct, credit, finished) on two days, 12 and 2 days ago."""
    early, late = tree.today - timedelta(days=EARLY), tree.today - timedelta(days=LATE)
    rows = [
        ("朝阳甲", early, 10, 6, 6.5, 1),
        ("朝阳甲", late, 5, 5, 5.0, 0),
        ("望京甲", early, 4, 2, 2.0, 0),
        ("海淀甲", late, 6, 3, 3.0, 1),
        ("海淀乙", late, 0, 0, 0.0, 1),  # a quiz that ran out of time, nothing answered that day
        ("北京甲", early, 2, 2, 2.0, 0),
        ("上海甲", early, 100, 90, 90.0, 10),
    ]
    DailyActivity.objects.bulk_create(
        DailyActivity(user=tree.people[name], day=day, answers=a, correct=c, credit=cr, finished=f)
        for name, day, a, c, cr, f in rows
    )
    return tree


def manager_of(organisation: Organisation, username: str = "manager"):
    # Managers are counted nowhere here (no organisation of their own), so the figures stay hand-made.
    user = ProfileFactory(display_name="周主任", organisation=None, user__username=username).user
    OrganisationManager.objects.create(user=user, organisation=organisation)
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def chaoyang_manager(tree):
    return manager_of(tree["朝阳区"], "chaoyang-manager")


@pytest.fixture
def beijing_manager(tree):
    return manager_of(tree["北京市"], "beijing-manager")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="org-admin", is_staff=True)
