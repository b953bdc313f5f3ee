"""Study groups: the list, creating one, joining with an invite code, a trainer's page for a group
(members, invite code, assignments) and one learner's results in it.

A group's pages answer 404 to anyone who neither trains it nor is an admin.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quizzes import assignments as quiz_assignments
from quizzes import progress

from . import selectors, services
from .forms import JoinForm, MemberAddForm, StudyGroupForm
from .models import Membership, StudyGroup, display_name, is_admin, is_trainer


@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    """The groups the user trains (all of them for an admin) and those they learn in."""
    can_create = is_trainer(request.user)
    context = {
        "managed": list(selectors.managed_groups(request.user)) if can_create else [],
        "joined": list(selectors.joined_groups(request.user)),
        "can_create": can_create,
        "form": StudyGroupForm(),
        "join_form": JoinForm(),
    }
    return render(request, "groups/list.html", context)


@require_POST
def group_create(request: HttpRequest) -> HttpResponse:
    if not is_trainer(request.user):
        raise PermissionDenied
    form = StudyGroupForm(request.POST)
    if form.is_valid():
        group = services.group_create(trainer=request.user, **form.cleaned_data)
        messages.success(request, _("已创建学习小组“%(name)s”。") % {"name": group.name})
        return redirect(group)
    context = {
        "managed": list(selectors.managed_groups(request.user)),
        "joined": list(selectors.joined_groups(request.user)),
        "can_create": True,
        "form": form,
        "join_form": JoinForm(),
    }
    return render(request, "groups/list.html", context, status=400)


@require_http_methods(["GET", "POST"])
def group_join(request: HttpRequest) -> HttpResponse:
    """A learner types the invite code a trainer gave them (or follows a link that carries it)."""
    if request.method == "POST":
        form = JoinForm(request.POST)
        if form.is_valid():
            try:
                membership = services.group_join(code=form.cleaned_data["code"], user=request.user)
            except ValidationError as error:
                form.add_error("code", error)
            else:
                messages.success(request, _("已加入学习小组“%(name)s”。") % {"name": membership.group.name})
                return redirect("home")
        return render(request, "groups/join.html", {"form": form}, status=400)
    form = JoinForm(initial={"code": request.GET.get("code", "")[:40]})
    return render(request, "groups/join.html", {"form": form})


def _group_page(
    request: HttpRequest, group: StudyGroup, *, add_form: MemberAddForm | None = None, status: int = 200
) -> HttpResponse:
    trainers, learners = selectors.group_people(group)
    context = {
        "group": group,
        "trainers": trainers,
        "learners": learners,
        "assignments": quiz_assignments.group_assignment_rows(group),
        "add_form": add_form or MemberAddForm(),
        "can_add_trainer": is_admin(request.user) or any(m.user_id == request.user.pk for m in trainers),
        "join_url": request.build_absolute_uri(f"{reverse('quizzes:group_join')}?code={group.invite_code}"),
    }
    return render(request, "groups/detail.html", context, status=status)


@require_GET
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A trainer's page for the group: learners, trainers, invite code, assignments."""
    return _group_page(request, selectors.managed_group(request.user, pk))


@require_POST
def group_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a learner (or a co-trainer) by login name."""
    group = selectors.managed_group(request.user, pk)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        try:
            membership = services.group_member_add(group=group, added_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("username", error)
        else:
            messages.success(
                request,
                _("已把 %(name)s 加入小组（%(role)s）。")
                % {"name": display_name(membership.user), "role": membership.get_role_display()},
            )
            return redirect(group)
    return _group_page(request, group, add_form=form, status=400)


@require_POST
def group_member_remove(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    group = selectors.managed_group(request.user, pk)
    try:
        services.group_member_remove(group=group, user_id=user_id)
    except Membership.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已移出小组。"))
    return redirect(group)


@require_POST
def group_invite_regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    """A new invite code; the old one stops working."""
    group = selectors.managed_group(request.user, pk)
    services.group_invite_regenerate(group=group)
    messages.success(request, _("已生成新的邀请码，旧邀请码已失效。"))
    return redirect(group)


@require_GET
def group_member(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    """One learner of the group, for its trainers: their assignments in this group and mastery by task."""
    group = selectors.managed_group(request.user, pk)
    membership = selectors.group_learner(group, user_id)
    tasks = progress.learner_task_mastery(membership.user)
    context = {
        "group": group,
        "membership": membership,
        "name": display_name(membership.user),
        "rows": quiz_assignments.member_assignment_rows(group, membership.user),
        "tasks": tasks,
    }
    return render(request, "groups/member.html", context)
