"""The worksheet pages and their PDFs: who may open them, the seed in the URL, Chinese in the PDF."""

import io
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from quizzes.worksheets.sheets import scope_sheet
from tests.factories import AssignmentFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SCOPE = {"scope": "document", "question_type": "mixed", "length": 10}


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "").replace(" ", "")


def test_the_start_form_prints_a_sheet_with_a_seed_in_its_url(learner_client, every_kind_bank):
    page = learner_client.get(reverse("quizzes:new"))
    assert "打印练习卷" in page.content.decode()

    response = learner_client.post(reverse("worksheets:new"), SCOPE)

    assert response.status_code == 302
    query = parse_qs(urlparse(response["Location"]).query)
    assert query["scope"] == ["document"] and query["length"] == ["10"] and query["seed"][0].isdigit()


def test_a_bad_start_form_shows_the_form_again_with_a_chinese_error(learner_client, every_kind_bank):
    response = learner_client.post(reverse("worksheets:new"), {**SCOPE, "length": 7})

    assert response.status_code == 400 and "题数只能选" in response.content.decode()


def test_without_a_seed_the_page_gets_one(learner_client, every_kind_bank):
    response = learner_client.get(reverse("worksheets:scope"), SCOPE)

    assert response.status_code == 302 and "seed=" in response["Location"]


def test_the_page_shows_the_header_the_questions_and_the_key_on_its_own(learner_client, every_kind_bank):
    response = learner_client.get(reverse("worksheets:scope"), {**SCOPE, "seed": 42})

    body = response.content.decode()
    sheet = scope_sheet(scope="document", scope_key="", question_type="mixed", length=10, seed=42)
    assert response.status_code == 200
    assert "姓名" in body and "得分" in body and "卷号：42" in body and "全文" in body
    assert body.count('data-testid="sheet-item"') == 10
    assert body.index('data-testid="sheet-key"') > body.index('data-testid="worksheet"')
    for item in sheet.items:
        assert item.key in body
    assert "/worksheet/pdf/?" in body and "seed=42" in body


def test_the_pdf_has_the_pages_questions_in_chinese(learner_client, every_kind_bank):
    response = learner_client.get(reverse("worksheets:scope_pdf"), {**SCOPE, "seed": 42})

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 2  # the key starts a page of its own
    text = pdf_text(response.content)
    assert "姓名" in text and "参考答案" in text
    sheet = scope_sheet(scope="document", scope_key="", question_type="mixed", length=10, seed=42)
    cloze = next(item for item in sheet.items if item.kind == "cloze")
    piece = max((text for text, number in cloze.inputs.prompt_parts if number is None), key=len)
    assert piece.replace(" ", "")[:8] in text
    key_page = reader.pages[-1].extract_text().replace("\n", "").replace(" ", "")
    assert "参考答案" in key_page and "姓名" not in key_page
    fonts = {
        str(font.get_object()["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()
    }
    assert any("CJK" in name for name in fonts), fonts


def test_bad_parameters_get_a_chinese_message(learner_client, every_kind_bank):
    unknown = learner_client.get(reverse("worksheets:scope"), {**SCOPE, "scope": "task:ffff", "seed": 1})
    malformed = learner_client.get(reverse("worksheets:scope"), {**SCOPE, "seed": "abc"})

    assert unknown.status_code == 400 and "没有这个学习范围" in unknown.content.decode()
    assert malformed.status_code == 400 and "卷号应为数字" in malformed.content.decode()


def test_an_assignments_sheet_is_for_its_groups_trainers(client, trainer_client, study_group, every_kind_bank):
    assignment = AssignmentFactory(group=study_group, length=5, title="第一次测验")
    kwargs = {"pk": study_group.pk, "assignment_id": assignment.pk}

    detail = trainer_client.get(reverse("groups:detail", kwargs={"pk": study_group.pk}))
    assert reverse("worksheets:assignment", kwargs=kwargs) in detail.content.decode()
    page = trainer_client.get(reverse("worksheets:assignment", kwargs=kwargs), {"seed": 9})
    assert page.status_code == 200 and "第一次测验" in page.content.decode()
    assert page.content.decode().count('data-testid="sheet-item"') == 5
    pdf = trainer_client.get(reverse("worksheets:assignment_pdf", kwargs=kwargs), {"seed": 9})
    assert pdf.status_code == 200 and "第一次测验" in pdf_text(pdf.content)


def test_an_assignments_sheet_is_hidden_from_its_learners_and_other_trainers(
    client, study_group, make_trainer, every_kind_bank
):
    assignment = AssignmentFactory(group=study_group)
    kwargs = {"pk": study_group.pk, "assignment_id": assignment.pk}
    member = MembershipFactory(group=study_group).user
    other_trainer = make_trainer("赵培训")
    MembershipFactory(user=other_trainer, trainer=True)  # trains another group
    admin = UserFactory(is_staff=True)

    for user, status in ((member, 404), (other_trainer, 404), (admin, 200)):
        client.force_login(user)
        for name in ("worksheets:assignment", "worksheets:assignment_pdf"):
            assert client.get(reverse(name, kwargs=kwargs), {"seed": 1}).status_code == status, (user, name)


def test_an_assignment_of_another_group_is_not_found(trainer_client, study_group, every_kind_bank):
    elsewhere = AssignmentFactory()
    url = reverse("worksheets:assignment", kwargs={"pk": study_group.pk, "assignment_id": elsewhere.pk})

    assert trainer_client.get(url, {"seed": 1}).status_code == 404


def test_the_page_reads_the_same_few_queries_for_five_questions_or_twenty(
    learner_client, every_kind_bank, django_assert_num_queries
):
    learner_client.get(reverse("worksheets:scope"), {**SCOPE, "length": 5, "seed": 1})  # session, warm caches
    with CaptureQueriesContext(connection) as five:
        learner_client.get(reverse("worksheets:scope"), {**SCOPE, "length": 5, "seed": 1})
    with django_assert_num_queries(len(five)):
        page = learner_client.get(reverse("worksheets:scope"), {**SCOPE, "length": 20, "seed": 1})

    assert page.content.decode().count('data-testid="sheet-item"') == 20
