import io
import json

import pytest
from django.core.management import call_command

from quizzes.bank import bank_preview, bank_sync
from quizzes.models import Question
from studyapp.documents.models import Node
from studyapp.documents.services import document_import, version_activate

pytestmark = pytest.mark.django_db


def edited(markdown: bytes, old: str, new: str) -> bytes:
    text = markdown.decode("utf-8")
    assert old in text
    return text.replace(old, new).encode("utf-8")


def test_the_seed_bank_covers_every_topic_with_fill_in_and_matching(seed_bank):
    topics = seed_bank.nodes.filter(kind=Node.Kind.TOPIC)
    active = Question.objects.active()

    for topic in topics:
        assert active.filter(type="cloze", topic_key=topic.key).count() >= 3, topic.text
        assert any(topic.text in json.dumps(q.pairs, ensure_ascii=False) for q in active.filter(type="matching")) or (
            active.filter(type="matching", topic_key=topic.key).exists()
        ), topic.text
    assert active.filter(type="choice").exists()


def test_every_line_question_points_at_its_source_line_in_the_active_version(seed_bank):
    for question in Question.objects.active().exclude(type="matching").select_related("source"):
        assert question.source is not None and question.source.version_id == seed_bank.pk
        # Headings (part, task and topic titles) are worth learning by heart too, so some questions ask them.
        assert question.source.kind in (*Node.LINE_KINDS, Node.Kind.PART, Node.Kind.TASK, Node.Kind.TOPIC)
        for blank in question.blanks:
            assert blank["answer"] in question.source.text


def test_syncing_twice_changes_nothing(seed_bank):
    before = list(Question.objects.order_by("key").values())

    change = bank_sync(version=seed_bank)

    assert (change.created, change.retired) == (0, 0)
    assert list(Question.objects.order_by("key").values()) == before


def test_activating_an_import_regenerates_the_bank_and_keeps_questions_on_unchanged_lines(seed_bank, seed_markdown):
    old = "推动完善社会保险法规政策体系"
    new = "推动健全社会保障法规政策体系"
    before = {q.key: q.pk for q in Question.objects.active()}
    untouched = Question.objects.active().filter(type="cloze").exclude(source__text=old).first()
    changed = set(Question.objects.active().filter(source__text=old).values_list("key", flat=True))
    assert changed

    version = document_import(source=edited(seed_markdown, old, new), source_name="v2.md").version
    preview = bank_preview(version=version)
    version_activate(version=version)

    after = {q.key: q.pk for q in Question.objects.active()}
    assert untouched.key in after and after[untouched.key] == untouched.pk
    assert not changed & set(after)
    assert Question.objects.filter(key__in=changed, is_active=False, retired_in=version).count() == len(changed)
    assert Question.objects.active().filter(source__text=new).exists()
    assert preview.created == len(set(after) - set(before))
    assert preview.retired == len(set(before) - set(after))
    untouched.refresh_from_db()
    assert untouched.source.version_id == version.pk


def test_the_generate_questions_command_reports_counts(seed_version):
    out = io.StringIO()

    call_command("generate_questions", stdout=out)

    assert "新增" in out.getvalue() and "填空" in out.getvalue()
    assert Question.objects.active().count() > 100


def test_regenerating_with_the_command_is_deterministic(seed_version):
    call_command("generate_questions", stdout=io.StringIO())
    first = list(Question.objects.order_by("position").values_list("key", "prompt", "choices", "pairs"))
    Question.objects.all().delete()

    call_command("generate_questions", stdout=io.StringIO())

    assert list(Question.objects.order_by("position").values_list("key", "prompt", "choices", "pairs")) == first
