"""Aggregates kept for the organisation reports: one row per person and study day, moved on in the same
transaction as the answer (or the finishing of a quiz) it counts, so that a report over a province never
reads the answers themselves (quizzes/activity.py keeps them, and rebuilds them from scratch)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyActivity(models.Model):
    """What a person did on one study day (Asia/Shanghai, core.rules.study_day): answers given (any kind
    of quiz), of them fully right, their credit summed, and quizzes finished that day (by answering the
    last question, by running out of time, or closed as stale)."""

    # No index of its own: the unique (user, day) index serves every lookup by person.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False, verbose_name=_("用户")
    )
    day = models.DateField(_("学习日"))
    answers = models.IntegerField(_("作答次数"), default=0)
    correct = models.IntegerField(_("全对次数"), default=0)
    credit = models.FloatField(_("得分合计"), default=0.0)
    finished = models.IntegerField(_("完成测验"), default=0)

    class Meta:
        verbose_name = _("每日学习汇总")
        verbose_name_plural = _("每日学习汇总")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="unique_daily_activity")]
        indexes = [models.Index(fields=["day", "user"], name="daily_activity_day_user")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.day}"


class ActivityTotal(models.Model):
    """A person's DailyActivity rows summed over all time: what the organisation report's 全部时间
    reads, one row per person however many days they studied.

    Kept by the database itself: triggers on DailyActivity (created by the quizzes migration
    …_activity_totals, for SQLite and PostgreSQL) add every inserted or updated day row to it and
    take every deleted or replaced one away, in the statement that writes the day — so it moves in
    the same transaction as the answer, with no statement of its own on the answer path, and cannot
    miss a writer. Never written from Python. A later migration that makes SQLite rebuild the
    DailyActivity table drops the triggers with it and must create them again (the tests in
    tests/orgs/test_activity.py would fail)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name=_("用户")
    )
    answers = models.IntegerField(_("作答次数"), default=0)
    correct = models.IntegerField(_("全对次数"), default=0)
    credit = models.FloatField(_("得分合计"), default=0.0)
    finished = models.IntegerField(_("完成测验"), default=0)

    class Meta:
        verbose_name = _("累计学习汇总")
        verbose_name_plural = _("累计学习汇总")

    def __str__(self) -> str:
        return f"{self.user_id}"
