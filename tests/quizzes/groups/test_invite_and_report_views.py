"""The group page's invite link (copy button, QR code) and the report's choices: assignments and practice
analysed apart, every question in an assignment's preview, spreadsheet columns sized to their content."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes import services
from quizzes.groups import exports, selectors
from quizzes.groups import services as group_services
from quizzes.groups.filters import ReportFilter
from tests.factories import AssignmentFactory, MembershipFactory, ProfileFactory, QuestionFactory
from tests.support import answer_all, wrong_answer

pytestmark = pytest.mark.django_db


# --- Invite ----------------------------------------------------------------------------------------


def test_the_group_page_offers_the_join_link_to_copy_and_as_a_qr_code(trainer_client, study_group):
    html = trainer_client.get(study_group.get_absolute_url()).content.decode()
    join_url = f"http://testserver{reverse('groups:join')}?code={study_group.invite_code}"

    assert f'id="join-url" value="{join_url}" readonly' in html
    assert 'data-copy="join-url"' in html and "复制链接" in html and "/static/js/copy.js" in html
    svg = html[html.index('<svg role="img" data-testid="invite-qr"') :]
    svg = svg[: svg.index("</svg>")]
    assert f"<title>扫码加入“{study_group.name}”</title>" in svg and "<path" in svg
    assert "style=" not in svg and "<script" not in svg  # nothing the CSP would block


def test_the_qr_code_encodes_the_join_link():
    import segno

    from quizzes.groups.invite import join_qr_svg

    url = "https://study.example/groups/join/?code=ABCD2345"
    expected = segno.make(url, error="m", micro=False).svg_inline(
        scale=4, border=2, svgclass="invite-qr", lineclass=None, omitsize=True, title="加入"
    )

    assert join_qr_svg(url, title="加入") == expected.replace("<svg ", '<svg role="img" data-testid="invite-qr" ', 1)
    assert join_qr_svg(url, title="<b>") != join_qr_svg(url + "x", title="<b>")
    assert "&lt;b&gt;" in join_qr_svg(url, title="<b>")


# --- Assignments and practice apart -------------------------------------------------------------------


@pytest.fixture
def both(small_bank, study_group):
    """A learner who answered an assignment question right and a practice question wrongly."""
    user = MembershipFactory(group=study_group, joined_at=timezone.now() - timedelta(days=1)).user
    assigned, practised = small_bank.of_type("cloze")[:2]
    assignment = AssignmentFactory(group=study_group, mode="fixed", question_ids=[assigned.pk], length=1)
    answer_all(group_services.assignment_start(assignment=assignment, user=user), user)
    practice = services.attempt_create(user=user, question_ids=[practised.pk], rng=None, kind="practice")
    services.answer_submit(item=practice.items.get(), user=user, given=wrong_answer(practised))
    return assignment, assigned, practised


def prompts(response) -> list[str]:
    return [stat.question.prompt for stat in response.context["analysis"].questions]


def analysis_part(client, group, params=None):
    """The analysis the report page loads after itself, for the same scope: as the page of its own that
    its link opens without JavaScript (htmx gets the same section alone)."""
    return client.get(reverse("groups:report_analysis", args=[group.pk]), params or {})


def test_the_report_analyses_the_assignments_by_default_and_says_so(trainer_client, study_group, both):
    assignment, assigned, practised = both
    url = reverse("groups:report", args=[study_group.pk])

    default = trainer_client.get(url)
    practice = trainer_client.get(url, {"source": "practice"})
    chosen = trainer_client.get(url, {"assignment": assignment.pk})

    assert prompts(analysis_part(trainer_client, study_group)) == [assigned.prompt]
    assert prompts(analysis_part(trainer_client, study_group, {"assignment": assignment.pk})) == [assigned.prompt]
    assert prompts(analysis_part(trainer_client, study_group, {"source": "practice"})) == [practised.prompt]
    # The page asks for the part of the scope it shows.
    assert f"{reverse('groups:report_analysis', args=[study_group.pk])}?source=practice" in practice.content.decode()
    assert f"?assignment={assignment.pk}" in chosen.content.decode()
    assert "现在显示：本组全部小组测验，不含自主练习" in default.content.decode()
    assert f"现在显示：小组测验“{assignment.title}”" in chosen.content.decode()
    assert "现在显示：自主练习" in practice.content.decode()
    assert 'aria-current="page" data-testid="source-practice"' in practice.content.decode()


def test_the_source_is_checked_and_kept_in_the_reports_links():
    assert ReportFilter.from_query({"source": "nonsense"}).source == "assignments"
    chosen = ReportFilter.from_query({"source": "practice", "sort": "-score"})
    assert chosen.analysis_scope == "practice" and "source=practice" in chosen.sorted_by("name")
    assert ReportFilter.from_query({"assignment": "7"}).analysis_scope == "7"
    assert ReportFilter.from_query({"assignment": "all"}).analysis_scope == "all"
    assert ReportFilter().query() == "" and ReportFilter().source_queries["practice"] == "source=practice"


def test_the_spreadsheet_analyses_what_the_page_does(trainer_client, study_group, both):
    _assignment, assigned, practised = both
    url = reverse("groups:export_xlsx", args=[study_group.pk])

    for query, prompt in (({}, assigned.prompt), ({"source": "practice"}, practised.prompt)):
        sheet = openpyxl.load_workbook(io.BytesIO(trainer_client.get(url, query).content))["逐题分析"]
        assert [sheet.cell(row=r, column=2).value for r in range(2, sheet.max_row + 1)] == [prompt]


# --- The preview lists every question -----------------------------------------------------------------


def test_the_assignment_preview_lists_every_question_of_the_scope(small_bank):
    for _ in range(230 - len(small_bank.questions)):
        QuestionFactory(source=small_bank.points[0])

    assert len(selectors.assignment_candidates(scope="document")) == 230


# --- Spreadsheet columns --------------------------------------------------------------------------------


def test_column_widths_fit_the_widest_cell_counting_chinese_characters_double():
    assert exports.text_width("张三") == 4 and exports.text_width("ab") == 2 and exports.text_width(0.5) == 3
    widths = exports.column_widths([["姓名", "得分"], ["欧阳长名字很长", 95], ["x" * 500, None]])
    assert widths == [exports.MAX_COLUMN_WIDTH, 6]
    assert exports.column_widths([["姓名"], ["欧阳长名字"]]) == [12]


def test_the_group_workbook_sizes_its_columns(trainer_client, study_group, both):
    MembershipFactory(group=study_group, user=ProfileFactory(display_name="欧阳长长长名字").user)
    response = trainer_client.get(reverse("groups:export_xlsx", args=[study_group.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    members, questions = workbook["成员"], workbook["逐题分析"]

    assert members.column_dimensions["A"].width == 2 * len("欧阳长长长名字") + 2
    assert questions.column_dimensions["B"].width > questions.column_dimensions["D"].width


def test_the_organisation_workbook_sizes_its_columns():
    from types import SimpleNamespace

    from quizzes.orgs.exports import rollup_xlsx

    figures = {
        "enrolled": 12,
        "participated": 3,
        "rate": 25,
        "finished": 1,
        "answers": 40,
        "average": 80,
        "task_mastery": [],
    }
    rollup = SimpleNamespace(
        organisation=SimpleNamespace(name="全国总工会"),
        period=SimpleNamespace(label="近 30 天"),
        tasks=[],
        rows=[SimpleNamespace(label="某某省某某市某某区总工会", **figures)],
        total=SimpleNamespace(**figures),
    )
    sheet = openpyxl.load_workbook(io.BytesIO(rollup_xlsx(rollup)))["汇总"]

    assert sheet.column_dimensions["A"].width == 2 * len("某某省某某市某某区总工会") + 2
    assert sheet.column_dimensions["B"].width == 2 * len("在册人数") + 2
