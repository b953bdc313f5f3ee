"""A learner's quizzes: attempts, their questions and answers, each point's memory state, and the
quizzes trainers assign to study groups."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from studyapp.people.models import Membership, StudyGroup

from .questions import Question, QuizMix

# --- Attempts, answers and memory state -------------------------------------------------------


class AttemptQuerySet(models.QuerySet):
    def for_user(self, user) -> AttemptQuerySet:
        return self.filter(user=user)

    def finished(self) -> AttemptQuerySet:
        return self.filter(finished_at__isnull=False)

    def in_progress(self) -> AttemptQuerySet:
        return self.filter(finished_at__isnull=True)


class Attempt(models.Model):
    """One sitting of a quiz: its questions are fixed at the start and answered in order."""

    class Kind(models.TextChoices):
        PRACTICE = "practice", _("练习")
        REVIEW = "review", _("到期复习")
        RETRY = "retry", _("错题重做")
        ASSIGNMENT = "assignment", _("小组测验")
        CHANGES = "changes", _("修订学习")

    class Scope(models.TextChoices):
        DOCUMENT = "document", _("全文")
        TASK = "task", _("任务")
        TOPIC = "topic", _("专题")

    Mix = QuizMix

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("用户")
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.PRACTICE)
    scope = models.CharField(_("范围"), max_length=16, choices=Scope.choices, default=Scope.DOCUMENT)
    scope_key = models.CharField(_("范围键"), max_length=16, blank=True)
    scope_label = models.CharField(_("范围名称"), max_length=200, blank=True)
    question_type = models.CharField(_("题型"), max_length=16, choices=Mix.choices, default=Mix.MIXED)
    retry_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="retries", verbose_name=_("重做自")
    )
    # Counters kept in step with the answers (same transaction), so a quiz step never counts rows.
    question_count = models.PositiveSmallIntegerField(_("题数"))
    answered_count = models.PositiveSmallIntegerField(_("已答"), default=0)
    correct_count = models.PositiveSmallIntegerField(_("答对"), default=0)
    credit = models.FloatField(_("得分"), default=0.0, help_text=_("各题得分之和；连线题按配对给部分分。"))
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    last_answer_at = models.DateTimeField(_("最近作答"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    assignment = models.ForeignKey(
        "Assignment",
        on_delete=models.SET_NULL,  # the learner's record outlives the assignment
        null=True,
        blank=True,
        related_name="attempts",
        verbose_name=_("小组测验"),
    )
    # The moment after which no answer is accepted: the assignment's closing time, or the start plus
    # its time limit, whichever comes first. Kept on the attempt so that the check costs no query.
    deadline = models.DateTimeField(_("作答截止"), null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("练习记录")
        verbose_name_plural = _("练习记录")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["user", "-started_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "user"],
                condition=models.Q(assignment__isnull=False),
                name="one_attempt_per_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()} · {self.started_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("quizzes:take", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    def is_closed_at(self, moment: datetime) -> bool:
        """Whether the attempt takes no more answers at `moment`: finished, or past its deadline."""
        return self.finished_at is not None or (self.deadline is not None and moment > self.deadline)

    def seconds_left(self, moment: datetime) -> int | None:
        """Whole seconds until the deadline (0 once passed); None without a deadline."""
        if self.deadline is None:
            return None
        return max(0, int((self.deadline - moment).total_seconds()))

    @property
    def timed_out(self) -> bool:
        """Finished because its time ran out (quizzes.services.attempt_time_out), not by answering."""
        return self.deadline is not None and self.finished_at is not None and self.finished_at == self.deadline

    @property
    def score_percent(self) -> int:
        return round(100 * self.credit / self.question_count) if self.question_count else 0

    @property
    def duration(self) -> timedelta | None:
        end = self.finished_at or self.last_answer_at
        return end - self.started_at if end else None

    @cached_property
    def title(self) -> str:
        # The choices' labels straight from their enums: get_FOO_display() flattens the choices on
        # every call, and a quiz step shows the title twice.
        label = self.scope_label or self.Scope(self.scope).label
        return f"{self.Kind(self.kind).label} · {label} · {self.Mix(self.question_type).label}"


class AttemptQuestion(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items", verbose_name=_("练习"))
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+", verbose_name=_("题目"))
    position = models.PositiveSmallIntegerField(_("题号"))
    # How the question is laid out for this attempt, e.g. {"right_order": [2, 0, 1]} for matching,
    # so that a reload shows the same order and a select's value never gives the answer away.
    layout = models.JSONField(_("布局"), default=dict, blank=True)

    class Meta:
        verbose_name = _("练习题目")
        verbose_name_plural = _("练习题目")
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="unique_attempt_position"),
            models.UniqueConstraint(fields=["attempt", "question"], name="unique_attempt_question"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} #{self.position + 1}"


class Answer(models.Model):
    """The one recorded answer to a question of an attempt (the one-to-one makes a second impossible)."""

    attempt_question = models.OneToOneField(
        AttemptQuestion, on_delete=models.CASCADE, related_name="answer", verbose_name=_("练习题目")
    )
    given = models.JSONField(_("作答"), help_text=_("填空：各空文字；单选：选项序号；连线：每个左项所配右项的序号。"))
    marks = models.JSONField(_("逐项对错"), default=list, blank=True)
    credit = models.FloatField(_("得分"))
    is_correct = models.BooleanField(_("全对"))
    token = models.CharField(_("提交令牌"), max_length=64, blank=True)
    elapsed_seconds = models.FloatField(_("用时（秒）"), null=True, blank=True)
    answered_at = models.DateTimeField(_("作答时间"), default=timezone.now, db_index=True)
    # Recorded for the learner when the attempt's time ran out with the question unanswered: wrong
    # (credit 0) in the score, but not an answer the learner gave, so left out of the item statistics
    # and of the memory model (quizzes.services.attempt_time_out).
    timed_out = models.BooleanField(_("超时"), default=False)

    class Meta:
        verbose_name = _("作答")
        verbose_name_plural = _("作答")
        ordering = ["answered_at", "id"]

    def __str__(self) -> str:
        return f"{self.attempt_question} · {self.credit:.2f}"


class PointStateQuerySet(models.QuerySet):
    def for_user(self, user) -> PointStateQuerySet:
        return self.filter(user=user)

    def due_by(self, moment) -> PointStateQuerySet:
        return self.filter(due__lte=moment)

    def mastered_at(self, moment) -> PointStateQuerySet:
        """Points whose latest answer was right and whose predicted recall is still ≥ 90%."""
        return self.filter(last_rating__gte=PointState.RIGHT_RATING_MIN, stable_until__gte=moment)


class PointState(models.Model):
    """A learner's FSRS memory of one line of the document, keyed by the line's text.

    Keyed by `text_key` (a digest of the text alone), so the state survives a re-import that leaves
    the line's wording unchanged, wherever the line moved.
    """

    RIGHT_RATING_MIN = 2  # fsrs Rating.Hard; Again (1) is a wrong answer

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="point_states", verbose_name=_("用户")
    )
    point_text_key = models.CharField(_("要点文字键"), max_length=16)
    card = models.JSONField(_("FSRS 卡片"))
    due = models.DateTimeField(_("下次复习"))
    stability = models.FloatField(_("稳定性（天）"))
    # last_review + stability: FSRS defines stability as the time for recall to fall to 90%.
    stable_until = models.DateTimeField(_("记忆保持至"))
    last_rating = models.PositiveSmallIntegerField(_("最近评分"))
    last_review = models.DateTimeField(_("最近复习"))
    reps = models.PositiveIntegerField(_("复习次数"), default=0)
    lapses = models.PositiveIntegerField(_("遗忘次数"), default=0)

    objects = PointStateQuerySet.as_manager()

    class Meta:
        verbose_name = _("要点记忆状态")
        verbose_name_plural = _("要点记忆状态")
        constraints = [models.UniqueConstraint(fields=["user", "point_text_key"], name="unique_point_state")]
        indexes = [
            models.Index(fields=["user", "due"]),
            # Mastery counted over many people (progress.mastered_by(): a group report's thousand members,
            # an organisation's roll-up) read from the index alone, not row by row from the table.
            models.Index(
                fields=["user", "stable_until", "last_rating", "point_text_key"], name="pointstate_mastery_cover"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.point_text_key}"


# --- Quizzes assigned to study groups -----------------------------------------------------------


class AssignmentQuerySet(models.QuerySet):
    def for_learner(self, user: User) -> AssignmentQuerySet:
        """Assignments of the groups `user` is a learner in."""
        return self.filter(group__in=Membership.objects.learners().filter(user=user).values("group_id"))


class Assignment(models.Model):
    """A quiz a trainer sets for a group: a fixed question list, or one drawn per member from a scope."""

    class Mode(models.TextChoices):
        FIXED = "fixed", _("固定题目")
        GENERATED = "generated", _("按范围随机抽题")

    class ShowAnswers(models.TextChoices):
        """When a learner sees whether each answer was right and the correct answers (quizzes/reveal.py)."""

        EACH = "each", _("每题作答后")
        FINISHED = "finished", _("提交后")
        DEADLINE = "deadline", _("截止后")
        NEVER = "never", _("不显示")

    group = models.ForeignKey(
        StudyGroup, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("学习小组")
    )
    title = models.CharField(_("标题"), max_length=100)
    mode = models.CharField(_("出题方式"), max_length=16, choices=Mode.choices, default=Mode.GENERATED)
    scope = models.CharField(_("范围"), max_length=16, choices=Attempt.Scope.choices, default=Attempt.Scope.DOCUMENT)
    scope_key = models.CharField(_("范围键"), max_length=16, blank=True)
    scope_label = models.CharField(_("范围名称"), max_length=200, blank=True)
    question_type = models.CharField(_("题型"), max_length=16, choices=Attempt.Mix.choices, default=Attempt.Mix.MIXED)
    length = models.PositiveSmallIntegerField(_("题数"), default=10)
    # Fixed mode: the questions in asking order (ids of Question rows, which are never deleted).
    question_ids = models.JSONField(_("题目（按顺序）"), default=list, blank=True)
    opens_at = models.DateTimeField(_("开放时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("限时（分钟）"), null=True, blank=True, help_text=_("留空表示不限时，只受截止时间约束。")
    )
    show_answers = models.CharField(
        _("何时显示答案"),
        max_length=16,
        choices=ShowAnswers.choices,
        default=ShowAnswers.DEADLINE,
        help_text=_("学员何时能看到每题对错和正确答案；培训师在小组报告中始终能看到。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("布置人"),
    )
    created_at = models.DateTimeField(_("布置时间"), default=timezone.now)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("小组测验")
        verbose_name_plural = _("小组测验")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="assignment_closes_after_opening"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.title}"

    def status_at(self, moment: datetime) -> str:
        """ "upcoming", "open" or "closed" at `moment`."""
        if moment < self.opens_at:
            return "upcoming"
        if moment >= self.closes_at:
            return "closed"
        return "open"

    @property
    def size(self) -> int:
        """How many questions each member is asked (at most, for a small scope)."""
        return len(self.question_ids) if self.mode == self.Mode.FIXED else self.length
