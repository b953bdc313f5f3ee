from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from studyapp.uploads import StoredUpload

# Trainers (培训师) are an auth Group rather than a role: a cadre or a member can also train.
TRAINERS_GROUP = "trainers"

# A learner's daily goal: questions answered a day (the dashboard counts them, quizzes/progress.py).
DAILY_GOAL_DEFAULT = 20
DAILY_GOAL_CHOICES = (10, 20, 30, 50)  # offered as one tap each; any number in the range may be typed
DAILY_GOAL_MIN, DAILY_GOAL_MAX = 1, 200


class OrganisationQuerySet(models.QuerySet):
    def subtree_of(self, organisations) -> OrganisationQuerySet:
        """The organisations under any of `organisations` (themselves included)."""
        query = models.Q(pk__in=[])
        for organisation in organisations:
            query |= models.Q(path__startswith=organisation.path)
        return self.filter(query)


class Organisation(models.Model):
    """A union organisation in the tree 全总 → 省 → 市 → 基层工会. `path` lists the ids from the root
    ("/1/5/23/"), so that a subtree is one indexed prefix match (`subtree`), however deep."""

    name = models.CharField(_("名称"), max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级组织"),
    )
    path = models.CharField(_("路径"), max_length=255, blank=True, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("层级"), default=0, editable=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("工会组织")
        verbose_name_plural = _("工会组织")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="unique_organisation_name_in_parent")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # The path needs the row's own id: a new row is saved, then given its path.
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent is not None else '/'}{self.pk}/"
        if path != self.path:
            self.path, self.depth = path, path.count("/") - 2
            Organisation.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)

    def subtree(self) -> OrganisationQuerySet:
        """This organisation and every organisation under it."""
        return Organisation.objects.filter(path__startswith=self.path)


class Profile(models.Model):
    class Role(models.TextChoices):
        CADRE = "cadre", _("工会干部")
        MEMBER = "member", _("会员")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("用户")
    )
    display_name = models.CharField(_("姓名"), max_length=100, blank=True)
    role = models.CharField(_("身份"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("所在组织"),
    )
    daily_goal = models.PositiveSmallIntegerField(
        _("每日目标（题）"),
        default=DAILY_GOAL_DEFAULT,
        validators=[MinValueValidator(DAILY_GOAL_MIN), MaxValueValidator(DAILY_GOAL_MAX)],
    )

    class Meta:
        verbose_name = _("个人资料")
        verbose_name_plural = _("个人资料")
        # The organisation reports read a subtree's people as (organisation, user) pairs: from this
        # index alone, without the table.
        indexes = [models.Index(fields=["organisation", "user"], name="profile_organisation_user")]

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()


def display_name(user: User) -> str:
    """What the interface calls `user`: the profile's name, else the full name, else the login."""
    profile = getattr(user, "profile", None)
    if profile is not None and profile.display_name:
        return profile.display_name
    full = f"{user.last_name}{user.first_name}".strip()
    return full or user.get_username()


# --- Study groups (学习小组 / 培训班) ----------------------------------------------------------------

# Codes are typed on phones: upper-case letters and digits without the look-alikes 0/O, 1/I/L.
INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
INVITE_LENGTH = 12  # 31^12 ≈ 2^59: not guessable, even without the login throttle


def is_admin(user: User | AnonymousUser) -> bool:
    """Admins (superusers and staff) see every group and every result."""
    return bool(user.is_authenticated and (user.is_superuser or user.is_staff))


def is_trainer(user: User | AnonymousUser) -> bool:
    """May create groups and be made a group's trainer: the trainers group, or an admin."""
    if not user.is_authenticated:
        return False
    return is_admin(user) or user.groups.filter(name=TRAINERS_GROUP).exists()


class StudyGroupQuerySet(models.QuerySet):
    def managed_by(self, user: User | AnonymousUser) -> StudyGroupQuerySet:
        """Groups whose members' results `user` may see: all for an admin, else those they train."""
        if is_admin(user):
            return self.all()
        if not user.is_authenticated:
            return self.none()
        return self.filter(pk__in=Membership.objects.trainers().filter(user=user).values("group_id"))

    def joined_by(self, user: User) -> StudyGroupQuerySet:
        """Groups `user` is a learner in."""
        return self.filter(pk__in=Membership.objects.learners().filter(user=user).values("group_id"))


class StudyGroup(models.Model):
    name = models.CharField(_("名称"), max_length=100)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    invite_code = models.CharField(_("邀请码"), max_length=INVITE_LENGTH, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = StudyGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("学习小组")
        verbose_name_plural = _("学习小组")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:detail", kwargs={"pk": self.pk})

    @property
    def invite_code_display(self) -> str:
        """The code in groups of four, easier to read out: ABCD-EFGH-JKMN."""
        code = self.invite_code
        return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class MembershipQuerySet(models.QuerySet):
    def trainers(self) -> MembershipQuerySet:
        return self.filter(role=Membership.Role.TRAINER)

    def learners(self) -> MembershipQuerySet:
        return self.filter(role=Membership.Role.MEMBER)


class Membership(models.Model):
    """A person in a group, as one of its trainers or as a learner; a person may be in many groups."""

    class Role(models.TextChoices):
        TRAINER = "trainer", _("培训师")
        MEMBER = "member", _("学员")

    group = models.ForeignKey(
        StudyGroup, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("学习小组")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("用户")
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("加入时间"), default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("添加人"),
        help_text=_("空表示本人用邀请码加入。"),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("小组成员")
        verbose_name_plural = _("小组成员")
        ordering = ["group", "joined_at", "id"]
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="unique_group_membership")]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        return f"{self.group} · {self.user} · {self.get_role_display()}"


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> InvitationQuerySet:
        return self.filter(status=Invitation.Status.PENDING)


class Invitation(models.Model):
    """A trainer's invitation to a group, by login: nobody is in a group until they accept.

    Joining is the consent to the group's trainers seeing one's study (quizzes/visibility.py), so a
    trainer cannot add a person; the person accepts (and becomes a member from that moment) or
    declines. The rows stay after an answer: who invited whom, when, and what came of it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待回复")
        ACCEPTED = "accepted", _("已接受")
        DECLINED = "declined", _("已谢绝")
        CANCELLED = "cancelled", _("已撤回")

    group = models.ForeignKey(
        StudyGroup, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("学习小组")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_invitations", verbose_name=_("受邀人")
    )
    role = models.CharField(_("角色"), max_length=16, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("邀请人"),
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("邀请时间"), default=timezone.now)
    answered_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("小组邀请")
        verbose_name_plural = _("小组邀请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=models.Q(status="pending"),
                name="one_pending_invitation_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.user} · {self.get_status_display()}"


# --- Organisation managers and enrolment ---------------------------------------------------------------


class OrganisationManager(models.Model):
    """A person who manages one organisation's subtree: sees its aggregates and each person's
    participation and assignment results there (quizzes/visibility.py), never practice details."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="managed", verbose_name=_("管理员")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="managers", verbose_name=_("所管组织")
    )
    created_at = models.DateTimeField(_("任命时间"), default=timezone.now)

    class Meta:
        verbose_name = _("组织管理员")
        verbose_name_plural = _("组织管理员")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="unique_organisation_manager")]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation}"


class EnrolmentImport(StoredUpload):
    """An uploaded file of people (XLSX/CSV), from its preview through its import (run in the
    background for large files) to the one download of its activation codes."""

    class Status(models.TextChoices):
        CHECKED = "checked", _("已检查")
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.CHECKED)
    rows = models.PositiveIntegerField(_("人员行数"), default=0)
    refused = models.PositiveIntegerField(_("有误行数"), default=0)
    processed = models.PositiveIntegerField(_("已处理"), default=0)
    created = models.PositiveIntegerField(_("新建"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # Login → one-time activation code, kept only until the sheet of codes is downloaded once.
    codes = models.JSONField(_("待领取的激活码"), default=dict, blank=True)
    codes_taken_at = models.DateTimeField(_("激活码下载时间"), null=True, blank=True)

    class Meta(StoredUpload.Meta):
        verbose_name = _("人员导入")
        verbose_name_plural = _("人员导入")


class ActivationCode(models.Model):
    """A one-time code with which an enrolled person sets their password at first sign-in. Only a hash
    is kept; the code itself is random and long, so a fast hash is enough (no per-code PBKDF2)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activation", verbose_name=_("用户")
    )
    code_hash = models.CharField(_("激活码摘要"), max_length=64)
    enrolment = models.ForeignKey(
        EnrolmentImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activations",
        verbose_name=_("来自导入"),
    )
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("激活码")
        verbose_name_plural = _("激活码")

    def __str__(self) -> str:
        return f"{self.user} · {'已使用' if self.used_at else '未使用'}"
