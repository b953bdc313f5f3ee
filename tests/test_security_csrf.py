"""Every URL of the app refuses a POST that lacks the CSRF token, and the forms carry one."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SAMPLE = {"int": "1", "slug": "x", "str": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000"}


def app_urls(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """A concrete URL for every pattern of our own apps (the Django admin's included)."""
    urls = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            urls += app_urls(entry, route)
        elif isinstance(entry, URLPattern) and "(?P" not in route and "^" not in route:
            for converter, value in SAMPLE.items():
                route = _fill(route, converter, value)
            urls.append("/" + route)
    return sorted(set(urls))


def _fill(route: str, converter: str, value: str) -> str:
    return re.sub(rf"<{converter}:\w+>", value, route)


@pytest.fixture
def csrf_client(seed_version):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_the_url_list_covers_the_forms_that_change_things():
    urls = app_urls()

    for name, kwargs in [
        ("login", {}),
        ("logout", {}),
        ("password_change", {}),
        ("quizzes:start", {}),
        ("quizzes:answer", {"pk": 1}),
        ("documents:upload", {}),
        ("documents:activate", {"number": 1}),
    ]:
        assert reverse(name, kwargs=kwargs) in urls


@pytest.mark.parametrize("url", app_urls())
def test_a_post_without_the_csrf_token_is_refused(csrf_client, url):
    response = csrf_client.post(url, {"anything": "1"})

    assert response.status_code == 403, url


def test_pages_with_forms_embed_the_token(csrf_client):
    for name in ("quizzes:new", "documents:versions", "password_change", "quizzes:home"):
        body = csrf_client.get(reverse(name)).content.decode()
        assert 'name="csrfmiddlewaretoken"' in body, name
    # htmx requests send it as a header taken from the page.
    assert "X-CSRFToken" in csrf_client.get(reverse("quizzes:home")).content.decode()
