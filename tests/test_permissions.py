"""Who sees what: a trainer sees their own groups and those members' results, a learner only their
own results, an admin everything; every other request answers 404 (403 for creating a group)."""

import pytest
from django.test import Client
from django.urls import reverse

from quizzes.groups import services as group_services
from tests.factories import AssignmentFactory, MembershipFactory, ProfileFactory, StudyGroupFactory, UserFactory
from tests.support import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(small_bank, make_trainer):
    """Group A (trainer A, learner a1 and a2) and group B (trainer B, learner b1), an open assignment
    in each, and an attempt by a1 and by b1."""
    trainer_a, trainer_b = make_trainer("甲培训"), make_trainer("乙培训")
    group_a, group_b = StudyGroupFactory(name="甲班"), StudyGroupFactory(name="乙班")
    MembershipFactory(group=group_a, user=trainer_a, trainer=True)
    MembershipFactory(group=group_b, user=trainer_b, trainer=True)
    a1, a2 = MembershipFactory(group=group_a).user, MembershipFactory(group=group_a).user
    b1 = MembershipFactory(group=group_b).user
    assignment_a, assignment_b = AssignmentFactory(group=group_a, length=3), AssignmentFactory(group=group_b, length=3)
    return {
        "trainer_a": trainer_a,
        "trainer_b": trainer_b,
        "group_a": group_a,
        "group_b": group_b,
        "a1": a1,
        "a2": a2,
        "b1": b1,
        "assignment_a": assignment_a,
        "assignment_b": assignment_b,
        "attempt_a1": group_services.assignment_start(assignment=assignment_a, user=a1),
        "attempt_b1": group_services.assignment_start(assignment=assignment_b, user=b1),
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def group_get_urls(group, member) -> list[str]:
    """Every page of a group that only its trainers (and admins) may read."""
    return [
        reverse("groups:detail", args=[group.pk]),
        reverse("groups:report", args=[group.pk]),
        reverse("groups:export_csv", args=[group.pk]),
        reverse("groups:export_xlsx", args=[group.pk]),
        reverse("groups:member", args=[group.pk, member.pk]),
        reverse("groups:assignment_new", args=[group.pk]),
    ]


def group_post_urls(group, member) -> list[str]:
    return [
        reverse("groups:invite", args=[group.pk]),
        reverse("groups:member_remove", args=[group.pk, member.pk]),
        reverse("groups:invite_regenerate", args=[group.pk]),
        reverse("groups:assignment_new", args=[group.pk]),
    ]


def test_a_trainer_sees_their_own_groups_pages(world):
    client = client_for(world["trainer_a"])

    for url in group_get_urls(world["group_a"], world["a1"]):
        assert client.get(url).status_code == 200, url


def test_a_trainer_of_group_a_cannot_open_anything_of_group_b(world):
    client = client_for(world["trainer_a"])
    code = world["group_b"].invite_code

    for url in group_get_urls(world["group_b"], world["b1"]):
        assert client.get(url).status_code == 404, url
    for url in group_post_urls(world["group_b"], world["b1"]):
        assert client.post(url, {"username": world["trainer_a"].username, "role": "trainer"}).status_code == 404, url
    world["group_b"].refresh_from_db()
    assert world["group_b"].invite_code == code
    assert world["group_b"].memberships.filter(user=world["b1"]).exists()
    assert not world["group_b"].memberships.filter(user=world["trainer_a"]).exists()
    assert not world["group_b"].invitations.exists()


def test_a_trainer_cannot_open_another_groups_assignment_in_their_report(world):
    client = client_for(world["trainer_a"])
    url = reverse("groups:report", args=[world["group_a"].pk])

    assert client.get(url, {"assignment": world["assignment_a"].pk}).status_code == 200
    assert client.get(url, {"assignment": world["assignment_b"].pk}).status_code == 404
    export = reverse("groups:export_csv", args=[world["group_a"].pk])
    assert client.get(export, {"assignment": world["assignment_b"].pk}).status_code == 404


def test_a_trainer_sees_only_their_groups_learners_as_members(world):
    client = client_for(world["trainer_a"])

    assert client.get(reverse("groups:member", args=[world["group_a"].pk, world["b1"].pk])).status_code == 404
    assert client.get(reverse("groups:member", args=[world["group_a"].pk, world["trainer_a"].pk])).status_code == 404
    assert client.post(reverse("groups:member_remove", args=[world["group_a"].pk, world["b1"].pk])).status_code == 404


def test_a_trainers_report_and_export_hold_only_their_groups_members(world):
    client = client_for(world["trainer_a"])
    b1_name = world["b1"].profile.display_name

    html = client.get(reverse("groups:report", args=[world["group_a"].pk])).content.decode()
    csv = client.get(reverse("groups:export_csv", args=[world["group_a"].pk])).content.decode("utf-8-sig")

    assert world["a1"].profile.display_name in html and b1_name not in html
    assert world["a1"].profile.display_name in csv and b1_name not in csv


def test_a_trainer_cannot_open_a_learners_attempt_directly(world):
    client = client_for(world["trainer_a"])
    attempt = world["attempt_a1"]

    for name in ("take", "result"):
        assert client.get(reverse(f"quizzes:{name}", args=[attempt.pk])).status_code == 404


def test_a_learner_cannot_open_any_group_page_or_report(world):
    client = client_for(world["a1"])

    for url in group_get_urls(world["group_a"], world["a1"]) + group_get_urls(world["group_b"], world["b1"]):
        assert client.get(url).status_code == 404, url
    for url in group_post_urls(world["group_a"], world["a2"]):
        assert client.post(url, {"username": world["a1"].username, "role": "trainer"}).status_code == 404, url
    assert world["group_a"].memberships.filter(user=world["a2"]).exists()


def test_a_learner_cannot_open_or_answer_another_learners_attempt(world):
    client = client_for(world["a2"])
    attempt = world["attempt_a1"]
    item = attempt.items.select_related("question").first()

    assert client.get(reverse("quizzes:take", args=[attempt.pk])).status_code == 404
    assert client.get(reverse("quizzes:result", args=[attempt.pk])).status_code == 404
    assert client.post(reverse("quizzes:answer", args=[attempt.pk]), form_data(item)).status_code == 404
    assert client.post(reverse("quizzes:retry", args=[attempt.pk])).status_code == 404
    assert not attempt.items.filter(answer__isnull=False).exists()


def test_a_learner_cannot_start_another_groups_assignment(world):
    client = client_for(world["a1"])

    response = client.post(reverse("groups:assignment_start", args=[world["assignment_b"].pk]))

    assert response.status_code == 404
    assert not world["assignment_b"].attempts.filter(user=world["a1"]).exists()


def test_a_removed_learner_can_no_longer_start_the_groups_assignments(world):
    other = AssignmentFactory(group=world["group_a"], length=3)
    world["group_a"].memberships.filter(user=world["a2"]).delete()

    response = client_for(world["a2"]).post(reverse("groups:assignment_start", args=[other.pk]))

    assert response.status_code == 404


def test_a_learner_sees_only_their_own_groups_assignments(world):
    html = client_for(world["a1"]).get(reverse("groups:assignments")).content.decode()

    assert world["assignment_a"].title in html and world["assignment_b"].title not in html


def test_someone_in_no_group_sees_no_groups(world):
    client = client_for(ProfileFactory().user)

    html = client.get(reverse("groups:list")).content.decode()

    assert "甲班" not in html and "乙班" not in html
    for url in group_get_urls(world["group_a"], world["a1"]):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    "flags", [{"is_superuser": True, "is_staff": True}, {"is_staff": True}], ids=["super", "staff"]
)
def test_an_admin_sees_every_group_and_report(world, flags):
    admin = UserFactory(username="admin-user", **flags)
    client = client_for(admin)

    for group, member in ((world["group_a"], world["a1"]), (world["group_b"], world["b1"])):
        for url in group_get_urls(group, member):
            assert client.get(url).status_code == 200, url
    html = client.get(reverse("groups:list")).content.decode()
    assert "甲班" in html and "乙班" in html


def test_anonymous_visitors_are_sent_to_the_login_page(world):
    client = Client()

    for url in group_get_urls(world["group_a"], world["a1"]) + [reverse("groups:assignments")]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_changes_need_a_post_with_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["trainer_a"])
    group = world["group_a"]

    for url in group_post_urls(group, world["a2"]) + [reverse("groups:create")]:
        assert client.post(url, {"username": "x", "name": "x"}).status_code == 403, url
    learner = Client(enforce_csrf_checks=True)
    learner.force_login(world["a2"])
    assert learner.post(reverse("groups:assignment_start", args=[world["assignment_a"].pk])).status_code == 403
    assert learner.post(reverse("groups:join"), {"code": group.invite_code}).status_code == 403
    assert (
        client_for(world["a2"]).get(reverse("groups:assignment_start", args=[world["assignment_a"].pk])).status_code
        == 405
    )
