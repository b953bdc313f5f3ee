"""A reader's bookmarks: toggled from the reader (htmx or a plain form), seen only by their owner,
and followed through a re-import by the line's text."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from studyapp.documents import bookmarks
from studyapp.documents.models import Bookmark
from tests import factories, revisions
from tests.support import HTMX

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(db):
    version = factories.DocumentVersionFactory(is_active=True)
    topic = factories.TopicNodeFactory(version=version)
    lines = [factories.PointNodeFactory(version=version, parent=topic) for _index in range(3)]
    return version, topic, lines


def toggle(client, node, **headers):
    return client.post(reverse("documents:bookmark_toggle"), {"key": node.key}, **headers)


def test_a_tap_bookmarks_a_line_and_a_second_takes_it_away(learner_client, learner, reader):
    _version, _topic, lines = reader

    marked = toggle(learner_client, lines[1], **HTMX).content.decode()
    assert Bookmark.objects.get(user=learner).text_key == lines[1].text_key
    assert 'aria-pressed="true"' in marked
    assert 'id="bookmark-count"' in marked and 'hx-swap-oob="true"' in marked and "我的书签（1）" in marked
    assert "<html" not in marked

    unmarked = toggle(learner_client, lines[1], **HTMX).content.decode()
    assert not Bookmark.objects.filter(user=learner).exists()
    assert 'aria-pressed="false"' in unmarked and "我的书签（0）" in unmarked


def test_without_javascript_the_form_goes_back_to_the_line(learner_client, reader):
    _version, topic, lines = reader

    response = toggle(learner_client, lines[0])

    assert response.status_code == 302
    assert response.url == f"{topic.get_absolute_url()}#l-{lines[0].key}"


def test_a_heading_can_be_bookmarked(learner_client, learner, reader):
    _version, topic, _lines = reader

    assert toggle(learner_client, topic).url == topic.get_absolute_url()
    assert Bookmark.objects.get(user=learner).node == topic


def test_toggling_takes_a_post_with_the_csrf_token_and_a_known_line(learner, reader):
    _version, _topic, lines = reader
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)

    assert client.get(reverse("documents:bookmark_toggle")).status_code == 405
    assert toggle(client, lines[0]).status_code == 403
    page = client.get(lines[0].parent.get_absolute_url())
    token = page.cookies["csrftoken"].value
    response = client.post(reverse("documents:bookmark_toggle"), {"key": "0" * 16, "csrfmiddlewaretoken": token})
    assert response.status_code == 404
    assert not Bookmark.objects.exists()


def test_the_reader_marks_the_bookmarked_lines_and_counts_them(learner_client, learner, reader):
    _version, topic, lines = reader
    toggle(learner_client, lines[2])

    page = learner_client.get(topic.get_absolute_url()).content.decode()

    assert page.count('aria-pressed="true"') == 1
    assert f'data-testid="bookmark-{lines[2].key}"' in page
    assert page.count('class="bookmark-form"') == len(lines) + 1  # every line and the heading
    assert "我的书签（1）" in page
    assert "我的书签（1）" in learner_client.get(reverse("documents:toc")).content.decode()


def test_only_the_owner_sees_or_removes_their_bookmarks(client, learner_client, learner, reader):
    _version, _topic, lines = reader
    toggle(learner_client, lines[0])
    mine = Bookmark.objects.get(user=learner)
    other = factories.UserFactory()
    client.force_login(other)

    assert lines[0].text not in client.get(reverse("documents:bookmarks")).content.decode()
    assert client.get(reverse("documents:bookmark_remove", args=[mine.pk])).status_code == 404
    assert client.post(reverse("documents:bookmark_remove", args=[mine.pk])).status_code == 404
    assert Bookmark.objects.filter(pk=mine.pk).exists()
    toggle(client, lines[0])  # the other reader's own bookmark on the same line
    assert Bookmark.objects.filter(user=learner).count() == 1
    assert lines[0].text in learner_client.get(reverse("documents:bookmarks")).content.decode()


def test_removing_from_the_list_asks_first(learner_client, learner, reader):
    _version, _topic, lines = reader
    toggle(learner_client, lines[0])
    bookmark = Bookmark.objects.get(user=learner)
    url = reverse("documents:bookmark_remove", args=[bookmark.pk])

    confirm = learner_client.get(url).content.decode()
    assert "确定移除这个书签吗" in confirm and Bookmark.objects.filter(pk=bookmark.pk).exists()
    assert learner_client.post(url).url == reverse("documents:bookmarks")
    assert not Bookmark.objects.filter(pk=bookmark.pk).exists()


def test_the_list_costs_the_same_queries_however_many_bookmarks(
    learner_client, learner, reader, django_assert_num_queries
):
    version, topic, lines = reader
    toggle(learner_client, lines[0])
    with django_assert_num_queries(4):  # session with its user, active version, bookmarks, the version's nodes
        learner_client.get(reverse("documents:bookmarks"))
    for _index in range(10):
        toggle(learner_client, factories.PointNodeFactory(version=version, parent=topic))
    with django_assert_num_queries(4):
        page = learner_client.get(reverse("documents:bookmarks")).content.decode()
    assert page.count('data-testid="bookmark-entry"') == 11


# --- Across a re-import ------------------------------------------------------------------------------


def test_bookmarks_follow_unchanged_lines_and_tell_changed_and_removed_ones(learner_client, learner):
    v1 = revisions.import_v1()
    for text in (revisions.UNCHANGED, revisions.CHANGED_OLD, revisions.REMOVED):
        bookmarks.bookmark_toggle(user=learner, version=v1, key=revisions.line(v1, text).key)
    task = v1.nodes.filter(kind="task").order_by("position").first()
    bookmarks.bookmark_toggle(user=learner, version=v1, key=task.key)

    v2 = revisions.import_v2()
    entries = {entry.bookmark.text: entry for entry in bookmarks.bookmark_list(user=learner, version=v2)}

    unchanged = entries[revisions.UNCHANGED]
    assert unchanged.status == bookmarks.CURRENT and unchanged.node == revisions.line(v2, revisions.UNCHANGED)
    assert unchanged.url.endswith(f"#l-{unchanged.node.key}")
    changed = entries[revisions.CHANGED_OLD]
    assert changed.status == bookmarks.CHANGED and changed.node == revisions.line(v2, revisions.CHANGED_NEW)
    assert entries[revisions.REMOVED].status == bookmarks.REMOVED and entries[revisions.REMOVED].node is None
    assert entries[task.text].status == bookmarks.CURRENT and entries[task.text].node.version == v2

    page = learner_client.get(reverse("documents:bookmarks")).content.decode()
    assert "已修改" in page and revisions.CHANGED_NEW in page
    assert "已删除" in page and f"<del>{revisions.REMOVED}</del>" in page
    section = learner_client.get(unchanged.url.split("#")[0]).content.decode()
    assert f'data-testid="bookmark-{unchanged.node.key}"' in section
    assert section.count('aria-pressed="true"') == 1
