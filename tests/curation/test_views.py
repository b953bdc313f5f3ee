"""The curation pages: who may open them, the bank with its statistics, one question's edit, suppress,
restore and review, writing a question, importing a file, and reports from the quiz to the queue."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from quizzes import services as quiz_services
from quizzes.bank import scope_questions
from quizzes.curation import services
from quizzes.curation.spreadsheet import COLUMNS, MAX_ROWS
from quizzes.models import BankImport, Origin, Question, QuestionLog, QuestionReport
from tests.factories import ANSWER, QuestionFactory, UserFactory
from tests.support import form_data, wrong_answer

pytestmark = pytest.mark.django_db

SYNONYM = "终生职业技能培训"


@pytest.fixture
def staff(db):
    return UserFactory(username="editor", is_staff=True)


@pytest.fixture
def curator(db):
    """Not staff: only the question editor permission."""
    user = UserFactory(username="curator")
    user.user_permissions.add(Permission.objects.get(codename="curate_bank", content_type__app_label="quizzes"))
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(staff):
    return client_for(staff)


def asked(user, *questions: Question):
    """An attempt of `user` at `questions`, unanswered."""
    return quiz_services.attempt_create(user=user, question_ids=[q.pk for q in questions])


# --- Who may ---------------------------------------------------------------------------------------


def get_pages(question: Question, upload: BankImport) -> list[str]:
    return [
        reverse("curation:bank"),
        reverse("curation:question", args=[question.pk]),
        reverse("curation:edit", args=[question.pk]),
        reverse("curation:suppress", args=[question.pk]),
        reverse("curation:new"),
        reverse("curation:new_kind", args=["cloze"]),
        reverse("curation:import"),
        reverse("curation:import_template"),
        reverse("curation:import_preview", args=[upload.pk]),
        reverse("curation:reports"),
    ]


def post_pages(question: Question, upload: BankImport, report: QuestionReport) -> list[str]:
    return [
        reverse("curation:edit", args=[question.pk]),
        reverse("curation:suppress", args=[question.pk]),
        reverse("curation:restore", args=[question.pk]),
        reverse("curation:review", args=[question.pk]),
        reverse("curation:new_kind", args=["cloze"]),
        reverse("curation:import"),
        reverse("curation:import_apply", args=[upload.pk]),
        reverse("curation:report_handle", args=[report.pk]),
    ]


@pytest.fixture
def world(small_bank, learner, staff, curator):
    question = small_bank.questions[0]
    asked(learner, question)
    report = services.report_create(question=question, user=learner, text="答案不对")
    gift = "::g1::中国工会第十八次全国代表大会于哪一年召开？{=2023年 ~2018年 ~2013年}\n".encode()
    upload = services.import_upload(data=gift, filename="a.gift", user=staff).upload
    return {"question": question, "report": report, "upload": upload}


def test_anonymous_users_are_sent_to_the_login_page(client, world):
    for url in get_pages(world["question"], world["upload"]):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_learners_get_a_403_in_chinese_on_every_page(learner_client, world):
    for url in get_pages(world["question"], world["upload"]):
        response = learner_client.get(url)
        assert response.status_code == 403, url
        assert "只有题库编辑人员" in response.content.decode(), url
    for url in post_pages(world["question"], world["upload"], world["report"]):
        assert learner_client.post(url, {"status": "resolved", "note": "x"}).status_code == 403, url
    world["question"].refresh_from_db()
    world["report"].refresh_from_db()
    assert not world["question"].is_suppressed and world["report"].status == "open"
    assert not QuestionLog.objects.exists()


def test_staff_open_every_page(staff_client, world):
    for url in get_pages(world["question"], world["upload"]):
        assert staff_client.get(url).status_code == 200, url


def test_a_user_with_only_the_curate_permission_opens_every_page_but_not_others_uploads(curator, world):
    client = client_for(curator)
    for url in get_pages(world["question"], world["upload"])[:-2]:
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("curation:reports")).status_code == 200
    # The staff member's upload is not the curator's: a clear error, not someone else's file.
    response = client.get(reverse("curation:import_preview", args=[world["upload"].pk]))
    assert response.status_code == 404 and "找不到这次上传" in response.content.decode()


def test_staff_see_the_curation_link_in_the_navigation_and_on_the_old_bank_page(staff_client, small_bank):
    home = staff_client.get(reverse("quizzes:home")).content.decode()
    old = staff_client.get(reverse("quizzes:bank")).content.decode()

    assert reverse("curation:bank") in home and reverse("curation:bank") in old


def test_a_question_editor_sees_the_curation_link_from_sign_in_and_a_learner_does_not(curator, learner, small_bank):
    editor_home = client_for(curator).get(reverse("quizzes:home")).content.decode()
    learner_home = client_for(learner).get(reverse("quizzes:home")).content.decode()

    assert reverse("curation:bank") in editor_home
    assert reverse("curation:bank") not in learner_home and reverse("admin:index") not in editor_home


# --- The bank ------------------------------------------------------------------------------------


def test_the_bank_lists_every_question_with_badges_and_report_counts(staff_client, world, small_bank):
    retired = small_bank.questions[1]
    Question.objects.filter(pk=retired.pk).update(is_active=False)
    suppressed = small_bank.questions[2]
    services.question_suppress(question=suppressed, user=None)

    response = staff_client.get(reverse("curation:bank"))

    body = response.content.decode()
    assert response.status_code == 200 and "<html" in body
    assert response.context["page"].paginator.count == len(small_bank.questions)
    assert "已退役" in body and "已停用" in body and "在用" in body
    row = next(row for row in response.context["rows"] if row.question.pk == world["question"].pk)
    assert row.question.open_reports == 1 and "反馈 1" in body
    assert world["question"].source.text[:20] in body


@pytest.mark.parametrize(
    ("status", "expected"),
    [("suppressed", "suppressed"), ("reported", "reported"), ("review", "review"), ("written", "written")],
)
def test_status_filters_narrow_the_list(staff_client, world, small_bank, staff, status, expected):
    suppressed, review = small_bank.questions[3], small_bank.questions[4]
    services.question_suppress(question=suppressed, user=staff)
    Question.objects.filter(pk=review.pk).update(needs_review=True, review_reason="原文变化")
    written = QuestionFactory(source=small_bank.points[0], origin=Origin.WRITTEN)
    wanted = {
        "suppressed": {suppressed.pk},
        "reported": {world["question"].pk},
        "review": {review.pk},
        "written": {written.pk},
    }[expected]

    response = staff_client.get(reverse("curation:bank"), {"status": status})

    assert {row.question.pk for row in response.context["rows"]} == wanted


def test_kind_and_text_filters_and_htmx_fragment(staff_client, small_bank):
    point = small_bank.points[5]

    response = staff_client.get(
        reverse("curation:bank"), {"type": "choice", "q": point.text}, headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    assert "<html" not in body and 'data-testid="bank-row"' in body
    assert {(row.question.type, row.question.source_id) for row in response.context["rows"]} == {("choice", point.pk)}


def test_the_flagged_filter_shows_questions_the_statistics_flag(staff_client, small_bank):
    question = small_bank.questions[0]
    others = [q for q in small_bank.questions if q.type == "choice"][:1]
    for _ in range(31):
        user = UserFactory()
        attempt = asked(user, question, *others)
        for item in attempt.items.select_related("question"):
            given = item.question.kind.right_answer(item.question)
            quiz_services.answer_submit(item=item, user=user, given=given)

    response = staff_client.get(reverse("curation:bank"), {"status": "flagged"})

    rows = response.context["rows"]
    assert question.pk in {row.question.pk for row in rows}
    flagged_row = next(row for row in rows if row.question.pk == question.pk)
    assert flagged_row.stats.answers == 31 and "太容易" in flagged_row.stats.flags
    assert "太容易" in response.content.decode() and "100%" in response.content.decode()


def test_the_bank_page_costs_the_same_queries_for_many_questions(
    staff_client, small_bank, learner, django_assert_max_num_queries
):
    attempt = asked(learner, *small_bank.questions[:10])
    for item in attempt.items.select_related("question"):
        quiz_services.answer_submit(item=item, user=learner, given=wrong_answer(item.question))
    services.report_create(question=small_bank.questions[0], user=learner, text="错字")
    for _ in range(40):
        QuestionFactory(source=small_bank.points[0])

    with django_assert_max_num_queries(14):
        response = staff_client.get(reverse("curation:bank"))
    with django_assert_max_num_queries(14):
        staff_client.get(reverse("curation:bank"), {"page": 2})
    with django_assert_max_num_queries(12):
        staff_client.get(reverse("curation:bank"), {"status": "reported"}, headers={"HX-Request": "true"})

    assert len(response.context["rows"]) == 50


# --- One question: edit, suppress, restore, review ----------------------------------------------


def test_the_question_page_shows_key_source_stats_reports_and_log(staff_client, world, staff, learner):
    question = world["question"]
    services.question_edit(question=question, user=staff, changes={"explanation": "见原文第一句。"})
    attempt = asked(UserFactory(), question)
    item = attempt.items.get()
    quiz_services.answer_submit(item=item, user=attempt.user, given=["职工书屋"])

    response = staff_client.get(reverse("curation:question", args=[question.pk]))

    body = response.content.decode()
    assert question.source.text in body and ANSWER in body
    assert "见原文第一句。" in body and "答案不对" in body
    assert "职工书屋" in body  # the most common wrong answer
    assert 'data-testid="log-entry"' in body and "修改" in body and "{" not in body.split('id="log"')[1][:2000]


def test_suppressing_asks_first_then_removes_the_question_from_quizzes_and_logs_it(staff_client, small_bank, staff):
    question = small_bank.questions[0]
    url = reverse("curation:suppress", args=[question.pk])

    page = staff_client.get(url)
    assert page.status_code == 200 and "确认停用" in page.content.decode()
    question.refresh_from_db()
    assert not question.is_suppressed  # asking changes nothing

    response = staff_client.post(url, {"note": "答案有争议"})

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.is_suppressed and not question.is_active
    assert question not in scope_questions(scope="document")[0]
    entry = QuestionLog.objects.get(question=question)
    assert (entry.action, entry.user, entry.note) == ("suppressed", staff, "答案有争议")

    staff_client.post(reverse("curation:restore", args=[question.pk]))

    question.refresh_from_db()
    assert question.is_active and not question.is_suppressed
    assert question in scope_questions(scope="document")[0]
    assert list(QuestionLog.objects.filter(question=question).values_list("action", flat=True)) == [
        "restored",
        "suppressed",
    ]


def test_marking_reviewed_clears_the_flag(staff_client, small_bank, staff):
    question = small_bank.questions[0]
    Question.objects.filter(pk=question.pk).update(needs_review=True, review_reason="原文变化")

    page = staff_client.get(reverse("curation:question", args=[question.pk])).content.decode()
    staff_client.post(reverse("curation:review", args=[question.pk]))

    assert "原文变化" in page
    question.refresh_from_db()
    assert not question.needs_review and question.reviewed_by == staff


def test_an_edit_with_a_bad_shape_is_refused_in_chinese_and_saves_nothing(staff_client, small_bank):
    question = small_bank.questions[0]  # a fill-in with one blank
    before = Question.objects.values().get(pk=question.pk)

    response = staff_client.post(
        reverse("curation:edit", args=[question.pk]),
        {"prompt": "没有空格的题干", "blank_0": ANSWER, "blank_0_accepted": "", "explanation": ""},
    )

    assert response.status_code == 400
    assert "题干中有 0 处空格" in response.content.decode()
    assert Question.objects.values().get(pk=question.pk) == before
    assert not QuestionLog.objects.exists()


def test_an_edit_of_a_choice_question_with_an_empty_right_option_is_refused(staff_client, small_bank):
    question = small_bank.of_type("choice")[0]
    data = {"prompt": question.prompt, "option_0": "甲", "option_1": "乙", "answer": "3"}

    response = staff_client.post(reverse("curation:edit", args=[question.pk]), data)

    assert response.status_code == 400 and "正确选项不能是空着的选项" in response.content.decode()
    assert Question.objects.get(pk=question.pk).choices == question.choices


def test_editing_a_choice_question_changes_options_and_the_right_one(staff_client, small_bank, staff):
    question = small_bank.of_type("choice")[0]
    data = {
        "prompt": "新的题干？",
        "option_0": "甲",
        "option_2": "乙",
        "option_3": "丙",
        "answer": "2",
        "explanation": "因为",
    }

    response = staff_client.post(reverse("curation:edit", args=[question.pk]), data)

    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.prompt, question.choices, question.answer_index) == ("新的题干？", ["甲", "乙", "丙"], 1)
    assert question.is_edited and question.explanation == "因为"
    page = staff_client.get(reverse("curation:question", args=[question.pk])).content.decode()
    assert "题干" in page and "新的题干？" in page and "正确选项" in page


def test_accepting_a_synonym_makes_a_new_typed_answer_right(staff_client, small_bank, learner):
    question = small_bank.questions[0]
    attempt = asked(learner, question)
    old = quiz_services.answer_submit(item=attempt.items.get(), user=learner, given=[SYNONYM]).answer
    assert not old.is_correct

    page = staff_client.get(reverse("curation:edit", args=[question.pk]))
    assert page.status_code == 200 and ANSWER in page.content.decode()
    response = staff_client.post(
        reverse("curation:edit", args=[question.pk]),
        {"prompt": question.prompt, "blank_0": ANSWER, "blank_0_accepted": f"{SYNONYM}\n", "explanation": ""},
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.blanks[0]["accepted"] == [ANSWER, SYNONYM]
    assert QuestionLog.objects.get(question=question).action == QuestionLog.Action.SYNONYM
    again = asked(UserFactory(), question)
    new = quiz_services.answer_submit(item=again.items.get(), user=again.user, given=[SYNONYM]).answer
    assert new.is_correct
    old.refresh_from_db()
    assert not old.is_correct  # recorded answers keep their mark


def test_editing_a_matching_question(staff_client, small_bank):
    question = small_bank.of_type("matching")[0]
    data = {
        "prompt": "连一连",
        "left_0": "甲",
        "right_0": "一",
        "left_1": "乙",
        "right_1": "二",
        "left_2": "丙",
        "right_2": "三",
    }

    response = staff_client.post(reverse("curation:edit", args=[question.pk]), data)

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.pairs == [["甲", "一"], ["乙", "二"], ["丙", "三"]]


# --- Writing a question -------------------------------------------------------------------------


def test_a_new_fill_in_is_checked_previewed_and_saved(staff_client, small_bank, staff):
    point = small_bank.points[2]
    url = reverse("curation:new_kind", args=["cloze"])
    data = {
        "section": str(point.pk),
        "prompt": "工会要大力弘扬__精神。",
        "blank_0": "劳模",
        "blank_0_accepted": "劳动模范",
    }

    chooser = staff_client.get(reverse("curation:new")).content.decode()
    bad = staff_client.post(url, {**data, "blank_0": "", "save": "1"})
    preview = staff_client.post(url, {**data, "preview": "1"})
    assert Question.objects.filter(origin=Origin.WRITTEN).count() == 0
    response = staff_client.post(url, {**data, "save": "1"})

    assert url in chooser
    assert bad.status_code == 400 and "第1空没有答案" in bad.content.decode()
    assert preview.status_code == 200 and 'data-testid="preview"' in preview.content.decode()
    question = Question.objects.get(origin=Origin.WRITTEN)
    assert response.status_code == 302 and response["Location"] == reverse("curation:question", args=[question.pk])
    assert question.prompt == "工会要大力弘扬＿＿精神。"
    assert question.blanks[0]["answer"] == "劳模" and question.blanks[0]["accepted"] == ["劳模", "劳动模范"]
    assert question.source == point and question.task_key == small_bank.tasks[0].key and question.is_active
    assert question in scope_questions(scope="task", scope_key=small_bank.tasks[0].key)[0]
    assert QuestionLog.objects.get(question=question).action == "created"


def test_a_new_multiselect_question(staff_client, small_bank):
    data = {
        "section": str(small_bank.topics[0].pk),
        "prompt": "下列属于工会工作的有？",
        "option_0": "甲",
        "option_1": "乙",
        "option_2": "丙",
        "answer": ["0", "2"],
        "save": "1",
    }

    response = staff_client.post(reverse("curation:new_kind", args=["multiselect"]), data)

    assert response.status_code == 302
    question = Question.objects.get(origin=Origin.WRITTEN)
    assert question.correct_choices == [0, 2] and question.source == small_bank.topics[0]


def test_an_unknown_kind_is_404(staff_client, small_bank):
    assert staff_client.get(reverse("curation:new_kind", args=["essay"])).status_code == 404


# --- Importing ------------------------------------------------------------------------------------

GIFT = """$CATEGORY: $course$/{section}

::g1::中国工会第十八次全国代表大会于哪一年召开？{{=2023年 ~2018年 ~2013年}}

::g2::工会是职工自愿结合的工人阶级群众组织。{{T}}
"""


def upload(client, data: bytes, name: str):
    return client.post(reverse("curation:import"), {"file": SimpleUploadedFile(name, data)})


def test_a_gift_file_is_previewed_then_imported_all_at_once(staff_client, small_bank, staff):
    section = small_bank.topics[1]
    response = upload(staff_client, GIFT.format(section=section.text).encode(), "bank.gift")

    assert response.status_code == 302
    record = BankImport.objects.get()
    preview = staff_client.get(response["Location"])
    body = preview.content.decode()
    assert preview.status_code == 200 and body.count('data-testid="import-row"') == 2
    assert "disabled" not in body.split('data-testid="apply"')[1][:30]

    applied = staff_client.post(reverse("curation:import_apply", args=[record.pk]))

    assert applied.status_code == 302
    imported = Question.objects.filter(origin=Origin.IMPORTED)
    assert sorted(imported.values_list("type", flat=True)) == ["choice", "truefalse"]
    assert all(q.source == section for q in imported)
    record.refresh_from_db()
    assert record.imported == 2 and record.imported_at is not None
    # Posting again (a stale tab, a double tap) is refused and changes nothing.
    again = staff_client.post(reverse("curation:import_apply", args=[record.pk]), follow=True)
    assert "已经导入过了" in again.content.decode()
    assert Question.objects.filter(origin=Origin.IMPORTED).count() == 2


def test_rows_without_a_section_take_the_default_chosen(staff_client, small_bank):
    data = "::a::工会是职工自愿结合的工人阶级群众组织。{T}\n".encode()
    upload(staff_client, data, "plain.txt")
    record = BankImport.objects.get()

    staff_client.post(reverse("curation:import_apply", args=[record.pk]), {"section": small_bank.points[3].pk})

    assert Question.objects.get(origin=Origin.IMPORTED).source == small_bank.points[3]


def test_a_file_with_a_refused_row_cannot_be_imported(staff_client, small_bank):
    data = "::a::好题{=对 ~错}\n\n::b::坏题{#3.14}\n".encode()
    upload(staff_client, data, "mixed.gift")
    record = BankImport.objects.get()

    body = staff_client.get(reverse("curation:import_preview", args=[record.pk])).content.decode()
    response = staff_client.post(reverse("curation:import_apply", args=[record.pk]), follow=True)

    assert "有误" in body and "disabled" in body.split('data-testid="apply"')[1][:30]
    assert "文件中还有错误" in response.content.decode()
    assert not Question.objects.filter(origin=Origin.IMPORTED).exists()
    assert BankImport.objects.get().imported_at is None


def test_a_forged_upload_number_gets_a_clear_error_and_changes_nothing(staff_client, small_bank):
    response = staff_client.post(reverse("curation:import_apply", args=[987654]))

    assert response.status_code == 404 and "找不到这次上传" in response.content.decode()
    assert not Question.objects.filter(origin=Origin.IMPORTED).exists()


def test_an_unknown_file_type_is_refused_on_the_upload_page(staff_client, small_bank):
    response = upload(staff_client, b"%PDF", "bank.pdf")

    assert response.status_code == 400 and "只能导入" in response.content.decode()
    assert not BankImport.objects.exists()


def workbook(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_row(kind: str, prompt: str, options: list[str], answer: str, section: str = "") -> list[str]:
    return [kind, prompt, *(options + [""] * (6 - len(options))), answer, "", section]


def test_an_excel_file_is_previewed_and_imported(staff_client, small_bank):
    topic = small_bank.topics[0]
    data = workbook(
        [
            xlsx_row("单选", "工会十八大于哪一年召开？", ["2023年", "2018年", "2013年"], "A", topic.text),
            xlsx_row("填空", "要大力弘扬＿＿精神。", [], "劳模/劳动模范"),
        ]
    )
    response = upload(staff_client, data, "题库.xlsx")
    record = BankImport.objects.get()

    body = staff_client.get(response["Location"]).content.decode()
    staff_client.post(reverse("curation:import_apply", args=[record.pk]), {"section": small_bank.points[0].pk})

    assert "第2行" in body and "第3行" in body
    imported = {q.type: q for q in Question.objects.filter(origin=Origin.IMPORTED)}
    assert imported["choice"].source == topic and imported["cloze"].source == small_bank.points[0]
    assert imported["cloze"].blanks[0]["accepted"][-1] == "劳动模范"


def test_an_excel_file_over_the_row_limit_is_refused_with_the_readers_message(staff_client, small_bank):
    data = workbook([xlsx_row("判断", f"第{n}题", [], "对") for n in range(MAX_ROWS + 1)])

    upload(staff_client, data, "big.xlsx")
    body = staff_client.get(reverse("curation:import_preview", args=[BankImport.objects.get().pk])).content.decode()

    assert f"超过 {MAX_ROWS} 行的上限" in body
    assert "disabled" in body.split('data-testid="apply"')[1][:30]


def test_the_excel_template_downloads(staff_client, small_bank):
    response = staff_client.get(reverse("curation:import_template"))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"] and "%E9%A2%98%E5%BA%93" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    assert openpyxl.load_workbook(io.BytesIO(data)).worksheets[0].cell(1, 1).value == "题型"


# --- Reports ------------------------------------------------------------------------------------


def test_a_learner_reports_from_the_feedback_and_staff_resolve_it(learner_client, learner, staff_client, small_bank):
    question = small_bank.questions[0]
    attempt = asked(learner, question, small_bank.questions[1])
    item = attempt.items.get(position=0)

    feedback = learner_client.post(
        reverse("quizzes:answer", args=[attempt.pk]), form_data(item, right=False), headers={"HX-Request": "true"}
    )
    link = reverse("curation:report", args=[question.pk])
    assert link in feedback.content.decode() and "题目有误" in feedback.content.decode()

    form = learner_client.get(link, headers={"HX-Request": "true"})
    assert "<html" not in form.content.decode() and 'name="text"' in form.content.decode()
    empty = learner_client.post(link, {"text": "  "}, headers={"HX-Request": "true"})
    assert "请说明题目哪里有误" in empty.content.decode()
    sent = learner_client.post(link, {"text": "答案应该是“终生”"}, headers={"HX-Request": "true"})
    assert "已收到，谢谢" in sent.content.decode() and "<html" not in sent.content.decode()

    queue = staff_client.get(reverse("curation:reports")).content.decode()
    assert "答案应该是“终生”" in queue and question.prompt[:20] in queue
    report = QuestionReport.objects.get()
    staff_client.post(
        reverse("curation:report_handle", args=[report.pk]), {"status": "resolved", "response": "已加同义答案"}
    )
    report.refresh_from_db()
    assert report.status == "resolved" and report.response == "已加同义答案" and report.handled_by is not None
    assert "答案应该是“终生”" not in staff_client.get(reverse("curation:reports")).content.decode()
    again = staff_client.post(reverse("curation:report_handle", args=[report.pk]), {"status": "dismissed"}, follow=True)
    assert "已经处理过了" in again.content.decode()


def test_a_learner_reports_from_the_question_itself_before_answering(learner_client, learner, small_bank):
    question = small_bank.questions[0]
    attempt = asked(learner, question)

    page = learner_client.get(reverse("quizzes:take", args=[attempt.pk])).content.decode()
    link = reverse("curation:report", args=[question.pk])
    assert 'data-testid="report-link-question"' in page and link in page
    learner_client.post(link, {"text": "题干有错字", "attempt": attempt.pk})

    assert QuestionReport.objects.get().text == "题干有错字"


def test_the_report_form_works_without_javascript(learner_client, learner, small_bank):
    question = small_bank.questions[0]
    attempt = asked(learner, question)
    url = reverse("curation:report", args=[question.pk])

    page = learner_client.get(url, {"attempt": attempt.pk})
    sent = learner_client.post(url, {"text": "错字", "attempt": attempt.pk})

    assert "<html" in page.content.decode() and reverse("quizzes:take", args=[attempt.pk]) in page.content.decode()
    assert "已收到，谢谢" in sent.content.decode() and "<html" in sent.content.decode()
    assert QuestionReport.objects.get().text == "错字"


def test_a_learner_cannot_report_a_question_never_asked(learner_client, learner, small_bank):
    url = reverse("curation:report", args=[small_bank.questions[0].pk])

    assert learner_client.get(url).status_code == 404
    assert learner_client.post(url, {"text": "乱报"}).status_code == 404
    assert not QuestionReport.objects.exists()


def test_a_trainer_reports_too(trainer_client, trainer, small_bank):
    question = small_bank.questions[0]
    asked(trainer, question)

    trainer_client.post(reverse("curation:report", args=[question.pk]), {"text": "选项重复"})

    assert QuestionReport.objects.get().reporter == trainer


def test_the_report_queue_costs_the_same_queries_for_many_reports(
    staff_client, small_bank, django_assert_max_num_queries
):
    for question in small_bank.questions[:20]:
        user = UserFactory()
        asked(user, question)
        services.report_create(question=question, user=user, text="有误")

    with django_assert_max_num_queries(8):
        response = staff_client.get(reverse("curation:reports"))

    assert response.content.decode().count('data-testid="report"') == 20


def test_handling_from_the_question_page_returns_there(staff_client, world):
    question_url = reverse("curation:question", args=[world["question"].pk])

    response = staff_client.post(
        reverse("curation:report_handle", args=[world["report"].pk]), {"status": "dismissed", "next": question_url}
    )
    forged = staff_client.post(
        reverse("curation:report_handle", args=[world["report"].pk]),
        {"status": "dismissed", "next": "https://evil.example/"},
    )

    assert response["Location"] == question_url
    assert forged["Location"] == reverse("curation:reports")


@pytest.mark.parametrize("kind", ["cloze", "choice", "truefalse", "multiselect", "matching"])
def test_every_kind_has_a_question_page_an_edit_form_and_a_new_form(staff_client, every_kind_bank, kind):
    question = every_kind_bank.of_type(kind)[0]

    page = staff_client.get(reverse("curation:question", args=[question.pk]))
    edit = staff_client.get(reverse("curation:edit", args=[question.pk]))
    new = staff_client.get(reverse("curation:new_kind", args=[kind]))
    unchanged = staff_client.post(reverse("curation:edit", args=[question.pk]), edit.context["form"].initial)

    assert page.status_code == edit.status_code == new.status_code == 200
    assert 'class="learner-preview"' in page.content.decode()
    assert unchanged.status_code == 302 and not QuestionLog.objects.exists()  # saving as shown changes nothing
