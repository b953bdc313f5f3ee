"""The demo group made by create_demo_accounts: members, assignments and activity, made once."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from quizzes.groups import analysis, filters, reports
from quizzes.models import Answer, Assignment, Attempt
from studyapp.people.models import Membership, StudyGroup

pytestmark = pytest.mark.django_db


def run_demo_command() -> str:
    out = StringIO()
    call_command("create_demo_accounts", stdout=out)
    return out.getvalue()


def test_the_demo_group_has_the_trainer_four_learners_and_two_assignments(seed_bank):
    output = run_demo_command()

    group = StudyGroup.objects.get(name="十八大精神学习班")
    assert group.invite_code_display in output
    assert set(group.memberships.trainers().values_list("user__username", flat=True)) == {"trainer"}
    assert set(group.memberships.learners().values_list("user__username", flat=True)) == {
        "cadre1",
        "cadre2",
        "member1",
        "member2",
    }
    statuses = sorted(a.status_at(a.created_at) for a in Assignment.objects.filter(group=group))
    assert len(statuses) == 2
    assert {a.title: a.mode for a in group.assignments.all()} == {
        "第一次测验：全文综合": "fixed",
        "第二次测验：随堂练习": "generated",
    }


def test_the_demo_activity_fills_the_report_and_leaves_cadre1_fresh(seed_bank):
    run_demo_command()

    group = StudyGroup.objects.get(name="十八大精神学习班")
    trainer = get_user_model().objects.get(username="trainer")  # what the demo trainer sees
    report = reports.member_report(viewer=trainer, group=group, filter=filters.ReportFilter())
    rows = {row.username: row for row in report.rows}
    assert rows["cadre1"].state == "none" and not Attempt.objects.filter(user__username="cadre1").exists()
    assert rows["cadre2"].state == rows["member1"].state == "done"
    assert rows["member2"].state == "partial"
    assert all(rows[name].overall.mastered > 0 for name in ("cadre2", "member1", "member2"))
    assert len(analysis.score_timeline(viewer=trainer, group=group).points) >= 5
    stats = analysis.question_analysis(viewer=trainer, group=group)
    assert stats.ranked_members == 3 and any(stat.wrong_answers for stat in stats.questions)
    # Recorded through the services: the counters on the attempts agree with the answers.
    for attempt in Attempt.objects.filter(user__username__in=["cadre2", "member1", "member2"]):
        answers = Answer.objects.filter(attempt_question__attempt=attempt)
        assert attempt.answered_count == answers.count() == attempt.question_count
        assert attempt.correct_count == answers.filter(is_correct=True).count()


def test_running_the_demo_again_adds_nothing(seed_bank):
    run_demo_command()
    counts = (
        StudyGroup.objects.count(),
        Membership.objects.count(),
        Assignment.objects.count(),
        Answer.objects.count(),
    )

    output = run_demo_command()

    assert (
        StudyGroup.objects.count(),
        Membership.objects.count(),
        Assignment.objects.count(),
        Answer.objects.count(),
    ) == counts
    assert "已记录演示作答" not in output


def test_without_a_question_bank_the_demo_group_waits_for_one(db):
    output = run_demo_command()

    assert StudyGroup.objects.filter(name="十八大精神学习班").exists()
    assert not Assignment.objects.exists()
    assert "题库为空" in output
