"""Pieces of pages rendered once per process ({% cachedfragment %}, studyapp/fragments.py): the site
menu stays each person's own, by role and by the session's flags."""

import re

import pytest
from django.template import engines
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _menu(client) -> list[str]:
    html = client.get(reverse("documents:toc"), follow=True).content.decode()  # anonymous: the login page
    nav = html.split('<nav class="container"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r"<a [^>]*>(?:<strong>)?([^<]+)", nav) + re.findall(r'class="link-button">([^<]+)<', nav)


def test_each_role_sees_its_own_menu_from_the_same_process(client, seed_version):
    staff = UserFactory(username="admin-1", is_staff=True)
    learner = UserFactory(username="cadre-1")

    anonymous_menu = _menu(client)
    client.force_login(staff)
    staff_menu = _menu(client)
    client.force_login(learner)
    learner_menu = _menu(client)
    client.force_login(staff)
    staff_menu_again = _menu(client)

    assert anonymous_menu == ["工会学习", "学习"]
    assert learner_menu == ["工会学习", "学习", "练习", "错题本", "小组", "退出"]
    assert (
        staff_menu
        == staff_menu_again
        == [
            *["工会学习", "学习", "练习", "错题本", "小组"],
            *["组织", "题库", "文件版本", "导入人员", "管理", "退出"],
        ]
    )


def test_the_session_flags_show_the_curators_and_the_managers_links(client, seed_version):
    client.force_login(UserFactory(username="cadre-2"))
    assert "题库" not in _menu(client) and "组织" not in _menu(client)

    session = client.session
    session["can_curate"] = True
    session.save()
    assert "题库" in _menu(client) and "组织" not in _menu(client)

    session["manages_organisations"] = True
    session.save()
    assert "题库" in _menu(client) and "组织" in _menu(client)


def test_the_logout_forms_token_is_fresh_on_every_page(client, seed_version):
    client.force_login(UserFactory(username="cadre-3"))

    tokens = {
        re.search(
            r'action="/accounts/logout/"[^>]*><input type="hidden" name="csrfmiddlewaretoken" value="(\w+)"', html
        )[1]
        for html in (client.get(reverse("documents:toc")).content.decode() for _ in range(2))
    }

    assert len(tokens) == 2


def test_a_piece_is_rendered_once_for_each_value_of_its_keys():
    calls = []
    template = engines["django"].from_string(
        "{% load fragments %}{% cachedfragment role %}{{ role }}:{{ count }}{% endcachedfragment %}"
    )

    class Counter:
        def __str__(self):
            calls.append(1)
            return str(len(calls))

    rendered = [template.render({"role": role, "count": Counter()}) for role in ("a", "b", "a", "b", "a")]

    assert rendered == ["a:1", "b:2", "a:1", "b:2", "a:1"]
    assert len(calls) == 2
