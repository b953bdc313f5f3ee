"""Who sees what of an organisation (quizzes/visibility.py, organisation managers): a manager sees
their subtree only — aggregates, each person's participation and assignment results — never practice
details; a learner gets 403; an admin sees everything."""

from __future__ import annotations

import pytest
from django.contrib.auth.signals import user_logged_in
from django.test import RequestFactory
from django.urls import reverse

from quizzes import services, visibility
from quizzes.groups import services as group_services
from quizzes.orgs.services import MANAGER_SESSION_KEY, manager_at_login
from tests.factories import AssignmentFactory, MembershipFactory, StudyGroupFactory
from tests.orgs.conftest import client_for

pytestmark = pytest.mark.django_db

PRACTICE_TEXT = "练习里写的答案"
ASSIGNMENT_TITLE = "第一次小组测验"


def test_a_manager_of_chaoyang_opens_chaoyang_and_what_is_under_it_only(tree, chaoyang_manager):
    client = client_for(chaoyang_manager)

    listing = client.get(reverse("orgs:list")).content.decode()
    assert "朝阳区" in listing and "北京市" not in listing and "上海市" not in listing
    for name in ("朝阳区", "望京街道工会"):
        assert client.get(reverse("orgs:report", args=[tree[name].pk])).status_code == 200, name
    for name in ("北京市", "上海市", "海淀区", "全国总工会"):
        for route in ("orgs:report", "orgs:people", "orgs:export_xlsx"):
            assert client.get(reverse(route, args=[tree[name].pk])).status_code == 404, (name, route)
    assert set(visibility.organisations_seen(chaoyang_manager).values_list("name", flat=True)) == {
        "朝阳区",
        "望京街道工会",
    }


def test_the_breadcrumb_of_a_manager_stops_at_their_own_organisation(tree, chaoyang_manager):
    page = client_for(chaoyang_manager).get(reverse("orgs:report", args=[tree["望京街道工会"].pk])).content.decode()
    assert "朝阳区" in page and "北京市" not in page and "全国总工会" not in page


def test_a_person_of_another_subtree_is_404_even_through_ones_own_organisation(tree, chaoyang_manager):
    client = client_for(chaoyang_manager)
    chaoyang = tree["朝阳区"]

    assert client.get(reverse("orgs:person", args=[chaoyang.pk, tree.people["望京甲"].pk])).status_code == 200
    for name in ("海淀甲", "北京甲", "上海甲"):
        assert client.get(reverse("orgs:person", args=[chaoyang.pk, tree.people[name].pk])).status_code == 404, name
    people = client.get(reverse("orgs:people", args=[chaoyang.pk])).content.decode()
    assert "望京甲" in people and "海淀甲" not in people and "北京甲" not in people


def test_a_manager_sees_assignment_results_and_participation_but_no_practice(tree, chaoyang_manager, small_bank):
    person = tree.people["望京甲"]
    question = small_bank.of_type("cloze")[0]
    practice = services.attempt_create(user=person, question_ids=[question.pk], kind="practice", question_type="cloze")
    services.answer_submit(item=practice.items.get(), user=person, given=[PRACTICE_TEXT])
    group = StudyGroupFactory()
    MembershipFactory(group=group, user=person)
    assignment = AssignmentFactory(
        group=group, title=ASSIGNMENT_TITLE, mode="fixed", question_ids=[question.pk], length=1
    )
    attempt = group_services.assignment_start(assignment=assignment, user=person)
    services.answer_submit(item=attempt.items.get(), user=person, given=question.kind.right_answer(question))
    client = client_for(chaoyang_manager)

    person_page = client.get(reverse("orgs:person", args=[tree["朝阳区"].pk, person.pk])).content.decode()
    people_page = client.get(reverse("orgs:people", args=[tree["朝阳区"].pk])).content.decode()

    assert ASSIGNMENT_TITLE in person_page and "得分 100" in person_page
    assert PRACTICE_TEXT not in person_page and PRACTICE_TEXT not in people_page
    assert practice.title not in person_page and "练习 ·" not in person_page
    assert list(visibility.assignment_results_seen(chaoyang_manager, tree["朝阳区"])) == [attempt]
    # Participation counts both answers (practice included), as figures only.
    participation = visibility.participation_seen(chaoyang_manager, tree["朝阳区"]).get(user=person)
    assert (participation.answers, participation.correct) == (2, 1)


def test_a_learner_gets_403_on_the_organisation_pages(tree, learner):
    client = client_for(learner)
    assert client.get(reverse("orgs:list")).status_code == 403
    assert client.get(reverse("orgs:report", args=[tree["朝阳区"].pk])).status_code == 403
    assert client.get(reverse("orgs:people", args=[tree["朝阳区"].pk])).status_code == 403
    assert client.get(reverse("orgs:person", args=[tree["朝阳区"].pk, tree.people["朝阳甲"].pk])).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(tree, client):
    response = client.get(reverse("orgs:report", args=[tree["朝阳区"].pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_admin_sees_every_organisation_and_person(tree, admin_user):
    client = client_for(admin_user)
    listing = client.get(reverse("orgs:list")).content.decode()
    assert "全国总工会" in listing
    for name in ("全国总工会", "北京市", "上海市", "望京街道工会"):
        assert client.get(reverse("orgs:report", args=[tree[name].pk])).status_code == 200
    root = tree["全国总工会"]
    assert client.get(reverse("orgs:person", args=[root.pk, tree.people["上海甲"].pk])).status_code == 200


def test_the_menu_link_is_remembered_at_sign_in_for_managers_only(tree, chaoyang_manager, learner):
    for user, expected in ((chaoyang_manager, True), (learner, False)):
        request = RequestFactory().get("/")
        request.session = {}
        manager_at_login(sender=None, request=request, user=user)
        assert request.session[MANAGER_SESSION_KEY] is expected
    assert any(receiver[1]() is manager_at_login for receiver in user_logged_in.receivers if receiver[1]() is not None)

    client = client_for(chaoyang_manager)  # force_login sends user_logged_in too
    assert f'href="{reverse("orgs:list")}"' in client.get(reverse("quizzes:home")).content.decode()
    assert f'href="{reverse("orgs:list")}"' not in client_for(learner).get(reverse("quizzes:home")).content.decode()
