"""Mastery per topic and task, due points and the study streak."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from fsrs import Rating

from quizzes import progress, services
from quizzes.models import PointState
from studyapp.documents.selectors import document_outline
from tests.factories import DocumentVersionFactory, PointNodeFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def review_points(user, points, rating=Rating.Good, now=None):
    services.points_review(user=user, ratings={p.text_key: rating for p in points}, now=now or timezone.now())


def mastery(user, bank, now=None):
    outline = document_outline(bank.version)
    return progress.heading_mastery(user=user, version=bank.version, outline=outline, now=now)


def test_nothing_is_mastered_before_any_answer(small_bank, learner):
    result = mastery(learner, small_bank)

    assert result[small_bank.topics[0].pk] == progress.Mastery(0, 3)
    assert result[small_bank.tasks[0].pk].percent == 0


def test_mastery_is_the_share_of_points_answered_right_and_still_remembered(small_bank, learner):
    topic_points = small_bank.points[:3]
    review_points(learner, topic_points[:2])

    result = mastery(learner, small_bank)

    assert result[small_bank.topics[0].pk] == progress.Mastery(2, 3)
    assert result[small_bank.topics[0].pk].percent == 67
    assert result[small_bank.topics[1].pk].percent == 0
    assert result[small_bank.tasks[0].pk] == progress.Mastery(2, 6)
    assert result[small_bank.tasks[0].pk].percent == 33
    assert result[small_bank.tasks[1].pk].percent == 0


def test_a_point_answered_wrong_last_is_not_mastered(small_bank, learner):
    point = small_bank.points[0]
    now = timezone.now()
    review_points(learner, [point], Rating.Good, now)
    review_points(learner, [point], Rating.Again, now + timedelta(minutes=5))

    assert mastery(learner, small_bank, now + timedelta(minutes=6))[small_bank.topics[0].pk].mastered == 0


def test_mastery_fades_once_recall_drops_below_ninety_percent(small_bank, learner):
    point = small_bank.points[0]
    now = timezone.now()
    review_points(learner, [point], Rating.Good, now)
    state = PointState.objects.get()

    just_before = mastery(learner, small_bank, state.stable_until - timedelta(minutes=1))
    after = mastery(learner, small_bank, state.stable_until + timedelta(minutes=1))

    assert just_before[small_bank.topics[0].pk].mastered == 1
    assert after[small_bank.topics[0].pk].mastered == 0
    assert state.stable_until == state.last_review + timedelta(days=state.stability)


def test_mastery_of_another_learner_does_not_count(small_bank, learner, django_user_model):
    other = django_user_model.objects.create(username="other")
    review_points(other, small_bank.points)

    assert mastery(learner, small_bank)[small_bank.tasks[0].pk].mastered == 0


def test_progress_survives_a_reimport_that_leaves_the_text_unchanged(small_bank, learner):
    point = small_bank.points[0]
    review_points(learner, [point])
    small_bank.version.is_active = False
    small_bank.version.save()
    new_version = DocumentVersionFactory(document=small_bank.version.document, is_active=True)
    moved = PointNodeFactory(version=new_version, text=point.text, text_key=point.text_key)
    outline = document_outline(new_version)

    result = progress.heading_mastery(user=learner, version=new_version, outline=outline)

    assert result[moved.parent.pk] == progress.Mastery(1, 1)


def test_mastery_of_every_heading_is_counted_in_one_query(small_bank, learner, django_assert_num_queries):
    review_points(learner, small_bank.points[:5])
    outline = document_outline(small_bank.version)

    with django_assert_num_queries(1):
        counts = progress.heading_mastery(user=learner, version=small_bank.version, outline=outline)

    topics = [counts[topic.pk] for topic in small_bank.topics]
    assert sum(m.mastered for m in topics) == 5
    assert sum(m.total for m in topics) == 12
    assert counts[small_bank.tasks[0].pk] == progress.Mastery(5, 6)


def test_task_mastery_lists_the_tasks_in_document_order(small_bank, learner):
    review_points(learner, small_bank.points[6:9])
    outline = document_outline(small_bank.version)

    rows = progress.learner_task_mastery(learner)

    assert [row.node for row in rows] == small_bank.tasks
    assert [column.node for column in progress.task_columns(outline)] == small_bank.tasks
    assert [row.mastery.percent for row in rows] == [0, 50]


def test_points_due_today_are_counted_by_the_shanghai_calendar(small_bank, learner):
    # 2026-03-01 20:00 in Shanghai: a point due at 23:00 is due today, one due after midnight is not.
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    review_points(learner, small_bank.points[:2], now=now - timedelta(days=3))
    PointState.objects.filter(point_text_key=small_bank.points[0].text_key).update(
        due=datetime(2026, 3, 1, 15, 0, tzinfo=UTC)
    )
    PointState.objects.filter(point_text_key=small_bank.points[1].text_key).update(
        due=datetime(2026, 3, 1, 16, 30, tzinfo=UTC)
    )

    assert progress.due_outlook(learner, now).due == 1


def answer_on(user, bank, moment):
    question = QuestionFactory(source=bank.points[0])
    attempt = services.attempt_create(user=user, question_ids=[question.pk], rng=None, question_type="cloze")
    item = attempt.items.get()
    services.answer_submit(item=item, user=user, given=[question.blanks[0]["answer"]], now=moment)


def test_the_streak_counts_consecutive_shanghai_days_up_to_today(small_bank, learner):
    now = datetime(2026, 3, 5, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai on 5 March
    for days_ago in (0, 1, 2, 4):
        answer_on(learner, small_bank, now - timedelta(days=days_ago))

    assert progress.streak_days(learner, now) == 3


def test_the_streak_is_kept_until_the_end_of_a_day_without_answers_yet(small_bank, learner):
    now = datetime(2026, 3, 5, 4, 0, tzinfo=UTC)
    answer_on(learner, small_bank, now - timedelta(days=1))
    answer_on(learner, small_bank, now - timedelta(days=2))

    assert progress.streak_days(learner, now) == 2
    assert progress.streak_days(learner, now + timedelta(days=1)) == 0


def test_answers_either_side_of_shanghai_midnight_are_two_study_days(small_bank, learner):
    # 23:30 and 00:30 in Shanghai, but the same UTC day.
    answer_on(learner, small_bank, datetime(2026, 3, 1, 15, 30, tzinfo=UTC))
    answer_on(learner, small_bank, datetime(2026, 3, 1, 16, 30, tzinfo=UTC))

    assert progress.streak_days(learner, datetime(2026, 3, 1, 17, 0, tzinfo=UTC)) == 2


def test_no_answers_means_no_streak(learner):
    assert progress.streak_days(learner) == 0
