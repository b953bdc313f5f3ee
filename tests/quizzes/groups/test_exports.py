"""The group report's CSV and XLSX exports with text XLSX cannot hold: a learner's answer or name with
a control character must not break the export of the whole group (openpyxl refuses such a workbook
with IllegalCharacterError), and a text that becomes a formula once cleaned must stay text."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse

from quizzes import services
from quizzes.groups import analysis, exports, reports
from quizzes.groups.filters import ReportFilter
from quizzes.models import Answer
from tests.factories import MembershipFactory, OrganisationFactory, ProfileFactory

pytestmark = pytest.mark.django_db

# Every character XML 1.0 forbids below U+0020: all C0 controls but tab, line feed and carriage return.
C0_FORBIDDEN = [chr(code) for code in range(0x20) if chr(code) not in "\t\n\r"]
# Code points XML 1.0 forbids above: U+FFFE, U+FFFF, and lone surrogates (tested without the database,
# which cannot store them: the request decoder replaces them, PostgreSQL refuses them).
HIGH_FORBIDDEN = ["\ufffe", "\uffff"]
SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff"]


def storable(char: str) -> bool:
    """PostgreSQL text and jsonb cannot hold NUL (the answer form refuses it before it is stored)."""
    return not (char == "\x00" and connection.vendor == "postgresql")


def member(group, name: str, organisation: str = "第一基层工会"):
    profile = ProfileFactory(display_name=name, organisation=OrganisationFactory(name=organisation))
    MembershipFactory(group=group, user=profile.user)
    return profile.user


def answered_wrongly(user, question, stored_text: str) -> None:
    """`user` answered `question` wrongly with `stored_text`, as it is in the database (written there
    directly: the answer form may refuse some characters today, older answers may hold them)."""
    attempt = services.attempt_create(
        user=user, question_ids=[question.pk], rng=None, kind="practice", question_type="cloze"
    )
    item = attempt.items.get()
    services.answer_submit(item=item, user=user, given=["错误"])
    Answer.objects.filter(attempt_question=item).update(given=[stored_text])


def csv_rows(client, group) -> list[list[str]]:
    response = client.get(reverse("groups:export_csv", args=[group.pk]))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def workbook(client, group) -> openpyxl.Workbook:
    # The answers here are practice: the analysis sheet holds them when the practice is asked for.
    response = client.get(reverse("groups:export_xlsx", args=[group.pk]), {"source": "practice"})
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


@pytest.mark.parametrize("char", C0_FORBIDDEN + HIGH_FORBIDDEN, ids=lambda char: f"U+{ord(char):04X}")
def test_both_exports_work_with_a_forbidden_character_in_answers_and_names(
    char, trainer_client, small_bank, study_group
):
    if not storable(char):
        pytest.skip("PostgreSQL cannot store NUL")
    question = small_bank.questions[0]
    plain = member(study_group, f"学员{char}甲", organisation=f"{char}基层{char}工会")
    formula = member(study_group, f"{char}=1+1")
    answered_wrongly(plain, question, f"{char}职工{char}书屋{char}")
    answered_wrongly(formula, question, f"{char}=HYPERLINK(1)")

    rows = csv_rows(trainer_client, study_group)
    sheets = workbook(trainer_client, study_group)

    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"学员甲", "'=1+1"}  # cleaned, and a formula once cleaned is still quoted
    assert by_name["学员甲"][3] == "基层工会"
    members = sheets["成员"]
    names = {members.cell(row=r, column=1).value for r in range(2, members.max_row + 1)}
    assert names == {"学员甲", "=1+1"}
    assert all(members.cell(row=r, column=1).data_type == "s" for r in range(2, members.max_row + 1))
    wrong = sheets["逐题分析"]["H2"]
    assert wrong.data_type == "s"
    assert set(wrong.value.split("；")) == {"=hyperlink1（1）", "职工书屋（1）"}
    every_text = [
        cell.value for sheet in sheets for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)
    ]
    assert not any(exports.FORBIDDEN_CHARACTERS.search(text) for text in every_text)
    assert not any(exports.FORBIDDEN_CHARACTERS.search(value) for row in rows for value in row)


@pytest.mark.parametrize("char", C0_FORBIDDEN + HIGH_FORBIDDEN + SURROGATES, ids=lambda char: f"U+{ord(char):04X}")
def test_every_forbidden_character_is_dropped_from_every_cell_of_the_files(char, small_bank, study_group, trainer):
    """Through the export functions, with texts the database could not hold (lone surrogates, NUL)."""
    learner = member(study_group, "学员乙")
    answered_wrongly(learner, small_bank.questions[0], "职工书屋")
    report = reports.member_report(viewer=trainer, group=study_group, filter=ReportFilter())
    report.rows[0].name = f"{char}学员{char}乙{char}"
    report.rows[0].username = f"{char}-1"
    report.rows[0].organisation = f"工会{char}"
    stats = analysis.question_analysis(viewer=trainer, group=study_group)
    stats.questions[0].wrong_answers[:] = [(f"职工{char}书屋", 2)]

    rows = list(csv.reader(io.StringIO(exports.members_csv(report).decode("utf-8-sig"))))
    sheets = openpyxl.load_workbook(io.BytesIO(exports.report_xlsx(report, stats)))

    assert [rows[1][0], rows[1][1], rows[1][3]] == ["学员乙", "'-1", "工会"]
    members = sheets["成员"]
    assert [members["A2"].value, members["B2"].value, members["D2"].value] == ["学员乙", "-1", "工会"]
    assert sheets["逐题分析"]["H2"].value == "职工书屋（2）"


def test_tab_line_feed_and_carriage_return_are_kept_and_formulas_still_quoted(small_bank, study_group, trainer):
    member(study_group, "学员\t丙\n第二行\r")
    report = reports.member_report(viewer=trainer, group=study_group, filter=ReportFilter())
    stats = analysis.question_analysis(viewer=trainer, group=study_group)

    rows = list(csv.reader(io.StringIO(exports.members_csv(report).decode("utf-8-sig"))))
    sheets = openpyxl.load_workbook(io.BytesIO(exports.report_xlsx(report, stats)))

    assert rows[1][0] == "学员\t丙\n第二行\r"
    assert sheets["成员"]["A2"].value in ("学员\t丙\n第二行\r", "学员\t丙\n第二行\n")
    assert exports.csv_safe("\t=1") == "'\t=1" and exports.csv_safe("\x01\t=1") == "'\t=1"
    assert exports.csv_safe("\x02@SUM(A1)") == "'@SUM(A1)" and exports.csv_safe(7) == 7


# --- The report's search with characters the database cannot compare with --------------------------------


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("\x00", ""), ("学员\x00甲", "学员甲"), (" \x01学员\x1f甲\x7f\x85 ", "学员甲"), ("\x00" * 60 + "甲", "甲")],
    ids=["nul", "nul-inside", "controls", "many-nuls"],
)
def test_the_search_text_loses_nul_and_control_characters(typed, kept):
    assert ReportFilter.from_query({"q": typed}).q == kept
    assert ReportFilter.from_query({"q": "学员 甲"}).q == "学员 甲"  # inner spaces are kept


@pytest.mark.parametrize(
    ("typed", "found"), [("\x00", {"学员甲", "学员乙"}), ("学员\x00甲", {"学员甲"})], ids=["nul", "nul-inside"]
)
def test_a_search_with_a_nul_byte_answers_the_report_and_its_exports(trainer_client, study_group, typed, found):
    member(study_group, "学员甲")
    member(study_group, "学员乙")
    url = reverse("groups:report", args=[study_group.pk])

    page = trainer_client.get(url, {"q": typed})
    export = trainer_client.get(reverse("groups:export_csv", args=[study_group.pk]), {"q": typed})
    sheet = trainer_client.get(reverse("groups:export_xlsx", args=[study_group.pk]), {"q": typed})

    assert page.status_code == 200 and export.status_code == 200 and sheet.status_code == 200
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert {row[0] for row in rows[1:]} == found
    assert "\x00" not in page.content.decode()
