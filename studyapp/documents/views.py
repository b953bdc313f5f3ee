from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from quizzes.progress import heading_mastery

from . import selectors


def _partial_wanted(request: HttpRequest) -> bool:
    # A history-restore request wants the whole page back, not the fragment.
    return bool(request.htmx) and not request.htmx.history_restore_request


def _active_version():
    version = selectors.active_version()
    if version is None:
        raise Http404("尚未导入学习文件")
    return version


@require_GET
@vary_on_headers("HX-Request")
def table_of_contents(request: HttpRequest) -> HttpResponse:
    version = _active_version()
    outline = selectors.document_outline(version)
    template = "documents/toc.html" + ("#reader" if _partial_wanted(request) else "")
    mastery = _mastery(request, version, outline)
    return render(request, template, {"version": version, "outline": outline, "mastery": mastery})


@require_GET
@vary_on_headers("HX-Request")
def section(request: HttpRequest, key: str) -> HttpResponse:
    version = _active_version()
    outline = selectors.document_outline(version)
    section = selectors.document_section(version, key, outline)
    template = "documents/section.html" + ("#reader" if _partial_wanted(request) else "")
    mastery = _mastery(request, version, outline)
    return render(request, template, {"version": version, "outline": outline, "section": section, "mastery": mastery})


def _mastery(request: HttpRequest, version, outline) -> dict:
    # The learner's mastery beside each topic of the outline (one query).
    if not request.user.is_authenticated:
        return {}
    return heading_mastery(user=request.user, version=version, outline=outline)
