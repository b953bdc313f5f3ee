"""A study group's pages: the list, creating and joining a group, invitations, a trainer's page for
it and for one member, setting quizzes and taking them, and the group report with its exports.

A group's trainers' pages answer 404 to anyone who neither trains the group nor is an admin
(people.selectors.managed_group()); a learner's assignment pages, to anyone not in its group. What
the trainers' pages show of a learner is decided by quizzes/visibility.py, the one "who sees what"
rule: every read of a learner's study below starts there.
Assigned quizzes are taken with the ordinary quiz pages (quizzes.views), whose service enforces
their deadline.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from studyapp.documents import selectors as documents
from studyapp.http import AuthenticatedHttpRequest, Page, partial_wanted, render_page
from studyapp.people import selectors as people
from studyapp.people import services as people_services
from studyapp.people.models import Invitation, Membership, Profile, StudyGroup, display_name, is_admin, is_trainer

from .. import progress, visibility
from .. import selectors as quiz_selectors
from .. import services as quiz_services
from ..models import Assignment, Attempt
from . import analysis, exports, integrity, invite, reports, selectors, services
from .filters import STATE_CHOICES, ReportFilter
from .forms import AssignmentForm, InvitationForm, JoinForm, StudyGroupForm
from .reports import MemberReport

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def group_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The groups the user trains (all of them for an admin) and those they learn in."""
    can_create = is_trainer(request.user)
    context = {
        "managed": list(people.managed_groups(request.user)) if can_create else [],
        "joined": list(people.joined_groups(request.user)),
        "invitations": list(people.pending_invitations(request.user)),
        "can_create": can_create,
        "form": StudyGroupForm(),
        "join_form": JoinForm(),
    }
    return render(request, "groups/list.html", context)


@require_POST
def group_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not is_trainer(request.user):
        raise PermissionDenied
    form = StudyGroupForm(request.POST)
    if form.is_valid():
        group = people_services.group_create(trainer=request.user, **form.cleaned_data)
        messages.success(request, _("已创建学习小组“%(name)s”。") % {"name": group.name})
        return redirect(group)
    context = {
        "managed": list(people.managed_groups(request.user)),
        "joined": list(people.joined_groups(request.user)),
        "invitations": list(people.pending_invitations(request.user)),
        "can_create": True,
        "form": form,
        "join_form": JoinForm(),
    }
    return render(request, "groups/list.html", context, status=400)


@require_http_methods(["GET", "POST"])
def group_join(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A learner types the invite code a trainer gave them (or follows a link that carries it)."""
    if request.method == "POST":
        form = JoinForm(request.POST)
        if form.is_valid():
            try:
                membership = people_services.group_join(code=form.cleaned_data["code"], user=request.user)
            except ValidationError as error:
                form.add_error("code", error)
            else:
                messages.success(request, _("已加入学习小组“%(name)s”。") % {"name": membership.group.name})
                return redirect("quizzes:home")
        return render(request, "groups/join.html", {"form": form}, status=400)
    form = JoinForm(initial={"code": request.GET.get("code", "")[:40]})
    return render(request, "groups/join.html", {"form": form})


def _group_page(
    request: AuthenticatedHttpRequest,
    group: StudyGroup,
    *,
    invite_form: InvitationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    trainers, learners = people.group_people(group)
    join_url = request.build_absolute_uri(f"{reverse('groups:join')}?code={group.invite_code}")
    _time_out_group(group)
    context = {
        "group": group,
        "trainers": trainers,
        "learners": learners,
        "invitations": list(people.group_pending_invitations(group)),
        "assignments": selectors.group_assignment_rows(request.user, group),
        "invite_form": invite_form or InvitationForm(),
        "can_add_trainer": is_admin(request.user) or any(m.user_id == request.user.pk for m in trainers),
        "join_url": join_url,
        "join_qr": invite.join_qr_svg(join_url, title=_("扫码加入“%(name)s”") % {"name": group.name}),
    }
    return render(request, "groups/detail.html", context, status=status)


@require_GET
def group_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A trainer's page for the group: learners, trainers, invite code, assignments."""
    return _group_page(request, people.managed_group(request.user, pk))


@require_POST
def invitation_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Invite a learner (or a co-trainer) by login name: they join only if they accept."""
    group = people.managed_group(request.user, pk)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = people_services.invitation_create(group=group, invited_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("username", error)
        else:
            messages.success(
                request,
                _("已邀请 %(name)s（%(role)s），对方接受后才会加入小组。")
                % {"name": display_name(invitation.user), "role": invitation.get_role_display()},
            )
            return redirect(group)
    return _group_page(request, group, invite_form=form, status=400)


@require_POST
def invitation_cancel(request: AuthenticatedHttpRequest, pk: int, invitation_id: int) -> HttpResponse:
    """Withdraw a pending invitation (the page asks first)."""
    group = people.managed_group(request.user, pk)
    try:
        invitation = people_services.invitation_cancel(group=group, invitation_id=invitation_id)
    except Invitation.DoesNotExist:
        messages.error(request, _("这份邀请不存在，或已经处理过了。"))
    else:
        messages.success(request, _("已撤回对 %(name)s 的邀请。") % {"name": display_name(invitation.user)})
    return redirect(group)


@require_GET
@vary_on_headers("HX-Request")
def my_invitations(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The invitations waiting for the user's answer, with what joining means; htmx (the dashboard)
    asks for the list alone, which is empty when there are none."""
    context = {"invitations": list(people.pending_invitations(request.user))}
    return render_page(request, Page("groups/invitations.html", context, partial="invitations"))


@require_POST
def invitation_accept(request: AuthenticatedHttpRequest, invitation_id: int) -> HttpResponse:
    """Accept one's own invitation: join the group from now on."""
    try:
        membership = people_services.invitation_accept(invitation_id=invitation_id, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("groups:invitations")
    messages.success(request, _("已加入学习小组“%(name)s”。") % {"name": membership.group.name})
    return redirect("groups:list")


@require_POST
def invitation_decline(request: AuthenticatedHttpRequest, invitation_id: int) -> HttpResponse:
    """Decline one's own invitation: nothing is shared."""
    try:
        invitation = people_services.invitation_decline(invitation_id=invitation_id, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已谢绝“%(name)s”的邀请。") % {"name": invitation.group.name})
    return redirect("groups:invitations")


@require_POST
def group_member_remove(request: AuthenticatedHttpRequest, pk: int, user_id: int) -> HttpResponse:
    group = people.managed_group(request.user, pk)
    try:
        people_services.group_member_remove(group=group, user_id=user_id)
    except Membership.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已移出小组。"))
    return redirect(group)


@require_POST
def group_invite_regenerate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A new invite code; the old one stops working."""
    group = people.managed_group(request.user, pk)
    people_services.group_invite_regenerate(group=group)
    messages.success(request, _("已生成新的邀请码，旧邀请码已失效。"))
    return redirect(group)


@require_GET
def group_member(request: AuthenticatedHttpRequest, pk: int, user_id: int) -> HttpResponse:
    """One learner of the group, for its trainers: their assignments in this group and their current
    mastery by task (quizzes/visibility.py: nothing of their practice)."""
    group = visibility.group_seen(request.user, pk)
    membership = visibility.learner_seen(group, user_id)
    _time_out_group(group)
    tasks = progress.learner_task_mastery(membership.user)
    context = {
        "group": group,
        "membership": membership,
        "name": display_name(membership.user),
        "rows": selectors.member_assignment_rows(request.user, group, membership.user),
        "tasks": tasks,
    }
    return render(request, "groups/member.html", context)


def _time_out_group(group: StudyGroup) -> None:
    """The group's attempts whose time is up recorded as such (超时) before they are counted."""
    quiz_services.attempts_time_out(Attempt.objects.filter(assignment__group=group))


# --- Assignments -----------------------------------------------------------------------------------


def _assignment_form(data: object = None) -> AssignmentForm:
    now = timezone.localtime().replace(second=0, microsecond=0)
    initial = {"opens_at": now, "closes_at": now + timedelta(days=7)}
    return AssignmentForm(data, initial=initial, scope_choices=quiz_selectors.scope_choices(documents.active_outline()))


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def assignment_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The form to set a quiz for the group. “预览题目” lists the scope's questions to pick from (for a
    fixed set); “布置” saves it."""
    group = people.managed_group(request.user, pk)
    form = _assignment_form(request.POST if request.method == "POST" else None)
    context = {"group": group, "form": form, "candidates": None, "picked": []}
    if request.method == "GET":
        return render(request, "groups/assignment_form.html", context)
    form.is_valid()  # fills cleaned_data with what is valid, for the preview too
    context["picked"] = [str(pk) for pk in request.POST.getlist("questions")]
    if request.POST.get("action") == "preview":
        try:
            context["candidates"] = selectors.assignment_candidates(**form.scope_arguments())
        except ValidationError as error:
            context["preview_error"] = " ".join(error.messages)
        return render_page(request, Page("groups/assignment_form.html", context, partial="preview"))
    if form.is_valid():
        try:
            assignment = services.assignment_create(group=group, created_by=request.user, **form.create_arguments())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已布置测验“%(title)s”。") % {"title": assignment.title})
            return redirect(group)
    if form.data.get("mode") == Assignment.Mode.FIXED:
        # The trainer's picks stay on screen to correct; a bad scope is reported by the form already.
        with contextlib.suppress(ValidationError):
            context["candidates"] = selectors.assignment_candidates(**form.scope_arguments())
    return render(request, "groups/assignment_form.html", context, status=400)


@require_GET
@vary_on_headers("HX-Request")
def my_assignments(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The learner's assignments: open, upcoming and closed, with their own result. htmx (the
    dashboard) asks for the list alone."""
    quiz_services.attempts_time_out(Attempt.objects.for_user(request.user))  # shown as finished (超时)
    context = {"sections": selectors.learner_assignments(request.user)}
    return render_page(request, Page("groups/assignments.html", context, partial="assigned"))


@require_POST
def assignment_start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Start the learner's attempt at the assignment, or go back to it (or to its result)."""
    try:
        assignment = selectors.learner_assignment(request.user, pk)
    except Assignment.DoesNotExist:
        raise Http404("没有这次测验") from None
    try:
        attempt = services.assignment_start(assignment=assignment, user=request.user)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return redirect("groups:assignments")
    if attempt.is_closed_at(timezone.now()):
        return redirect("quizzes:result", pk=attempt.pk)
    return redirect(attempt)


# --- The group report --------------------------------------------------------------------------------


def _member_report(request: AuthenticatedHttpRequest, pk: int) -> tuple[StudyGroup, MemberReport]:
    group = visibility.group_seen(request.user, pk)
    _time_out_group(group)
    filter = ReportFilter.from_query(request.GET)
    report = reports.member_report(viewer=request.user, group=group, filter=filter)
    if filter.assignment.isdigit() and report.chosen is None:
        raise Http404("这个小组没有这次测验")  # e.g. another group's assignment
    return group, report


@require_GET
@vary_on_headers("HX-Request")
def group_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Members with score, completion, last activity and mastery (sortable, filterable) and the heatmap;
    htmx asks for the member region alone. The scores over time with the per-question analysis, and the
    integrity signals, read every answer they analyse: the page loads them after itself
    (group_report_analysis, group_report_integrity; a plain link without JavaScript)."""
    group, report = _member_report(request, pk)
    context = {
        "group": group,
        "report": report,
        "task_means": reports.task_means(report),
        "roles": Profile.Role.choices,
        "states": STATE_CHOICES,
    }
    if partial_wanted(request):
        return render(request, "groups/report.html#members", context)
    return render(request, "groups/report.html", context)


def _report_part(request: AuthenticatedHttpRequest, pk: int) -> tuple[StudyGroup, ReportFilter, Assignment | None]:
    """The group, the report's filter and its chosen assignment (404 when it is not the group's), the
    group's attempts whose time is up recorded first: two queries, three with an assignment chosen."""
    group = visibility.group_seen(request.user, pk)
    _time_out_group(group)
    filter = ReportFilter.from_query(request.GET)
    chosen = None
    if filter.assignment.isdigit():
        chosen = Assignment.objects.filter(group=group, pk=int(filter.assignment)).first()
        if chosen is None:
            raise Http404("这个小组没有这次测验")
    return group, filter, chosen


@require_GET
@vary_on_headers("HX-Request")
def group_report_analysis(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The report's scores over time and per-question analysis (of the assignments, or of the practice
    when asked): the fragment the report page loads, or a page of its own without JavaScript."""
    group, filter, chosen = _report_part(request, pk)
    chart_and_questions = analysis.report_analysis(viewer=request.user, group=group, assignment=filter.analysis_scope)
    context = {"group": group, "filter": filter, "chosen": chosen, "part": "analysis"}
    context["analysis"], context["chart"] = chart_and_questions
    return render_page(request, Page("groups/report_part.html", context, partial="analysis"))


@require_GET
@vary_on_headers("HX-Request")
def group_report_integrity(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The integrity signals of the group's assignments (or the chosen one): the fragment the report
    page loads, or a page of its own without JavaScript."""
    group, filter, chosen = _report_part(request, pk)
    context = {
        "group": group,
        "filter": filter,
        "chosen": chosen,
        "part": "integrity",
        "signals": integrity.integrity_signals(viewer=request.user, group=group, assignment=filter.assignment),
        "reading_speed": int(integrity.READING_CHARS_PER_SECOND),
        "min_timed": integrity.MIN_TIMED_ANSWERS,
        "min_shared": integrity.MIN_SHARED,
    }
    return render_page(request, Page("groups/report_part.html", context, partial="integrity"))


def _filename(group: StudyGroup, extension: str) -> str:
    return f"group-{group.pk}-report-{timezone.localdate():%Y%m%d}.{extension}"


@require_GET
def group_export_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The member table (all rows matching the filter, in its order) as CSV for Excel."""
    group, report = _member_report(request, pk)
    response = HttpResponse(exports.members_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(group, "csv")}"'
    return response


@require_GET
def group_export_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The member table and the per-question analysis as a workbook of two sheets."""
    group, report = _member_report(request, pk)
    stats = analysis.question_analysis(viewer=request.user, group=group, assignment=report.filter.analysis_scope)
    response = HttpResponse(exports.report_xlsx(report, stats), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(group, "xlsx")}"'
    return response
