"""Every form that takes a POST answers any POST with 2xx, 3xx or 4xx: never a server error; and a
POST about someone else's, an answered or a made-up invitation (or a group one does not train) changes
nothing."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import event, given
from hypothesis import strategies as st

from quizzes import services
from quizzes.selectors import attempt_current_item
from studyapp.people import services as people_services
from studyapp.people.models import Invitation, Membership
from tests import factories
from tests.fuzz.support import FUZZ, nasty_text, rolled_back

pytestmark = [*FUZZ, pytest.mark.django_db]


@dataclass
class World:
    """Who posts and what they post about: a learner with an attempt half answered and an assignment
    in a trainer's group, the trainer, a staff editor, an inactive document version, and a person
    invited to the group (with an invitation withdrawn before, and one to another group declined);
    the learner is invited to that other group too."""

    users: dict[str, Any]
    ids: dict[str, Any]


@pytest.fixture
def world(small_bank, learner, trainer, study_group) -> World:
    factories.MembershipFactory(group=study_group, user=learner)
    attempt = services.attempt_start(user=learner, length=5, rng=random.Random(3))
    first = attempt_current_item(attempt)
    services.answer_submit(item=first, user=learner, given=first.question.kind.wrong_answer(first.question))
    item = attempt_current_item(attempt)
    assignment = factories.AssignmentFactory(group=study_group)
    staff = factories.UserFactory(username="fuzz-editor", is_staff=True)
    other = factories.DocumentVersionFactory(document=small_bank.version.document, is_active=False)
    invitee = factories.ProfileFactory(display_name="王受邀").user
    withdrawn = people_services.invitation_create(group=study_group, username=invitee.username, invited_by=trainer)
    people_services.invitation_cancel(group=study_group, invitation_id=withdrawn.pk)
    invitation = people_services.invitation_create(group=study_group, username=invitee.username, invited_by=trainer)
    other_group = factories.StudyGroupFactory(name="乙班")
    other_trainer = factories.MembershipFactory(group=other_group, trainer=True).user
    declined = people_services.invitation_create(group=other_group, username=invitee.username, invited_by=other_trainer)
    people_services.invitation_decline(invitation_id=declined.pk, user=invitee)
    other_invitation = people_services.invitation_create(
        group=other_group, username=learner.username, invited_by=other_trainer
    )
    return World(
        users={"learner": learner, "trainer": trainer, "staff": staff, "invitee": invitee},
        ids={
            "attempt": attempt.pk,
            "item": item.pk,
            "group": study_group.pk,
            "learner": learner.pk,
            "trainer": trainer.pk,
            "assignment": assignment.pk,
            "version": other.number,
            "topic": small_bank.topics[0].key,
            "question": small_bank.questions[0].pk,
            "invite": study_group.invite_code,
            "learner_name": learner.username,
            "trainer_name": factories.ProfileFactory().user.username,
            "invitee_name": invitee.username,
            "invitation": invitation.pk,
            "withdrawn": withdrawn.pk,
            "declined": declined.pk,
            "other_group": other_group.pk,
            "other_invitation": other_invitation.pk,
            "missing": other_invitation.pk + 1000,
        },
    )


# (who, url name, its arguments (keys of World.ids), the form's field names)
ENDPOINTS = [
    ("learner", "quizzes:start", [], ["scope", "question_type", "length"]),
    ("learner", "worksheets:new", [], ["scope", "question_type", "length"]),
    (
        "learner",
        "quizzes:answer",
        ["attempt"],
        ["item", "token", "blank-0", "blank-1", "choice", "pair-0", "pair-1", "pair-2", "elapsed"],
    ),
    ("learner", "quizzes:retry", ["attempt"], []),
    ("learner", "quizzes:review", [], []),
    ("trainer", "groups:create", [], ["name", "description"]),
    ("learner", "groups:join", [], ["code"]),
    ("trainer", "groups:invite", ["group"], ["username", "role"]),
    ("trainer", "groups:invitation_cancel", ["group", "invitation"], []),
    ("invitee", "groups:invitation_accept", ["invitation"], []),
    ("invitee", "groups:invitation_decline", ["invitation"], []),
    ("learner", "groups:invitation_accept", ["other_invitation"], []),
    ("trainer", "groups:member_remove", ["group", "learner"], []),
    ("trainer", "groups:member_remove", ["group", "trainer"], []),
    ("trainer", "groups:invite_regenerate", ["group"], []),
    (
        "trainer",
        "groups:assignment_new",
        ["group"],
        [
            "action",
            "title",
            "mode",
            "scope",
            "question_type",
            "length",
            "questions",
            "opens_at",
            "closes_at",
            "time_limit_minutes",
        ],
    ),
    ("learner", "groups:assignment_start", ["assignment"], []),
    ("staff", "documents:upload", [], ["source"]),
    ("staff", "documents:activate", ["version"], ["confirm_title"]),
    ("staff", "documents:confirm", ["version"], ["confirm_title"]),
    ("learner", "password_change", [], ["old_password", "new_password1", "new_password2"]),
]

# Values a real form would send, so that examples get past the first checks too.
PLAUSIBLE = [
    "",
    "0",
    "1",
    "5",
    "10",
    "-1",
    "99999999999999999999",
    "document",
    "mixed",
    "cloze",
    "choice",
    "matching",
    "generated",
    "fixed",
    "preview",
    "save",
    "member",
    "trainer",
    "on",
    "2026-11-27T09:00",
    "2026-12-04 18:00",
    "9999-12-31T23:59",
    "0001-01-01T00:00",
    "劳模精神",
    "职工书屋",
    "不知道",
]


def _good_values(ids: dict[str, Any]) -> dict[str, list[str]]:
    """Per field, values the real form sends: most examples fill most fields well and spoil a few."""
    return {
        "scope": ["document", f"topic:{ids['topic']}", f"task:{ids['topic']}"],
        "question_type": ["mixed", "cloze", "choice", "matching", "truefalse", "multiselect"],
        "length": ["5", "10", "20"],
        "item": [str(ids["item"])],
        "token": ["tok-1"],
        "blank-0": ["劳模精神", "不知道"],
        "blank-1": ["职工书屋"],
        "choice": ["0", "1"],
        "name": ["十八大精神学习班"],
        "description": ["每周一次"],
        "code": [ids["invite"]],
        "username": [ids["learner_name"], ids["trainer_name"], ids["invitee_name"]],
        "role": ["member", "trainer"],
        "action": ["preview", "save"],
        "title": ["第一次测验"],
        "mode": ["generated", "fixed"],
        "questions": [str(ids["question"])],
        "opens_at": ["2026-11-27T09:00"],
        "closes_at": ["2026-12-04T18:00"],
        "time_limit_minutes": ["", "30"],
        "confirm_title": ["on"],
        "old_password": ["wrong"],
        "new_password1": ["a-new-passphrase-2026"],
        "new_password2": ["a-new-passphrase-2026"],
    }


@st.composite
def posts(draw, fields: list[str], ids: dict[str, Any]) -> dict[str, list[str]]:
    anything = st.lists(st.one_of(nasty_text, st.sampled_from(PLAUSIBLE)), min_size=1, max_size=3)
    good = _good_values(ids)
    data: dict[str, list[str]] = {}
    for field in fields:
        how = draw(st.sampled_from(["good", "good", "good", "anything", "absent"]))
        if how == "good":
            data[field] = [draw(st.sampled_from(good.get(field, PLAUSIBLE)))]
        elif how == "anything":
            data[field] = draw(anything)
    data.update(draw(st.dictionaries(nasty_text, anything, max_size=3)))
    return data


@pytest.mark.parametrize(
    ("who", "name", "args", "fields"),
    ENDPOINTS,
    ids=[f"{name}({','.join(args)})" for _who, name, args, _fields in ENDPOINTS],
)
def test_any_post_gets_an_answer_below_500(world, who, name, args, fields):
    url = reverse(name, args=[world.ids[arg] for arg in args])
    client = Client()

    @given(data=posts(fields, world.ids), htmx=st.booleans())
    def post_anything(data, htmx):
        with rolled_back():
            client.force_login(world.users[who])
            headers = {"HX-Request": "true"} if htmx else {}
            response = client.post(
                url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded", headers=headers
            )
        event(f"status {response.status_code}")
        assert response.status_code < 500, f"POST {url} {data!r} → {response.status_code}"

    post_anything()


# (who, url name, its arguments): a POST about an invitation or group that is not the poster's to
# answer — someone else's, already answered, another group's, made up — or to a group they do not train.
FORGED = [
    ("learner", "groups:invitation_accept", ["invitation"]),
    ("learner", "groups:invitation_decline", ["invitation"]),
    ("invitee", "groups:invitation_accept", ["other_invitation"]),
    ("invitee", "groups:invitation_decline", ["other_invitation"]),
    ("invitee", "groups:invitation_accept", ["withdrawn"]),
    ("invitee", "groups:invitation_accept", ["declined"]),
    ("invitee", "groups:invitation_decline", ["declined"]),
    ("invitee", "groups:invitation_accept", ["missing"]),
    ("invitee", "groups:invitation_decline", ["missing"]),
    ("trainer", "groups:invitation_cancel", ["group", "other_invitation"]),
    ("trainer", "groups:invitation_cancel", ["group", "withdrawn"]),
    ("trainer", "groups:invitation_cancel", ["group", "missing"]),
    ("trainer", "groups:invitation_cancel", ["other_group", "other_invitation"]),
    ("invitee", "groups:invitation_cancel", ["group", "invitation"]),
    ("trainer", "groups:invite", ["other_group"]),
    ("invitee", "groups:invite", ["group"]),
]


def invitations_and_memberships() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    return (
        list(Invitation.objects.order_by("pk").values_list("pk", "group", "user", "role", "status", "answered_at")),
        list(Membership.objects.order_by("pk").values_list("pk", "group", "user", "role", "joined_at")),
    )


@pytest.mark.parametrize(
    ("who", "name", "args"),
    FORGED,
    ids=[f"{who}:{name}({','.join(args)})" for who, name, args in FORGED],
)
def test_a_post_about_someone_elses_or_a_made_up_invitation_changes_nothing(world, who, name, args):
    url = reverse(name, args=[world.ids[arg] for arg in args])
    client = Client()
    fields = ["username", "role"] if name == "groups:invite" else []

    @given(data=posts(fields, world.ids), htmx=st.booleans())
    def post_anything(data, htmx):
        with rolled_back():
            client.force_login(world.users[who])
            before = invitations_and_memberships()
            headers = {"HX-Request": "true"} if htmx else {}
            response = client.post(
                url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded", headers=headers
            )
            after = invitations_and_memberships()
        event(f"status {response.status_code}")
        assert response.status_code < 500, f"POST {url} {data!r} → {response.status_code}"
        assert after == before, f"POST {url} {data!r} changed the invitations or memberships"

    post_anything()
