"""The report's figures equal a computation from scratch: random answers (seeded) by learners who joined
at different moments and an outsider, an assigned timed quiz that runs out, then a re-marking; after
each step the member table, the per-question analysis and the chart — as the page reads them
(report_analysis) and one by one — equal what a plain loop over every answer and attempt gives by the
rule of quizzes/visibility.py."""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from quizzes import services
from quizzes.core.rules import study_day
from quizzes.curation.remarking import accept_synonym
from quizzes.groups import analysis, reports
from quizzes.groups import services as group_services
from quizzes.groups.filters import ReportFilter
from quizzes.models import Answer, Attempt
from studyapp.people.models import Membership
from tests.curation.test_remarking import KEY, SECOND, SYNONYM, two_blank_question
from tests.factories import AssignmentFactory, MembershipFactory, UserFactory
from tests.support import right_answer, wrong_answer

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 3, 3, 23, 30, tzinfo=UTC)  # 07:30 on 4 March in China


def scratch(group, source: str = "") -> dict:
    """The figures by the rule, from every row: a trainer sees the group's assignment work whole and
    practice answered (attempts: started) since the learner joined; learners only. `source`
    "assignments" or "practice" keeps only those answers, as the report's analysis shows them."""
    joined = {m.user_id: m.joined_at for m in Membership.objects.filter(group=group, role=Membership.Role.MEMBER)}
    in_group = set(group.assignments.values_list("pk", flat=True))
    seen = []
    for answer in Answer.objects.select_related("attempt_question__attempt"):
        attempt = answer.attempt_question.attempt
        if attempt.user_id not in joined:
            continue
        assigned = attempt.assignment_id in in_group
        practised = attempt.assignment_id is None and answer.answered_at >= joined[attempt.user_id]
        if (assigned and source != "practice") or (practised and source != "assignments"):
            seen.append((attempt.user_id, answer.attempt_question.question_id, answer))
    totals: dict[int, float] = defaultdict(float)
    for user_id, _question, answer in seen:
        totals[user_id] += answer.credit
    ranking = sorted(((total, user_id) for user_id, total in totals.items()), key=lambda r: (-r[0], r[1]))
    third = len(ranking) // 3
    top = {user_id for _t, user_id in ranking[:third]}
    bottom = {user_id for _t, user_id in ranking[len(ranking) - third :]} if third else set()
    per_question: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    wrong: dict[int, Counter[str]] = defaultdict(Counter)
    days: dict = defaultdict(list)
    for user_id, question_id, answer in seen:
        row = per_question[question_id]
        row[0] += 1
        row[1] += answer.is_correct
        if user_id in top:
            row[2] += 1
            row[3] += answer.is_correct
        if user_id in bottom:
            row[4] += 1
            row[5] += answer.is_correct
        if not answer.is_correct:
            question = answer.attempt_question.question
            for text in analysis.wrong_answer_texts(question, answer.given, answer.marks, {}):
                wrong[question_id][text] += 1
        days[study_day(answer.answered_at)].append(answer.credit)
    members = {}
    for attempt in Attempt.objects.filter(user_id__in=joined, assignment_id__in=in_group):
        entry = members.setdefault(attempt.user_id, [0.0, 0, 0, 0])
        entry[0] += attempt.credit
        entry[1] += attempt.question_count
        entry[2] += 1
        entry[3] += attempt.answered_count >= attempt.question_count
    return {
        "questions": {
            q: (
                n,
                r,
                r2 / n2 if n2 else None,
                r3 / n3 if n3 else None,
                sorted(wrong[q].items(), key=lambda i: (-i[1], i[0]))[:3],
            )
            for q, (n, r, n2, r2, n3, r3) in per_question.items()
        },
        "third": third,
        "days": {day: (round(100 * sum(c) / len(c), 1), len(c)) for day, c in days.items()},
        "members": members,
    }


def shown(trainer, group) -> list[dict]:
    """The figures as the report computes them: the page's way and the one-by-one way."""
    result = []
    for stats, chart in (
        analysis.report_analysis(viewer=trainer, group=group),
        (analysis.question_analysis(viewer=trainer, group=group), analysis.score_timeline(viewer=trainer, group=group)),
    ):
        report = reports.member_report(viewer=trainer, group=group, filter=ReportFilter())
        result.append(
            {
                "questions": {
                    s.question.pk: (s.answers, s.correct, s.top_share, s.bottom_share, s.wrong_answers)
                    for s in stats.questions
                },
                "third": stats.third,
                "days": {p.day: (p.mean, p.answers) for p in chart.points},
                "members": {
                    row.user_id: [row.credit, row.questions, row.started, row.completed]
                    for row in report.rows
                    if row.started
                },
            }
        )
    return result


def shown_by_the_pages(client, group, source: str) -> dict:
    """The figures as the report's pages serve them: the member table of the page, and the analysis
    with the chart of the part it loads after itself, for `source` (its page of its own, as the part's
    link opens it without JavaScript: the same section and context)."""
    report = client.get(reverse("groups:report", args=[group.pk]), {"source": source}).context["report"]
    part = client.get(reverse("groups:report_analysis", args=[group.pk]), {"source": source})
    stats, chart = part.context["analysis"], part.context["chart"]
    return {
        "questions": {
            s.question.pk: (s.answers, s.correct, s.top_share, s.bottom_share, s.wrong_answers) for s in stats.questions
        },
        "third": stats.third,
        "days": {p.day: (p.mean, p.answers) for p in chart.points},
        "members": {
            row.user_id: [row.credit, row.questions, row.started, row.completed] for row in report.rows if row.started
        },
    }


def assert_all_shown(client, trainer, group) -> None:
    """Every way the report computes its figures equals the computation from scratch."""
    for found in shown(trainer, group):
        assert_equal(found, scratch(group))
    for source in ("assignments", "practice"):
        assert_equal(shown_by_the_pages(client, group, source), scratch(group, source))


def assert_equal(found: dict, expected: dict) -> None:
    assert found["third"] == expected["third"]
    assert found["questions"].keys() == expected["questions"].keys()
    for key, (n, r, top, bottom, wrong) in expected["questions"].items():
        got = found["questions"][key]
        assert got[:2] == (n, r) and got[4] == wrong
        for a, b in ((got[2], top), (got[3], bottom)):
            assert (a is None and b is None) or math.isclose(a, b)
    assert found["days"] == expected["days"]
    assert found["members"].keys() == expected["members"].keys()
    for key, (credit, questions, started, completed) in expected["members"].items():
        got = found["members"][key]
        assert math.isclose(got[0], credit, abs_tol=1e-9) and got[1:] == [questions, started, completed]


def test_the_report_equals_a_computation_from_scratch_after_re_marking_and_a_timeout(
    small_bank, study_group, trainer, trainer_client
):
    rng = random.Random(20261127)
    synonym_question = two_blank_question()
    questions = [*small_bank.questions, synonym_question]
    members = [
        MembershipFactory(group=study_group, joined_at=T0 + timedelta(days=offset)).user for offset in (0, 0, 1, 2, 3)
    ]
    outsider = UserFactory()
    fixed = AssignmentFactory(
        group=study_group,
        mode="fixed",
        question_ids=[q.pk for q in questions[:3]] + [synonym_question.pk],
        length=4,
        opens_at=T0,
        closes_at=T0 + timedelta(days=10),
        time_limit_minutes=30,
    )

    def give(question):
        if question.pk == synonym_question.pk:
            return [SYNONYM if rng.random() < 0.6 else KEY, SECOND]
        return right_answer(question) if rng.random() < 0.6 else wrong_answer(question)

    for _step in range(40):
        user = rng.choice([*members, outsider])
        moment = T0 + timedelta(days=rng.randrange(6), hours=rng.uniform(0, 20))
        chosen = rng.sample(questions, rng.randint(1, 4))
        attempt = services.attempt_create(user=user, question_ids=[q.pk for q in chosen], started_at=moment)
        for offset, item in enumerate(attempt.items.select_related("question").order_by("position")):
            services.answer_submit(
                item=item, user=user, given=give(item.question), now=moment + timedelta(seconds=30 * offset)
            )
    timed = None
    for index, user in enumerate(members[:4]):
        start = T0 + timedelta(days=4, hours=index)
        attempt = group_services.assignment_start(assignment=fixed, user=user, now=start)
        items = list(attempt.items.select_related("question").order_by("position"))
        for offset, item in enumerate(items[: 2 if index == 0 else 4]):
            services.answer_submit(
                item=item, user=user, given=give(item.question), now=start + timedelta(minutes=offset)
            )
        if index == 0:
            timed = attempt

    assert_all_shown(trainer_client, trainer, study_group)

    assert services.attempt_close_if_expired(attempt=timed, now=T0 + timedelta(days=5))
    # Its two unanswered questions are recorded as timed out (wrong, credit 0): the attempt is complete.
    assert Answer.objects.filter(attempt_question__attempt=timed, timed_out=True, credit=0).count() == 2
    assert scratch(study_group)["members"][timed.user_id][3] == 1
    assert_all_shown(trainer_client, trainer, study_group)
    impact = accept_synonym(question=synonym_question, blank_index=0, text=SYNONYM, user=None)
    assert impact.answers > 0

    expected = scratch(study_group)
    assert_all_shown(trainer_client, trainer, study_group)
    assert scratch(study_group, "assignments")["questions"] and scratch(study_group, "practice")["questions"]
    assert expected["questions"][synonym_question.pk][1] > 0
    assert len(expected["questions"]) > 10 and len(expected["members"]) == 4 and expected["third"] >= 1
