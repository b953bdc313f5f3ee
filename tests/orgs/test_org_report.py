"""The roll-up report on a small hand-built tree: its figures against hand-computed values, the time
range, drill-down, the XLSX export, the chart, and a constant number of queries."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse

from quizzes.orgs import reports
from quizzes.orgs.filters import ActivityRange
from studyapp.people.models import Organisation
from tests.factories import ProfileFactory
from tests.orgs.conftest import EARLY, LATE, client_for

pytestmark = pytest.mark.django_db


def figures(row) -> tuple:
    return (row.enrolled, row.participated, row.rate, row.finished, row.answers, row.average)


def rollup(viewer, organisation, **query):
    period = ActivityRange.from_query(query, today=organisation_today())
    return reports.organisation_rollup(viewer=viewer, organisation=organisation, period=period)


def organisation_today():
    from django.utils import timezone

    from quizzes.core.rules import study_day

    return study_day(timezone.now())


def test_the_rollup_of_beijing_over_all_time_equals_the_hand_computed_figures(activity, beijing_manager):
    report = rollup(beijing_manager, activity["北京市"])

    rows = {row.label: figures(row) for row in report.rows}
    # 朝阳区: 朝阳甲 15 answers (credit 11.5) + 望京甲 4 (credit 2); 望京乙 nothing: 2 of 3, 13.5 / 19 = 71%.
    # 海淀区: 海淀甲 6 answers (credit 3), 海淀乙 only a quiz that ran out: 1 of 2, 50%.
    assert rows == {
        "朝阳区": (3, 2, 67, 1, 19, 71),
        "海淀区": (2, 1, 50, 2, 6, 50),
        "本级直属": (1, 1, 100, 0, 2, 100),
    }
    assert [row.label for row in report.rows] == ["朝阳区", "海淀区", "本级直属"]  # children by name, then direct
    assert figures(report.total) == (6, 4, 67, 3, 27, 69)  # 18.5 / 27 = 68.5%


def test_the_time_range_counts_only_its_days(activity, beijing_manager):
    today = organisation_today()
    late = (today - timedelta(days=LATE)).isoformat()

    last_week = rollup(beijing_manager, activity["北京市"], range="7")
    custom = rollup(beijing_manager, activity["北京市"], range="custom", **{"from": late, "to": late})
    month = rollup(beijing_manager, activity["北京市"], range="30")
    early_only = rollup(
        beijing_manager,
        activity["北京市"],
        range="custom",
        **{"from": (today - timedelta(days=EARLY + 1)).isoformat(), "to": (today - timedelta(days=EARLY)).isoformat()},
    )

    expected_late = {"朝阳区": (3, 1, 33, 0, 5, 100), "海淀区": (2, 1, 50, 2, 6, 50), "本级直属": (1, 0, 0, 0, 0, None)}
    assert {row.label: figures(row) for row in last_week.rows} == expected_late
    assert {row.label: figures(row) for row in custom.rows} == expected_late
    assert figures(month.total) == figures(rollup(beijing_manager, activity["北京市"]).total)
    assert {row.label: figures(row)[:2] for row in early_only.rows} == {
        "朝阳区": (3, 2),
        "海淀区": (2, 0),
        "本级直属": (1, 1),
    }


def test_a_range_from_the_query_string_is_checked():
    from datetime import date

    today = date(2026, 5, 20)
    assert ActivityRange.from_query({"range": "7"}, today=today) == ActivityRange("7", date(2026, 5, 14), today)
    assert ActivityRange.from_query({"range": "nonsense"}, today=today).is_all
    assert ActivityRange.from_query({"range": "custom", "from": "garbage"}, today=today).is_all
    swapped = ActivityRange.from_query({"range": "custom", "from": "2026-05-10", "to": "2026-05-01"}, today=today)
    assert (swapped.start, swapped.end) == (date(2026, 5, 1), date(2026, 5, 10))
    assert swapped.query() == "range=custom&from=2026-05-01&to=2026-05-10"


def test_the_page_drills_down_to_the_next_level_and_to_the_people_at_a_leaf(activity, beijing_manager):
    client = client_for(beijing_manager)
    beijing, chaoyang = activity["北京市"], activity["朝阳区"]

    page = client.get(reverse("orgs:report", args=[beijing.pk]) + "?range=30").content.decode()
    chaoyang_page = client.get(reverse("orgs:report", args=[chaoyang.pk])).content.decode()
    leaf_people = client.get(reverse("orgs:people", args=[activity["望京街道工会"].pk])).content.decode()
    direct_people = client.get(reverse("orgs:people", args=[beijing.pk]) + "?direct=1").content.decode()

    assert f'href="{reverse("orgs:report", args=[chaoyang.pk])}?range=30"' in page  # has children: its roll-up
    assert f'href="{reverse("orgs:people", args=[activity["海淀区"].pk])}?range=30"' in page  # a leaf: its people
    assert f'href="{reverse("orgs:people", args=[beijing.pk])}?direct=1&amp;range=30"' in page
    assert "望京街道工会" in chaoyang_page and f'href="{reverse("orgs:report", args=[beijing.pk])}"' in chaoyang_page
    assert "望京甲" in leaf_people and "望京乙" in leaf_people and "朝阳甲" not in leaf_people
    assert "北京甲" in direct_people and "朝阳甲" not in direct_people


def test_the_people_list_shows_each_persons_participation_and_filters_who_took_part(activity, beijing_manager):
    period = ActivityRange()
    page = reports.people_page(viewer=beijing_manager, organisation=activity["朝阳区"], period=period)
    silent = reports.people_page(viewer=beijing_manager, organisation=activity["朝阳区"], period=period, who="no")

    rows = {row.name: (row.days, row.answers, row.average, row.finished) for row in page.rows}
    assert rows == {"朝阳甲": (2, 15, 77, 1), "望京甲": (1, 4, 50, 0), "望京乙": (0, 0, None, 0)}
    assert [row.name for row in silent.rows] == ["望京乙"] and silent.count == 1


def test_the_xlsx_export_opens_and_holds_the_same_figures(activity, beijing_manager):
    response = client_for(beijing_manager).get(reverse("orgs:export_xlsx", args=[activity["北京市"].pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:2] == ["组织", "北京市"] and rows[1][:2] == ["统计时间", "全部时间"]
    header = rows.index(next(row for row in rows if row and row[0] == "组织" and row[1] == "在册人数"))
    table = {row[0]: tuple(row[1:]) for row in rows[header + 1 :]}
    assert table == {
        "朝阳区": (3, 2, 67, 1, 19, 71),
        "海淀区": (2, 1, 50, 2, 6, 50),
        "本级直属": (1, 1, 100, 0, 2, 100),
        "合计": (6, 4, 67, 3, 27, 69),
    }


def test_the_chart_draws_daily_participants(activity, beijing_manager):
    report = rollup(beijing_manager, activity["北京市"])
    page = client_for(beijing_manager).get(reverse("orgs:report", args=[activity["北京市"].pk])).content.decode()

    days = {point.day: point.participants for point in report.chart.points if point.participants}
    today = organisation_today()
    assert days == {today - timedelta(days=EARLY): 3, today - timedelta(days=LATE): 2}
    assert len(report.chart.points) == EARLY + 1  # every day from the first to today, the quiet ones at 0
    assert 'data-testid="participation-chart"' in page and page.count('class="chart-dot"') == 2
    assert report.chart.top_value == 5


def test_the_htmx_range_form_gets_the_report_region_alone(activity, beijing_manager):
    response = client_for(beijing_manager).get(
        reverse("orgs:report", args=[activity["北京市"].pk]) + "?range=7", HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="report"') and "<html" not in content
    assert "近7天" in content


def build_children(parent: Organisation, count: int) -> None:
    for index in range(count):
        child = Organisation.objects.create(name=f"下级{index:02d}", parent=parent)
        grandchild = Organisation.objects.create(name="基层", parent=child)
        ProfileFactory(organisation=child)
        ProfileFactory(organisation=grandchild)


@pytest.mark.parametrize("children", [2, 20])
def test_the_report_costs_the_same_queries_for_2_or_20_child_organisations(
    tree, beijing_manager, children, small_bank, django_assert_num_queries
):
    parent = Organisation.objects.create(name="测试上级", parent=tree["北京市"])
    build_children(parent, children)
    client = client_for(beijing_manager)
    url = reverse("orgs:report", args=[parent.pk])
    client.get(url)  # the session is loaded once

    # session with its user; the manager check, the managed organisations and the organisation; the subtree's
    # organisations, people per organisation, activity per organisation, the version, its outline and
    # the mastered points per organisation, the managed organisations and the ancestors (breadcrumb), the
    # chart (the export draws it too: one rule for both); the assignment attempts whose time is up (none).
    with django_assert_num_queries(14):
        assert client.get(url + "?range=30").status_code == 200
    with django_assert_num_queries(14):  # all time reads the kept totals, a range the days: the same count
        assert client.get(url).status_code == 200
    with django_assert_num_queries(14):
        assert client.get(reverse("orgs:export_xlsx", args=[parent.pk])).status_code == 200
    # The people list: session with its user, the three of the organisation; the count, the page, activity and
    # assignments of the page's people; the two of the ancestors; the attempts whose time is up (none).
    with django_assert_num_queries(11):
        assert client.get(reverse("orgs:people", args=[parent.pk])).status_code == 200


def test_mastery_by_task_is_summed_per_organisation_by_the_one_rule(tree, beijing_manager, small_bank):
    from fsrs import Rating

    from quizzes.progress import mastery_by_member, task_columns
    from quizzes.services import points_review
    from studyapp.documents.selectors import active_outline

    columns = task_columns(active_outline())
    first, second = (sorted(column.points) for column in columns[:2])
    now = timezone_now()
    # Right answers master points (the one rule: remembered now); a wrong one does not.
    points_review(user=tree.people["望京甲"], ratings=dict.fromkeys(first[:2], Rating.Good), now=now)
    points_review(user=tree.people["朝阳甲"], ratings={first[0]: Rating.Good, second[0]: Rating.Again}, now=now)
    points_review(user=tree.people["海淀甲"], ratings={second[0]: Rating.Good}, now=now)
    points_review(user=tree.people["上海甲"], ratings=dict.fromkeys(first, Rating.Good), now=now)  # not Beijing's

    report = rollup(beijing_manager, tree["北京市"])
    rows = {row.label: row for row in report.rows}
    per_person = mastery_by_member(user_ids=[u.pk for u in tree.people.values()], columns=columns, now=now)

    def summed(names):
        counts = [[m.mastered for m in per_person.get(tree.people[n].pk, [])] or [0] * len(columns) for n in names]
        return [sum(column) for column in zip(*counts, strict=True)]

    assert rows["朝阳区"].mastered == summed(["朝阳甲", "望京甲", "望京乙"]) and rows["朝阳区"].mastered[0] == 3
    assert rows["海淀区"].mastered == summed(["海淀甲", "海淀乙"]) and rows["海淀区"].mastered[1] == 1
    # 3 points of 3 people × the task's points; the total over the 6 people of Beijing.
    assert rows["朝阳区"].task_mastery[0].percent == round(100 * 3 / (3 * columns[0].total))
    assert report.total.mastered[:2] == [3, 1]
    assert report.total.task_mastery[0].total == 6 * columns[0].total


def test_a_manager_sees_no_person_s_mastery(tree, beijing_manager, small_bank):
    page = (
        client_for(beijing_manager)
        .get(reverse("orgs:person", args=[tree["北京市"].pk, tree.people["望京甲"].pk]))
        .content.decode()
    )
    people = client_for(beijing_manager).get(reverse("orgs:people", args=[tree["北京市"].pk])).content.decode()
    report = client_for(beijing_manager).get(reverse("orgs:report", args=[tree["北京市"].pk])).content.decode()

    assert "各任务掌握度" not in page and "掌握度" not in people.split("<table")[1].split("</thead>")[0]
    assert 'data-testid="mastery-table"' in report


def timezone_now():
    from django.utils import timezone

    return timezone.now()
