"""Any file either imports or is refused with a message: never another exception, never a 500."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import event, given, settings
from hypothesis import strategies as st

from studyapp.documents.parsing import DocumentFormatError, ParsedDocument, parse_document
from tests.factories import UserFactory
from tests.fuzz.support import FUZZ, nasty_text, rolled_back

pytestmark = FUZZ

# Lines with the document's own shapes, so that most examples get past the first checks.
LINE = st.one_of(
    st.builds(lambda t: f"# {t}", nasty_text),
    st.builds(lambda t: f"## {t}", nasty_text),
    st.builds(lambda n, t: f"### （{n}）{t}", st.sampled_from("一二三四五六七八九十"), nasty_text),
    st.builds(lambda n, t: f"#### {n}、{t}", st.sampled_from("一二三十"), nasty_text),
    st.builds(lambda t: f"##### {t}", nasty_text),
    st.builds(lambda n, t: f"{n}. {t}", st.integers(0, 12), nasty_text),
    st.builds(lambda t: f"- {t}", nasty_text),
    st.builds(lambda t: f"> {t}", nasty_text),
    st.sampled_from(["", "```", "---", "    code", "<div>", "| a | b |", "|---|---|", "[x]: http://x", "* * *", "\\"]),
    nasty_text,
)
SHAPED = st.builds(
    lambda title, part, task, topic, points, extra: "\n\n".join(
        [
            f"# {title}",
            f"## {part}",
            f"### （一）{task}",
            f"#### 1、{topic}",
            *(f"{i}. {p}" for i, p in enumerate(points, 1)),
            *extra,
        ]
    ),
    nasty_text,
    nasty_text,
    nasty_text,
    nasty_text,
    st.lists(nasty_text, min_size=1, max_size=5),
    st.lists(LINE, max_size=5),
)
MARKDOWN = st.one_of(st.lists(LINE, max_size=25).map("\n".join), SHAPED)
ENCODED = st.one_of(
    MARKDOWN.map(lambda text: text.encode("utf-8", "surrogatepass")),
    MARKDOWN.map(lambda text: "\ufeff" + text).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.binary(max_size=300),
)


def _parse(data: bytes | str) -> ParsedDocument | None:
    try:
        doc = parse_document(data)
    except DocumentFormatError as error:
        assert str(error), "a refusal must say why"
        event("refused")
        return None
    event("parsed")
    return doc


@given(data=ENCODED)
def test_any_bytes_parse_or_are_refused_with_a_message(data):
    doc = _parse(data)

    if doc is not None:
        assert isinstance(doc, ParsedDocument)
        assert all(0 <= (node.parent if node.parent is not None else 0) < len(doc.nodes) for node in doc.nodes)


@given(text=MARKDOWN)
def test_any_text_parses_or_is_refused_with_a_message(text):
    _parse(text)


@pytest.fixture
def staff_client(db):
    client = Client()
    client.force_login(UserFactory(username="fuzz-editor", is_staff=True))
    return client


@settings(max_examples=30)
@given(data=ENCODED, name=st.sampled_from(["文件.md", "a.markdown", "b.txt", "c.pdf", ".md", "x" * 200 + ".md"]))
def test_any_upload_gets_an_answer_below_500(staff_client, small_bank, data, name):
    event("parsed" if _parse(data) else "refused")
    with rolled_back():
        response = staff_client.post(reverse("documents:upload"), {"source": SimpleUploadedFile(name, data)})

    assert response.status_code < 500
