"""Attempts that ran out of time before timed-out answers were recorded: their unanswered questions
get the timed-out answers (wrong, credit 0, at the deadline) and the days' aggregates the answers,
as quizzes.services.attempt_time_out records them now, so that every page counts them alike."""

from django.db import migrations
from django.db.models import F


def record_past_timeouts(apps, schema_editor):
    from quizzes.core.rules import study_day

    Attempt = apps.get_model("quizzes", "Attempt")
    AttemptQuestion = apps.get_model("quizzes", "AttemptQuestion")
    Answer = apps.get_model("quizzes", "Answer")
    DailyActivity = apps.get_model("quizzes", "DailyActivity")
    expired = Attempt.objects.filter(
        deadline__isnull=False, finished_at=F("deadline"), answered_count__lt=F("question_count")
    )
    for attempt in expired.iterator():
        unanswered = list(
            AttemptQuestion.objects.filter(attempt_id=attempt.pk, answer__isnull=True).values_list("pk", flat=True)
        )
        if not unanswered:
            continue
        Answer.objects.bulk_create(
            Answer(
                attempt_question_id=item_id,
                given=[],
                marks=[],
                credit=0.0,
                is_correct=False,
                timed_out=True,
                answered_at=attempt.deadline,
            )
            for item_id in unanswered
        )
        Attempt.objects.filter(pk=attempt.pk).update(answered_count=F("answered_count") + len(unanswered))
        day = study_day(attempt.deadline)
        row, _created = DailyActivity.objects.get_or_create(user_id=attempt.user_id, day=day)
        DailyActivity.objects.filter(pk=row.pk).update(answers=F("answers") + len(unanswered))


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0008_assignment_show_answers_answer_timed_out"),
    ]

    operations = [migrations.RunPython(record_past_timeouts, migrations.RunPython.noop)]
