"""Curation's services: edits and their log, suppress and restore, questions written by hand, the
upload check, reports, and the bank's reads for the staff pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from quizzes import services as quiz_services
from quizzes.bank import scope_questions
from quizzes.curation import services
from quizzes.curation.drafts import QuestionDraft
from quizzes.models import BankImport, Origin, Question, QuestionLog, QuestionReport
from tests.factories import ANSWER, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return UserFactory(username="editor", is_staff=True)


def test_an_edit_that_breaks_the_shape_saves_nothing(small_bank, staff):
    question = small_bank.of_type("choice")[0]

    with pytest.raises(ValidationError) as refused:
        services.question_edit(question=question, user=staff, changes={"answer_index": 9})

    assert "正确选项不在选项之中。" in refused.value.messages
    question.refresh_from_db()
    assert question.answer_index == 0 and not question.is_edited and not QuestionLog.objects.exists()


def test_an_edit_logs_before_and_after_readably(small_bank, staff):
    question = small_bank.of_type("choice")[0]

    services.question_edit(question=question, user=staff, changes={"answer_index": 1, "prompt": "新题干"})

    entry = QuestionLog.objects.get()
    assert entry.action == "edited" and entry.before["answer_index"] == 0
    changes = {change.label: (change.before, change.after) for change in services.log_changes(entry, question.type)}
    assert changes["正确选项"] == ("A", "B") and changes["题干"][1] == "新题干"


def test_adding_accepted_forms_is_logged_as_a_synonym(small_bank, staff):
    question = small_bank.questions[0]
    blanks = [{**question.blanks[0], "accepted": [ANSWER, "终生职业技能培训"]}]

    services.question_edit(question=question, user=staff, changes={"blanks": blanks})

    entry = QuestionLog.objects.get()
    assert entry.action == QuestionLog.Action.SYNONYM
    (change,) = services.log_changes(entry, question.type)
    assert "也接受：终生职业技能培训" in change.after and "{" not in change.after


def test_suppress_and_restore(small_bank, staff):
    question = small_bank.questions[0]

    services.question_suppress(question=question, user=staff)
    services.question_suppress(question=question, user=staff)  # twice: one entry
    assert question not in scope_questions(scope="document")[0]
    services.question_restore(question=question, user=staff)

    assert question in scope_questions(scope="document")[0]
    assert list(QuestionLog.objects.values_list("action", flat=True)) == ["restored", "suppressed"]


def test_restoring_a_retired_question_keeps_it_out_of_quizzes(small_bank, staff):
    question = small_bank.questions[0]
    services.question_suppress(question=question, user=staff)
    Question.objects.filter(pk=question.pk).update(retired_in=small_bank.version)

    services.question_restore(question=question, user=staff)

    question.refresh_from_db()
    assert not question.is_suppressed and not question.is_active


def test_a_written_question_belongs_to_its_point(small_bank, staff):
    point = small_bank.points[4]
    draft = QuestionDraft(type="truefalse", prompt="工会是职工自愿结合的群众组织。", answer_index=1)

    question = services.question_create(draft=draft, user=staff, node=point)

    assert question.origin == Origin.WRITTEN and question.source == point
    assert question.topic_key == point.parent.key and question.task_key == point.parent.parent.key
    with pytest.raises(ValidationError):
        services.question_create(draft=draft, user=staff, node=point)


def test_the_upload_check_refuses_questions_already_in_the_bank_or_twice_in_the_file(small_bank, staff):
    gift = "::a::工会是职工自愿结合的工人阶级群众组织。{T}\n\n::b::工会是职工自愿结合的工人阶级群众组织。{T}\n"
    checked = services.import_upload(data=gift.encode(), filename="x.gift", user=staff)
    assert [row.accepted for row in checked.rows] == [True, False]
    assert "与第1题完全相同" in checked.rows[1].errors[0]

    single = "::a::工会是职工自愿结合的工人阶级群众组织。{T}\n"
    first = services.import_upload(data=single.encode(), filename="y.gift", user=staff)
    services.import_apply(upload=first.upload, user=staff)
    second = services.import_upload(data=single.encode(), filename="z.gift", user=staff)

    assert not second.ok and "题库中已有相同的题目" in second.rows[0].errors[0]
    with pytest.raises(ValidationError):
        services.import_apply(upload=second.upload, user=staff)
    assert Question.objects.filter(origin=Origin.IMPORTED).count() == 1


def test_an_empty_or_foreign_upload_has_a_file_error(small_bank, staff):
    assert services.import_upload(data=b"", filename="e.gift", user=staff).file_errors
    xml = services.import_upload(data=b"<html></html>", filename="m.xml", user=staff)
    assert xml.file_errors and "Moodle XML" in xml.file_errors[0] and not xml.rows
    assert BankImport.objects.get(filename="m.xml").refused == 0


def test_too_many_gift_questions_are_refused(small_bank, staff, monkeypatch):
    monkeypatch.setattr(services, "MAX_IMPORT_ROWS", 2)
    gift = "\n\n".join(f"::q{n}::第{n}句话是对的。{{T}}" for n in range(3))

    checked = services.import_upload(data=gift.encode(), filename="many.gift", user=staff)

    assert not checked.rows and "超过 2 道的上限" in checked.file_errors[0]


def test_a_report_needs_the_question_to_have_been_asked(small_bank, learner):
    question = small_bank.questions[0]

    with pytest.raises(ValidationError):
        services.report_create(question=question, user=learner, text="错了")
    quiz_services.attempt_create(user=learner, question_ids=[question.pk])
    first = services.report_create(question=question, user=learner, text="错了")
    second = services.report_create(question=question, user=learner, text="错了，应为终生")

    assert first.pk == second.pk and QuestionReport.objects.get().text == "错了，应为终生"


def test_a_report_is_handled_once(small_bank, learner, staff):
    question = small_bank.questions[0]
    quiz_services.attempt_create(user=learner, question_ids=[question.pk])
    report = services.report_create(question=question, user=learner, text="错了")

    services.report_handle(report=report, user=staff, status="dismissed", response="答案无误")

    with pytest.raises(ValidationError):
        services.report_handle(report=report, user=staff, status="resolved")
    assert not services.reports_open().exists()


def test_bank_list_text_search_and_origin(small_bank, staff):
    point = small_bank.points[0]
    written = services.question_create(
        draft=QuestionDraft(type="truefalse", prompt="独一无二的题干文字。", answer_index=0), user=staff, node=point
    )

    assert list(services.bank_list(q="独一无二")) == [written]
    assert list(services.bank_list(status="written")) == [written]
    assert {q.source_id for q in services.bank_list(q=point.text)} == {point.pk}
    assert services.bank_list(status="retired").count() == 0


def test_section_choices_group_headings_and_lines(small_bank):
    groups = services.section_choices(services.section_nodes())

    labels = [label for _group, options in groups for _pk, label in options]
    assert len(labels) == len(services.section_nodes())
    assert any(label.startswith("【专题】") for label in labels) and any(label.startswith("· ") for label in labels)
