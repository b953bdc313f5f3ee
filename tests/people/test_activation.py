"""First sign-in with a one-time activation code: the code sets the password and signs the person in,
once; every wrong try gets the same message and counts towards the login lockout."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse

from studyapp.people import activation
from studyapp.people.models import ActivationCode
from tests.factories import ProfileFactory, UserFactory
from tests.support import HTMX

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "river-lantern-2026"
GENERIC = "登录名或激活码不对，或激活码已经用过"


@pytest.fixture
def enrolled(db):
    """A person as an import leaves them: an unusable password and a fresh code."""
    user = ProfileFactory(user__username="13800000001", display_name="张三").user
    user.set_unusable_password()
    user.save()
    code = activation.activation_codes_create([user])["13800000001"]
    return user, code


def activate(client, username, code, first=PASSWORD, second=None):
    data = {"username": username, "code": code, "new_password1": first, "new_password2": second or first}
    return client.post(reverse("activate"), data)


def test_the_login_page_links_to_activation(client):
    page = client.get(reverse("login")).content.decode()
    assert "首次登录？用激活码设置密码" in page and reverse("activate") in page
    assert client.get(reverse("activate")).status_code == 200


def test_a_code_sets_the_password_signs_in_and_is_spent(client, enrolled):
    user, code = enrolled
    typed = "-".join(code[i : i + 4] for i in range(0, 12, 4)).lower()  # as read out: abcd-efgh-jkmn

    response = activate(client, " 13800000001 ", typed)

    assert response.status_code == 302 and response["Location"] == reverse("quizzes:home")
    assert int(client.session["_auth_user_id"]) == user.pk
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert ActivationCode.objects.get(user=user).used_at is not None
    dashboard = client.get(reverse("quizzes:home"))
    assert dashboard.status_code == 200 and "密码已设置" in dashboard.content.decode()
    client.logout()
    assert client.post(reverse("login"), {"username": "13800000001", "password": PASSWORD}).status_code == 302
    client.logout()
    again = activate(client, "13800000001", code, "another-pass-2027")
    assert again.status_code == 400 and GENERIC in again.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_wrong_code_used_code_and_unknown_login_look_the_same(client, enrolled):
    user, code = enrolled
    other = ProfileFactory(user__username="used").user
    used = activation.activation_codes_create([other])["used"]
    ActivationCode.objects.filter(user=other).update(used_at="2026-01-01T00:00:00Z")

    answers = [
        activate(client, "13800000001", "ABCDEFGHJKMN"),
        activate(client, "used", used),
        activate(client, "nobody", code),
    ]

    assert {response.status_code for response in answers} == {400}
    messages = {
        response.content.decode().split('data-testid="activate-error">')[1].split("<")[0] for response in answers
    }
    assert len(messages) == 1 and GENERIC in messages.pop()
    user.refresh_from_db()
    assert not user.has_usable_password() and "_auth_user_id" not in client.session


def test_the_new_password_is_checked_by_the_validators(client, enrolled):
    user, code = enrolled

    mismatch = activate(client, "13800000001", code, PASSWORD, PASSWORD + "x")
    weak = activate(client, "13800000001", code, "12345678")

    assert "两次输入的新密码不一致" in mismatch.content.decode()
    assert weak.status_code == 400 and "这个密码太常见了" in weak.content.decode()
    assert ActivationCode.objects.get(user=user).used_at is None  # still usable
    assert activate(client, "13800000001", code).status_code == 302


def test_wrong_codes_lock_out_like_wrong_passwords_and_are_not_logged(client, enrolled, settings):
    user, code = enrolled
    for _try in range(settings.LOCKOUT_FAILURE_LIMIT - 1):
        assert activate(client, "13800000001", "WRONGWRONG22").status_code == 400
    locked = activate(client, "13800000001", "WRONGWRONG23")
    after = activate(client, "13800000001", code)  # even the right code, while locked out

    assert locked.status_code == 429 and after.status_code == 429
    assert not User.objects.get(pk=user.pk).has_usable_password()
    attempt = AccessAttempt.objects.get(username="13800000001")
    assert "WRONG" not in attempt.post_data and PASSWORD not in attempt.post_data
    # The login page is locked for the same login and address too: one throttle.
    assert client.post(reverse("login"), {"username": "13800000001", "password": "x"}).status_code == 429


def test_staff_reissue_a_code_shown_once_and_the_old_one_stops(client, enrolled, learner):
    user, old = enrolled
    admin = UserFactory(username="boss", is_staff=True)
    client.force_login(admin)

    unconfirmed = client.post(reverse("enrolment_reissue"), {"username": "13800000001"})
    assert unconfirmed.status_code == 400 and "原来的激活码将失效" in unconfirmed.content.decode()
    page = client.post(reverse("enrolment_reissue"), {"username": "13800000001", "confirm": "on"}).content.decode()
    new = page.split('data-testid="code">')[1].split("<")[0]
    refused = client.post(reverse("enrolment_reissue"), {"username": "boss", "confirm": "on"})
    assert refused.status_code == 400 and "管理员账号不能用激活码" in refused.content.decode()
    client.logout()

    assert len(new.replace("-", "")) == 12 and new.replace("-", "") != old
    assert activate(client, "13800000001", old).status_code == 400
    assert activate(client, "13800000001", new).status_code == 302
    client.force_login(learner)
    assert client.get(reverse("enrolment_reissue"), **HTMX).status_code == 403
