"""Logins resist password guessing, and passwords must be strong."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def attempt_login(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_account_out_even_for_the_right_one(client):
    UserFactory(username="cadre")
    for _ in range(4):
        assert attempt_login(client, "cadre", "guess").status_code == 200  # the form again, with an error

    locked = attempt_login(client, "cadre", "guess")
    after = attempt_login(client, "cadre", PASSWORD)

    assert locked.status_code == 429 and "暂时无法登录" in locked.content.decode()
    assert "15 分钟" in locked.content.decode()
    assert after.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_successful_login_resets_the_failure_count(client):
    UserFactory(username="cadre")
    for _ in range(4):
        attempt_login(client, "cadre", "guess")

    assert attempt_login(client, "cadre", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert attempt_login(client, "cadre", "guess").status_code == 200


def test_the_lockout_of_one_account_does_not_lock_another(client):
    UserFactory(username="cadre")
    UserFactory(username="member")
    for _ in range(5):
        attempt_login(client, "cadre", "guess")

    assert attempt_login(client, "member", PASSWORD).status_code == 302


@pytest.mark.parametrize("password", ["12345678", "password", "short", "cadre2026cadre"])
def test_weak_passwords_are_refused(password):
    user = UserFactory.build(username="cadre2026cadre")

    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_long_passphrase_is_accepted():
    validate_password("工会学习 secure passphrase 2026", UserFactory.build(username="cadre"))
