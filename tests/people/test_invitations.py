"""Invitations: a trainer invites by login, the person accepts (and joins from that moment) or
declines; nobody joins a group without doing it themselves."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from studyapp.people import services
from studyapp.people.models import Invitation
from tests.factories import MembershipFactory, ProfileFactory, StudyGroupFactory
from tests.support import HTMX

pytestmark = pytest.mark.django_db

CONSENT = "小组的培训师可以看到"


@pytest.fixture
def invited(study_group, trainer):
    """A person invited to `study_group` by `trainer`, with the invitation."""
    user = ProfileFactory(display_name="张会员", user__username="member1").user
    return user, services.invitation_create(group=study_group, username="member1", invited_by=trainer)


# --- Services ---------------------------------------------------------------------------------------


def test_an_invitation_waits_and_accepting_joins_from_that_moment(study_group, invited):
    user, invitation = invited
    moment = timezone.now() + timedelta(minutes=5)

    assert invitation.status == Invitation.Status.PENDING
    assert not study_group.memberships.filter(user=user).exists()
    membership = services.invitation_accept(invitation_id=invitation.pk, user=user, now=moment)

    invitation.refresh_from_db()
    assert membership.joined_at == moment and membership.group == study_group
    assert (invitation.status, invitation.answered_at) == (Invitation.Status.ACCEPTED, moment)


def test_declining_leaves_the_person_out_of_the_group(study_group, invited):
    user, invitation = invited

    services.invitation_decline(invitation_id=invitation.pk, user=user)

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    assert not study_group.memberships.filter(user=user).exists()


def test_inviting_twice_or_inviting_a_member_is_refused_in_chinese(study_group, trainer, invited):
    user, invitation = invited
    member = MembershipFactory(group=study_group).user

    with pytest.raises(ValidationError, match="已经邀请过 张会员，正在等待对方回复。"):
        services.invitation_create(group=study_group, username="member1", invited_by=trainer)
    with pytest.raises(ValidationError, match="已在小组中"):
        services.invitation_create(group=study_group, username=member.username, invited_by=trainer)

    assert list(study_group.invitations.all()) == [invitation]


def test_after_an_answer_the_person_may_be_invited_again(study_group, trainer, invited):
    user, invitation = invited
    services.invitation_decline(invitation_id=invitation.pk, user=user)

    again = services.invitation_create(group=study_group, username="member1", invited_by=trainer)

    assert again.status == Invitation.Status.PENDING and again.pk != invitation.pk


def test_nobody_can_answer_someone_elses_invitation(study_group, invited):
    _user, invitation = invited
    intruder = ProfileFactory().user

    for answer in (services.invitation_accept, services.invitation_decline):
        with pytest.raises(ValidationError, match="这份邀请不存在，或已经处理过了。"):
            answer(invitation_id=invitation.pk, user=intruder)

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert not study_group.memberships.filter(user=intruder).exists()


def test_an_answered_or_cancelled_invitation_cannot_be_accepted(study_group, invited):
    user, invitation = invited
    services.invitation_cancel(group=study_group, invitation_id=invitation.pk)

    with pytest.raises(ValidationError, match="已经处理过了"):
        services.invitation_accept(invitation_id=invitation.pk, user=user)
    assert not study_group.memberships.filter(user=user).exists()


def test_joining_by_the_code_answers_the_invitation_too(study_group, invited):
    user, invitation = invited

    services.group_join(code=study_group.invite_code, user=user)

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED


# --- Pages ------------------------------------------------------------------------------------------


def test_the_invited_person_sees_the_invitation_and_what_joining_means(client, invited):
    user, invitation = invited
    client.force_login(user)

    listed = client.get(reverse("groups:list")).content.decode()
    fragment = client.get(reverse("groups:invitations"), **HTMX).content.decode()
    dashboard = client.get(reverse("quizzes:home")).content.decode()

    for html in (listed, fragment):
        assert "十八大精神学习班" in html and CONSENT in html and "从今天起的练习记录" in html
        assert reverse("groups:invitation_accept", args=[invitation.pk]) in html
        assert reverse("groups:invitation_decline", args=[invitation.pk]) in html
    assert reverse("groups:invitations") in dashboard  # the dashboard fetches the list with htmx


def test_without_invitations_the_dashboards_fragment_is_empty(learner_client):
    fragment = learner_client.get(reverse("groups:invitations"), **HTMX).content.decode()

    assert 'id="invitations"' in fragment and "invitation-item" not in fragment


def test_accepting_from_the_page_joins_and_declining_does_not(client, study_group, trainer, invited):
    user, invitation = invited
    other = services.invitation_create(
        group=StudyGroupFactory(name="二班", created_by=trainer), username="member1", invited_by=trainer
    )
    client.force_login(user)

    accepted = client.post(reverse("groups:invitation_accept", args=[invitation.pk]), follow=True)
    declined = client.post(reverse("groups:invitation_decline", args=[other.pk]), follow=True)

    assert "已加入学习小组“十八大精神学习班”。" in accepted.content.decode()
    assert "已谢绝“二班”的邀请。" in declined.content.decode()
    assert study_group.memberships.filter(user=user).exists()
    assert not other.group.memberships.exists()


def test_a_forged_accept_of_someone_elses_invitation_says_so_and_changes_nothing(client, study_group, invited):
    _user, invitation = invited
    intruder = ProfileFactory().user
    client.force_login(intruder)

    response = client.post(reverse("groups:invitation_accept", args=[invitation.pk]), follow=True)
    missing = client.post(reverse("groups:invitation_accept", args=[invitation.pk + 1000]), follow=True)

    assert "这份邀请不存在，或已经处理过了。" in response.content.decode()
    assert "这份邀请不存在，或已经处理过了。" in missing.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert not study_group.memberships.filter(user=intruder).exists()


def test_the_trainer_invites_from_the_group_page_and_inviting_twice_is_told(trainer_client, study_group, invited):
    ProfileFactory(user__username="member2")
    url = reverse("groups:invite", args=[study_group.pk])

    sent = trainer_client.post(url, {"username": "member2", "role": "member"}, follow=True)
    twice = trainer_client.post(url, {"username": "member1", "role": "member"})

    assert "对方接受后才会加入小组" in sent.content.decode()
    assert twice.status_code == 400 and "已经邀请过 张会员，正在等待对方回复。" in twice.content.decode()
    assert study_group.invitations.pending().count() == 2
    assert not study_group.memberships.filter(user__username__in=["member1", "member2"]).exists()


def test_the_group_page_lists_pending_invitations_and_asks_before_withdrawing(trainer_client, study_group, invited):
    _user, invitation = invited
    cancel = reverse("groups:invitation_cancel", args=[study_group.pk, invitation.pk])

    html = trainer_client.get(study_group.get_absolute_url()).content.decode()
    withdrawn = trainer_client.post(cancel, follow=True)
    again = trainer_client.post(cancel, follow=True)

    assert 'data-testid="pending-invitation"' in html and "member1" in html
    assert cancel in html and "确认撤回" in html and "<details" in html
    assert "已撤回对 张会员 的邀请。" in withdrawn.content.decode()
    assert "这份邀请不存在，或已经处理过了。" in again.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.CANCELLED


def test_another_groups_trainer_cannot_withdraw_or_see_the_invitation(client, study_group, invited, make_trainer):
    _user, invitation = invited
    outsider = make_trainer("乙培训")
    own = StudyGroupFactory(name="乙班")
    MembershipFactory(group=own, user=outsider, trainer=True)
    client.force_login(outsider)

    foreign = client.post(reverse("groups:invitation_cancel", args=[study_group.pk, invitation.pk]))
    through_own = client.post(reverse("groups:invitation_cancel", args=[own.pk, invitation.pk]))

    assert foreign.status_code == 404 and through_own.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_the_join_page_says_what_joining_lets_the_trainers_see(learner_client):
    html = learner_client.get(reverse("groups:join")).content.decode()

    assert CONSENT in html and "今天以前的练习他们看不到" in html


def test_staff_read_the_invitations_record_in_chinese_in_the_admin(client, invited):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    html = client.get(reverse("admin:people_invitation_changelist")).content.decode()

    assert "小组邀请" in html and "待回复" in html and "member1" in html


def test_staff_cannot_add_a_member_in_the_admin_either(client, study_group):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    html = client.get(reverse("admin:people_studygroup_change", args=[study_group.pk])).content.decode()

    assert 'memberships-MAX_NUM_FORMS" value="0"' in html  # the existing rows only: no form to add one
