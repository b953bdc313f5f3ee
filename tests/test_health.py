import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_health_check_answers_without_a_login(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200 and response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


def test_the_health_check_only_answers_get(client):
    assert client.post(reverse("healthz")).status_code == 405
