from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import parsing


class Document(models.Model):
    slug = models.SlugField(_("标识"), max_length=80, unique=True)
    title = models.CharField(_("标题"), max_length=200)

    class Meta:
        verbose_name = _("学习文件")
        verbose_name_plural = _("学习文件")

    def __str__(self) -> str:
        return self.title

    def active_version(self) -> DocumentVersion | None:
        return self.versions.filter(is_active=True).first()


class DocumentVersionQuerySet(models.QuerySet):
    def active(self) -> DocumentVersionQuerySet:
        return self.filter(is_active=True)


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions", verbose_name=_("文件"))
    number = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("标题"), max_length=200)
    source_name = models.CharField(_("源文件名"), max_length=255)
    source_sha256 = models.CharField(_("源文件 SHA-256"), max_length=64)
    source_text = models.TextField(_("源文本"))
    is_active = models.BooleanField(_("当前版本"), default=False)
    # Studyable lines (points, paragraphs, “要”), counted at import: the version list shows it
    # without counting every version's nodes.
    line_count = models.PositiveIntegerField(_("行数"), default=0)
    created_at = models.DateTimeField(_("导入时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("导入人"),
    )

    objects = DocumentVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("文件版本")
        verbose_name_plural = _("文件版本")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="unique_version_number"),
            models.UniqueConstraint(fields=["document"], condition=Q(is_active=True), name="one_active_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title} · v{self.number}"


class NodeQuerySet(models.QuerySet):
    def active(self) -> NodeQuerySet:
        """Nodes of the versions now in use."""
        return self.filter(version__is_active=True)

    def headings(self) -> NodeQuerySet:
        return self.filter(kind__in=[Node.Kind.PART, Node.Kind.TASK, Node.Kind.TOPIC])

    def studyable(self) -> NodeQuerySet:
        """Lines a learner studies and is quizzed on."""
        return self.filter(kind__in=Node.LINE_KINDS)


class Node(models.Model):
    class Kind(models.TextChoices):
        PART = parsing.PART, _("部分")
        TASK = parsing.TASK, _("任务")
        TOPIC = parsing.TOPIC, _("专题")
        POINT = parsing.POINT, _("要点")
        PARAGRAPH = parsing.PARAGRAPH, _("段落")
        REQUIREMENT = parsing.REQUIREMENT, _("“要”")

    LINE_KINDS = (Kind.POINT, Kind.PARAGRAPH, Kind.REQUIREMENT)

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    number = models.CharField(_("序号"), max_length=8, blank=True)
    text = models.TextField(_("文字"))
    position = models.PositiveIntegerField(_("顺序"))
    depth = models.PositiveSmallIntegerField(_("层级"))
    line = models.PositiveIntegerField(_("源文件行号"))
    key = models.CharField(_("稳定键"), max_length=16, help_text=_("由规范化文字及其位置得出，用于跨版本对应。"))
    text_key = models.CharField(_("文字键"), max_length=16, db_index=True)

    objects = NodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("节点")
        verbose_name_plural = _("节点")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="unique_node_position"),
            models.UniqueConstraint(fields=["version", "key"], name="unique_node_key"),
        ]
        indexes = [models.Index(fields=["key"])]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("documents:section", kwargs={"key": self.key})

    @property
    def display_title(self) -> str:
        if self.kind == Node.Kind.TASK and self.number:
            return f"（{self.number}）{self.text}"
        return self.text

    @property
    def is_heading(self) -> bool:
        return self.kind in (Node.Kind.PART, Node.Kind.TASK, Node.Kind.TOPIC)


class ImportLogQuerySet(models.QuerySet):
    def for_document(self, document: Document) -> ImportLogQuerySet:
        return self.filter(document=document)


class ImportLog(models.Model):
    """Who did what to the document's versions, and what it changed."""

    class Action(models.TextChoices):
        IMPORT = "import", _("导入")
        ACTIVATE = "activate", _("启用")
        ROLLBACK = "rollback", _("回滚")
        # Logged without a version (it is gone): version_number and counts["version"] are its number.
        DELETE = "delete", _("删除版本")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="log", verbose_name=_("文件"))
    # The log outlives the versions: a deleted version's entries stay, with its number.
    version = models.ForeignKey(
        DocumentVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="log",
        verbose_name=_("版本"),
    )
    version_number = models.PositiveIntegerField(_("版本号"))
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    source_name = models.CharField(_("文件名"), max_length=255, blank=True)
    counts = models.JSONField(_("统计"), default=dict, blank=True)

    objects = ImportLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("导入日志")
        verbose_name_plural = _("导入日志")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} v{self.version_number} · {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.version is not None:  # an entry about a stored version: its document and number
            self.document_id = self.document_id or self.version.document_id
            self.version_number = self.version_number or self.version.number
        super().save(*args, **kwargs)


class BookmarkQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> BookmarkQuerySet:
        return self.filter(user=user)


class Bookmark(models.Model):
    """A line or heading a reader marked to come back to.

    Keyed by the text key (a digest of the wording alone), as a learner's progress is: the bookmark
    follows its line through a re-import that leaves the wording unchanged, wherever the line moved.
    `node` is the line as bookmarked (in its version, kept in the history) and `text` its wording, so
    that a changed or removed line can still be shown and compared.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks", verbose_name=_("用户")
    )
    text_key = models.CharField(_("文字键"), max_length=16)
    node = models.ForeignKey(
        Node, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("书签所在行")
    )
    text = models.TextField(_("加书签时的文字"))
    created_at = models.DateTimeField(_("加书签时间"), default=timezone.now)

    objects = BookmarkQuerySet.as_manager()

    class Meta:
        verbose_name = _("书签")
        verbose_name_plural = _("书签")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "text_key"], name="unique_bookmark")]

    def __str__(self) -> str:
        return f"{self.user} · {self.text[:20]}"
