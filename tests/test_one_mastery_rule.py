"""The one mastery rule: the learner's dashboard, the reader, a trainer's page for one member and the
group report show the same mastery for the same learner.

Who sees what: a learner sees all of their own data, and a group's trainers see each member's current
mastery, so all four count every point the learner has — including practice from before they joined
the group, and answers given after it.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from fsrs import Rating

from quizzes import services
from quizzes.progress import Mastery
from tests.factories import MembershipFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def review(user, points, rating, days_ago):
    services.points_review(
        user=user, ratings={p.text_key: rating for p in points}, now=timezone.now() - timedelta(days=days_ago)
    )


def as_pairs(values):
    return [(m.mastered, m.total) for m in values]


def test_dashboard_reader_member_page_and_report_agree_on_a_learners_mastery(small_bank, study_group, trainer):
    learner = ProfileFactory(display_name="张会员", role="member").user
    points = small_bank.points
    # Before joining: four points of task one remembered, one forgotten since (a wrong answer).
    review(learner, points[:5], Rating.Easy, days_ago=2)
    review(learner, points[4:5], Rating.Again, days_ago=1)
    MembershipFactory(group=study_group, user=learner)
    # After joining: two points of task two.
    review(learner, points[6:8], Rating.Easy, days_ago=0)
    # Someone else's progress counts for no one but them.
    review(ProfileFactory().user, points, Rating.Easy, days_ago=0)

    own, coach = Client(), Client()
    own.force_login(learner)
    coach.force_login(trainer)
    dashboard = own.get(reverse("quizzes:home")).context["tasks"]
    reader = own.get(reverse("documents:toc")).context["mastery"]
    member = coach.get(reverse("groups:member", args=[study_group.pk, learner.pk])).context["tasks"]
    report = coach.get(reverse("groups:report", args=[study_group.pk])).context["report"]
    row = next(row for row in report.rows if row.user_id == learner.pk)

    expected = [(4, 6), (2, 6)]
    assert [row.node for row in dashboard] == [entry.node for entry in member] == small_bank.tasks
    assert [task.node for task in report.tasks] == small_bank.tasks
    assert as_pairs(entry.mastery for entry in dashboard) == expected
    assert as_pairs(entry.mastery for entry in member) == expected
    assert as_pairs(row.mastery) == expected
    assert [(reader[task.pk].mastered, reader[task.pk].total) for task in small_bank.tasks] == expected
    assert [reader[topic.pk].percent for topic in small_bank.topics] == [100, 33, 67, 0]
    assert row.overall == Mastery(6, 12)
