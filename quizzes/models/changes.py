"""A learner's study of what a new version of the document changed: the offer, taken or dismissed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from studyapp.documents.models import DocumentVersion

from .attempts import Attempt


class ChangeStudy(models.Model):
    """What a learner did with the offer to study a version's changes: the quiz they started on the
    changed and new points, or when they dismissed it. The offer is gone once the quiz is finished
    or the offer dismissed (quizzes/changes/selectors.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="change_studies", verbose_name=_("用户")
    )
    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="+", verbose_name=_("新版本"))
    attempt = models.ForeignKey(
        Attempt, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("修订练习")
    )
    dismissed_at = models.DateTimeField(_("不再提示时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("修订学习")
        verbose_name_plural = _("修订学习")
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="one_change_study_per_version")]

    def __str__(self) -> str:
        return f"{self.user} · v{self.version_id}"
