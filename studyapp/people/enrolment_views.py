"""Staff pages for bulk enrolment (upload → preview → import → the codes sheet, once; re-issuing one
person's code) and the first sign-in with an activation code. The work is in enrolment.py and
activation.py; these only read forms and render."""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from studyapp.http import AuthenticatedHttpRequest, Page, render_page, staff_required

from . import enrolment as service
from .activation import ActivationForm, activation_reissue, activation_use
from .models import EnrolmentImport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 100
ORGANISATIONS_LISTED = 50


def _download(content: bytes, filename: str) -> HttpResponse:
    return HttpResponse(
        content,
        content_type=XLSX,
        headers={"Content-Disposition": content_disposition_header(as_attachment=True, filename=filename)},
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("人员名单文件"),
        help_text=f"Excel（.xlsx）或 CSV（UTF-8 或 GBK），不超过 {service.MAX_BYTES // (1024 * 1024)} MB、{service.MAX_ROWS} 人。",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        error_messages={"required": "请选择要上传的文件。", "empty": "文件是空的。"},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > service.MAX_BYTES:
            raise ValidationError(f"文件超过 {service.MAX_BYTES // (1024 * 1024)} MB，请拆分后再导入。")
        return upload


@require_http_methods(["GET", "POST"])
@staff_required
def enrolment_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            enrolment, _checked = service.enrolment_upload(
                data=upload.read(), filename=upload.name or "", user=request.user
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("enrolment_detail", pk=enrolment.pk)
    recent = EnrolmentImport.objects.filter(uploaded_by=request.user).defer("data", "codes")[:10]
    context = {"form": form, "recent": recent, "max_rows": service.MAX_ROWS}
    return render(request, "people/enrolment.html", context, status=400 if form.errors else 200)


@require_GET
@staff_required
def enrolment_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _download(service.template_workbook(), "人员导入模板.xlsx")


def _own(request: AuthenticatedHttpRequest, pk: int) -> EnrolmentImport:
    """The signed-in admin's own import (the codes in it are theirs to hand out), else 404."""
    return get_object_or_404(EnrolmentImport.objects.defer("data"), pk=pk, uploaded_by=request.user)


@require_GET
@staff_required
@never_cache
def enrolment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrolment = _own(request, pk)
    Status = EnrolmentImport.Status
    context: dict[str, Any] = {
        "enrolment": enrolment,
        "Status": Status,
        "background": service.in_background(enrolment),
        "stale": service.is_stale(enrolment),
        "processed": service.LIVE_PROGRESS.get(enrolment.pk, enrolment.processed),
        "codes_count": len(enrolment.codes),
    }
    if enrolment.status == Status.CHECKED:
        checked = service.enrolment_check(EnrolmentImport.objects.get(pk=enrolment.pk))
        only_bad = request.GET.get("show") == "bad"
        rows = checked.refused if only_bad else checked.rows
        context.update(
            checked=checked,
            only_bad=only_bad,
            page=Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
            new_count=checked.count(service.NEW),
            update_count=checked.count(service.UPDATE),
            refused_count=len(checked.refused),
            organisations=["/".join(path) for path in checked.new_organisations[:ORGANISATIONS_LISTED]],
            organisations_more=max(0, len(checked.new_organisations) - ORGANISATIONS_LISTED),
            first_errors=checked.refused[:20],
        )
    if enrolment.rows:
        context["percent"] = min(100, round(100 * context["processed"] / enrolment.rows))
    return render_page(request, Page("people/enrolment_detail.html", context, partial="status"))


@require_POST
@staff_required
def enrolment_apply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrolment = _own(request, pk)
    try:
        enrolment = service.enrolment_start(enrolment=enrolment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if enrolment.status == EnrolmentImport.Status.DONE:
            messages.success(
                request,
                f"导入完成：新建 {enrolment.created} 人，更新 {enrolment.updated} 人。",
            )
        elif enrolment.status == EnrolmentImport.Status.FAILED:
            messages.error(request, enrolment.message)
    return redirect("enrolment_detail", pk=enrolment.pk)


@require_POST
@staff_required
def enrolment_codes(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrolment = _own(request, pk)
    if request.POST.get("confirm") != "1":
        messages.error(request, "请先勾选“我知道激活码表只能下载一次”。")
        return redirect("enrolment_detail", pk=enrolment.pk)
    try:
        sheet = service.codes_take(enrolment=enrolment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("enrolment_detail", pk=enrolment.pk)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _download(sheet, f"激活码-{stamp}.xlsx")


class ReissueForm(forms.Form):
    username = forms.CharField(label="登录名", max_length=150, error_messages={"required": "请填写登录名。"})
    confirm = forms.BooleanField(
        label="我知道此人原来的激活码将失效", error_messages={"required": "请先勾选确认：原来的激活码将失效。"}
    )


@require_http_methods(["GET", "POST"])
@staff_required
@never_cache
def enrolment_reissue(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ReissueForm(request.POST or None, initial={"username": request.GET.get("login", "")})
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            user, code = activation_reissue(username=form.cleaned_data["username"])
        except ValidationError as error:
            form.add_error("username", error)
        else:
            context.update(person=user, code=service.code_display(code), form=ReissueForm())
    return render(request, "people/reissue.html", context, status=400 if form.errors else 200)


# --- First sign-in ------------------------------------------------------------------------------------


def _failure_recorded(request: HttpRequest, username: str) -> None:
    """Count a wrong code as a failed login for django-axes (its lockouts apply to this page too). The
    POST it logs holds the login alone: not the code, not the new passwords."""
    posted = request.POST
    safe = QueryDict(mutable=True)
    safe["username"] = username
    request.POST = safe  # type: ignore[assignment]
    try:
        user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    finally:
        request.POST = posted


@login_not_required
@sensitive_post_parameters("code", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
@never_cache
def activate(request: HttpRequest) -> HttpResponse:
    form = ActivationForm(request.POST or None)
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        credentials = {"username": username}
        if settings.AXES_ENABLED and not AxesProxyHandler.is_allowed(request, credentials):
            return get_lockout_response(request, None, credentials)
        if form.is_valid() and form.user is not None:
            try:
                user = activation_use(
                    user=form.user, code=form.cleaned_data["code"], password=form.cleaned_data["new_password1"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, "密码已设置，欢迎！以后请用登录名和新密码登录。")
                return redirect(settings.LOGIN_REDIRECT_URL)
        if form.code_wrong:
            _failure_recorded(request, username)
    return render(request, "people/activate.html", {"form": form}, status=400 if form.errors else 200)
