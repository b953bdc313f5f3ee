"""One-time activation codes and the first sign-in with one.

An enrolled person (enrolment.py) has an unusable password and an activation code. At
/accounts/activate/ they give their login, the code and a new password (twice, checked by Django's
password validators); the password is set, the code is spent and they are signed in.

Only sha256 of a code is stored: codes are 12 characters from a 31-letter alphabet drawn with
`secrets` (~59 bits), so a slow hash would add nothing but cost (thousands are made per import). A
wrong code, a spent one and an unknown login get the same message; failures count towards the login
lockout of django-axes (per login and address, studyapp/people/lockouts.py), so guessing is throttled
exactly like guessing passwords.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import INVITE_ALPHABET, ActivationCode, EnrolmentImport

CODE_ALPHABET = INVITE_ALPHABET  # upper-case letters and digits without 0/O, 1/I/L
CODE_LENGTH = 12

GENERIC_ERROR = _("登录名或激活码不对，或激活码已经用过。请核对后再试；如仍不行，请联系管理员重新生成激活码。")


def code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def code_normalise(text: str) -> str:
    """What a person typed, as generated: upper case, without the dashes and spaces shown for reading."""
    return "".join(char for char in text.upper() if char.isalnum())


def code_hash(code: str) -> str:
    return hashlib.sha256(code_normalise(code).encode()).hexdigest()


def activation_codes_create(users: Iterable[User], *, enrolment: EnrolmentImport | None = None) -> dict[str, str]:
    """A fresh code for each of `users` (who have none yet): login → code. Only the hashes are saved."""
    codes = {user.username: code_new() for user in users}
    by_login = {user.username: user for user in users}
    ActivationCode.objects.bulk_create(
        [
            ActivationCode(user=by_login[login], code_hash=code_hash(code), enrolment=enrolment)
            for login, code in codes.items()
        ],
        batch_size=500,
    )
    return codes


@transaction.atomic
def activation_reissue(*, username: str) -> tuple[User, str]:
    """A new code for the person `username` (the old one stops working), shown to staff once.

    Raises ValidationError for an unknown or inactive login, or a staff account (those sign in with
    their own password and are reset in the admin)."""
    user = get_user_model().objects.filter(username=username.strip(), is_active=True).first()
    if user is None:
        raise ValidationError(_("没有登录名为“%(login)s”的在用账号。") % {"login": username.strip()})
    if user.is_staff or user.is_superuser:
        raise ValidationError(_("管理员账号不能用激活码，请在后台管理中重设密码。"))
    code = code_new()
    ActivationCode.objects.update_or_create(
        user=user, defaults={"code_hash": code_hash(code), "created_at": timezone.now(), "used_at": None}
    )
    return user, code


def activation_check(*, username: str, code: str) -> User | None:
    """The active person whose unused code `code` is, or None (whatever the reason)."""
    activation = (
        ActivationCode.objects.select_related("user")
        .filter(user__username=username.strip(), user__is_active=True, used_at__isnull=True)
        .first()
    )
    given = code_hash(code)
    if activation is None:
        hmac.compare_digest(given, given)  # about as long as a real comparison
        return None
    return activation.user if hmac.compare_digest(activation.code_hash, given) else None


@transaction.atomic
def activation_use(*, user: User, code: str, password: str) -> User:
    """Spend `user`'s code and set their password. ValidationError (the generic message) when the code
    is no longer theirs to use, e.g. spent meanwhile by another tab."""
    spent = ActivationCode.objects.filter(user=user, code_hash=code_hash(code), used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if not spent:
        raise ValidationError(GENERIC_ERROR, code="invalid")
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


class ActivationForm(forms.Form):
    """Login, code and the new password twice. A wrong code is one generic error; the password is
    checked only once the code is right."""

    username = forms.CharField(
        label=_("登录名"),
        max_length=150,
        help_text=_("工号或手机号，与管理员导入时填写的一致。"),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "autofocus": True}),
    )
    code = forms.CharField(
        label=_("激活码"),
        max_length=40,
        help_text=_("管理员发给你的 12 位激活码，如 ABCD-EFGH-JKMN（不区分大小写，可不输入短横线）。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}),
    )
    new_password1 = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少 8 位，不能全是数字，不能太常见，也不能和登录名太像。"),
    )
    new_password2 = forms.CharField(
        label=_("再输一次新密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user: User | None = None
        self.code_wrong = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        username, code = cleaned.get("username"), cleaned.get("code")
        if not username or not code:
            return cleaned
        self.user = activation_check(username=username, code=code)
        if self.user is None:
            self.code_wrong = True
            raise ValidationError(GENERIC_ERROR, code="invalid")
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        elif first:
            try:
                password_validation.validate_password(first, self.user)
            except ValidationError as error:
                self.add_error("new_password1", error)
        return cleaned
