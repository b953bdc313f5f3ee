"""Organisations, profiles, demo accounts and the login/logout/password pages."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.http import HttpRequest
from django.urls import reverse

from studyapp.people.models import TRAINERS_GROUP, Organisation, Profile, display_name
from studyapp.people.services import DEMO_ACCOUNTS
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def run_demo_command() -> str:
    out = StringIO()
    call_command("create_demo_accounts", stdout=out)
    return out.getvalue()


def test_create_demo_accounts_creates_every_role_with_organisations():
    run_demo_command()

    users = get_user_model().objects
    assert users.get(username="admin").is_superuser
    assert users.get(username="trainer").groups.filter(name=TRAINERS_GROUP).exists()
    assert (
        Profile.objects.filter(role=Profile.Role.CADRE, user__is_superuser=False)
        .exclude(user__username__in=["trainer", "manager"])
        .count()
        == 2
    )
    assert Profile.objects.filter(role=Profile.Role.MEMBER).count() == 2
    city = Organisation.objects.get(name="某市总工会")
    assert city.parent.name == "某省总工会" and city.parent.parent.name == "全国总工会"
    assert Organisation.objects.get(name="某企业工会").parent == city


def test_create_demo_accounts_prints_logins_and_passwords_that_work(client):
    output = run_demo_command()

    for account in DEMO_ACCOUNTS:
        assert account.username in output and account.password in output
        # django-axes needs the request that carries the login attempt.
        assert client.login(request=HttpRequest(), username=account.username, password=account.password)


def test_create_demo_accounts_can_run_again_without_duplicates():
    run_demo_command()
    user = get_user_model().objects.get(username="cadre1")
    user.set_password("changed-by-someone")
    user.save()

    run_demo_command()

    assert get_user_model().objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).count() == 7
    assert Organisation.objects.count() == 4 and Group.objects.filter(name=TRAINERS_GROUP).count() == 1
    assert Profile.objects.count() == 7
    assert get_user_model().objects.get(username="cadre1").check_password("demo-cadre-2026")


def test_display_name_prefers_the_profile_then_the_full_name_then_the_login():
    assert display_name(ProfileFactory(display_name="张会员").user) == "张会员"
    assert display_name(UserFactory(username="wang", last_name="王", first_name="芳")) == "王芳"
    assert display_name(UserFactory(username="nobody", last_name="", first_name="")) == "nobody"


def test_the_login_page_is_in_chinese_and_logs_in(client):
    UserFactory(username="cadre", password="pass-word-2026")

    page = client.get(reverse("login"))
    response = client.post(reverse("login"), {"username": "cadre", "password": "pass-word-2026"})

    assert page.status_code == 200 and "登录名" in page.content.decode()
    assert response.status_code == 302 and response["Location"] == reverse("quizzes:home")


def test_a_wrong_password_shows_a_chinese_message(client):
    UserFactory(username="cadre", password="pass-word-2026")

    response = client.post(reverse("login"), {"username": "cadre", "password": "wrong"})

    assert "登录名或密码不对" in response.content.decode()


def test_logout_is_a_post(learner_client):
    assert learner_client.get(reverse("logout")).status_code == 405
    response = learner_client.post(reverse("logout"))

    assert response["Location"] == reverse("login")
    assert learner_client.get("/").status_code == 302


def test_the_password_can_be_changed(client):
    user = UserFactory(username="cadre", password="old-pass-2026")
    client.force_login(user)

    page = client.get(reverse("password_change"))
    response = client.post(
        reverse("password_change"),
        {"old_password": "old-pass-2026", "new_password1": "Neu-Kennwort-2026", "new_password2": "Neu-Kennwort-2026"},
    )

    assert "修改密码" in page.content.decode()
    assert response["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("Neu-Kennwort-2026")
