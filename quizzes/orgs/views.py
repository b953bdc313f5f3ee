"""The organisation pages, for organisation managers and admins: the organisations one manages, an
organisation's roll-up report (with its XLSX export and daily participants chart), its people and one
person. Every page starts from quizzes/visibility.py (organisation_seen: 403 for someone who manages
nothing, 404 outside one's subtrees; people_seen_by_manager: 404 for a person of another subtree)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from studyapp.http import AuthenticatedHttpRequest, Page, render_page
from studyapp.people.models import Organisation

from .. import services as quiz_services
from .. import visibility
from ..core.rules import study_day
from . import exports, reports
from .filters import ActivityRange

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _organisation_seen(request: AuthenticatedHttpRequest, pk: int) -> Organisation:
    """The organisation (quizzes/visibility.py), its people's assignment attempts whose time is up
    recorded as such (超时) before anything counts them."""
    organisation = visibility.organisation_seen(request.user, pk)
    quiz_services.attempts_time_out(visibility.assignment_results_seen(request.user, organisation))
    return organisation


def _period(request: AuthenticatedHttpRequest) -> ActivityRange:
    return ActivityRange.from_query(request.GET, today=study_day(timezone.now()))


@require_GET
def organisation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The organisations the viewer manages (for an admin, the top of the tree); 403 for anyone else."""
    organisations = list(visibility.organisations_managed(request.user).order_by("path"))
    if not organisations and not visibility.sees_everything(request.user):
        raise PermissionDenied
    return render(request, "orgs/list.html", {"organisations": organisations})


@require_GET
@vary_on_headers("HX-Request")
def organisation_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The roll-up per child organisation over a period, the chart of daily participants; htmx (the
    period form) asks for the report region alone."""
    organisation = _organisation_seen(request, pk)
    rollup = reports.organisation_rollup(viewer=request.user, organisation=organisation, period=_period(request))
    return render_page(request, Page("orgs/report.html", {"rollup": rollup, "organisation": organisation}, "report"))


@require_GET
def organisation_export_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The roll-up table as an Excel workbook."""
    organisation = _organisation_seen(request, pk)
    rollup = reports.organisation_rollup(viewer=request.user, organisation=organisation, period=_period(request))
    response = HttpResponse(exports.rollup_xlsx(rollup), content_type=XLSX_TYPE)
    filename = f"organisation-{organisation.pk}-report-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _page_number(value: object) -> int:
    try:
        return max(1, int(str(value)))
    except ValueError:
        return 1


@require_GET
@vary_on_headers("HX-Request")
def organisation_people(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The people of the organisation's subtree (or, with direct=1, attached to it directly) with their
    participation, assignment results and mastery; htmx asks for the list alone."""
    organisation = _organisation_seen(request, pk)
    people = reports.people_page(
        viewer=request.user,
        organisation=organisation,
        period=_period(request),
        direct=request.GET.get("direct") == "1",
        who=str(request.GET.get("who", "")),
        page=_page_number(request.GET.get("page", 1)),
    )
    context = {
        "organisation": organisation,
        "people": people,
        "ancestors": reports.ancestors_seen(request.user, organisation),
        "who_choices": reports.WHO_CHOICES,
    }
    return render_page(request, Page("orgs/people.html", context, "people"))


@require_GET
def organisation_person(request: AuthenticatedHttpRequest, pk: int, user_id: int) -> HttpResponse:
    """One person of the subtree: participation by day, assignment results, current mastery."""
    organisation = _organisation_seen(request, pk)
    profile = visibility.person_seen_by_manager(request.user, organisation, user_id)
    report = reports.person_report(
        viewer=request.user, organisation=organisation, profile=profile, period=_period(request)
    )
    return render(request, "orgs/person.html", {"organisation": organisation, "report": report})
