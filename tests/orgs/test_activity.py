"""The organisation reports' aggregates (DailyActivity) are kept in step with the answers: after random
answers over several days (seeded), a quiz that ran out of time, stale practice closed, and a
re-marking, the kept rows equal a computation from scratch, and rebuilding changes nothing."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from quizzes import services
from quizzes.activity import activity_computed, activity_kept, activity_rebuild, totals_computed, totals_kept
from quizzes.core.rules import study_day
from quizzes.curation.remarking import accept_synonym
from quizzes.models import Answer, Attempt, DailyActivity
from quizzes.orgs import reports
from quizzes.orgs.filters import ActivityRange
from tests.curation.test_remarking import KEY, SECOND, SYNONYM, two_blank_question
from tests.factories import UserFactory
from tests.orgs.conftest import manager_of
from tests.support import right_answer, wrong_answer

pytestmark = pytest.mark.django_db

DIRECT, TOTAL = "本级直属", "合计"

# 23:30 UTC is 07:30 the next day in China: the study day is not the UTC date.
T0 = datetime(2025, 3, 3, 23, 30, tzinfo=UTC)


def same(kept: dict, computed: dict) -> bool:
    if kept.keys() != computed.keys():
        return False
    return all(
        kept[key][:2] == computed[key][:2]
        and kept[key][3] == computed[key][3]
        and math.isclose(kept[key][2], computed[key][2], abs_tol=1e-9)
        for key in kept
    )


def test_the_kept_aggregates_equal_a_computation_from_scratch(small_bank):
    rng = random.Random(20261127)
    users = [UserFactory() for _ in range(4)]
    synonym_question = two_blank_question()
    questions = [*small_bank.questions, synonym_question]

    for step in range(40):
        user = rng.choice(users)
        moment = T0 + timedelta(days=rng.randrange(6), hours=rng.uniform(0, 20))
        chosen = rng.sample(questions, rng.randint(1, 4))
        attempt = services.attempt_create(user=user, question_ids=[q.pk for q in chosen], started_at=moment)
        items = list(attempt.items.select_related("question").order_by("position"))
        answered = items if rng.random() < 0.7 else items[: rng.randrange(len(items) + 1)]  # some left open
        for offset, item in enumerate(answered):
            question = item.question
            if question.pk == synonym_question.pk:
                given = [SYNONYM if rng.random() < 0.6 else KEY, SECOND]
            else:
                given = right_answer(question) if rng.random() < 0.6 else wrong_answer(question)
            services.answer_submit(item=item, user=user, given=given, now=moment + timedelta(seconds=30 * offset))
        if step % 10 == 0:  # the new practice quiz closes the oldest beyond five unfinished ones
            services.attempt_start(user=user, length=2, rng=rng)

    # A timed quiz that runs out: finished at its deadline, a day later, with one answer of three.
    user = users[0]
    timed = services.attempt_create(
        user=user,
        question_ids=[q.pk for q in small_bank.questions[:3]],
        started_at=T0,
        deadline=T0 + timedelta(hours=1),
    )
    first = timed.items.select_related("question").order_by("position").first()
    services.answer_submit(item=first, user=user, given=right_answer(first.question), now=T0 + timedelta(minutes=5))
    assert services.attempt_close_if_expired(attempt=timed, now=T0 + timedelta(days=1))
    # Its two unanswered questions are recorded as timed out, once, however often it is closed.
    assert services.attempt_time_out(attempt=timed, now=T0 + timedelta(days=2)) == 0
    assert services.attempts_time_out(Attempt.objects.all(), now=T0 + timedelta(days=2)) == 0
    assert Answer.objects.filter(attempt_question__attempt=timed, timed_out=True).count() == 2
    # A late answer to it is refused and changes nothing.
    with pytest.raises(services.AttemptClosed):
        last = timed.items.select_related("question").order_by("position").last()
        services.answer_submit(item=last, user=user, given=right_answer(last.question), now=T0 + timedelta(days=1))

    before = activity_kept()
    assert same(before, activity_computed())
    totals_before = totals_kept()
    assert same(totals_before, totals_computed()) and len(totals_before) == len(users)

    impact = accept_synonym(question=synonym_question, blank_index=0, text=SYNONYM, user=None)

    assert impact.answers > 0  # the re-marking did change answers…
    kept = activity_kept()
    assert kept != before and same(kept, activity_computed())  # …and the aggregates followed
    assert Attempt.objects.filter(finished_at__isnull=True).exists()  # some quizzes stayed open
    assert sum(row[3] for row in kept.values()) == Attempt.objects.filter(finished_at__isnull=False).count()

    assert totals_kept() != totals_before and same(totals_kept(), totals_computed())  # the totals too

    assert activity_rebuild() == len(kept)
    assert same(activity_kept(), kept)
    assert same(totals_kept(), totals_computed())  # rows deleted and made again: the totals followed


def test_the_totals_follow_days_inserted_updated_and_deleted_and_a_person_deleted(db):
    from quizzes.models import ActivityTotal

    first, second = UserFactory(), UserFactory()
    day = T0.date()
    DailyActivity.objects.create(user=first, day=day, answers=3, correct=2, credit=2.5, finished=1)
    DailyActivity.objects.create(user=first, day=day + timedelta(days=1), answers=4, correct=4, credit=4.0)
    DailyActivity.objects.create(user=second, day=day, answers=1, correct=0, credit=0.0)
    assert totals_kept() == {first.pk: (7, 6, 6.5, 1), second.pk: (1, 0, 0.0, 0)}

    DailyActivity.objects.filter(user=first, day=day).update(correct=3, credit=3.0)
    DailyActivity.objects.filter(user=first, day=day + timedelta(days=1)).delete()
    assert totals_kept() == {first.pk: (3, 3, 3.0, 1), second.pk: (1, 0, 0.0, 0)} == totals_computed()

    second.delete()  # the days and the total go with the person
    assert set(ActivityTotal.objects.values_list("user_id", flat=True)) == {first.pk}
    assert totals_kept() == totals_computed()


def test_the_first_answer_of_a_day_creates_the_row_and_the_others_add_to_it(small_bank):
    user = UserFactory()
    attempt = services.attempt_create(user=user, question_ids=[q.pk for q in small_bank.questions[:3]])
    items = list(attempt.items.select_related("question").order_by("position"))
    for index, item in enumerate(items):
        given = right_answer(item.question) if index else wrong_answer(item.question)
        services.answer_submit(item=item, user=user, given=given, now=T0 + timedelta(minutes=index))

    row = DailyActivity.objects.get(user=user)
    assert (row.day.isoformat(), row.answers, row.correct, row.credit, row.finished) == ("2025-03-04", 3, 2, 2.0, 1)


# --- The report against a count from scratch ------------------------------------------------------------


def report_from_scratch(organisation, period) -> dict[str, tuple]:
    """The roll-up's rows and total counted from the profiles, answers and attempts themselves, in
    Python, by the definitions of quizzes/orgs/reports.py, never from DailyActivity: per row (each
    child organisation's subtree, and the people attached directly when there are any) enrolled,
    participated, answers, right, credit and quizzes finished."""
    from studyapp.people.models import Profile

    def within(moment) -> bool:
        day = study_day(moment)
        return (period.start is None or day >= period.start) and (period.end is None or day <= period.end)

    children = {child.path: child.name for child in organisation.children.all()}

    def label_of(path: str | None) -> str | None:
        if not path or not path.startswith(organisation.path):
            return None
        return next((name for prefix, name in children.items() if path.startswith(prefix)), DIRECT)

    people = {
        user_id: label_of(path)
        for user_id, path in Profile.objects.values_list("user_id", "organisation__path")
        if label_of(path) is not None
    }
    rows = {label: [0, set(), 0, 0, 0.0, 0] for label in [*children.values(), DIRECT]}
    for label in people.values():
        rows[label][0] += 1
    # Answers given: a question left unanswered when time ran out (timed_out) is none.
    for user_id, moment, right, credit in Answer.objects.filter(timed_out=False).values_list(
        "attempt_question__attempt__user_id", "answered_at", "is_correct", "credit"
    ):
        if user_id in people and within(moment):
            row = rows[people[user_id]]
            row[1].add(user_id)
            row[2], row[3], row[4] = row[2] + 1, row[3] + int(right), row[4] + credit
    for user_id, moment in Attempt.objects.filter(finished_at__isnull=False).values_list("user_id", "finished_at"):
        if user_id in people and within(moment):
            rows[people[user_id]][5] += 1
    if not (rows[DIRECT][0] or rows[DIRECT][2] or rows[DIRECT][5]):
        del rows[DIRECT]
    found = {label: (n, len(who), a, r, round(c, 6), f) for label, (n, who, a, r, c, f) in rows.items()}
    found[TOTAL] = tuple(round(sum(row[index] for row in found.values()), 6) for index in range(6))  # type: ignore[assignment]
    return found


def report_figures(manager, organisation, period) -> dict[str, tuple]:
    """The same figures as the roll-up report gives them."""
    rollup = reports.organisation_rollup(viewer=manager, organisation=organisation, period=period)
    found = {
        row.label: (row.enrolled, row.participated, row.answers, row.correct, round(row.credit, 6), row.finished)
        for row in rollup.rows
    }
    t = rollup.total
    found[TOTAL] = (t.enrolled, t.participated, t.answers, t.correct, round(t.credit, 6), t.finished)
    return found


def chart_from_scratch(organisation, period, today) -> dict:
    """Distinct people of the subtree with an answer, per study day with any (in the chart's span)."""
    from studyapp.people.models import Profile

    people = set(
        Profile.objects.filter(organisation__path__startswith=organisation.path).values_list("user_id", flat=True)
    )
    end = min(period.end or today, today)
    days: dict = defaultdict(set)
    for user_id, moment in Answer.objects.filter(timed_out=False).values_list(
        "attempt_question__attempt__user_id", "answered_at"
    ):
        day = study_day(moment)
        if user_id in people and (period.start is None or day >= period.start) and day <= end:
            days[day].add(user_id)
    return {day: len(who) for day, who in days.items()}


def test_the_report_equals_a_count_from_scratch_before_and_after_a_re_marking(tree, small_bank):
    """Random answers (seeded) by the tree's people over the last three weeks, quizzes left open and
    one that ran out of time: every row of the report, for several organisations and ranges, and the
    chart, equal a count over the answers and attempts themselves — and still do after answers are
    re-marked (their credit and correctness move, on the days they were given)."""
    rng = random.Random(20261128)
    synonym_question = two_blank_question()
    questions = [*small_bank.questions, synonym_question]
    now = timezone.now()
    people = list(tree.people.values())
    for _step in range(45):
        user = rng.choice(people)
        moment = now - timedelta(days=rng.randrange(21), hours=rng.uniform(0, 20))
        attempt = services.attempt_create(
            user=user, question_ids=[q.pk for q in rng.sample(questions, rng.randint(1, 4))], started_at=moment
        )
        items = list(attempt.items.select_related("question").order_by("position"))
        answered = items if rng.random() < 0.7 else items[: rng.randrange(len(items) + 1)]
        for offset, item in enumerate(answered):
            if item.question.pk == synonym_question.pk:
                given = [SYNONYM if rng.random() < 0.7 else KEY, SECOND]
            else:
                given = right_answer(item.question) if rng.random() < 0.6 else wrong_answer(item.question)
            services.answer_submit(item=item, user=user, given=given, now=moment + timedelta(seconds=30 * offset))
    timed = services.attempt_create(
        user=tree.people["海淀乙"],
        question_ids=[q.pk for q in small_bank.questions[:2]],
        started_at=now - timedelta(days=3, hours=2),
        deadline=now - timedelta(days=3, hours=1),
    )
    assert services.attempt_close_if_expired(attempt=timed, now=now)

    admin = UserFactory(username="scratch-admin", is_staff=True)
    beijing_manager = manager_of(tree["北京市"], "scratch-beijing")
    today = study_day(now)
    ranges = [
        ActivityRange(),
        ActivityRange.from_query({"range": "7"}, today=today),
        ActivityRange.from_query({"range": "30"}, today=today),
        ActivityRange("custom", today - timedelta(days=14), today - timedelta(days=5)),
        ActivityRange("custom", today - timedelta(days=9), None),
        ActivityRange("custom", None, today - timedelta(days=10)),
    ]
    cases = [(admin, tree["全国总工会"]), (beijing_manager, tree["北京市"]), (beijing_manager, tree["朝阳区"])]

    def check() -> None:
        for viewer, organisation in cases:
            for period in ranges:
                expected = report_from_scratch(organisation, period)
                assert report_figures(viewer, organisation, period) == expected, (organisation.name, period)
                chart = reports.organisation_rollup(viewer=viewer, organisation=organisation, period=period).chart
                drawn = {point.day: point.participants for point in chart.points if point.participants}
                assert drawn == chart_from_scratch(organisation, period, today), (organisation.name, period)

    check()
    assert report_figures(admin, tree["全国总工会"], ActivityRange())[TOTAL][2] > 40  # answers were given

    impact = accept_synonym(question=synonym_question, blank_index=0, text=SYNONYM, user=None)

    assert impact.answers > 0
    check()
