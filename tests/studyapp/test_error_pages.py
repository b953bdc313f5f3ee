"""403, 404, 500 and the lockout page: Chinese, in the site's layout, with a way back home."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from studyapp.errors import server_error
from tests.factories import UserFactory

HOME = 'href="/"'


def assert_site_page(body: str, heading: str) -> None:
    assert heading in body
    assert 'class="site-header"' in body and 'lang="zh-CN"' in body  # the layout of base.html
    assert HOME in body and "回到首页" in body
    for english in ("Not Found", "Forbidden", "Server Error", "Page not found"):
        assert english not in body


@pytest.fixture
def production(settings):
    settings.DEBUG = False


@pytest.mark.django_db
def test_an_unknown_address_answers_404_in_chinese(client, production):
    client.force_login(UserFactory())

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert_site_page(response.content.decode(), "找不到这个页面")


@pytest.mark.django_db
def test_a_learner_on_a_staff_page_gets_403_in_chinese(client, production):
    client.force_login(UserFactory(username="member"))

    response = client.get(reverse("documents:versions"))

    assert response.status_code == 403
    body = response.content.decode()
    assert_site_page(body, "没有访问权限")
    assert "退出" in body  # rendered with the request: the signed-in nav


@pytest.mark.django_db
@pytest.mark.urls("tests.studyapp.error_urls")
def test_a_failing_page_answers_500_in_chinese(client, production):
    client.force_login(UserFactory())
    client.raise_request_exception = False

    response = client.get("/broken/")

    assert response.status_code == 500
    assert_site_page(response.content.decode(), "服务器出错了")


def test_the_500_page_renders_without_the_database(production):
    # No django_db mark: any query here fails the test.
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert_site_page(response.content.decode(), "服务器出错了")


def test_a_500_page_that_cannot_render_falls_back_to_a_plain_chinese_page(production):
    response = server_error(RequestFactory().get("/"), template_name="no-such-template.html")

    body = response.content.decode()
    assert response.status_code == 500 and "服务器出错了" in body and HOME in body


@pytest.mark.django_db
def test_an_expired_form_gets_a_chinese_403(production):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())

    response = client.post(reverse("quizzes:start"), {"scope": "document"})

    assert response.status_code == 403
    assert_site_page(response.content.decode(), "页面已过期")


@pytest.mark.django_db
def test_the_lockout_page_is_chinese_in_the_layout_with_a_way_home(client, production):
    UserFactory(username="cadre")
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "cadre", "password": "guess"})

    assert response.status_code == 429
    assert_site_page(response.content.decode(), "暂时无法登录")
