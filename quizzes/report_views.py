"""A group's report for its trainers (and admins): page, htmx fragment, CSV and XLSX exports.

Every view loads the group through people.selectors.managed_group(): anyone else gets 404.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from studyapp.people import selectors as people
from studyapp.people.models import Profile, StudyGroup

from . import report_exports, reports
from .reports import MemberReport, ReportFilter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _partial_wanted(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def _member_report(request: HttpRequest, pk: int) -> tuple[StudyGroup, MemberReport]:
    group = people.managed_group(request.user, pk)
    filter = ReportFilter.from_query(request.GET)
    report = reports.member_report(group=group, filter=filter)
    if filter.assignment.isdigit() and report.chosen is None:
        raise Http404("这个小组没有这次测验")  # e.g. another group's assignment
    return group, report


@require_GET
@vary_on_headers("HX-Request")
def group_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Members with score, completion, last activity and mastery (sortable, filterable), the heatmap,
    the per-question analysis and the scores over time. htmx asks for the member region alone."""
    group, report = _member_report(request, pk)
    context = {
        "group": group,
        "report": report,
        "task_means": reports.task_means(report),
        "roles": Profile.Role.choices,
        "states": reports.STATE_CHOICES,
    }
    if _partial_wanted(request):
        return render(request, "reports/group.html#members", context)
    context["analysis"] = reports.question_analysis(group=group, assignment=report.filter.assignment)
    context["chart"] = reports.score_timeline(group=group, assignment=report.filter.assignment)
    return render(request, "reports/group.html", context)


def _filename(group: StudyGroup, extension: str) -> str:
    return f"group-{group.pk}-report-{timezone.localdate():%Y%m%d}.{extension}"


@require_GET
def group_export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The member table (all rows matching the filter, in its order) as CSV for Excel."""
    group, report = _member_report(request, pk)
    response = HttpResponse(report_exports.members_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(group, "csv")}"'
    return response


@require_GET
def group_export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The member table and the per-question analysis as a workbook of two sheets."""
    group, report = _member_report(request, pk)
    analysis = reports.question_analysis(group=group, assignment=report.filter.assignment)
    response = HttpResponse(report_exports.report_xlsx(report, analysis), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(group, "xlsx")}"'
    return response
