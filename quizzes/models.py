from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from studyapp.documents.models import DocumentVersion, Node


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


class Question(models.Model):
    class Type(models.TextChoices):
        CLOZE = "cloze", _("填空")
        MATCHING = "matching", _("连线")
        CHOICE = "choice", _("单选")

    # Identity across versions: derived from the type, the source text and the answer, so a question
    # on a line that did not change keeps its key (and everyone's history on it) after an import.
    key = models.CharField(_("稳定键"), max_length=40, unique=True)
    type = models.CharField(_("题型"), max_length=16, choices=Type.choices)
    prompt = models.TextField(_("题干"))
    blanks = models.JSONField(_("空格"), default=list, blank=True)
    pairs = models.JSONField(_("连线项"), default=list, blank=True)
    choices = models.JSONField(_("选项"), default=list, blank=True)
    answer_index = models.SmallIntegerField(_("正确选项"), null=True, blank=True)
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

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("题目")
        verbose_name_plural = _("题目")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["is_active", "type"])]

    def __str__(self) -> str:
        return f"[{self.get_type_display()}] {self.prompt[:40]}"

    @property
    def difficulty_label(self) -> str:
        if self.difficulty < 0.34:
            return str(_("易"))
        if self.difficulty < 0.67:
            return str(_("中"))
        return str(_("难"))
