"""A heading with nothing of its own is read with the sibling heading after it: the seed's “八个要”
is followed by 请记住, which holds the lead-in and the eight “要”. The reader shows them as one
section and the quiz scopes offer them once; the stored nodes and their keys are untouched."""

import pytest
from django.urls import reverse

from quizzes.bank import scope_questions
from quizzes.selectors import scope_choices
from studyapp.documents import selectors
from studyapp.documents.models import Node
from studyapp.documents.parsing import parse_document
from studyapp.documents.selectors import OutlineEntry, join_empty_headings
from studyapp.documents.services import document_import
from tests.factories import UserFactory

HEADINGS = [Node.Kind.PART, Node.Kind.TASK, Node.Kind.TOPIC]


@pytest.fixture
def client(client, db):
    client.force_login(UserFactory(username="reader"))
    return client


def heading(version, text: str) -> Node:
    return version.nodes.get(text=text, kind__in=HEADINGS)


def entries_by_title(version) -> dict[str, OutlineEntry]:
    return {entry.node.text: entry for entry in selectors.flatten(selectors.document_outline(version))}


# --- The rule, on made-up headings ------------------------------------------------------------------


def entry(text: str, *, lines: int = 0, children: list[OutlineEntry] | None = None) -> OutlineEntry:
    node = Node(kind=Node.Kind.TOPIC, text=text, key=text)
    return OutlineEntry(node=node, children=children or [], line_keys=[f"{text}{i}" for i in range(lines)])


def test_an_empty_heading_is_joined_up_to_the_first_following_sibling_with_content():
    first, second, third, last = entry("甲"), entry("乙"), entry("丙", lines=2), entry("丁")
    siblings = [first, second, third, last]

    join_empty_headings(siblings)

    assert first.joined == [second, third]
    assert second.joined_to is first and third.joined_to is first
    assert first.section_title == "甲 · 乙 · 丙" and first.progress_node is third.node
    assert last.joined == [] and last.joined_to is None  # nothing follows it: it stays a heading alone


def test_a_heading_with_sub_headings_or_lines_is_not_joined_and_the_rule_applies_at_every_level():
    inner_empty, inner_full = entry("子甲"), entry("子乙", lines=1)
    parent = entry("父", children=[inner_empty, inner_full])
    with_lines, after = entry("有行", lines=1), entry("其后", lines=1)
    siblings = [parent, entry("后", lines=1), with_lines, after]

    join_empty_headings(siblings)

    assert all(not e.joined and e.joined_to is None for e in siblings)
    assert inner_empty.joined == [inner_full]
    assert parent.section_children == [inner_empty]


# --- The seed ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_in_the_seed_only_the_eight_musts_heading_is_joined_and_with_the_remember_part(seed_version):
    by_title = entries_by_title(seed_version)
    eight, remember = by_title["“八个要”"], by_title["请记住"]

    assert eight.joined == [remember] and remember.joined_to is eight
    assert eight.section_title == "“八个要” · 请记住"
    assert eight.progress_node == remember.node
    assert [title for title, e in by_title.items() if e.joined] == ["“八个要”"]


@pytest.mark.django_db
def test_the_stored_nodes_and_their_keys_stay_as_the_parser_makes_them(seed_version, seed_markdown):
    parsed = [(n.kind, n.text, n.key) for n in parse_document(seed_markdown).nodes]
    stored = list(seed_version.nodes.order_by("position").values_list("kind", "text", "key"))

    assert stored == parsed
    remember = heading(seed_version, "请记住")
    assert remember.children.filter(kind=Node.Kind.REQUIREMENT).count() == 8


@pytest.mark.django_db
def test_the_eight_musts_section_shows_the_lead_in_and_the_eight_requirements(client, seed_version):
    eight = heading(seed_version, "“八个要”")

    response = client.get(eight.get_absolute_url())

    body = response.content.decode()
    requirements = list(seed_version.nodes.filter(kind=Node.Kind.REQUIREMENT))
    assert len(requirements) == 8
    for requirement in requirements:
        assert requirement.text[1:] in body  # shown after a bold 要
    assert "强调——" in body and ">请记住</h2>" in body
    assert "本节只有标题" not in body
    assert [n.kind for n in response.context["section"].nodes].count(Node.Kind.REQUIREMENT) == 8


@pytest.mark.django_db
def test_the_remember_address_shows_the_same_section(client, seed_version):
    eight, remember = heading(seed_version, "“八个要”"), heading(seed_version, "请记住")

    response = client.get(remember.get_absolute_url())

    assert response.status_code == 200
    assert response.context["section"].node == eight
    assert "坚持党对工运事业和工会工作的领导" in response.content.decode()


@pytest.mark.django_db
def test_the_contents_list_the_joined_section_once_under_both_titles(client, seed_version):
    remember = heading(seed_version, "请记住")

    body = client.get(reverse("documents:toc")).content.decode()

    assert "“八个要” · 请记住" in body
    assert remember.get_absolute_url() not in body


@pytest.mark.django_db
def test_the_pager_reads_the_joined_section_once(seed_version):
    order = selectors.reading_order(selectors.document_outline(seed_version))

    assert heading(seed_version, "“八个要”") in order
    assert heading(seed_version, "请记住") not in order


# --- Quiz scopes -------------------------------------------------------------------------------------


def scope_values(choices) -> list[str]:
    values = []
    for value, label in choices:
        values.extend(v for v, _label in label) if isinstance(label, list | tuple) else values.append(value)
    return values


@pytest.mark.django_db
def test_every_scope_the_start_form_offers_on_the_seed_has_questions(seed_bank):
    values = scope_values(scope_choices(selectors.document_outline(seed_bank)))

    assert "document" in values and len(values) > 30
    for value in values:
        scope, _sep, key = value.partition(":")
        questions, _label = scope_questions(scope=scope, scope_key=key)
        assert questions.exists(), value


JOINED_TOPICS = """# 试用文件

## 第一部分

### （一）加强工会服务

#### 服务热线

#### 维权服务

推进全国工会系统12351维权服务热线建设，努力提升维护劳动者合法权益能力  
落实全国工会法治宣传教育五年规划

#### 安全生产

深化“安康杯”竞赛等群众性安全生产活动  
建好用好工人文化宫、职工书屋、工人疗养院、服务中心等
"""


@pytest.mark.django_db
def test_a_joined_topic_is_read_and_offered_once_under_both_titles(client):
    version = document_import(source=JOINED_TOPICS.encode(), source_name="joined.md").version
    empty, full = heading(version, "服务热线"), heading(version, "维权服务")

    choices = scope_choices(selectors.document_outline(version))

    topics = dict(choices[2:])["（一）加强工会服务"]
    assert (f"topic:{full.key}", "服务热线 · 维权服务") in topics
    assert f"topic:{empty.key}" not in scope_values(choices)
    for value in scope_values(choices):
        scope, _sep, key = value.partition(":")
        assert scope_questions(scope=scope, scope_key=key)[0].exists(), value
    body = client.get(empty.get_absolute_url()).content.decode()
    assert "12351维权服务热线" in body and "本节只有标题" not in body
