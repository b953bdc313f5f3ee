"""The group report's numbers on a small hand-built group, its page and fragment, and its exports."""

import csv
import io
from datetime import UTC, datetime, time, timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes import progress, services
from quizzes.groups import analysis, reports
from quizzes.groups import services as group_services
from quizzes.groups.filters import ReportFilter
from quizzes.models import Question
from quizzes.progress import STUDY_TIMEZONE, Mastery
from studyapp.documents.selectors import document_outline
from tests.factories import AssignmentFactory, MembershipFactory, ProfileFactory
from tests.quizzes.groups.report_pages import report_html
from tests.support import HTMX

pytestmark = pytest.mark.django_db

# FSRS wants UTC datetimes; these are 10:00 in China two days and one day ago.
DAY1 = datetime.combine(timezone.localdate() - timedelta(days=2), time(10), tzinfo=STUDY_TIMEZONE).astimezone(UTC)
DAY2 = DAY1 + timedelta(days=1)
# The learners joined before all of it: their trainers see their practice from then on.
JOINED = DAY1 - timedelta(days=1)


def answer(attempt, user, givens, now):
    """Answer `attempt`'s questions in order with `givens` (None: stop there)."""
    for item, given in zip(attempt.items.select_related("question").order_by("position"), givens, strict=False):
        if given is None:
            break
        services.answer_submit(item=item, user=user, given=given, now=now)


@pytest.fixture
def report_group(small_bank, study_group, trainer):
    """Four learners and one fixed assignment of three questions (fill-in on points 0 and 1 of task 1,
    single choice on point 2), as the docstring table below; a second assignment not yet open.

        学员A (cadre)   right, right, right           day 1 10:00
        学员B           right, “不知道”, right        day 1 11:00, then retries point 1: “不 知道” at 12:00
        学员C           “ 职业 培训。”, (stops)       day 2 10:00
        学员D           nothing
    An outsider (in no group) answers the same questions; nothing of theirs may count.
    """
    q = small_bank.questions
    fixed = [q[0], q[2], q[5]]
    now = timezone.now()
    first = group_services.assignment_create(
        group=study_group,
        created_by=trainer,
        title="第一次测验",
        mode="fixed",
        question_ids=[question.pk for question in fixed],
        opens_at=now - timedelta(days=5),
        closes_at=now + timedelta(days=5),
        show_answers="finished",  # B retries the wrong question once finished
    )
    group_services.assignment_create(
        group=study_group,
        created_by=trainer,
        title="下周测验",
        opens_at=now + timedelta(days=7),
        closes_at=now + timedelta(days=8),
    )
    people = {}
    for name, role in (("学员A", "cadre"), ("学员B", "member"), ("学员C", "member"), ("学员D", "member")):
        user = ProfileFactory(display_name=name, role=role, user__username=f"user-{name[-1].lower()}").user
        MembershipFactory(group=study_group, user=user, joined_at=JOINED)
        people[name[-1]] = user
    key = "终身职业技能培训"
    a_attempt = group_services.assignment_start(assignment=first, user=people["A"], now=DAY1)
    answer(a_attempt, people["A"], [[key], [key], 0], DAY1)
    b_attempt = group_services.assignment_start(assignment=first, user=people["B"], now=DAY1 + timedelta(hours=1))
    answer(b_attempt, people["B"], [[key], ["不知道"], 0], DAY1 + timedelta(hours=1))
    retry = services.attempt_retry_wrong(attempt=b_attempt, user=people["B"])
    answer(retry, people["B"], [["不 知道"]], DAY1 + timedelta(hours=2))
    c_attempt = group_services.assignment_start(assignment=first, user=people["C"], now=DAY2)
    answer(c_attempt, people["C"], [[" 职业 培训。"], None], DAY2)
    outsider = ProfileFactory(display_name="外人").user
    practice = services.attempt_create(
        user=outsider, question_ids=[x.pk for x in fixed], rng=None, kind="practice", question_type="mixed"
    )
    answer(practice, outsider, [["错"], ["错"], 1], DAY2)
    return {
        "group": study_group,
        "trainer": trainer,
        "assignment": first,
        "people": people,
        "questions": fixed,
        "bank": small_bank,
    }


def rows_by_name(report):
    return {row.name: row for row in report.rows}


# --- The member table --------------------------------------------------------------------------------


def test_scores_completion_and_last_activity_of_each_member(report_group):
    report = reports.member_report(viewer=report_group["trainer"], group=report_group["group"], filter=ReportFilter())

    rows = rows_by_name(report)
    assert [row.name for row in report.rows] == ["学员A", "学员B", "学员C", "学员D"]
    assert {name: row.score for name, row in rows.items()} == {"学员A": 100, "学员B": 67, "学员C": 0, "学员D": None}
    assert {name: (row.completed, row.due, row.completion, row.state) for name, row in rows.items()} == {
        "学员A": (1, 1, 100, "done"),
        "学员B": (1, 1, 100, "done"),
        "学员C": (0, 1, 0, "partial"),
        "学员D": (0, 1, 0, "none"),
    }
    assert rows["学员A"].last_active == DAY1
    assert rows["学员B"].last_active == DAY1 + timedelta(hours=2)  # the retry counts as activity
    assert rows["学员C"].last_active == DAY2
    assert rows["学员D"].last_active is None
    assert report.member_count == 4 and len(report.assignments) == 2


def test_mastery_by_task_matches_each_learners_own_progress(report_group):
    bank = report_group["bank"]
    report = reports.member_report(viewer=report_group["trainer"], group=report_group["group"], filter=ReportFilter())

    rows = rows_by_name(report)
    assert [task.node for task in report.tasks] == bank.tasks
    assert [task.total for task in report.tasks] == [6, 6]
    assert rows["学员A"].mastery == [Mastery(3, 6), Mastery(0, 6)]
    assert rows["学员B"].mastery == [Mastery(2, 6), Mastery(0, 6)]
    assert rows["学员C"].mastery == rows["学员D"].mastery == [Mastery(0, 6), Mastery(0, 6)]
    outline = document_outline(bank.version)
    for row in report.rows:
        user = report_group["people"][row.name[-1]]
        own = progress.learner_task_mastery(user)
        by_heading = progress.heading_mastery(user=user, version=bank.version, outline=outline)
        assert [entry.mastery for entry in own] == row.mastery == [by_heading[task.pk] for task in bank.tasks]
    assert [step for _mastery, step in rows["学员A"].heat] == [5, 0]
    assert [step for _mastery, step in rows["学员B"].heat] == [3, 0]
    assert reports.task_means(report) == [Mastery(5, 24), Mastery(0, 24)]


def test_a_line_repeated_in_a_task_counts_once_for_each_place(report_group):
    bank = report_group["bank"]
    twin = bank.points[0]
    # The same text again under the task's second topic, as progress.py counts it: two points.
    from tests.factories import PointNodeFactory

    PointNodeFactory(version=bank.version, parent=bank.topics[1], text=twin.text, text_key=twin.text_key)

    report = reports.member_report(viewer=report_group["trainer"], group=report_group["group"], filter=ReportFilter())

    assert rows_by_name(report)["学员A"].mastery[0] == Mastery(4, 7)


def test_only_the_chosen_assignment_counts_when_one_is_chosen(report_group, trainer):
    group = report_group["group"]
    later = group_services.assignment_create(
        group=group,
        created_by=trainer,
        title="补考",
        mode="fixed",
        question_ids=[report_group["questions"][0].pk],
        opens_at=timezone.now() - timedelta(hours=1),
        closes_at=timezone.now() + timedelta(hours=1),
    )
    attempt = group_services.assignment_start(assignment=later, user=report_group["people"]["D"])
    answer(attempt, report_group["people"]["D"], [["不会"]], timezone.now())

    everything = rows_by_name(reports.member_report(viewer=trainer, group=group, filter=ReportFilter()))
    chosen = rows_by_name(
        reports.member_report(viewer=trainer, group=group, filter=ReportFilter(assignment=str(later.pk)))
    )

    assert (everything["学员A"].score, everything["学员A"].due, everything["学员A"].completion) == (100, 2, 50)
    assert everything["学员D"].score == 0 and everything["学员D"].state == "partial"
    assert (chosen["学员A"].score, chosen["学员A"].state) == (None, "none")
    assert (chosen["学员D"].score, chosen["学员D"].completed, chosen["学员D"].state) == (0, 1, "done")


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", "ABCD"),
        ("-name", "DCBA"),
        ("score", "CBAD"),
        ("-score", "ABCD"),
        ("completion", "CDAB"),
        ("-completion", "ABCD"),
        ("active", "ABCD"),
        ("-active", "CBAD"),
        ("nonsense", "ABCD"),
    ],
)
def test_members_sort_by_each_column_with_empty_values_last(report_group, sort, expected):
    report = reports.member_report(
        viewer=report_group["trainer"], group=report_group["group"], filter=ReportFilter.from_query({"sort": sort})
    )

    assert "".join(row.name[-1] for row in report.rows) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"role": "cadre"}, "A"),
        ({"role": "member"}, "BCD"),
        ({"state": "done"}, "AB"),
        ({"state": "partial"}, "C"),
        ({"state": "none"}, "D"),
        ({"q": "学员c"}, "C"),
        ({"q": "user-b"}, "B"),
        ({"q": "nobody"}, ""),
        ({"role": "member", "state": "done"}, "B"),
    ],
)
def test_members_filter_by_role_completion_and_name(report_group, query, expected):
    report = reports.member_report(
        viewer=report_group["trainer"], group=report_group["group"], filter=ReportFilter.from_query(query)
    )

    assert "".join(row.name[-1] for row in report.rows) == expected
    assert report.member_count == 4


def test_the_filter_reads_only_what_it_knows():
    parsed = ReportFilter.from_query(
        {"sort": "-score", "role": "admin", "state": "x", "assignment": "1 OR 1", "page": "-3"}
    )

    assert (parsed.sort, parsed.descending, parsed.role, parsed.state, parsed.assignment, parsed.page) == (
        "score",
        True,
        "",
        "",
        "",
        1,
    )
    assert parsed.query() == "sort=-score"
    assert parsed.sorted_by("score") == "sort=score"
    assert parsed.sorted_by("active") == "sort=-active"
    assert ReportFilter().sorted_by("name") == "sort=-name"


# --- Per-question analysis ---------------------------------------------------------------------------


def test_per_question_analysis_on_an_assignment(report_group):
    q0, q2, q5 = report_group["questions"]

    result = analysis.question_analysis(
        viewer=report_group["trainer"], group=report_group["group"], assignment=str(report_group["assignment"].pk)
    )

    assert (result.ranked_members, result.third) == (3, 1)
    stats = {stat.question: stat for stat in result.questions}
    assert [stat.question for stat in result.questions] == [q2, q0, q5]  # hardest first
    assert (stats[q0].answers, stats[q0].correct, stats[q0].correct_percent) == (3, 2, 67)
    assert stats[q0].wrong_answers == [("职业培训", 1)]  # “ 职业 培训。” normalised
    assert (stats[q0].top_share, stats[q0].bottom_share, stats[q0].discrimination) == (1.0, 0.0, 1.0)
    assert (stats[q2].answers, stats[q2].correct, stats[q2].correct_percent) == (2, 1, 50)
    assert stats[q2].wrong_answers == [("不知道", 1)]
    assert stats[q2].discrimination is None  # the bottom third (学员C) never answered it
    assert (stats[q5].answers, stats[q5].correct, stats[q5].wrong_answers) == (2, 2, [])


def test_without_an_assignment_every_answer_of_the_members_counts(report_group):
    q0, q2, _q5 = report_group["questions"]

    stats = analysis.question_analysis(viewer=report_group["trainer"], group=report_group["group"])

    stats = {stat.question: stat for stat in stats.questions}
    assert (stats[q2].answers, stats[q2].correct) == (3, 1)  # 学员B's retry included
    assert stats[q2].wrong_answers == [("不知道", 2)]  # “不知道” and “不 知道” are one answer
    assert stats[q0].answers == 3  # the outsider's answers are not the group's


def test_all_the_groups_assignments_can_be_analysed_together(report_group):
    stats = analysis.question_analysis(viewer=report_group["trainer"], group=report_group["group"], assignment="all")

    assert sum(stat.answers for stat in stats.questions) == 7


def test_discrimination_compares_the_top_and_bottom_thirds_by_total_score(small_bank, study_group, trainer):
    question = small_bank.questions[0]
    users = [MembershipFactory(group=study_group, joined_at=JOINED).user for _ in range(6)]
    # Right on another question: members 0–3; on the analysed one: members 0, 1 and 4. Totals
    # 2, 2, 1, 1, 1, 0: the top third is members 0 and 1, the bottom third members 4 and 5.
    extra = small_bank.questions[2]
    for index, user in enumerate(users):
        attempt = services.attempt_create(
            user=user, question_ids=[extra.pk, question.pk], rng=None, kind="practice", question_type="cloze"
        )
        extra_right = index < 4
        main_right = index in (0, 1, 4)
        answer(
            attempt,
            user,
            [["终身职业技能培训" if extra_right else "错"], ["终身职业技能培训" if main_right else "错"]],
            DAY1,
        )

    stats = analysis.question_analysis(viewer=trainer, group=study_group)

    stat = next(s for s in stats.questions if s.question == question)
    assert stats.third == 2
    assert (stat.top_share, stat.bottom_share, stat.discrimination) == (1.0, 0.5, 0.5)


def test_wrong_answer_texts_show_blanks_options_and_pairs():
    cloze = Question(type="cloze", blanks=[{"answer": "甲"}, {"answer": "乙"}])
    choice = Question(type="choice", choices=["一", "二", "三"], answer_index=0)
    matching = Question(type="matching", pairs=[["大国工匠", "高技能人才"], ["安康杯", "安全生产"]])

    assert analysis.wrong_answer_texts(cloze, ["甲", "  "], [True, False], {}) == ["第2空：（空）"]
    assert analysis.wrong_answer_texts(cloze, ["ＡＢ", "乙"], [False, True], {}) == ["第1空：ab"]
    assert analysis.wrong_answer_texts(choice, 2, [False], {}) == ["三"]
    assert analysis.wrong_answer_texts(matching, [1, 0], [False, False], {}) == [
        "大国工匠 → 安全生产",
        "安康杯 → 高技能人才",
    ]


# --- Scores over time ---------------------------------------------------------------------------------


def test_the_chart_shows_the_mean_score_per_day(report_group):
    chart = analysis.score_timeline(
        viewer=report_group["trainer"], group=report_group["group"], assignment=str(report_group["assignment"].pk)
    )

    assert [(p.day, p.mean, p.answers) for p in chart.points] == [
        (DAY1.astimezone(STUDY_TIMEZONE).date(), 83.3, 6),
        (DAY2.astimezone(STUDY_TIMEZONE).date(), 0.0, 1),
    ]
    assert not chart.weekly
    # 320 × 160, plotted inside x 30–310, y 10 (100) – 136 (0)
    assert chart.polyline == "30.0,31.0 310.0,136.0"


def test_the_chart_counts_weeks_when_the_answers_span_months(small_bank, study_group, trainer):
    question = small_bank.questions[0]
    start = datetime(2026, 1, 5, 10, tzinfo=STUDY_TIMEZONE).astimezone(UTC)  # a Monday
    user = MembershipFactory(group=study_group, joined_at=start - timedelta(days=1)).user
    for offset, right in ((0, True), (2, False), (90, True)):
        attempt = services.attempt_create(
            user=user, question_ids=[question.pk], rng=None, kind="practice", question_type="cloze"
        )
        answer(attempt, user, [["终身职业技能培训" if right else "错"]], start + timedelta(days=offset))

    chart = analysis.score_timeline(viewer=trainer, group=study_group)

    assert chart.weekly
    assert [(p.day.isoformat(), p.mean, p.answers) for p in chart.points] == [
        ("2026-01-05", 50.0, 2),
        ("2026-03-30", 100.0, 1),
    ]


# --- Pages ----------------------------------------------------------------------------------------------


def test_the_report_page_has_table_heatmap_chart_and_analysis(trainer_client, report_group):
    group = report_group["group"]

    html = report_html(trainer_client, reverse("groups:report", args=[group.pk]))

    assert html.count('data-testid="member-row"') == 4
    assert 'data-testid="heatmap"' in html and 'class="heat heat-5"' in html and 'class="heat heat-3"' in html
    assert 'data-testid="score-chart"' in html and "<polyline" in html
    assert 'data-testid="question-table"' in html and "职业培训 ×1" in html
    assert f"{reverse('groups:export_csv', args=[group.pk])}?" in html
    assert "style=" not in html and "<script>" not in html


def test_the_page_loads_its_analysis_and_signals_after_itself_and_links_them_without_javascript(
    trainer_client, report_group
):
    group = report_group["group"]
    page = trainer_client.get(reverse("groups:report", args=[group.pk]), {"sort": "-score", "source": "practice"})
    html = page.content.decode()
    analysis_url = reverse("groups:report_analysis", args=[group.pk])
    integrity_url = reverse("groups:report_integrity", args=[group.pk])

    # Not computed with the page: placeholders that htmx fills on load, each a plain link too.
    assert 'data-testid="question-table"' not in html and 'data-testid="score-chart"' not in html
    assert f'hx-get="{analysis_url}?source=practice" hx-trigger="load"' in html
    assert f'<a href="{analysis_url}?source=practice" role="button"' in html
    assert f'hx-get="{integrity_url}?source=practice" hx-trigger="load"' in html
    fragment = trainer_client.get(analysis_url, **HTMX)
    fragment_html = fragment.content.decode()
    assert "HX-Request" in fragment["Vary"] and fragment_html.lstrip().startswith('<div id="report-analysis"')
    assert "<html" not in fragment_html and 'data-testid="question-table"' in fragment_html
    signals = trainer_client.get(integrity_url, **HTMX).content.decode()
    assert signals.lstrip().startswith('<div id="report-integrity"') and "<html" not in signals
    # Without JavaScript the link opens a page of its own, with the way back to the report.
    alone = trainer_client.get(analysis_url).content.decode()
    assert "<html" in alone and 'data-testid="score-chart"' in alone and "职业培训 ×1" in alone
    assert f'href="{reverse("groups:report", args=[group.pk])}?"' in alone
    assert "不会据此扣分" in trainer_client.get(integrity_url).content.decode()


def test_the_reports_parts_answer_404_to_others_and_for_another_groups_assignment(trainer_client, report_group):
    from django.test import Client

    group = report_group["group"]
    member = Client()
    member.force_login(group.memberships.learners().first().user)  # a learner of the group
    other = AssignmentFactory()  # another group's
    for name in ("groups:report_analysis", "groups:report_integrity"):
        url = reverse(name, args=[group.pk])
        assert member.get(url).status_code == 404 and trainer_client.get(url).status_code == 200
        assert trainer_client.get(url, {"assignment": other.pk}).status_code == 404
        assert trainer_client.get(url, {"assignment": other.pk}, **HTMX).status_code == 404


def test_sorting_and_filtering_swap_the_member_region_with_htmx(trainer_client, report_group):
    url = reverse("groups:report", args=[report_group["group"].pk])

    fragment = trainer_client.get(url, {"sort": "-score", "role": "member"}, **HTMX)

    html = fragment.content.decode()
    assert fragment.status_code == 200 and "HX-Request" in fragment["Vary"]
    assert html.lstrip().startswith('<section id="members"')
    assert "<html" not in html and "score-chart" not in html
    names = [part.split("</a>")[0].split(">")[-1] for part in html.split('data-testid="member-row"')[1:]]
    assert names == ["学员B", "学员C", "学员D"]
    assert 'id="report-sort" value="-score" hx-swap-oob="true"' in html
    assert 'aria-sort="descending"' in html


def test_the_report_pages_long_member_lists(trainer_client, study_group, monkeypatch):
    monkeypatch.setattr(reports, "PAGE_SIZE", 2)
    for name in "EDCBA":
        MembershipFactory(group=study_group, user=ProfileFactory(display_name=f"学员{name}").user)
    url = reverse("groups:report", args=[study_group.pk])

    html = trainer_client.get(url, {"page": 3}, **HTMX).content.decode()

    assert html.count('data-testid="member-row"') == 1 and "学员E" in html
    assert "3 / 3" in html and "page=2" in html


def test_an_unknown_assignment_in_the_report_is_not_found(trainer_client, report_group):
    url = reverse("groups:report", args=[report_group["group"].pk])

    assert trainer_client.get(url, {"assignment": "999999"}).status_code == 404


# --- Exports --------------------------------------------------------------------------------------------


def test_the_csv_export_is_utf8_with_a_bom_and_has_every_member(trainer_client, report_group):
    url = reverse("groups:export_csv", args=[report_group["group"].pk])

    response = trainer_client.get(url, {"sort": "-score"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="group-')
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["姓名", "登录名", "身份", "所在组织", "测验得分", "已完成测验"]
    assert rows[0][10].startswith("掌握度·（一）")
    assert [row[0] for row in rows[1:]] == ["学员A", "学员B", "学员C", "学员D"]
    assert rows[1][4:9] == ["100", "1", "1", "100", "已完成"]
    assert rows[4][4] == "" and rows[4][9] == ""
    assert rows[1][10:] == ["50", "0"]


def test_the_csv_export_follows_the_filter(trainer_client, report_group):
    url = reverse("groups:export_csv", args=[report_group["group"].pk])

    rows = list(csv.reader(io.StringIO(trainer_client.get(url, {"state": "done"}).content.decode("utf-8-sig"))))

    assert [row[0] for row in rows[1:]] == ["学员A", "学员B"]


def test_the_xlsx_export_has_a_member_sheet_and_a_question_sheet(trainer_client, report_group):
    url = reverse("groups:export_xlsx", args=[report_group["group"].pk])

    response = trainer_client.get(url, {"assignment": report_group["assignment"].pk})

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["成员", "逐题分析"]
    members = workbook["成员"]
    assert members["A1"].value == "姓名" and members["A1"].font.bold
    assert [members.cell(row=r, column=1).value for r in range(2, 6)] == ["学员A", "学员B", "学员C", "学员D"]
    assert members["E2"].value == 100 and members["E3"].value == 67 and members["E5"].value is None
    assert members["K2"].value == 50
    questions = workbook["逐题分析"]
    assert [cell.value for cell in questions[1]][:6] == ["题型", "题干", "任务", "作答次数", "答对次数", "正确率（%）"]
    assert questions.max_row == 4
    assert [questions.cell(row=r, column=6).value for r in range(2, 5)] == [50, 67, 100]
    assert questions["G3"].value == 1.0 and questions["H3"].value == "职业培训（1）"


def test_exports_keep_typed_answers_that_look_like_formulas_as_text(trainer_client, small_bank, study_group):
    user = MembershipFactory(group=study_group, user=ProfileFactory(display_name="=1+1").user, joined_at=JOINED).user
    question = small_bank.questions[0]
    attempt = services.attempt_create(
        user=user, question_ids=[question.pk], rng=None, kind="practice", question_type="cloze"
    )
    answer(attempt, user, [['=HYPERLINK("http://evil.example","点我")']], DAY1)

    csv_text = trainer_client.get(reverse("groups:export_csv", args=[study_group.pk])).content.decode("utf-8-sig")
    # The answer is practice: the analysis sheet shows it when the practice is asked for.
    xlsx = trainer_client.get(reverse("groups:export_xlsx", args=[study_group.pk]), {"source": "practice"}).content

    assert list(csv.reader(io.StringIO(csv_text)))[1][0] == "'=1+1"
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert workbook["成员"]["A2"].data_type == "s" and workbook["成员"]["A2"].value == "=1+1"
    wrong = workbook["逐题分析"]["H2"]
    assert wrong.data_type == "s" and wrong.value == "=hyperlinkhttp://evil.example,点我（1）"  # normalised, still text
