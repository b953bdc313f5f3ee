"""An updated text imported over recorded progress: what carries over, what restarts, what retires,
and what a rollback brings back."""

import random

import pytest

from quizzes import progress, services
from quizzes.models import Answer, Attempt, PointState, Question
from studyapp.documents.models import DocumentVersion, Node
from studyapp.documents.selectors import document_outline
from studyapp.documents.services import document_import, version_activate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UNCHANGED = "推进国有企业工会规范化建设"
CHANGED_OLD = "推动完善社会保险法规政策体系"
CHANGED_NEW = "推动健全社会保障法规政策体系"
REMOVED = "加强工会系统援藏援疆工作"


def updated_text(markdown: bytes) -> bytes:
    text = markdown.decode()
    text = text.replace(CHANGED_OLD, CHANGED_NEW).replace("  \n" + REMOVED, "")
    # A line that only moves (to the next topic) keeps everything.
    text = text.replace(
        "推进国有企业工会规范化建设  \n持续推进非公有制企业建会强会工作  \n", "持续推进非公有制企业建会强会工作  \n"
    )
    text = text.replace("赴基层蹲点工作\n", "赴基层蹲点工作  \n推进国有企业工会规范化建设\n")
    return text.encode()


def line_questions(text: str) -> list[Question]:
    return list(Question.objects.active().filter(source__text=text, type__in=["cloze", "choice"]))


def answer_right(user, questions: list[Question]) -> Attempt:
    attempt = services.attempt_create(user=user, question_ids=[q.pk for q in questions], rng=random.Random(1))
    for item in attempt.items.select_related("question"):
        question = item.question
        given = [b["answer"] for b in question.blanks] if question.type == "cloze" else question.answer_index
        assert services.answer_submit(item=item, user=user, given=given).answer.is_correct
    return attempt


def point(version: DocumentVersion, text: str) -> Node:
    return version.nodes.get(kind=Node.Kind.POINT, text=text)


def mastery_of(user, version: DocumentVersion, text: str) -> progress.Mastery:
    node = point(version, text)
    return progress.heading_mastery(user=user, version=version, outline=document_outline(version))[node.parent_id]


@pytest.fixture
def history(seed_bank):
    """A cadre who has answered questions on the three lines the update will touch."""
    cadre = UserFactory(username="cadre")
    asked = {text: line_questions(text) for text in (UNCHANGED, CHANGED_OLD, REMOVED)}
    assert all(asked.values())
    attempt = answer_right(cadre, [q for questions in asked.values() for q in questions])
    return cadre, attempt, asked


def test_progress_on_unchanged_and_moved_points_carries_over(history, seed_bank, seed_markdown):
    cadre, attempt, asked = history
    state_before = PointState.objects.get(user=cadre, point_text_key=point(seed_bank, UNCHANGED).text_key)
    before = mastery_of(cadre, seed_bank, UNCHANGED)

    new = document_import(source=updated_text(seed_markdown), source_name="v2.md", activate=True).version

    state = PointState.objects.get(user=cadre, point_text_key=point(new, UNCHANGED).text_key)
    assert (state.pk, state.card, state.due) == (state_before.pk, state_before.card, state_before.due)
    assert point(new, UNCHANGED).key != point(seed_bank, UNCHANGED).key  # it moved …
    assert mastery_of(cadre, new, UNCHANGED).mastered == before.mastered  # … and is still mastered
    for question in asked[UNCHANGED]:
        question.refresh_from_db()
        assert question.is_active and question.source.version_id == new.pk
        assert Answer.objects.filter(attempt_question__question=question, attempt_question__attempt=attempt).exists()


def test_progress_on_changed_points_starts_again_and_keeps_its_history(history, seed_markdown):
    cadre, attempt, asked = history

    new = document_import(source=updated_text(seed_markdown), source_name="v2.md", activate=True).version

    changed = point(new, CHANGED_NEW)
    assert not PointState.objects.filter(user=cadre, point_text_key=changed.text_key).exists()
    assert Question.objects.active().filter(source=changed).exists()
    for question in asked[CHANGED_OLD]:
        question.refresh_from_db()
        assert not question.is_active and question.retired_in == new
    # The old state and the answers stay in the history.
    assert PointState.objects.filter(user=cadre).count() == 3
    assert Answer.objects.filter(attempt_question__attempt=attempt).count() == attempt.question_count


def test_questions_on_removed_points_are_retired_and_never_asked_again(history, seed_markdown):
    cadre, attempt, asked = history

    new = document_import(source=updated_text(seed_markdown), source_name="v2.md", activate=True).version

    retired = {q.pk for q in asked[REMOVED]}
    assert not new.nodes.filter(text=REMOVED).exists()
    assert not Question.objects.active().filter(pk__in=retired).exists()
    for seed in range(5):
        fresh = services.attempt_start(user=cadre, length=50, rng=random.Random(seed))
        assert not retired & set(fresh.items.values_list("question_id", flat=True))
    # Still in the record of the quiz that asked them.
    assert set(attempt.items.values_list("question_id", flat=True)) >= retired


def test_rollback_restores_the_earlier_questions_and_progress(history, seed_bank, seed_markdown):
    cadre, attempt, asked = history
    before = {text: mastery_of(cadre, seed_bank, text) for text in (UNCHANGED, CHANGED_OLD, REMOVED)}
    active_before = set(Question.objects.active().values_list("pk", flat=True))
    document_import(source=updated_text(seed_markdown), source_name="v2.md", activate=True)

    version_activate(version=seed_bank)

    assert DocumentVersion.objects.get(is_active=True) == seed_bank
    assert set(Question.objects.active().values_list("pk", flat=True)) == active_before
    for text, mastery in before.items():
        assert mastery_of(cadre, seed_bank, text) == mastery
