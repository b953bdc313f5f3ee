"""The reader: the table of contents and one section at a time, with the learner's progress beside
each heading (reported by whichever app keeps it, through signals.reader_opened)."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from studyapp.http import HtmxHttpRequest, Page, render_page

from . import selectors
from .models import DocumentVersion
from .selectors import OutlineEntry
from .signals import HeadingProgress, reader_progress


def _active_version() -> DocumentVersion:
    version = selectors.active_version()
    if version is None:
        raise Http404("尚未导入学习文件")
    return version


@require_GET
@vary_on_headers("HX-Request")
def table_of_contents(request: HtmxHttpRequest) -> HttpResponse:
    version = _active_version()
    outline = selectors.document_outline(version)
    progress = _progress(request, version, outline)
    context = {"version": version, "outline": outline, "mastery": progress}
    return render_page(request, Page("documents/toc.html", context, partial="reader"))


@require_GET
@vary_on_headers("HX-Request")
def section(request: HtmxHttpRequest, key: str) -> HttpResponse:
    version = _active_version()
    outline = selectors.document_outline(version)
    section = selectors.document_section(version, key, outline)
    progress = _progress(request, version, outline)
    context = {"version": version, "outline": outline, "section": section, "mastery": progress}
    return render_page(request, Page("documents/section.html", context, partial="reader"))


def _progress(
    request: HtmxHttpRequest, version: DocumentVersion, outline: list[OutlineEntry]
) -> dict[int, HeadingProgress]:
    if not request.user.is_authenticated:
        return {}
    return reader_progress(user=request.user, version=version, outline=outline)
