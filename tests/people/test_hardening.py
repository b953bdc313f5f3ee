"""A co-trainer cannot take the group's creator out of it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from studyapp.people import services
from studyapp.people.models import Membership

pytestmark = pytest.mark.django_db

MESSAGE = "不能把创建小组的培训师移出小组。"


@pytest.fixture
def founded_group(trainer, make_trainer):
    """A group created by `trainer`, with a co-trainer and a learner."""
    group = services.group_create(name="十八大精神学习班", trainer=trainer)
    co_trainer = make_trainer("赵副培训")
    invitation = services.invitation_create(
        group=group, username=co_trainer.username, role=Membership.Role.TRAINER, invited_by=trainer
    )
    services.invitation_accept(invitation_id=invitation.pk, user=co_trainer)
    return group, co_trainer


def test_the_service_refuses_to_remove_the_creator(founded_group, trainer):
    group, co_trainer = founded_group

    with pytest.raises(ValidationError) as raised:
        services.group_member_remove(group=group, user_id=trainer.pk)

    assert raised.value.messages == [MESSAGE] and raised.value.code == "creator"
    assert group.memberships.filter(user=trainer).exists()
    services.group_member_remove(group=group, user_id=co_trainer.pk)  # others still can be removed
    assert not group.memberships.filter(user=co_trainer).exists()


def test_a_co_trainer_cannot_remove_the_creator_from_the_page(client, founded_group, trainer):
    group, co_trainer = founded_group
    client.force_login(co_trainer)

    response = client.post(reverse("groups:member_remove", args=[group.pk, trainer.pk]), follow=True)

    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert group.memberships.filter(user=trainer, role=Membership.Role.TRAINER).exists()


# --- Sessions end a day after their last save, not two weeks -------------------------------------


def _session_row(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key)


def test_sessions_last_a_day_by_default_without_a_write_per_request(settings):
    assert settings.SESSION_COOKIE_AGE == 24 * 60 * 60
    # The hot path: no UPDATE of the session row on every request.
    assert settings.SESSION_SAVE_EVERY_REQUEST is False


def test_a_session_left_a_day_expires(client, learner):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(learner)
    assert client.get(reverse("quizzes:home")).status_code == 200
    row = _session_row(client)
    assert timezone.now() + timedelta(hours=23) < row.expire_date <= timezone.now() + timedelta(hours=24)

    row.expire_date = timezone.now() - timedelta(seconds=1)  # a day has gone by
    row.save()
    expired = client.get(reverse("quizzes:home"))

    assert expired.status_code == 302 and expired["Location"].startswith(reverse("login"))


def test_the_session_age_comes_from_the_environment():
    import os
    import subprocess
    import sys

    env = {**os.environ, "DEBUG": "1", "SESSION_IDLE_HOURS": "2"}
    out = subprocess.run(
        [sys.executable, "-c", "import studyapp.settings as s; print(s.SESSION_COOKIE_AGE)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    assert out.stdout.strip() == "7200"


def test_an_active_session_is_kept_and_saved_at_most_once_an_hour(client, learner):
    import time
    from datetime import timedelta

    from django.utils import timezone

    from studyapp.http import SESSION_REFRESHED

    client.force_login(learner)
    client.get(reverse("quizzes:home"))
    first = _session_row(client).expire_date
    client.get(reverse("quizzes:home"))
    assert _session_row(client).expire_date == first  # within the hour: no write

    session = client.session
    session[SESSION_REFRESHED] = int(time.time()) - 2 * 60 * 60  # last saved two hours ago
    session.save()
    row = _session_row(client)
    row.expire_date = timezone.now() + timedelta(hours=1)  # an hour of the day left
    row.save()
    assert client.get(reverse("quizzes:home")).status_code == 200

    assert _session_row(client).expire_date > timezone.now() + timedelta(hours=23)
