"""Timed-out answers (questions left unanswered when a quiz's time ran out) are no answers given: the
days' aggregates no longer count them (quizzes.activity.activity_computed). The days that counted them
(services.attempt_time_out and 0009_record_past_timeouts added them) give them back; the per-person
totals follow by their triggers."""

from collections import Counter

from django.db import migrations
from django.db.models import F


def _timed_out_per_day(apps):
    from quizzes.core.rules import study_day

    Answer = apps.get_model("quizzes", "Answer")
    per_day: Counter = Counter()
    rows = Answer.objects.filter(timed_out=True).values_list("attempt_question__attempt__user_id", "answered_at")
    for user_id, answered_at in rows.iterator():
        per_day[(user_id, study_day(answered_at))] += 1
    return per_day


def _move(apps, sign):
    DailyActivity = apps.get_model("quizzes", "DailyActivity")
    for (user_id, day), count in sorted(_timed_out_per_day(apps).items()):
        DailyActivity.objects.filter(user_id=user_id, day=day).update(answers=F("answers") + sign * count)


def uncount_timed_out(apps, schema_editor):
    _move(apps, -1)


def count_timed_out(apps, schema_editor):
    _move(apps, +1)


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0012_answer_changed_since_read"),
    ]

    operations = [migrations.RunPython(uncount_timed_out, count_timed_out)]
