"""What curation records: every change to a question (the audit log), learners' reports of a wrong
question, and uploaded question files between their preview and their import."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from studyapp.uploads import StoredUpload


class QuestionLog(models.Model):
    """One change to one question: who, when, what it was before and after (fields that changed)."""

    class Action(models.TextChoices):
        CREATED = "created", _("新增")
        IMPORTED = "imported", _("导入")
        EDITED = "edited", _("修改")
        SUPPRESSED = "suppressed", _("停用")
        RESTORED = "restored", _("恢复")
        REVIEWED = "reviewed", _("标记已复核")
        SYNONYM = "synonym", _("接受同义答案")
        FLAGGED = "flagged", _("原文变化，待复核")

    question = models.ForeignKey(
        "quizzes.Question", on_delete=models.CASCADE, related_name="log", verbose_name=_("题目")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    action = models.CharField(_("操作"), max_length=12, choices=Action.choices)
    before = models.JSONField(_("修改前"), default=dict, blank=True)
    after = models.JSONField(_("修改后"), default=dict, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("题目修改记录")
        verbose_name_plural = _("题目修改记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.question_id}"


class QuestionReport(models.Model):
    """A learner's or trainer's “题目有误”: open until staff resolve or dismiss it."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        RESOLVED = "resolved", _("已处理")
        DISMISSED = "dismissed", _("不予处理")

    question = models.ForeignKey(
        "quizzes.Question", on_delete=models.CASCADE, related_name="reports", verbose_name=_("题目")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("反馈人")
    )
    text = models.CharField(_("问题说明"), max_length=500)
    created_at = models.DateTimeField(_("反馈时间"), default=timezone.now)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处理人"),
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    response = models.CharField(_("处理说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("题目反馈")
        verbose_name_plural = _("题目反馈")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open report per person and question: a second tap adds nothing to the queue.
            models.UniqueConstraint(
                fields=["question", "reporter"],
                condition=models.Q(status="open"),
                name="one_open_report_per_reporter",
            )
        ]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_status_display()} · {self.text[:30]}"


class BankImport(StoredUpload):
    """An uploaded question file, kept from its preview to its import (which reads it again, whole)."""

    class Format(models.TextChoices):
        XLSX = "xlsx", _("Excel 题库模板")
        GIFT = "gift", _("GIFT")
        MOODLE_XML = "moodle-xml", _("Moodle XML")

    format = models.CharField(_("格式"), max_length=12, choices=Format.choices)
    rows = models.PositiveIntegerField(_("题目行数"), default=0)
    refused = models.PositiveIntegerField(_("有误行数"), default=0)
    imported_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    imported = models.PositiveIntegerField(_("导入题数"), default=0)

    class Meta(StoredUpload.Meta):
        verbose_name = _("题目导入")
        verbose_name_plural = _("题目导入")
