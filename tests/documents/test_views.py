import pytest
from django.urls import reverse

from studyapp.documents.models import Node
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    """Reading needs an account: every test here reads as a signed-in member."""
    client.force_login(UserFactory(username="reader"))
    return client


def test_anonymous_visitors_are_asked_to_log_in(seed_version):
    from django.test import Client

    response = Client().get(reverse("documents:toc"))

    assert response.status_code == 302 and reverse("login") in response["Location"]


def topic(version, index=0) -> Node:
    return version.nodes.filter(kind=Node.Kind.TOPIC).order_by("position")[index]


def test_the_table_of_contents_lists_every_task_and_topic(client, seed_version):
    response = client.get(reverse("documents:toc"))

    assert response.status_code == 200
    body = response.content.decode()
    for node in seed_version.nodes.filter(kind__in=[Node.Kind.TASK, Node.Kind.TOPIC]):
        assert node.text in body
    assert "<html" in body


def test_a_topic_page_shows_its_points_and_links_to_its_neighbours(client, seed_version):
    first, second = topic(seed_version, 0), topic(seed_version, 1)

    response = client.get(first.get_absolute_url())

    body = response.content.decode()
    for point in first.children.all():
        assert point.text in body
    assert f'href="{second.get_absolute_url()}"' in body and 'rel="next"' in body
    assert first.parent.display_title in body  # breadcrumb


def test_an_htmx_request_gets_only_the_reader_fragment(client, seed_version):
    node = topic(seed_version, 3)

    response = client.get(node.get_absolute_url(), headers={"HX-Request": "true"})

    body = response.content.decode()
    assert "<html" not in body and "<header" not in body
    assert node.text in body and 'hx-swap-oob="true"' in body
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_a_history_restore_request_gets_the_whole_page(client, seed_version):
    response = client.get(
        topic(seed_version).get_absolute_url(), headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" in response.content.decode()


def test_the_whole_document_is_readable_through_the_pager(client, seed_version):
    url = seed_version.nodes.get(kind=Node.Kind.TASK, text="总体要求").get_absolute_url()
    seen = set()
    for _ in range(60):
        response = client.get(url)
        seen.update(n.key for n in response.context["section"].nodes)
        following = response.context["section"].next
        if following is None:
            break
        url = following.get_absolute_url()
    lines = set(seed_version.nodes.filter(kind__in=Node.LINE_KINDS).values_list("key", flat=True))

    assert lines <= seen


def test_a_task_page_shows_its_intro_paragraph(client, seed_version):
    task = seed_version.nodes.get(kind=Node.Kind.TASK, text="总体要求")

    body = client.get(task.get_absolute_url()).content.decode()

    assert "持续提高引领力、组织力、服务力" in body


def test_an_unknown_section_is_not_found(client, seed_version):
    assert client.get(reverse("documents:section", kwargs={"key": "0000000000000000"})).status_code == 404


def test_the_reader_is_not_found_before_any_import(client):
    assert client.get(reverse("documents:toc")).status_code == 404


def test_the_section_page_uses_a_constant_number_of_queries(client, seed_version, django_assert_max_num_queries):
    small = seed_version.nodes.get(kind=Node.Kind.TASK, text="总体要求")
    large = seed_version.nodes.get(kind=Node.Kind.PART, text="中国工会今后五年的主要工作")

    with django_assert_max_num_queries(8):
        client.get(small.get_absolute_url())
    with django_assert_max_num_queries(8):
        client.get(large.get_absolute_url())
