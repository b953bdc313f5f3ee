"""The rules behind the learner's day: when the next review falls due, the weakest topic, the daily goal
by Shanghai days with the streak beside it, and being on track for a group quiz's deadline."""

import random
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from fsrs import Card, Rating, State

from quizzes import progress, services, today
from quizzes.core import scheduling
from quizzes.core.picking import pick_for_points
from quizzes.core.rules import STUDY_TIMEZONE
from quizzes.models import Assignment, Attempt, DailyActivity, PointState, Question
from studyapp.people.services import profile_goal_set
from tests.factories import AssignmentFactory, MembershipFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

SHANGHAI_EVENING = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)  # Sunday 1 March, 20:00 in Shanghai


def shanghai(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=STUDY_TIMEZONE)


def remembered(user, point, *, stability: float, last_review: datetime, rating: Rating = Rating.Good) -> PointState:
    """A point's state built by hand: reviewed at `last_review`, with FSRS stability `stability` days."""
    card = Card(
        card_id=1,
        state=State.Review,
        step=None,
        stability=stability,
        difficulty=5.0,
        due=last_review + timedelta(days=stability),
        last_review=last_review,
    )
    return PointState.objects.create(
        user=user,
        point_text_key=point.text_key,
        card=scheduling.json_card(card.to_dict()),
        due=last_review + timedelta(days=stability),
        stability=stability,
        stable_until=last_review + timedelta(days=stability),
        last_rating=int(rating),
        last_review=last_review,
    )


# --- When the next review falls due -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "label"),
    [
        (shanghai(date(2026, 3, 2), 9, 30), "明天 9:30"),
        (shanghai(date(2026, 3, 3), 18, 5), "后天 18:05"),
        (shanghai(date(2026, 3, 4), 8, 0), "3天后（3月4日）"),
        (shanghai(date(2026, 3, 12), 8, 0), "11天后（3月12日）"),
    ],
)
def test_the_next_review_is_named_by_shanghai_days(due, label):
    assert today.next_review_label(due, SHANGHAI_EVENING) == label


def test_a_review_after_shanghai_midnight_is_tomorrow_though_the_utc_day_is_the_same():
    now = datetime(2026, 3, 1, 15, 30, tzinfo=UTC)  # 23:30 in Shanghai
    assert today.next_review_label(datetime(2026, 3, 1, 16, 30, tzinfo=UTC), now) == "明天 0:30"


def test_the_outlook_counts_points_due_today_and_finds_the_next_one(small_bank, learner):
    now = SHANGHAI_EVENING
    assert progress.due_outlook(learner, now) == progress.DueOutlook(0, None)
    later = remembered(learner, small_bank.points[0], stability=5, last_review=now - timedelta(days=1))
    sooner = remembered(learner, small_bank.points[1], stability=2, last_review=now - timedelta(days=1))

    outlook = progress.due_outlook(learner, now)

    assert outlook == progress.DueOutlook(0, sooner.due)
    assert outlook.next_due < later.due
    PointState.objects.filter(pk=sooner.pk).update(due=shanghai(date(2026, 3, 1), 23, 0))
    assert progress.due_outlook(learner, now).due == 1


# --- The weakest topic --------------------------------------------------------------------------------


def test_the_weakest_topic_has_the_lowest_mastery_and_the_first_of_equals_wins(small_bank, learner):
    topics = [small_bank.points[i * 3 : i * 3 + 3] for i in range(4)]
    reviewed = [*topics[0], topics[2][0]]  # topic 1: 3/3, topic 2: 0/3, topic 3: 1/3, topic 4: 0/3
    services.points_review(user=learner, ratings={p.text_key: Rating.Good for p in reviewed}, now=timezone.now())

    overview = progress.learner_overview(learner)

    assert overview.weakest_topic is not None
    assert overview.weakest_topic.node == small_bank.topics[1]
    assert overview.weakest_topic.mastery == progress.Mastery(0, 3)
    assert [row.mastery for row in overview.tasks] == [progress.Mastery(3, 6), progress.Mastery(1, 6)]
    assert [row.mastery for row in overview.tasks] == [row.mastery for row in progress.learner_task_mastery(learner)]


def test_a_forgotten_topic_is_weaker_than_a_half_known_one(small_bank, learner):
    points = small_bank.points
    services.points_review(
        user=learner, ratings={p.text_key: Rating.Good for p in points[:4] + points[6:]}, now=timezone.now()
    )
    services.points_review(user=learner, ratings={points[4].text_key: Rating.Again}, now=timezone.now())

    assert progress.learner_overview(learner).weakest_topic.node == small_bank.topics[1]


def test_there_is_no_weakest_topic_without_a_document(learner):
    assert progress.learner_overview(learner) == progress.LearnerMastery([], None)


# --- The daily goal and the streak ----------------------------------------------------------------------


def test_the_goal_week_runs_monday_to_sunday_and_the_streak_counts_any_answer():
    thursday = date(2026, 3, 5)
    days = {date(2026, 3, 1): 10, date(2026, 3, 2): 25, date(2026, 3, 3): 5, date(2026, 3, 4): 20}

    goal = progress.goal_from(days, thursday, 20)

    assert [day.day for day in goal.week] == [date(2026, 3, 2) + timedelta(days=n) for n in range(7)]
    assert [day.met for day in goal.week] == [True, False, True, False, False, False, False]
    assert [day.is_future for day in goal.week] == [False] * 4 + [True] * 3
    assert [day.is_today for day in goal.week].index(True) == 3
    assert goal.week_met == 2
    assert goal.streak == 4  # Sunday to Wednesday: nothing yet today keeps it
    assert (goal.today, goal.remaining, goal.percent, goal.met_today) == (0, 20, 0, False)


def test_a_day_meets_the_goal_when_its_answers_reach_it():
    monday = date(2026, 3, 2)
    goal = progress.goal_from({monday: 30}, monday, 30)

    assert (goal.today, goal.remaining, goal.percent, goal.met_today, goal.week_met) == (30, 0, 100, True, 1)
    assert progress.goal_from({monday: 45}, monday, 30).percent == 100
    assert progress.goal_from({monday: 29}, monday, 30).week_met == 0


def test_todays_answers_are_counted_by_the_shanghai_day_across_midnight(small_bank, learner):
    question = QuestionFactory(source=small_bank.points[0])
    # Three answers late on Monday and two after midnight, all on the same UTC day.
    moments = [datetime(2026, 3, 2, 15, m, tzinfo=UTC) for m in (30, 40, 50)]  # 23:30–23:50 Monday
    moments += [datetime(2026, 3, 2, 16, m, tzinfo=UTC) for m in (10, 20)]  # 00:10, 00:20 Tuesday
    for moment in moments:
        attempt = services.attempt_create(user=learner, question_ids=[question.pk], question_type="cloze")
        services.answer_submit(item=attempt.items.get(), user=learner, given=["x"], now=moment)

    before_midnight = progress.daily_goal(learner, 3, datetime(2026, 3, 2, 15, 55, tzinfo=UTC))
    after_midnight = progress.daily_goal(learner, 3, datetime(2026, 3, 2, 16, 30, tzinfo=UTC))

    assert before_midnight.today == 3 and before_midnight.met_today
    assert after_midnight.today == 2 and not after_midnight.met_today
    assert [day.answers for day in after_midnight.week[:2]] == [3, 2]
    assert after_midnight.week_met == 1
    assert after_midnight.streak == 2


def test_the_streak_and_goal_days_are_read_from_the_daily_aggregates(learner):
    now = shanghai(date(2026, 3, 5), 12)  # Thursday
    for day, answers in ((date(2026, 3, 2), 20), (date(2026, 3, 3), 4), (date(2026, 3, 5), 21)):
        DailyActivity.objects.create(user=learner, day=day, answers=answers)
    DailyActivity.objects.create(user=learner, day=date(2026, 3, 4), answers=0, finished=1)  # a quiz ran out
    DailyActivity.objects.create(user=UserFactory(), day=date(2026, 3, 4), answers=50)

    goal = progress.daily_goal(learner, 20, now)

    assert goal.streak == 1 == progress.streak_days(learner, now)
    assert goal.week_met == 2
    assert [day.answers for day in goal.week[:4]] == [20, 4, 0, 21]


def test_the_goal_is_the_profiles_and_defaults_to_twenty(learner):
    assert today.daily_goal_of(learner) == 20
    assert today.daily_goal_of(UserFactory()) == 20
    profile_goal_set(user=learner, goal=35)
    learner.refresh_from_db()
    assert today.daily_goal_of(learner) == 35


@pytest.mark.parametrize("goal", [0, 201])
def test_a_goal_out_of_range_is_refused_and_nothing_is_saved(learner, goal):
    with pytest.raises(ValidationError):
        profile_goal_set(user=learner, goal=goal)
    learner.profile.refresh_from_db()
    assert learner.profile.daily_goal == 20


def test_setting_a_goal_gives_a_learner_without_a_profile_one():
    user = UserFactory()
    profile_goal_set(user=user, goal=10)
    assert user.profile.pk is not None and user.profile.daily_goal == 10


# --- On track for a deadline ------------------------------------------------------------------------------


def test_points_are_on_track_when_their_recall_at_the_deadline_stays_at_ninety_percent(small_bank, learner):
    now = SHANGHAI_EVENING
    deadline = now + timedelta(days=5)
    strong, fading, faded, unstudied, wrong = small_bank.points[:5]
    remembered(learner, strong, stability=30, last_review=now - timedelta(days=2))  # 7 of 30 days
    remembered(learner, fading, stability=4, last_review=now - timedelta(days=1))  # 6 of 4 days
    remembered(learner, faded, stability=2, last_review=now - timedelta(days=2))  # 7 of 2 days
    remembered(learner, wrong, stability=30, last_review=now, rating=Rating.Again)
    points = [p.text_key for p in (strong, fading, faded, unstudied, wrong)]

    status = progress.on_track_at(learner, points, deadline)

    assert (status.on_track, status.total) == (1, 5)
    # Weakest first: never answered and answered wrong (nothing to recall), then by recall at the deadline.
    assert status.at_risk == [unstudied.text_key, wrong.text_key, faded.text_key, fading.text_key]
    states = {s.point_text_key: s for s in PointState.objects.filter(user=learner)}
    assert progress.point_recall_at(states[strong.text_key], deadline) >= 0.9
    assert (
        0
        < progress.point_recall_at(states[faded.text_key], deadline)
        < progress.point_recall_at(states[fading.text_key], deadline)
        < 0.9
    )


def test_a_nearer_deadline_keeps_more_points_on_track(small_bank, learner):
    now = SHANGHAI_EVENING
    fading, faded = small_bank.points[:2]
    remembered(learner, fading, stability=4, last_review=now - timedelta(days=1))
    remembered(learner, faded, stability=2, last_review=now - timedelta(days=2))
    points = [fading.text_key, faded.text_key]

    assert progress.on_track_at(learner, points, now + timedelta(days=1)).at_risk == [faded.text_key]
    assert progress.on_track_at(learner, points, now + timedelta(days=4)).at_risk == [faded.text_key, fading.text_key]


def test_a_line_twice_in_a_scope_counts_twice_and_is_reviewed_once(small_bank, learner):
    point = small_bank.points[0]
    status = progress.on_track_at(learner, [point.text_key, point.text_key], timezone.now())
    assert (status.on_track, status.total, status.at_risk) == (0, 2, [point.text_key])


def test_someone_elses_memory_does_not_put_a_learner_on_track(small_bank, learner):
    remembered(UserFactory(), small_bank.points[0], stability=100, last_review=timezone.now())
    assert progress.on_track_at(learner, [small_bank.points[0].text_key], timezone.now()).on_track == 0


# --- What a group quiz covers, and the review aimed at its deadline ----------------------------------------


def test_an_assignment_covers_the_points_under_its_scope_or_of_its_questions(small_bank):
    from studyapp.documents.selectors import active_outline

    task, topic = small_bank.tasks[1], small_bank.topics[0]
    fixed_questions = [small_bank.of_type("cloze")[0], small_bank.of_type("matching")[1]]
    assignments = [
        AssignmentFactory(scope=Attempt.Scope.DOCUMENT),
        AssignmentFactory(scope=Attempt.Scope.TASK, scope_key=task.key),
        AssignmentFactory(scope=Attempt.Scope.TOPIC, scope_key=topic.key),
        AssignmentFactory(mode=Assignment.Mode.FIXED, question_ids=[q.pk for q in fixed_questions]),
        AssignmentFactory(scope=Attempt.Scope.TOPIC, scope_key="ffff"),
    ]

    found = today.assignment_points(assignments, active_outline())

    keys = [p.text_key for p in small_bank.points]
    assert found[assignments[0].pk] == keys
    assert found[assignments[1].pk] == keys[6:]
    assert found[assignments[2].pk] == keys[:3]
    assert found[assignments[3].pk] == [keys[0], *keys[3:6]]
    assert found[assignments[4].pk] == []


def test_the_picker_asks_each_point_once_weakest_first_with_questions_on_those_points_alone():
    candidates = [(1, ["a"]), (2, ["a", "b", "z"]), (3, ["b"]), (4, ["a", "b"]), (5, ["c"]), (6, ["z"])]

    for seed in range(10):
        chosen = pick_for_points(candidates, ["c", "b", "a", "d"], length=10, rng=random.Random(seed))
        assert chosen[0] == 5
        assert 2 not in chosen and 6 not in chosen  # they ask about "z", which is on track
        covered = [key for pk in chosen for key in dict(candidates)[pk]]
        assert sorted(set(covered)) == ["a", "b", "c"] and len(covered) == 3
    assert pick_for_points(candidates, ["c", "b", "a"], length=1) == [5]
    assert pick_for_points([(2, ["a", "z"])], ["a"], length=5) == [2]  # nothing on "a" alone: the next best


@pytest.fixture
def member_assignment(small_bank, learner):
    group = MembershipFactory(user=learner).group
    topic = small_bank.topics[0]
    return AssignmentFactory(group=group, scope=Attempt.Scope.TOPIC, scope_key=topic.key, title="专题测验")


def test_the_deadline_review_asks_exactly_the_points_that_would_be_forgotten(small_bank, learner, member_assignment):
    now = timezone.now()
    strong, fading, unstudied = small_bank.points[:3]
    remembered(learner, strong, stability=60, last_review=now)
    remembered(learner, fading, stability=1, last_review=now - timedelta(days=1))

    attempt = services.attempt_start_deadline_review(user=learner, assignment=member_assignment, rng=random.Random(3))

    assert attempt.kind == Attempt.Kind.REVIEW and attempt.user == learner
    assert attempt.scope_label == "专题测验 · 截止前复习"
    asked = [Question.objects.get(pk=item.question_id) for item in attempt.items.order_by("position")]
    assert [set(q.source_text_keys) for q in asked] == [{unstudied.text_key}, {fading.text_key}]


def test_no_deadline_review_when_every_point_is_on_track(small_bank, learner, member_assignment):
    for point in small_bank.points[:3]:
        remembered(learner, point, stability=60, last_review=timezone.now())

    with pytest.raises(ValidationError, match="都记得住"):
        services.attempt_start_deadline_review(user=learner, assignment=member_assignment)


def test_the_deadline_review_is_only_for_the_groups_learners_and_open_quizzes(small_bank, learner, member_assignment):
    with pytest.raises(PermissionDenied):
        services.attempt_start_deadline_review(user=UserFactory(), assignment=member_assignment)
    with pytest.raises(ValidationError, match="不在开放时间"):
        services.attempt_start_deadline_review(
            user=learner, assignment=member_assignment, now=member_assignment.closes_at
        )


def test_the_deadlines_list_each_open_group_quiz_of_the_learner_only(small_bank, learner, member_assignment):
    group = member_assignment.group
    AssignmentFactory(
        group=group, opens_at=timezone.now() + timedelta(days=1), closes_at=timezone.now() + timedelta(days=2)
    )
    AssignmentFactory(
        group=group, opens_at=timezone.now() - timedelta(days=2), closes_at=timezone.now() - timedelta(days=1)
    )
    AssignmentFactory()  # another group's
    sooner = AssignmentFactory(group=group, closes_at=timezone.now() + timedelta(days=1))
    remembered(learner, small_bank.points[0], stability=60, last_review=timezone.now())

    rows = today.learner_deadlines(learner)

    assert [row.assignment for row in rows] == [sooner, member_assignment]
    assert (rows[1].status.on_track, rows[1].status.total) == (1, 3)
    assert (rows[0].status.on_track, rows[0].status.total) == (1, 12)
    assert today.learner_deadlines(UserFactory()) == []
