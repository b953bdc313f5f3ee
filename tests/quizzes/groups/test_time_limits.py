"""An assignment's time limit reads as Chinese on the learner's list and the trainer's group page."""

import pytest
from django.urls import reverse

from tests.factories import AssignmentFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("minutes", "text"), [(30, "限时 30分钟"), (90, "限时 1小时30分")])
def test_the_time_limit_reads_as_chinese(client, learner, trainer, study_group, minutes, text):
    MembershipFactory(group=study_group, user=learner)
    AssignmentFactory(group=study_group, time_limit_minutes=minutes)
    for user, url in ((learner, reverse("groups:assignments")), (trainer, study_group.get_absolute_url())):
        client.force_login(user)
        assert text in client.get(url).content.decode()
