"""What staff did to the bank survives a new version of the text: edits, suppressions and hand-written
questions are kept, and the ones whose text changed are flagged for review, never dropped silently."""

import functools

import pytest

from quizzes import bank
from quizzes.bank import NO_LONGER_GENERATED, POINT_CHANGED, bank_avoid, bank_prepare, bank_preview, bank_sync
from quizzes.curation.drafts import QuestionDraft
from quizzes.curation.services import question_create, question_edit, question_restore, question_suppress
from quizzes.generation import generate_questions
from quizzes.generation.source import source_lines
from quizzes.models import Origin, Question, QuestionLog
from studyapp.documents.models import DocumentVersion, Node
from studyapp.documents.parsing import parse_document
from studyapp.documents.services import document_import, version_activate
from studyapp.documents.signals import QuestionChange
from tests.factories import UserFactory
from tests.support import SOURCE, seed_document

pytestmark = pytest.mark.django_db

UNCHANGED = "推进国有企业工会规范化建设"
CHANGED_OLD = "推动完善社会保险法规政策体系"
CHANGED_NEW = "推动健全社会保障法规政策体系"
REMOVED = "加强工会系统援藏援疆工作"
SPECIAL = {UNCHANGED, CHANGED_OLD, REMOVED}


@functools.lru_cache(maxsize=1)
def _seed_bank_lines() -> tuple[str, str]:
    """Two lines the tests need, found in the generated seed bank (so that they follow the generator):
    one with a true/false besides its fill-in, and one with a single fill-in whose blank the line can
    replace with another when staff suppress it."""
    document = seed_document()
    seed = bank.bank_seed()
    questions = generate_questions(document, seed=seed)
    texts = {line.text_key: line.text for line in source_lines(document)}
    markdown = SOURCE
    by_line: dict[str, list] = {}
    for question in questions:
        if len(question.source_text_keys) == 1 and question.source_text_keys[0] in texts:
            by_line.setdefault(question.source_text_keys[0], []).append(question)
    usable = {key: qs for key, qs in by_line.items() if texts[key] not in SPECIAL and markdown.count(texts[key]) == 1}
    true_false = next(texts[k] for k, qs in usable.items() if {"truefalse", "cloze"} <= {q.type for q in qs})
    for key, qs in usable.items():
        fill_ins = [q for q in qs if q.type == "cloze"]
        if len(fill_ins) != 1 or len(fill_ins[0].blanks) != 1:
            continue
        avoided = generate_questions(document, seed=seed, avoid={(key, fill_ins[0].blanks[0].answer)})
        again = [q for q in avoided if q.type == "cloze" and q.source_text_keys == (key,)]
        if len(again) == 1 and again[0].key != fill_ins[0].key:
            return true_false, texts[key]
    raise AssertionError("no line of the seed bank can replace a suppressed fill-in")


def true_false_line() -> str:
    return _seed_bank_lines()[0]


def avoid_line() -> str:
    return _seed_bank_lines()[1]


def updated_text(markdown: bytes) -> bytes:
    """One line edited, one deleted, the rest as it was."""
    text = markdown.decode()
    assert CHANGED_OLD in text and "  \n" + REMOVED in text
    return text.replace(CHANGED_OLD, CHANGED_NEW).replace("  \n" + REMOVED, "").encode()


def point(version: DocumentVersion, text: str) -> Node:
    return version.nodes.get(kind__in=Node.LINE_KINDS, text=text)


def on_line(text: str, type: str = "cloze") -> Question:
    return Question.objects.active().filter(source__text=text, type=type).order_by("position").first()


def written(user, node: Node, prompt: str) -> Question:
    draft = QuestionDraft(type="choice", prompt=prompt, choices=["甲", "乙", "丙", "丁"], answer_index=1)
    return question_create(draft=draft, user=user, node=node)


def flagged() -> set[int]:
    return set(Question.objects.filter(needs_review=True).values_list("pk", flat=True))


def flag_log() -> set[int]:
    return set(QuestionLog.objects.filter(action=QuestionLog.Action.FLAGGED).values_list("question_id", flat=True))


def state() -> list[dict]:
    return list(Question.objects.order_by("key").values())


@pytest.fixture
def staff():
    return UserFactory(username="editor", is_staff=True)


@pytest.fixture
def curated(seed_bank, staff):
    """Staff's work on the seed bank: edits, a suppression and hand-written questions, on lines the
    update keeps, changes and deletes."""
    edited_kept = on_line(UNCHANGED)
    edited_changed = on_line(CHANGED_OLD)
    for question in (edited_kept, edited_changed):
        blanks = [{**blank, "accepted": [*blank["accepted"], "同义答案"]} for blank in question.blanks]
        assert question_edit(question=question, user=staff, changes={"blanks": blanks})
    suppressed = on_line(true_false_line(), "truefalse")
    question_suppress(question=suppressed, user=staff)
    return {
        "edited_kept": edited_kept,
        "edited_changed": edited_changed,
        "suppressed": suppressed,
        "written_kept": written(staff, point(seed_bank, UNCHANGED), "国有企业工会要推进什么建设？"),
        "written_changed": written(staff, point(seed_bank, CHANGED_OLD), "要完善哪类法规政策体系？"),
        "written_removed": written(staff, point(seed_bank, REMOVED), "援藏援疆工作由谁加强？"),
        "plain_removed": on_line(REMOVED),
    }


def fresh(questions: dict[str, Question]) -> dict[str, Question]:
    return {name: Question.objects.get(pk=question.pk) for name, question in questions.items()}


def test_an_update_keeps_staff_work_and_flags_exactly_what_its_changes_touched(curated, seed_markdown):
    before = fresh(curated)

    new = document_import(source=updated_text(seed_markdown), source_name="v2.md", activate=True).version

    after = fresh(curated)
    # An edit on an unchanged line keeps its wording and follows the line into the new version.
    kept = after["edited_kept"]
    assert kept.is_active and kept.is_edited and not kept.needs_review
    assert kept.blanks == before["edited_kept"].blanks and "同义答案" in kept.blanks[0]["accepted"]
    assert kept.source == point(new, UNCHANGED) and kept.source_key == point(new, UNCHANGED).key
    # An edit on the changed line is retired, and flagged.
    question = after["edited_changed"]
    assert not question.is_active and question.retired_in == new and question.source is None
    assert question.needs_review and question.review_reason == POINT_CHANGED
    assert question.blanks == before["edited_changed"].blanks
    # A suppressed question whose line is unchanged stays suppressed, at its place in the new version.
    suppressed = after["suppressed"]
    assert suppressed.is_suppressed and not suppressed.is_active and suppressed.retired_in is None
    assert suppressed.source == point(new, true_false_line()) and not suppressed.needs_review
    # Hand-written: re-linked to its unchanged point; left in use but flagged when its point changed.
    relinked = after["written_kept"]
    assert relinked.is_active and not relinked.needs_review and relinked.origin == Origin.WRITTEN
    assert relinked.source == point(new, UNCHANGED) and relinked.source_key == point(new, UNCHANGED).key
    assert relinked.task_key == before["written_kept"].task_key and relinked.topic_key
    for name in ("written_changed", "written_removed"):
        question = after[name]
        assert question.is_active and question.retired_in is None and question.source is None
        assert question.needs_review and question.review_reason == POINT_CHANGED
    # An untouched generated question on the deleted line goes silently, as before curation.
    plain = after["plain_removed"]
    assert not plain.is_active and plain.retired_in == new and not plain.needs_review
    # Exactly these, each with one FLAGGED entry by no one.
    expected = {after[name].pk for name in ("edited_changed", "written_changed", "written_removed")}
    assert flagged() == expected == flag_log()
    log = QuestionLog.objects.get(question=after["edited_changed"], action=QuestionLog.Action.FLAGGED)
    assert log.user is None and log.after == {"needs_review": True, "review_reason": POINT_CHANGED}
    assert f"第 {new.number} 版" in log.note


def test_syncing_again_flags_nothing_more_and_changes_nothing(curated, seed_markdown):
    new = document_import(source=updated_text(seed_markdown), source_name="v2.md", activate=True).version
    before, logs = state(), QuestionLog.objects.count()

    change = bank_sync(version=new)

    assert (change.created, change.retired, change.reactivated) == (0, 0, 0)
    assert state() == before and QuestionLog.objects.count() == logs


def test_the_preview_counts_what_the_activation_does(curated, seed_markdown):
    new = document_import(source=updated_text(seed_markdown), source_name="v2.md").version
    written_ids = {curated[name].pk for name in ("written_kept", "written_changed", "written_removed")}

    preview = bank_preview(version=new)
    log = version_activate(version=new)

    assert QuestionChange.from_log(log.counts) == preview
    assert preview.retired > 0 and preview.created > 0
    assert Question.objects.filter(pk__in=written_ids, is_active=True).count() == 3  # none retired
    assert Question.objects.active().count() == preview.total + len(written_ids)


def test_a_suppressed_question_that_comes_back_is_neither_kept_nor_reactivated(seed_bank, seed_markdown, staff):
    suppressed = on_line(true_false_line(), "truefalse")
    question_suppress(question=suppressed, user=staff)
    text = seed_markdown.decode().replace(true_false_line(), "切实" + true_false_line()).encode()
    new = document_import(source=text, source_name="v2.md", activate=True).version
    suppressed.refresh_from_db()
    assert suppressed.retired_in == new and suppressed.needs_review  # its line changed: flagged
    came_back = Question.objects.filter(retired_in=new, is_suppressed=False).count()

    preview = bank_preview(version=seed_bank)
    log = version_activate(version=seed_bank)  # the line as it was

    assert QuestionChange.from_log(log.counts) == preview and preview.reactivated == came_back
    suppressed.refresh_from_db()
    assert suppressed.is_suppressed and not suppressed.is_active and suppressed.retired_in is None
    assert suppressed.source == point(seed_bank, true_false_line())


def test_a_rollback_links_the_hand_written_question_again_and_brings_back_the_edit(curated, seed_markdown, seed_bank):
    document_import(source=updated_text(seed_markdown), source_name="v2.md", activate=True)

    version_activate(version=seed_bank)

    question = Question.objects.get(pk=curated["written_changed"].pk)
    assert question.source == point(seed_bank, CHANGED_OLD) and question.is_active
    assert question.needs_review  # still waits for a person to look at it
    edit = Question.objects.get(pk=curated["edited_changed"].pk)
    assert edit.is_active and edit.retired_in is None and "同义答案" in edit.blanks[0]["accepted"]


# --- The generator learns from suppressions -------------------------------------------------------


def test_a_suppressed_blank_is_not_offered_again_on_its_line(seed_bank, staff):
    line = point(seed_bank, avoid_line())
    (fill_in,) = Question.objects.active().filter(source=line, type="cloze")
    answer = fill_in.blanks[0]["answer"]
    question_suppress(question=fill_in, user=staff)
    assert bank_avoid() == {(line.text_key, answer)}

    preview = bank_preview(version=seed_bank)
    change = bank_sync(version=seed_bank)

    assert change == preview and change.created >= 1
    fill_in.refresh_from_db()
    # Gone with this generation, still suppressed, not flagged: its line did not change.
    assert fill_in.is_suppressed and not fill_in.is_active and fill_in.retired_in == seed_bank
    assert not fill_in.needs_review and not flag_log()
    (again,) = Question.objects.active().filter(source=line, type="cloze")
    assert again.pk != fill_in.pk and again.blanks[0]["answer"] != answer
    # Nor does another kind of question ask it on that line.
    for question in Question.objects.active().filter(source=line).exclude(type="matching"):
        assert answer not in {blank["answer"] for blank in question.blanks}


def test_avoiding_is_deterministic_and_stable(seed_bank, staff):
    line = point(seed_bank, avoid_line())
    question_suppress(question=Question.objects.active().get(source=line, type="cloze"), user=staff)
    bank_sync(version=seed_bank)
    first = state()

    assert bank_sync(version=seed_bank) == QuestionChange(created=0, kept=Question.objects.active().count(), retired=0)
    assert state() == first
    avoid = bank_avoid()
    source = parse_document(seed_bank.source_text)
    assert generate_questions(source, seed=bank.bank_seed(), avoid=avoid) == generate_questions(
        source, seed=bank.bank_seed(), avoid=set(avoid)
    )


def test_restoring_the_fill_in_brings_its_blank_back_at_the_next_generation(seed_bank, staff):
    line = point(seed_bank, avoid_line())
    fill_in = Question.objects.active().get(source=line, type="cloze")
    question_suppress(question=fill_in, user=staff)
    bank_sync(version=seed_bank)
    replacement = Question.objects.active().get(source=line, type="cloze")

    question_restore(question=fill_in, user=staff)
    bank_sync(version=seed_bank)

    fill_in.refresh_from_db()
    replacement.refresh_from_db()
    assert fill_in.is_active and fill_in.retired_in is None and not fill_in.is_suppressed
    assert not replacement.is_active and not replacement.needs_review


def test_a_bank_prepared_before_a_suppression_is_not_used(seed_bank, staff):
    prepared = bank_prepare(source_text=seed_bank.source_text)
    assert prepared.avoid == frozenset()
    fill_in = Question.objects.active().get(source=point(seed_bank, avoid_line()), type="cloze")
    question_suppress(question=fill_in, user=staff)
    assert not prepared.is_for(seed_bank, prepared.seed, bank_avoid())

    change = bank_sync(version=seed_bank, prepared=prepared)

    assert change.created >= 1
    assert not Question.objects.filter(pk=fill_in.pk, retired_in__isnull=True).exists()


def test_the_generation_cache_keys_on_the_fill_ins_to_avoid(seed_bank):
    text, seed = seed_bank.source_text, bank.bank_seed()
    fill_in = Question.objects.active().get(source=point(seed_bank, avoid_line()), type="cloze")
    avoid = frozenset({(fill_in.source_text_keys[0], fill_in.blanks[0]["answer"])})

    plain, avoiding = bank.generated_bank(text, seed), bank.generated_bank(text, seed, avoid)

    assert fill_in.key in {q.key for q in plain} and fill_in.key not in {q.key for q in avoiding}
    assert bank.generated_bank(text, seed, avoid) is avoiding


def test_an_edited_fill_in_the_generator_no_longer_makes_is_flagged(seed_bank, staff, monkeypatch):
    """The line is unchanged but the generator no longer makes the question: the edit is not lost silently."""
    line = point(seed_bank, avoid_line())
    fill_in = Question.objects.active().get(source=line, type="cloze")
    question_edit(question=fill_in, user=staff, changes={"explanation": "劳模工匠精神"})
    avoid = frozenset({(line.text_key, fill_in.blanks[0]["answer"])})
    monkeypatch.setattr(bank, "bank_avoid", lambda: avoid)  # as if a newer generator no longer made it

    bank_sync(version=seed_bank)

    fill_in.refresh_from_db()
    assert not fill_in.is_active and fill_in.needs_review and fill_in.review_reason == NO_LONGER_GENERATED
    assert flag_log() == {fill_in.pk}
