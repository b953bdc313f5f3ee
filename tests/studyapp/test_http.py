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


# --- The forms' CSRF token, the security policy, the one language --------------------------------


def _form_token(html: str) -> str:
    import re

    return re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', html).group(1)


def test_the_forms_token_is_the_cookies_secret_masked_afresh_each_time(small_bank, learner):
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token
    from django.test import Client

    from quizzes import services

    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    attempt = services.attempt_start(user=learner, length=3)

    tokens = [_form_token(client.get(attempt.get_absolute_url()).content.decode()) for _ in range(3)]

    secret = client.cookies["csrftoken"].value
    assert len(set(tokens)) == 3
    for token in tokens:
        assert len(token) == 64 and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == secret


def test_an_answer_posted_with_the_rendered_token_is_accepted(small_bank, learner):
    from django.test import Client

    from quizzes import services
    from quizzes.models import Answer
    from quizzes.selectors import attempt_current_item
    from tests.support import form_data

    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    attempt = services.attempt_start(user=learner, length=3)
    token = _form_token(client.get(attempt.get_absolute_url()).content.decode())
    data = form_data(attempt_current_item(attempt))

    refused = client.post(reverse("quizzes:answer", args=[attempt.pk]), {**data, "csrfmiddlewaretoken": "x" * 64})
    accepted = client.post(reverse("quizzes:answer", args=[attempt.pk]), {**data, "csrfmiddlewaretoken": token})

    assert refused.status_code == 403
    assert accepted.status_code == 200 and Answer.objects.count() == 1


def test_a_first_visit_gets_a_new_secret_and_a_token_for_it(client):
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, _unmask_cipher_token
    from django.test import Client

    response = client.get(reverse("login"))
    other = Client().get(reverse("login"))

    secret = response.cookies["csrftoken"].value
    assert _unmask_cipher_token(_form_token(response.content.decode())) == secret
    assert len(secret) == CSRF_SECRET_LENGTH and set(secret) <= set(CSRF_ALLOWED_CHARS)
    assert other.cookies["csrftoken"].value != secret


def test_a_quiz_step_without_the_cookie_sets_the_secret_its_form_token_masks(small_bank, learner):
    from django.middleware.csrf import _unmask_cipher_token
    from django.test import Client

    from quizzes import services

    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    attempt = services.attempt_start(user=learner, length=3)

    response = client.get(attempt.get_absolute_url(), headers={"HX-Request": "true"})

    assert _unmask_cipher_token(_form_token(response.content.decode())) == response.cookies["csrftoken"].value


def _directives(header: str) -> set[str]:
    return {part.strip() for part in header.split(";")}


def test_every_page_gets_the_policy_of_the_settings(client, settings):
    from csp.utils import build_policy

    assert _directives(client.get(reverse("healthz"))["Content-Security-Policy"]) == _directives(build_policy())
    assert "script-src 'self'" in client.get(reverse("login"))["Content-Security-Policy"]

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"], "img-src": ["'self'", "https:"]}}

    assert _directives(client.get(reverse("healthz"))["Content-Security-Policy"]) == {
        "default-src 'self'",
        "img-src 'self' https:",
    }


def test_a_response_with_a_policy_of_its_own_keeps_it():
    from django.http import HttpResponse
    from django.test import RequestFactory

    from studyapp.http import ContentSecurityPolicyMiddleware

    def view(request):
        response = HttpResponse("x")
        response._csp_update = {"img-src": ["https://maps.example.org"]}
        return response

    request = RequestFactory().get("/")
    middleware = ContentSecurityPolicyMiddleware(view)

    header = middleware(request)["Content-Security-Policy"]

    assert "img-src 'self' data: https://maps.example.org" in _directives(header)
    assert "script-src 'self'" in _directives(header)


def test_djangos_own_messages_are_in_chinese_whatever_the_browser_asks_for(client):
    response = client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE="en-US,en")

    assert "Django 站点管理员" in response.content.decode()  # the admin's "Django site admin"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_HX_REQUEST": "true"},
        {"HTTP_HX_REQUEST": "false"},
        {"HTTP_HX_REQUEST": "true", "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"},
        {"HTTP_HX_REQUEST": "true", "HTTP_HX_HISTORY_RESTORE_REQUEST": "false"},
        {"HTTP_HX_HISTORY_RESTORE_REQUEST": "true"},
    ],
)
def test_a_partial_is_wanted_exactly_when_django_htmx_says_an_htmx_request_is_no_history_restore(headers):
    from django.test import RequestFactory
    from django_htmx.middleware import HtmxDetails

    from studyapp.http import partial_wanted

    request = RequestFactory().get("/", **headers)
    request.htmx = HtmxDetails(request)

    assert partial_wanted(request) == (bool(request.htmx) and not request.htmx.history_restore_request)
