"""Who sees what of a learner's study (quizzes/visibility.py), one test at each boundary of the rule:
a learner sees all of their own; a group's trainers see current mastery, all of the group's
assignment work and practice from the moment the learner joined — nothing before, nothing of another
group, nothing of a person who was only invited; admins see everything."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quizzes import services, visibility
from quizzes.groups import analysis, reports
from quizzes.groups import services as group_services
from quizzes.groups.filters import ReportFilter
from quizzes.models import Attempt
from studyapp.people import services as people_services
from tests.factories import AssignmentFactory, MembershipFactory, ProfileFactory, StudyGroupFactory, UserFactory

pytestmark = pytest.mark.django_db

BEFORE, AFTER = "加入之前的答案", "加入之后的答案"


@pytest.fixture
def joined_at():
    """The moment the learner accepted the invitation: yesterday, in whole seconds."""
    return (timezone.now() - timedelta(days=1)).replace(microsecond=0)


@pytest.fixture
def member(study_group, trainer, joined_at):
    """A learner invited by the trainer, who accepted at `joined_at`."""
    user = ProfileFactory(display_name="张会员").user
    invitation = people_services.invitation_create(group=study_group, username=user.username, invited_by=trainer)
    people_services.invitation_accept(invitation_id=invitation.pk, user=user, now=joined_at)
    return user


def practise(user, question, text, at) -> Attempt:
    """`user` answers `question` with `text` in a practice quiz begun at `at`, answered at `at`."""
    attempt = services.attempt_create(
        user=user, question_ids=[question.pk], rng=None, kind="practice", question_type="cloze"
    )
    Attempt.objects.filter(pk=attempt.pk).update(started_at=at)
    services.answer_submit(item=attempt.items.get(), user=user, given=[text], now=at)
    return attempt


def wrong_texts(viewer, group) -> set[str]:
    """The wrong answers the per-question analysis shows `viewer`, over every answer it may read."""
    stats = analysis.question_analysis(viewer=viewer, group=group)
    return {text for stat in stats.questions for text, _count in stat.wrong_answers}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_accepting_an_invitation_makes_the_moment_of_accepting_the_joining_moment(study_group, member, joined_at):
    assert study_group.memberships.get(user=member).joined_at == joined_at


def test_a_learner_sees_all_of_their_own_practice_even_from_before_joining(small_bank, member, joined_at):
    before = practise(member, small_bank.questions[0], BEFORE, joined_at - timedelta(days=3))
    client = client_for(member)

    dashboard = client.get(reverse("quizzes:home")).content.decode()
    result = client.get(reverse("quizzes:result", args=[before.pk]))

    assert reverse("quizzes:result", args=[before.pk]) in dashboard
    assert result.status_code == 200 and BEFORE in result.content.decode()


def test_a_trainer_sees_practice_from_the_second_the_learner_joined_and_nothing_before(
    small_bank, study_group, trainer, member, joined_at
):
    question = small_bank.questions[0]
    practise(member, question, BEFORE, joined_at - timedelta(seconds=1))
    practise(member, question, AFTER, joined_at + timedelta(seconds=1))

    report = reports.member_report(viewer=trainer, group=study_group, filter=ReportFilter())
    timeline = analysis.score_timeline(viewer=trainer, group=study_group)

    assert wrong_texts(trainer, study_group) == {AFTER}
    assert report.rows[0].last_active == joined_at + timedelta(seconds=1)
    assert sum(point.answers for point in timeline.points) == 1
    assert list(visibility.answers_seen(trainer, study_group).values_list("given", flat=True)) == [[AFTER]]
    url = reverse("groups:report_analysis", args=[study_group.pk])  # the analysis the report page loads
    page = client_for(trainer).get(url, {"source": "practice"}).content.decode()
    assert AFTER in page and BEFORE not in page
    assert AFTER not in client_for(trainer).get(url).content.decode()  # the assignments by default


def test_a_trainer_sees_all_of_the_groups_assignment_work_but_not_practice_of_the_same_time(
    small_bank, study_group, trainer, member, joined_at
):
    question = small_bank.questions[0]
    earlier = joined_at - timedelta(days=2)
    assignment = AssignmentFactory(
        group=study_group, mode="fixed", question_ids=[question.pk], length=1, opens_at=earlier - timedelta(hours=1)
    )
    attempt = group_services.assignment_start(assignment=assignment, user=member, now=earlier)
    services.answer_submit(item=attempt.items.get(), user=member, given=["测验里的答案"], now=earlier)
    practise(member, question, BEFORE, earlier)
    # The learner left and joined again: practice counts from the new joining, assignment work whole.
    study_group.memberships.filter(user=member).update(joined_at=joined_at)

    report = reports.member_report(viewer=trainer, group=study_group, filter=ReportFilter())
    page = client_for(trainer).get(reverse("groups:member", args=[study_group.pk, member.pk])).content.decode()

    assert wrong_texts(trainer, study_group) == {"测验里的答案"}
    assert (report.rows[0].started, report.rows[0].questions) == (1, 1)
    assert report.rows[0].last_active == earlier  # the assignment's answer: the practice is not seen
    assert assignment.title in page and "得分 0" in page


def test_the_group_page_counts_the_assignment_work_of_its_learners_not_of_people_who_left_or_are_invited(
    small_bank, study_group, trainer, member
):
    question = small_bank.questions[0]
    assignment = AssignmentFactory(group=study_group, mode="fixed", question_ids=[question.pk], length=1)

    def take(user, *, finish: bool) -> None:
        attempt = group_services.assignment_start(assignment=assignment, user=user)
        if finish:
            services.answer_submit(item=attempt.items.get(), user=user, given=["测验里的答案"])

    take(member, finish=True)
    take(MembershipFactory(group=study_group).user, finish=False)
    left, invited_again = MembershipFactory(group=study_group).user, MembershipFactory(group=study_group).user
    for user in (left, invited_again):  # finished, then left the group (their work stays theirs)
        take(user, finish=True)
        people_services.group_member_remove(group=study_group, user_id=user.pk)
    people_services.invitation_create(group=study_group, username=invited_again.username, invited_by=trainer)
    staff = UserFactory(username="staff-user", is_staff=True)

    for viewer in (trainer, staff):
        page = client_for(viewer).get(reverse("groups:detail", args=[study_group.pk])).content.decode()
        assert "已开始 2 · 已完成 1 / 2 人" in page, viewer


def test_a_trainer_sees_current_mastery_whatever_it_was_learned_from(
    small_bank, study_group, trainer, member, joined_at
):
    question = small_bank.questions[0]
    practise(member, question, "终身职业技能培训", joined_at - timedelta(hours=1))  # right, before joining

    report = reports.member_report(viewer=trainer, group=study_group, filter=ReportFilter())

    assert report.rows[0].overall.mastered == 1  # mastery is a state: the trainer sees it as it is now
    assert report.rows[0].last_active is None  # but not the practice it came from


def test_a_trainer_of_group_a_sees_nothing_of_group_b_not_even_of_a_shared_member(
    small_bank, study_group, trainer, member, make_trainer
):
    other_trainer = make_trainer("乙培训")
    group_b = StudyGroupFactory(name="乙班")
    MembershipFactory(group=group_b, user=other_trainer, trainer=True)
    only_b = MembershipFactory(group=group_b).user
    MembershipFactory(group=group_b, user=member)
    question = small_bank.questions[0]
    assignment_b = AssignmentFactory(group=group_b, mode="fixed", question_ids=[question.pk], length=1)
    attempt = group_services.assignment_start(assignment=assignment_b, user=member)
    services.answer_submit(item=attempt.items.get(), user=member, given=["乙班测验的答案"])
    client = client_for(trainer)

    assert client.get(reverse("groups:member", args=[group_b.pk, member.pk])).status_code == 404
    assert client.get(reverse("groups:member", args=[study_group.pk, only_b.pk])).status_code == 404
    assert client.get(reverse("groups:report", args=[group_b.pk])).status_code == 404
    assert wrong_texts(trainer, study_group) == set()  # the shared member's work in group B stays B's
    assert wrong_texts(other_trainer, group_b) == {"乙班测验的答案"}
    report = reports.member_report(viewer=trainer, group=study_group, filter=ReportFilter())
    assert report.rows[0].last_active is None


def test_a_person_only_invited_is_seen_by_the_trainer_in_nothing(small_bank, study_group, trainer):
    invited = ProfileFactory(display_name="王受邀").user
    people_services.invitation_create(group=study_group, username=invited.username, invited_by=trainer)
    practise(invited, small_bank.questions[0], AFTER, timezone.now())
    client = client_for(trainer)

    csv_text = client.get(reverse("groups:export_csv", args=[study_group.pk])).content.decode("utf-8-sig")
    report = client.get(reverse("groups:report", args=[study_group.pk])).content.decode()
    report += client.get(
        reverse("groups:report_analysis", args=[study_group.pk]), {"source": "practice"}
    ).content.decode()

    assert client.get(reverse("groups:member", args=[study_group.pk, invited.pk])).status_code == 404
    assert len(list(csv.reader(io.StringIO(csv_text)))) == 1  # the header only
    assert "王受邀" not in report and AFTER not in report
    assert not visibility.answers_seen(trainer, study_group).exists()
    assert not visibility.attempts_seen(trainer, study_group).exists()


def test_staff_see_everything_the_trainer_may_not(small_bank, study_group, trainer, member, joined_at):
    practise(member, small_bank.questions[0], BEFORE, joined_at - timedelta(days=1))
    practise(member, small_bank.questions[0], AFTER, joined_at + timedelta(days=1))
    staff = UserFactory(username="staff-user", is_staff=True)

    assert wrong_texts(staff, study_group) == {BEFORE, AFTER}
    assert wrong_texts(trainer, study_group) == {AFTER}
    assert client_for(staff).get(reverse("groups:member", args=[study_group.pk, member.pk])).status_code == 200
    page = client_for(staff).get(reverse("groups:report_analysis", args=[study_group.pk]), {"source": "practice"})
    assert BEFORE in page.content.decode() and AFTER in page.content.decode()
