import pytest
from django.contrib.auth.backends import ModelBackend
from django.urls import reverse

from studyapp.people.authentication import FastModelBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_backend_loads_the_same_user_as_the_orm_would():
    user = UserFactory(first_name="小明", is_staff=True)
    loaded = FastModelBackend().get_user(user.pk)
    expected = ModelBackend().get_user(user.pk)
    assert loaded is not None and expected is not None
    assert loaded == expected
    for field in user._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(expected, field.attname)
    assert loaded._state.adding is False and loaded._state.db == "default"


def test_a_loaded_user_saves_like_an_orm_one():
    user = UserFactory()
    loaded = FastModelBackend().get_user(user.pk)
    assert loaded is not None
    loaded.first_name = "改名"
    loaded.save(update_fields=["first_name"])
    user.refresh_from_db()
    assert user.first_name == "改名"


def test_unknown_and_inactive_users_are_not_loaded():
    inactive = UserFactory(is_active=False)
    assert FastModelBackend().get_user(inactive.pk) is None
    assert FastModelBackend().get_user(inactive.pk + 1000) is None


def test_a_signed_in_request_reads_session_and_user_in_one_statement_each(client, django_assert_num_queries):
    user = UserFactory()
    client.post(reverse("login"), {"username": user.username, "password": "correct horse battery staple"})
    with django_assert_num_queries(2) as queries:
        response = client.get(reverse("ping"))
    assert response.status_code == 200
    assert 'FROM "auth_user"' in queries.captured_queries[1]["sql"]


def test_a_password_change_elsewhere_ends_the_session(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("ping")).status_code == 200
    user.set_password("another long passphrase 2026")
    user.save()
    response = client.get(reverse("ping"))
    assert response.status_code == 302


def test_a_session_with_a_stale_hash_is_flushed_and_signed_out(client):
    user = UserFactory()
    client.force_login(user)
    session = client.session
    session["_auth_user_hash"] = "0" * 64
    session.save()
    assert client.get(reverse("ping")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_session_signed_with_a_previous_secret_key_is_kept_and_re_signed(client, settings):
    user = UserFactory()
    settings.SECRET_KEY = "the-previous-secret-key-of-at-least-fifty-characters-0123456789"
    client.force_login(user)
    old_key = client.session.session_key
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "the-current-secret-key-of-at-least-fifty-characters-0123456789ab"
    assert client.get(reverse("ping")).status_code == 200
    assert client.session.session_key != old_key
    assert client.session["_auth_user_hash"] == user.get_session_auth_hash()


def test_a_session_naming_an_unlisted_backend_is_anonymous(client):
    user = UserFactory()
    client.force_login(user)
    session = client.session
    session["_auth_user_backend"] = "django.contrib.auth.backends.RemoteUserBackend"
    session.save()
    assert client.get(reverse("ping")).status_code == 302
