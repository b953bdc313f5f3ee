"""Every form that takes a POST answers any POST with 2xx, 3xx or 4xx: never a server error."""

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
from tests import factories
from tests.fuzz.support import FUZZ, nasty_text, rolled_back

pytestmark = [*FUZZ, pytest.mark.django_db]


@dataclass
class World:
    """Who posts and what they post about: a learner with an attempt half answered and an assignment
    in a trainer's group, the trainer, a staff editor and an inactive document version."""

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
    return World(
        users={"learner": learner, "trainer": trainer, "staff": staff},
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
        },
    )


# (who, url name, its arguments (keys of World.ids), the form's field names)
ENDPOINTS = [
    ("learner", "quizzes:start", [], ["scope", "question_type", "length"]),
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
        "username": [ids["learner_name"], ids["trainer_name"]],
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
