from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from studyapp.people.authentication import FastModelBackend, request_user
from studyapp.sessions import _SESSION_USERS, SessionStore, sessions_forget
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


def test_a_signed_in_request_reads_session_and_user_in_one_statement(client, django_assert_num_queries):
    user = UserFactory()
    client.post(reverse("login"), {"username": user.username, "password": "correct horse battery staple"})
    with django_assert_num_queries(1) as queries:
        response = client.get(reverse("ping"))
    assert response.status_code == 200
    assert 'FROM "django_session"' in queries.captured_queries[0]["sql"]
    assert 'JOIN "auth_user"' in queries.captured_queries[0]["sql"]


def test_a_session_this_process_has_not_seen_is_read_then_its_user(client, django_assert_num_queries):
    client.force_login(UserFactory())
    sessions_forget()  # as in a process that did not log it in
    with django_assert_num_queries(2) as queries:
        assert client.get(reverse("ping")).status_code == 200
    assert 'FROM "auth_user"' in queries.captured_queries[1]["sql"]
    with django_assert_num_queries(1):  # from then on, one statement
        assert client.get(reverse("ping")).status_code == 200


def _user_of(session_key: str):
    request = RequestFactory().get("/")
    request.session = SessionStore(session_key)
    return request_user(request)


def test_a_wrong_guess_of_whose_session_it_is_reads_the_user_it_names(client, django_assert_num_queries):
    user, other = UserFactory(), UserFactory()
    client.force_login(user)
    key = client.session.session_key
    _SESSION_USERS.put(key, other.pk)  # the process's guess is wrong (the session was re-used for another)
    with django_assert_num_queries(2):
        assert _user_of(key) == user
    with django_assert_num_queries(1):  # the guess is right again
        assert _user_of(key) == user


def test_a_log_out_elsewhere_ends_the_session_at_once(client):
    client.force_login(UserFactory())
    assert client.get(reverse("ping")).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).delete()  # another process logged out
    assert client.get(reverse("ping")).status_code == 302


def test_an_expired_session_is_anonymous_though_its_user_is_known(client):
    client.force_login(UserFactory())
    assert client.get(reverse("ping")).status_code == 200
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("ping")).status_code == 302


def test_a_user_deactivated_or_deleted_elsewhere_is_signed_out_at_once(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("ping")).status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(reverse("ping")).status_code == 302
    other = UserFactory()
    client.force_login(other)
    assert client.get(reverse("ping")).status_code == 200
    other.delete()
    assert client.get(reverse("ping")).status_code == 302


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


def test_the_sessions_remembered_are_bounded_the_oldest_forgotten_first(monkeypatch):
    monkeypatch.setattr(_SESSION_USERS, "size", 2)
    sessions_forget()
    users = [UserFactory() for _ in range(3)]
    keys = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store.create()
        keys.append(store.session_key)
    assert {keys[1]: users[1].pk, keys[2]: users[2].pk} == dict(_SESSION_USERS.items())


def test_a_stored_session_is_verified_once_and_each_read_gets_a_dict_of_its_own(monkeypatch, settings):
    from django.core import signing

    store = SessionStore()
    store.update({SESSION_KEY: "7", "basket": [1, 2]})
    store.create()
    text = Session.objects.get(session_key=store.session_key).session_data
    sessions_forget()
    verified: list[str] = []
    real_loads = signing.loads
    monkeypatch.setattr(signing, "loads", lambda value, **kw: verified.append(value) or real_loads(value, **kw))

    first, second = SessionStore().decode(text), SessionStore().decode(text)
    first["basket"].append(3)

    assert verified == [text]
    assert second == {SESSION_KEY: "7", "basket": [1, 2]} and SessionStore().decode(text)["basket"] == [1, 2]
    assert SessionStore().decode(text[:-2] + "xx") == {}  # another text is verified afresh, and refused
    settings.SECRET_KEY = "another-key-" + "k" * 50
    assert SessionStore().decode(text) == {}  # the key changed: verified again, and refused
