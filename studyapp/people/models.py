from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.utils.translation import gettext_lazy as _

# Trainers (培训师) are an auth Group rather than a role: a cadre or a member can also train.
TRAINERS_GROUP = "trainers"


class Organisation(models.Model):
    name = models.CharField(_("名称"), max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级组织"),
    )

    class Meta:
        verbose_name = _("工会组织")
        verbose_name_plural = _("工会组织")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="unique_organisation_name_in_parent")]

    def __str__(self) -> str:
        return self.name


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

    class Meta:
        verbose_name = _("个人资料")
        verbose_name_plural = _("个人资料")

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()


def display_name(user: AbstractBaseUser) -> str:
    """What the interface calls `user`: the profile's name, else the full name, else the login."""
    profile = getattr(user, "profile", None)
    if profile is not None and profile.display_name:
        return profile.display_name
    full = f"{user.last_name}{user.first_name}".strip()
    return full or user.get_username()
