"""Logins resist password guessing, and passwords must be strong."""

from datetime import timedelta

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import F
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


# --- Behind a reverse proxy ------------------------------------------------------------------------

PROXY = "10.0.0.2"  # nginx: every request arrives from its address
ATTACKER = "198.51.100.7"
VICTIM = "203.0.113.9"


def login_via_proxy(client, username: str, password: str, forwarded_for: str):
    """A login through the proxy, which appends the address it saw to X-Forwarded-For."""
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def fail_from(client, address: str, times: int, username: str = "cadre") -> None:
    for _ in range(times):
        assert login_via_proxy(client, username, "guess", address).status_code == 200


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (1, ATTACKER, ATTACKER),
        # The left is whatever the client sent: only the entry the proxy wrote counts.
        (1, f"{VICTIM}, {ATTACKER}", ATTACKER),
        (1, f"not-an-address, {VICTIM},, {ATTACKER}", ATTACKER),
        (1, "2001:db8::7", "2001:db8::7"),
        # Two proxies: the outer one wrote the client, the inner one the outer proxy.
        (2, f"{VICTIM}, {ATTACKER}, 10.0.0.1", ATTACKER),
        # A request that did not pass every configured proxy: the header is not trusted.
        (2, ATTACKER, PROXY),
        (1, "", PROXY),
        # No trusted proxy: the header is anybody's to forge and is ignored.
        (0, ATTACKER, PROXY),
    ],
)
def test_the_client_address_is_the_one_the_trusted_proxy_saw(rf, settings, proxies, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.post("/accounts/login/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)

    assert get_client_ip_address(request) == expected


def test_behind_the_proxy_an_attackers_failures_lock_the_attacker_not_the_victim(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="cadre")
    fail_from(client, ATTACKER, 4)

    assert login_via_proxy(client, "cadre", "guess", ATTACKER).status_code == 429
    assert login_via_proxy(client, "cadre", PASSWORD, ATTACKER).status_code == 429
    assert login_via_proxy(client, "cadre", PASSWORD, VICTIM).status_code == 302


def test_behind_the_proxy_a_forged_forwarded_address_neither_escapes_nor_frames_anyone(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="cadre")
    for n in range(5):  # a new forged address every time, in front of the one the proxy appends
        login_via_proxy(client, "cadre", "guess", f"192.0.2.{n}, {VICTIM}, {ATTACKER}")

    assert login_via_proxy(client, "cadre", PASSWORD, f"192.0.2.99, {ATTACKER}").status_code == 429
    assert login_via_proxy(client, "cadre", PASSWORD, VICTIM).status_code == 302


def test_without_a_trusted_proxy_x_forwarded_for_cannot_dodge_the_lockout(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    UserFactory(username="cadre")
    for n in range(5):
        client.post(
            reverse("login"),
            {"username": "cadre", "password": "guess"},
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )

    after = client.post(
        reverse("login"),
        {"username": "cadre", "password": PASSWORD},
        REMOTE_ADDR=ATTACKER,
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )
    assert after.status_code == 429


def test_one_address_hammering_a_username_never_slows_it_down_for_its_owner(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="cadre")
    fail_from(client, ATTACKER, 4)
    for _ in range(60):  # refused while locked out, and not counted
        assert login_via_proxy(client, "cadre", "guess", ATTACKER).status_code == 429

    assert login_via_proxy(client, "cadre", PASSWORD, VICTIM).status_code == 302


def test_fifty_failures_from_many_addresses_slow_the_username_down_everywhere(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert settings.LOCKOUT_USERNAME_FAILURE_LIMIT == 50
    UserFactory(username="cadre")
    UserFactory(username="member")
    for n in range(12):  # 12 addresses x 4 failures, each address below its own limit
        fail_from(client, f"198.51.100.{n}", 4)
    fail_from(client, "198.51.100.200", 1)
    # 49: the owner still gets in, from anywhere.
    assert login_via_proxy(client, "cadre", PASSWORD, VICTIM).status_code == 302
    client.post(reverse("logout"))

    fiftieth = login_via_proxy(client, "cadre", "guess", "198.51.100.201")
    owner = login_via_proxy(client, "cadre", PASSWORD, "203.0.113.10")

    assert fiftieth.status_code == 429
    assert owner.status_code == 429 and "_auth_user_id" not in client.session
    page = owner.content.decode()
    assert "多个地址" in page and "1 分钟" in page
    # Only that username: everyone else logs in as usual.
    assert login_via_proxy(client, "member", PASSWORD, "203.0.113.10").status_code == 302


def make_failures_older(username: str, seconds: int) -> None:
    AccessAttempt.objects.filter(username=username).update(attempt_time=F("attempt_time") - timedelta(seconds=seconds))


def test_the_username_wide_wait_doubles_with_every_further_failure_and_then_lets_the_owner_in(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOCKOUT_USERNAME_FAILURE_LIMIT = 10
    UserFactory(username="cadre")
    for n in range(3):
        fail_from(client, f"198.51.100.{n}", 3)
    assert login_via_proxy(client, "cadre", "guess", "198.51.100.3").status_code == 429  # 10th: 1 minute
    assert login_via_proxy(client, "cadre", PASSWORD, VICTIM).status_code == 429

    make_failures_older("cadre", 61)
    assert login_via_proxy(client, "cadre", "guess", ATTACKER).status_code == 429  # 11th: 2 minutes
    make_failures_older("cadre", 61)
    assert login_via_proxy(client, "cadre", PASSWORD, VICTIM).status_code == 429
    assert "1 分钟" in login_via_proxy(client, "cadre", PASSWORD, VICTIM).content.decode()
    make_failures_older("cadre", 60)

    assert login_via_proxy(client, "cadre", PASSWORD, VICTIM).status_code == 302


@pytest.mark.parametrize("password", ["12345678", "password", "short", "cadre2026cadre"])
def test_weak_passwords_are_refused(password):
    user = UserFactory.build(username="cadre2026cadre")

    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_long_passphrase_is_accepted():
    validate_password("工会学习 secure passphrase 2026", UserFactory.build(username="cadre"))
