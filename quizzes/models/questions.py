"""The question bank's rows: a question, its kind as a choice, where it came from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from studyapp.documents.models import DocumentVersion, Node

from ..core.kinds import KINDS, MIXED, QuestionKind, kind_of
from ..core.rules import DIFFICULTY_LABELS, difficulty_band


class QuestionQuerySet(models.QuerySet):
    def active(self) -> QuestionQuerySet:
        """Questions that may be asked now; retired ones stay for history and reports."""
        return self.filter(is_active=True)

    def of_type(self, question_type: str) -> QuestionQuerySet:
        return self.filter(type=question_type) if question_type else self

    def in_task(self, task_node: Node) -> QuestionQuerySet:
        return self.filter(task_key=task_node.key)

    def in_topic(self, topic_node: Node) -> QuestionQuerySet:
        return self.filter(topic_key=topic_node.key)


# The kinds' names as Django choices: Question.Type.CLOZE == "cloze". The kinds themselves, with all
# that differs between them, are in core/kinds/.
# Built with Enum's functional API, which mypy understands only for the enum module's own classes:
# django-stubs types a call of TextChoices as its __init__ (one member's value and label), so mypy
# cannot check these two calls and sees both classes as Any.
QuestionType = models.TextChoices(  # type: ignore[call-overload]
    "QuestionType", [(name.upper(), (name, kind.label)) for name, kind in KINDS.items()]
)
QuizMix = models.TextChoices(  # type: ignore[call-overload]
    "QuizMix", [*((name.upper(), (name, kind.label)) for name, kind in KINDS.items()), ("MIXED", (MIXED, _("混合")))]
)


class Origin(models.TextChoices):
    GENERATED = "generated", _("自动生成")
    WRITTEN = "written", _("人工编写")
    IMPORTED = "imported", _("导入")


class Question(models.Model):
    Type = QuestionType
    Origin = Origin

    # Identity across versions: derived from the type, the source text and the answer, so a question
    # on a line that did not change keeps its key (and everyone's history on it) after an import.
    key = models.CharField(_("稳定键"), max_length=40, unique=True)
    type = models.CharField(_("题型"), max_length=16, choices=Type.choices)
    prompt = models.TextField(_("题干"))
    blanks = models.JSONField(_("空格"), default=list, blank=True)
    pairs = models.JSONField(_("连线项"), default=list, blank=True)
    choices = models.JSONField(_("选项"), default=list, blank=True)
    answer_index = models.SmallIntegerField(_("正确选项"), null=True, blank=True)
    correct_choices = models.JSONField(_("正确选项（多选）"), default=list, blank=True)
    source = models.ForeignKey(
        Node,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("出处"),
        help_text=_("当前启用版本中的出处行；连线题为其第一项的出处。"),
    )
    source_key = models.CharField(_("出处稳定键"), max_length=16, blank=True)
    source_text_keys = models.JSONField(_("出处文字键"), default=list, blank=True)
    part = models.CharField(_("部分"), max_length=200, blank=True)
    task = models.CharField(_("任务"), max_length=200, blank=True)
    task_number = models.CharField(_("任务序号"), max_length=8, blank=True)
    task_key = models.CharField(_("任务键"), max_length=16, blank=True, db_index=True)
    topic = models.CharField(_("专题"), max_length=200, blank=True)
    topic_key = models.CharField(_("专题键"), max_length=16, blank=True, db_index=True)
    difficulty = models.FloatField(_("难度"), default=0.5)
    is_active = models.BooleanField(_("在用"), default=True)
    created_in = models.ForeignKey(
        DocumentVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("生成于版本")
    )
    retired_in = models.ForeignKey(
        DocumentVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("停用于版本"),
    )
    position = models.PositiveIntegerField(_("题库顺序"), default=0)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    # Curation (quizzes/curation/): where the question comes from and what staff did to it. A
    # suppressed question is inactive and stays so through regeneration; an edited one keeps its
    # wording; either is flagged for review when its point changes.
    origin = models.CharField(_("来源"), max_length=12, choices=Origin.choices, default=Origin.GENERATED)
    explanation = models.TextField(_("解析"), blank=True)
    is_suppressed = models.BooleanField(_("已停用"), default=False)
    is_edited = models.BooleanField(_("已人工修改"), default=False)
    needs_review = models.BooleanField(_("待复核"), default=False)
    review_reason = models.CharField(_("待复核原因"), max_length=200, blank=True)
    reviewed_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("复核人"),
    )

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("题目")
        verbose_name_plural = _("题目")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["is_active", "type"])]
        permissions = [("curate_bank", _("可编辑题库（修改、停用、新增、导入题目）"))]

    def __str__(self) -> str:
        return f"[{self.get_type_display()}] {self.prompt[:40]}"

    @property
    def kind(self) -> QuestionKind:
        """Everything that differs between question types: checking, form, feedback, export."""
        return kind_of(self.type)

    @property
    def difficulty_label(self) -> str:
        return str(_(DIFFICULTY_LABELS[difficulty_band(self.difficulty)]))
