"""Study groups: creating, invite codes, joining, inviting and removing people; their pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from studyapp.people import services
from studyapp.people.models import INVITE_ALPHABET, INVITE_LENGTH, Membership, StudyGroup
from tests.factories import MembershipFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- Services ---------------------------------------------------------------------------------------


def test_a_trainer_creates_a_group_and_becomes_its_trainer(trainer):
    group = services.group_create(name=" 十八大精神学习班 ", trainer=trainer)

    assert group.name == "十八大精神学习班"
    assert group.memberships.get().user == trainer
    assert group.memberships.get().role == Membership.Role.TRAINER
    assert len(group.invite_code) == INVITE_LENGTH and set(group.invite_code) <= set(INVITE_ALPHABET)


def test_someone_who_is_not_a_trainer_cannot_create_a_group(learner):
    with pytest.raises(PermissionDenied):
        services.group_create(name="班", trainer=learner)


def test_invite_codes_are_random_and_differ_between_groups(trainer):
    codes = {services.group_create(name=f"班{i}", trainer=trainer).invite_code for i in range(20)}

    assert len(codes) == 20


def test_a_learner_joins_with_the_code_typed_loosely(study_group, learner):
    code = study_group.invite_code_display.lower().replace("-", " - ")

    membership = services.group_join(code=f"  {code} ", user=learner)

    assert membership.group == study_group and membership.role == Membership.Role.MEMBER
    assert membership.added_by is None


def test_joining_twice_keeps_one_membership(study_group, learner):
    services.group_join(code=study_group.invite_code, user=learner)
    services.group_join(code=study_group.invite_code, user=learner)

    assert study_group.memberships.filter(user=learner).count() == 1


def test_a_wrong_code_joins_nothing(study_group, learner):
    wrong = study_group.invite_code[:-1] + ("A" if study_group.invite_code[-1] != "A" else "B")

    for code in (wrong, "", "ABC", study_group.invite_code + "X"):
        with pytest.raises(ValidationError):
            services.group_join(code=code, user=learner)

    assert not Membership.objects.filter(user=learner).exists()


def test_a_trainer_cannot_join_their_own_group_as_a_learner(study_group, trainer):
    with pytest.raises(ValidationError):
        services.group_join(code=study_group.invite_code, user=trainer)


def test_a_new_code_replaces_the_old_one_and_members_stay(study_group, learner):
    old = study_group.invite_code
    services.group_join(code=old, user=learner)

    new = services.group_invite_regenerate(group=study_group)

    assert new != old
    other = ProfileFactory().user
    with pytest.raises(ValidationError):
        services.group_join(code=old, user=other)
    assert services.group_join(code=new, user=other).group == study_group
    assert study_group.memberships.filter(user=learner).exists()


def test_a_person_may_be_in_several_groups(trainer, learner):
    first = services.group_create(name="一班", trainer=trainer)
    second = services.group_create(name="二班", trainer=trainer)

    services.group_join(code=first.invite_code, user=learner)
    services.group_join(code=second.invite_code, user=learner)

    assert set(StudyGroup.objects.joined_by(learner)) == {first, second}


def test_a_trainer_invites_by_login_name_and_the_person_joins_only_by_accepting(study_group, trainer):
    user = ProfileFactory(user__username="member1").user

    invitation = services.invitation_create(group=study_group, username=" member1 ", invited_by=trainer)

    assert invitation.user == user and invitation.role == Membership.Role.MEMBER
    assert not study_group.memberships.filter(user=user).exists()
    membership = services.invitation_accept(invitation_id=invitation.pk, user=user)
    assert membership.role == Membership.Role.MEMBER and membership.added_by == trainer


def test_inviting_an_unknown_login_or_someone_already_in_the_group_is_refused(study_group, trainer, learner):
    services.group_join(code=study_group.invite_code, user=learner)

    with pytest.raises(ValidationError, match="没有登录名"):
        services.invitation_create(group=study_group, username="nobody", invited_by=trainer)
    with pytest.raises(ValidationError, match="已在小组中"):
        services.invitation_create(group=study_group, username=learner.username, invited_by=trainer)


def test_only_trainers_can_be_invited_as_a_groups_trainer(study_group, trainer, make_trainer):
    ProfileFactory(user__username="member1")
    colleague = make_trainer("赵培训")

    with pytest.raises(ValidationError, match="只有培训师"):
        services.invitation_create(group=study_group, username="member1", invited_by=trainer, role="trainer")
    invitation = services.invitation_create(
        group=study_group, username=colleague.username, invited_by=trainer, role="trainer"
    )
    membership = services.invitation_accept(invitation_id=invitation.pk, user=colleague)

    assert membership.role == Membership.Role.TRAINER
    assert set(StudyGroup.objects.managed_by(colleague)) == {study_group}


def test_a_trainer_removes_a_learner_but_not_the_last_trainer(study_group, trainer, learner):
    services.group_join(code=study_group.invite_code, user=learner)

    services.group_member_remove(group=study_group, user_id=learner.pk)

    assert not study_group.memberships.filter(user=learner).exists()
    with pytest.raises(ValidationError):
        services.group_member_remove(group=study_group, user_id=trainer.pk)
    with pytest.raises(Membership.DoesNotExist):
        services.group_member_remove(group=study_group, user_id=learner.pk)


# --- Pages ------------------------------------------------------------------------------------------


def test_the_groups_page_lists_a_trainers_groups_with_counts(trainer_client, study_group):
    MembershipFactory.create_batch(3, group=study_group)

    html = trainer_client.get(reverse("groups:list")).content.decode()

    assert "十八大精神学习班" in html
    assert "学员 3 人" in html
    assert reverse("groups:report", args=[study_group.pk]) in html
    assert "新建小组" in html


def test_a_learner_sees_the_groups_they_joined_and_no_create_form(learner_client, learner, study_group):
    MembershipFactory(group=study_group, user=learner)

    html = learner_client.get(reverse("groups:list")).content.decode()

    assert 'data-testid="joined-group"' in html and "十八大精神学习班" in html
    assert "新建小组" not in html and 'data-testid="managed-group"' not in html


def test_a_trainer_creates_a_group_from_the_page(trainer_client, trainer):
    response = trainer_client.post(reverse("groups:create"), {"name": "二班", "description": ""})

    group = StudyGroup.objects.get(name="二班")
    assert response.status_code == 302 and response["Location"] == group.get_absolute_url()


def test_a_learner_cannot_create_a_group(learner_client):
    response = learner_client.post(reverse("groups:create"), {"name": "二班"})

    assert response.status_code == 403
    assert not StudyGroup.objects.exists()


def test_the_join_page_takes_a_code_and_refuses_a_wrong_one(learner_client, learner, study_group):
    page = learner_client.get(reverse("groups:join") + f"?code={study_group.invite_code}")
    wrong = learner_client.post(reverse("groups:join"), {"code": "WRONGCODE123"})
    right = learner_client.post(reverse("groups:join"), {"code": study_group.invite_code_display})

    assert f'value="{study_group.invite_code}"' in page.content.decode()
    assert wrong.status_code == 400 and "邀请码不对" in wrong.content.decode()
    assert right.status_code == 302 and right["Location"] == reverse("quizzes:home")
    assert study_group.memberships.filter(user=learner, role="member").exists()


def test_the_group_page_shows_code_learners_and_forms(trainer_client, study_group):
    member = MembershipFactory(group=study_group, user=ProfileFactory(display_name="张会员").user)

    html = trainer_client.get(study_group.get_absolute_url()).content.decode()

    assert study_group.invite_code_display in html
    assert "张会员" in html
    assert reverse("groups:member_remove", args=[study_group.pk, member.user_id]) in html
    assert reverse("groups:assignment_new", args=[study_group.pk]) in html
    assert html.count("csrfmiddlewaretoken") >= 4


def test_a_trainer_invites_and_removes_a_learner_from_the_page(trainer_client, study_group):
    user = UserFactory(username="member1")

    invited = trainer_client.post(
        reverse("groups:invite", args=[study_group.pk]), {"username": "member1", "role": "member"}
    )
    unknown = trainer_client.post(
        reverse("groups:invite", args=[study_group.pk]), {"username": "ghost", "role": "member"}
    )
    services.invitation_accept(invitation_id=study_group.invitations.get().pk, user=user)
    removed = trainer_client.post(reverse("groups:member_remove", args=[study_group.pk, user.pk]))

    assert invited.status_code == 302
    assert unknown.status_code == 400 and "没有登录名为“ghost”的用户" in unknown.content.decode()
    assert removed.status_code == 302
    assert not study_group.memberships.filter(user=user).exists()


def test_regenerating_the_code_from_the_page_changes_it(trainer_client, study_group):
    old = study_group.invite_code

    response = trainer_client.post(reverse("groups:invite_regenerate", args=[study_group.pk]))

    study_group.refresh_from_db()
    assert response.status_code == 302 and study_group.invite_code != old


def test_changes_to_a_group_are_post_only(trainer_client, study_group, trainer):
    urls = [
        reverse("groups:create"),
        reverse("groups:invite", args=[study_group.pk]),
        reverse("groups:member_remove", args=[study_group.pk, trainer.pk]),
        reverse("groups:invite_regenerate", args=[study_group.pk]),
    ]
    for url in urls:
        assert trainer_client.get(url).status_code == 405


def test_group_forms_need_the_csrf_token(trainer, study_group):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(trainer)

    response = client.post(reverse("groups:invite_regenerate", args=[study_group.pk]))

    assert response.status_code == 403


def test_the_member_page_shows_one_learners_results(trainer_client, study_group):
    member = MembershipFactory(group=study_group, user=ProfileFactory(display_name="张会员").user)

    response = trainer_client.get(reverse("groups:member", args=[study_group.pk, member.user_id]))

    assert response.status_code == 200 and "张会员" in response.content.decode()


def test_admins_manage_groups_and_assignments_in_the_admin_too(client, study_group):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)

    created = client.post(
        reverse("admin:people_studygroup_add"),
        {
            "name": "后台建的班",
            "description": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    assert created.status_code == 302
    assert len(StudyGroup.objects.get(name="后台建的班").invite_code) == INVITE_LENGTH
    for name in ("people_studygroup_changelist", "quizzes_assignment_changelist"):
        assert client.get(reverse(f"admin:{name}")).status_code == 200
    assert client.get(reverse("admin:people_studygroup_change", args=[study_group.pk])).status_code == 200
