import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_health_check_answers_without_a_login(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200 and response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


def test_the_health_check_only_answers_get(client):
    assert client.post(reverse("healthz")).status_code == 405


def test_ping_needs_a_login_and_answers_a_signed_in_user(client):
    from tests.factories import UserFactory

    assert client.get(reverse("ping")).status_code == 302
    client.force_login(UserFactory(username="cadre"))

    response = client.get(reverse("ping"))

    assert response.status_code == 200 and response.content == b"pong"
