"""Searching the active version from the reader: hits with their headings, the words marked and
escaped, refused queries, and the page in full and as the htmx fragment."""

from __future__ import annotations

import pytest
from django.urls import reverse

from studyapp.documents import search
from tests import factories
from tests.support import HTMX

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(db):
    version = factories.DocumentVersionFactory(is_active=True)
    topic = factories.TopicNodeFactory(version=version, text="建设职工之家")
    lines = [
        factories.PointNodeFactory(version=version, parent=topic, text="深化职工之家建设，让职工之家温暖"),
        factories.PointNodeFactory(version=version, parent=topic, text="推进<b>网上</b>工会 & “智慧工会”"),
        factories.PointNodeFactory(version=version, parent=topic, text="加强劳模工匠人才培养"),
    ]
    old = factories.DocumentVersionFactory(document=version.document, is_active=False)
    factories.PointNodeFactory(version=old, text="旧版本里的职工之家")
    return version, topic, lines


def test_hits_are_the_lines_and_headings_holding_the_words_in_document_order(document):
    version, topic, lines = document

    result = search.document_search(version=version, query="  职工之家 ")

    assert result.query == "职工之家"
    assert [hit.node for hit in result.hits] == [topic, lines[0]]  # not the old version's line
    line_hit = result.hits[1]
    assert line_hit.context == f"{topic.parent.parent.text} › （一）{topic.parent.text} › {topic.text}"
    assert line_hit.url == f"/read/{topic.key}/#l-{lines[0].key}"
    assert [(p.text, p.hit) for p in line_hit.pieces] == [
        ("深化", False),
        ("职工之家", True),
        ("建设，让", False),
        ("职工之家", True),
        ("温暖", False),
    ]
    assert result.hits[0].url == topic.get_absolute_url()


def test_latin_letters_match_whatever_their_case(document):
    version, _topic, lines = document

    result = search.document_search(version=version, query="<B>网上")

    assert [hit.node for hit in result.hits] == [lines[1]]
    assert [p.text for p in result.hits[0].pieces if p.hit] == ["<b>网上"]


@pytest.mark.parametrize("query", ["", "   ", "职", "\x00职"])
def test_empty_or_too_short_queries_search_nothing(document, query, django_assert_num_queries):
    version, _topic, _lines = document

    with django_assert_num_queries(0):
        result = search.document_search(version=version, query=query)

    assert result.hits == []
    assert not result.searched
    assert bool(result.error) == bool(query.strip(" \x00"))


def test_a_too_long_query_is_refused_with_a_message(document):
    result = search.document_search(version=document[0], query="职" * 51)

    assert "最多 50 个字" in result.error and not result.hits


def test_a_query_with_like_wildcards_matches_them_literally(document):
    version, _topic, _lines = document

    assert search.document_search(version=version, query="%_").hits == []
    assert search.document_search(version=version, query="职工%").hits == []


def test_the_search_page_marks_the_words_and_escapes_the_text(client, learner, document):
    client.force_login(learner)

    page = client.get(reverse("documents:search"), {"q": "<b>网上"}).content.decode()

    assert "<mark>&lt;b&gt;网上</mark>&lt;/b&gt;工会 &amp; “智慧工会”" in page
    assert "<b>网上" not in page
    assert 'value="&lt;b&gt;网上"' in page  # the box keeps the query, escaped
    assert "<html" in page


def test_the_htmx_request_gets_the_hits_alone(client, learner, document):
    client.force_login(learner)

    fragment = client.get(reverse("documents:search"), {"q": "职工之家"}, **HTMX).content.decode()

    assert "<html" not in fragment and "<form" not in fragment
    assert fragment.count('class="search-hit"') == 2
    assert "共 2 处" in fragment


def test_no_hits_and_a_short_query_say_so_in_chinese(client, learner, document):
    client.force_login(learner)

    none = client.get(reverse("documents:search"), {"q": "<script>x"}, **HTMX).content.decode()
    short = client.get(reverse("documents:search"), {"q": "职"}, **HTMX).content.decode()

    assert "没有找到“&lt;script&gt;x”" in none and "<script>" not in none
    assert "请至少输入 2 个字" in short


def test_many_hits_are_cut_at_the_limit_and_cost_the_same_queries(client, learner, document, django_assert_num_queries):
    version, topic, _lines = document
    client.force_login(learner)
    for _index in range(search.MAX_HITS + 5):
        factories.PointNodeFactory(version=version, parent=topic, text="职工书屋建设")

    with django_assert_num_queries(4):  # session with its user, active version, hits, headings
        page = client.get(reverse("documents:search"), {"q": "职工书屋"}).content.decode()

    assert page.count('class="search-hit"') == search.MAX_HITS
    assert "显示前 50 处" in page


def test_the_reader_pages_carry_the_search_box(client, learner, document):
    client.force_login(learner)
    _version, topic, _lines = document

    for url in (reverse("documents:toc"), topic.get_absolute_url()):
        page = client.get(url).content.decode()
        assert 'role="search"' in page and f'action="{reverse("documents:search")}"' in page
