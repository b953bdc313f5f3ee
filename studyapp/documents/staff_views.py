"""Staff pages: upload a new version, preview what it changes, confirm and activate or roll back, delete.

Activating or rolling back replaces what every learner reads and regenerates the question bank, so
the preview's button leads to a confirmation page (POST) that says what will happen, in the figures
the activation then reports."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from studyapp.http import AuthenticatedHttpRequest, staff_required

from . import selectors
from .change_marks import change_marks
from .forms import DocumentUploadForm, VersionActivateForm
from .log_sentences import log_sentence
from .models import Document, DocumentVersion
from .parsing import DocumentFormatError
from .services import document_import, version_activate, version_delete, version_delete_refusal
from .signals import QuestionChange, preview_changes

# Read by the people who run the site: in Chinese, as the rest of what staff see.
logger = logging.getLogger(__name__)


def _document() -> Document:
    document = Document.objects.order_by("pk").first()
    if document is None:
        raise Http404("尚未导入学习文件")
    return document


def _versions_page(request: AuthenticatedHttpRequest, form: DocumentUploadForm, status: int = 200) -> HttpResponse:
    document = Document.objects.order_by("pk").first()
    context = {
        "form": form,
        "document": document,
        "versions": selectors.version_history(document.pk) if document else [],
        "log": [(entry, log_sentence(entry)) for entry in selectors.import_log(document.pk)] if document else [],
    }
    return render(request, "documents/staff/versions.html", context, status=status)


@require_GET
@staff_required
def versions(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _versions_page(request, DocumentUploadForm())


@require_POST
@staff_required
def upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DocumentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _versions_page(request, form, status=400)
    upload = form.cleaned_data["source"]
    try:
        result = document_import(source=upload.read(), source_name=upload.name, user=request.user)
    except DocumentFormatError as error:
        form.add_error("source", str(error))
        return _versions_page(request, form, status=400)
    version = result.version
    assert version is not None  # only a dry run imports no version
    logger.info(
        "%s 导入了《%s》（%s）：版本 v%d", request.user.get_username(), version.title, upload.name, version.number
    )
    if result.duplicate_of:
        messages.info(request, f"与已有版本 v{result.duplicate_of.number} 内容相同，未新建版本。")
    elif result.activated:
        messages.success(request, f"已导入并启用版本 v{version.number}。")
    else:
        messages.success(request, f"已导入版本 v{version.number}，请检查差异后启用。")
    if result.title_changed_from and not version.is_active:
        messages.warning(
            request,
            f"注意：标题《{version.title}》与当前版本的《{result.title_changed_from}》不同，可能是另一份文件。",
        )
    return redirect("documents:version", number=version.number)


def _activate_form(version: DocumentVersion, active: DocumentVersion | None, data=None) -> VersionActivateForm:
    active_title = active.title if active is not None and active.pk != version.pk else ""
    return VersionActivateForm(data, title=version.title, active_title=active_title)


def _version_page(
    request: AuthenticatedHttpRequest,
    version: DocumentVersion,
    form: VersionActivateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    active = version.document.versions.filter(is_active=True).first()
    diff = selectors.version_diff(version)
    context = {
        "version": version,
        "active": active,
        "diff": diff,
        "changed": [(old, new, *change_marks(old.text, new.text)) for old, new in diff.changed],
        "counts": diff.counts(),
        "bank": None if version.is_active else preview_changes(version=version),
        "form": form or _activate_form(version, active),
    }
    return render(request, "documents/staff/version.html", context, status=status)


@require_GET
@staff_required
def version_detail(request: AuthenticatedHttpRequest, number: int) -> HttpResponse:
    return _version_page(request, get_object_or_404(DocumentVersion, document=_document(), number=number))


@require_POST
@staff_required
def confirm(request: AuthenticatedHttpRequest, number: int) -> HttpResponse:
    """The step before activating or rolling back: what will happen (the version learners will read,
    the questions created, kept, retired and reactivated), and the button that does it."""
    version = get_object_or_404(DocumentVersion, document=_document(), number=number)
    if version.is_active:
        messages.info(request, f"版本 v{number} 已是当前版本。")
        return redirect("documents:versions")
    active = version.document.versions.filter(is_active=True).first()
    form = _activate_form(version, active, request.POST)
    if not form.is_valid():
        return _version_page(request, version, form, status=400)
    context = {
        "version": version,
        "active": active,
        "rollback": active is not None and active.number > version.number,
        "bank": preview_changes(version=version),
        "form": form,
    }
    return render(request, "documents/staff/confirm.html", context)


@require_POST
@staff_required
def activate(request: AuthenticatedHttpRequest, number: int) -> HttpResponse:
    version = get_object_or_404(DocumentVersion, document=_document(), number=number)
    if version.is_active:
        messages.info(request, f"版本 v{number} 已是当前版本。")
        return redirect("documents:versions")
    form = _activate_form(version, version.document.versions.filter(is_active=True).first(), request.POST)
    if not form.is_valid():
        return _version_page(request, version, form, status=400)
    try:
        entry = version_activate(version=version, user=request.user)
    except ValidationError as error:
        form.add_error(None, error)
        return _version_page(request, version, form, status=400)
    change = QuestionChange.from_log(entry.counts)
    logger.info("%s %s", request.user.get_username(), log_sentence(entry))
    messages.success(
        request,
        f"已{entry.get_action_display()}到版本 v{number}：新增题目 {change.created}，"
        f"恢复 {change.reactivated}，保留 {change.kept}，停用 {change.retired}。",
    )
    return redirect("documents:versions")


@require_http_methods(["GET", "POST"])
@staff_required
def delete(request: AuthenticatedHttpRequest, number: int) -> HttpResponse:
    """GET asks first (or says why the version cannot go); POST deletes it and logs it."""
    version = get_object_or_404(DocumentVersion.objects.defer("source_text"), document=_document(), number=number)
    if request.method == "POST":
        try:
            entry = version_delete(version=version, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("documents:versions")
        logger.info("%s %s", request.user.get_username(), log_sentence(entry))
        messages.success(request, f"已删除版本 v{number}（{version.source_name}）。")
        return redirect("documents:versions")
    context = {"version": version, "refusal": version_delete_refusal(version)}
    return render(request, "documents/staff/version_delete.html", context)
