"""The report costs a fixed number of queries, whatever the size of the group."""

import pytest
from django.urls import reverse

from quizzes import services
from quizzes.groups import services as group_services
from tests.factories import AssignmentFactory, MembershipFactory
from tests.support import HTMX, right_answer, wrong_answer

pytestmark = pytest.mark.django_db

# The page: session with its user; the group (with the access check); the look-up of attempts whose time is up
# (none); the member report: the assignments, the members with their profiles, the attempts summed per
# member, the active version, its outline (with its lines), the mastered points per member and task, the
# member count. The htmx member table costs the same. The analysis and the integrity signals, which
# read the answers, are parts the page loads after itself: not among its queries.
PAGE_QUERIES = 10
FRAGMENT_QUERIES = 10
# The analysis part: session with its user, the group, attempts whose time is up; the analysed answers per
# member and day (the ranking and the chart in one), per question, the wrong answers grouped, the
# questions.
ANALYSIS_QUERIES = 7
# ... with an assignment chosen: that assignment, checked to be the group's.
ANALYSIS_CHOSEN_QUERIES = 8
# The integrity part: session with its user, the group, attempts whose time is up; the questions answered, the
# rushed answers counted per attempt, the wrong answers; and — every attempt here is answered within a
# second, too fast to read — the evidence: the flagged attempts, their answers' times, the members' names.
INTEGRITY_QUERIES = 9
# The CSV: session with its user, the group, attempts whose time is up, and the member report's seven.
CSV_QUERIES = 10
# The workbook: the CSV's ten and the per-question analysis: the members' totals, per question, the
# wrong answers grouped, the questions.
XLSX_QUERIES = 14


def build_group(small_bank, study_group, size):
    """`size` learners, each with a finished assignment of three questions (some wrong) and a
    practice quiz of two."""
    assignment = AssignmentFactory(
        group=study_group, mode="fixed", question_ids=[q.pk for q in small_bank.questions[:3]], length=3
    )
    for index in range(size):
        user = MembershipFactory(group=study_group).user
        attempt = group_services.assignment_start(assignment=assignment, user=user)
        practice = services.attempt_start(user=user, length=2)
        for item in [*attempt.items.select_related("question"), *practice.items.select_related("question")]:
            given = right_answer(item.question) if (index + item.position) % 3 else wrong_answer(item.question)
            services.answer_submit(item=item, user=user, given=given)
    return assignment


@pytest.mark.parametrize("size", [2, 20])
def test_the_report_takes_the_same_queries_for_2_and_20_members(
    trainer_client, small_bank, study_group, size, django_assert_num_queries
):
    assignment = build_group(small_bank, study_group, size)
    url = reverse("groups:report", args=[study_group.pk])

    with django_assert_num_queries(PAGE_QUERIES):
        page = trainer_client.get(url)
    with django_assert_num_queries(PAGE_QUERIES):
        trainer_client.get(url, {"assignment": assignment.pk, "sort": "-score"})
    with django_assert_num_queries(FRAGMENT_QUERIES):
        trainer_client.get(url, {"sort": "-active", "role": "member", "q": "会员"}, **HTMX)
    with django_assert_num_queries(ANALYSIS_QUERIES):
        trainer_client.get(reverse("groups:report_analysis", args=[study_group.pk]), **HTMX)
    with django_assert_num_queries(ANALYSIS_QUERIES):
        trainer_client.get(reverse("groups:report_analysis", args=[study_group.pk]), {"source": "practice"}, **HTMX)
    with django_assert_num_queries(ANALYSIS_CHOSEN_QUERIES):
        trainer_client.get(reverse("groups:report_analysis", args=[study_group.pk]), {"assignment": assignment.pk})
    with django_assert_num_queries(INTEGRITY_QUERIES):
        trainer_client.get(reverse("groups:report_integrity", args=[study_group.pk]), **HTMX)
    with django_assert_num_queries(CSV_QUERIES):
        trainer_client.get(reverse("groups:export_csv", args=[study_group.pk]))
    with django_assert_num_queries(XLSX_QUERIES):
        trainer_client.get(reverse("groups:export_xlsx", args=[study_group.pk]))
    assert page.content.decode().count('data-testid="member-row"') == size


def test_the_learners_assignment_list_takes_constant_queries(
    learner_client, learner, small_bank, study_group, django_assert_num_queries
):
    MembershipFactory(group=study_group, user=learner)
    for _ in range(5):
        assignment = AssignmentFactory(group=study_group, length=2)
        group_services.assignment_start(assignment=assignment, user=learner)

    # session with its user, the attempts whose time is up (none), assignments, the learner's attempts at them
    with django_assert_num_queries(4):
        learner_client.get(reverse("groups:assignments"), **HTMX)


def test_answering_an_assigned_question_costs_what_a_practice_answer_costs(
    learner_client, learner, small_bank, study_group, django_assert_num_queries
):
    from tests.quizzes.test_views_queries import SHOW_QUERIES, SUBMIT_QUERIES
    from tests.support import form_data

    MembershipFactory(group=study_group, user=learner)
    attempt = group_services.assignment_start(
        assignment=AssignmentFactory(group=study_group, length=5, time_limit_minutes=30), user=learner
    )
    item = attempt.items.select_related("question").order_by("position").first()

    with django_assert_num_queries(SHOW_QUERIES):
        learner_client.get(attempt.get_absolute_url())
    with django_assert_num_queries(SUBMIT_QUERIES):
        learner_client.post(reverse("quizzes:answer", args=[attempt.pk]), form_data(item), **HTMX)


# session with its user; the group (with the access check); its people; its pending invitations; its
# assignments with how many learners started and completed each (quizzes/visibility.py).
GROUP_PAGE_QUERIES = 6  # with the attempts whose time is up (none)


@pytest.mark.parametrize("size", [3, 30])
def test_the_group_page_takes_the_same_queries_for_3_and_30_members(
    trainer_client, small_bank, study_group, size, django_assert_num_queries
):
    build_group(small_bank, study_group, size)
    AssignmentFactory(group=study_group)

    with django_assert_num_queries(GROUP_PAGE_QUERIES):
        page = trainer_client.get(reverse("groups:detail", args=[study_group.pk])).content.decode()

    assert f"已开始 {size} · 已完成 {size} / {size} 人" in page
    assert f"已开始 0 · 已完成 0 / {size} 人" in page
