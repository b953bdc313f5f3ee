"""Which home page a person lands on at `/`: the one rule, asked by the home view and the menu.

Admins (staff and superusers)
    The admin home: the document, its imports, the question bank and how much people study.
Trainers (someone who trains at least one study group)
    The trainer home: their groups, who has not started what is due, the groups' weakest tasks.
Everyone else — learners, and organisation managers who train no group
    The learner's dashboard (managers reach their reports from the menu, as before).

Everyone keeps their own study at `/study/` (quizzes:study), linked from both other homes.
"""

from __future__ import annotations

from typing import Literal

from django.contrib.auth.models import AnonymousUser, User

from studyapp.people.models import Membership, is_admin

Home = Literal["admin", "trainer", "learner"]


def home_for(user: User | AnonymousUser) -> Home:
    """The home `user` lands on: no query for an admin, one for anyone else."""
    if is_admin(user):
        return "admin"
    if user.is_authenticated and Membership.objects.trainers().filter(user_id=user.pk).exists():
        return "trainer"
    return "learner"
