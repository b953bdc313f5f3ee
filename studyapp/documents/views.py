"""The reader: the table of contents and one section at a time, with the learner's progress beside
each heading (reported by whichever app keeps it, through signals.reader_opened); searching the text;
the reader's bookmarks."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from studyapp.http import AuthenticatedHttpRequest, HtmxHttpRequest, Page, partial_wanted, render_page

from . import bookmarks, search, selectors
from .models import Bookmark, DocumentVersion
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
    context = {"version": version, "outline": outline, "mastery": progress, **_bookmarks(request)}
    return render_page(request, Page("documents/toc.html", context, partial="reader"))


@require_GET
@vary_on_headers("HX-Request")
def section(request: HtmxHttpRequest, key: str) -> HttpResponse:
    version = _active_version()
    outline = selectors.document_outline(version)
    section = selectors.document_section(version, key, outline)
    progress = _progress(request, version, outline)
    context = {"version": version, "outline": outline, "section": section, "mastery": progress, **_bookmarks(request)}
    return render_page(request, Page("documents/section.html", context, partial="reader"))


def _progress(
    request: HtmxHttpRequest, version: DocumentVersion, outline: list[OutlineEntry]
) -> dict[int, HeadingProgress]:
    if not request.user.is_authenticated:
        return {}
    return reader_progress(user=request.user, version=version, outline=outline)


def _bookmarks(request: HtmxHttpRequest) -> dict[str, object]:
    """The text keys the reader bookmarked (the lines shown marked) and how many there are."""
    keys = bookmarks.bookmarked_text_keys(request.user) if request.user.is_authenticated else set()
    return {"bookmarked": keys, "bookmark_count": len(keys)}


@require_GET
@vary_on_headers("HX-Request")
def document_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Lines and headings of the active version holding the words asked for; for htmx, the hits alone."""
    version = _active_version()
    result = search.document_search(version=version, query=request.GET.get("q", ""))
    context = {"version": version, "result": result}
    return render_page(request, Page("documents/search.html", context, partial="results"))


@require_GET
def bookmark_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The reader's own bookmarks, each as the active version has it now."""
    version = _active_version()
    entries = bookmarks.bookmark_list(user=request.user, version=version)
    return render(request, "documents/bookmarks.html", {"version": version, "entries": entries})


@require_POST
def bookmark_toggle(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Bookmark a line or heading of the active version, or take the bookmark away; for htmx, the
    button as it is now (and the count beside the outline), else back to the line."""
    version = _active_version()
    node, marked = bookmarks.bookmark_toggle(user=request.user, version=version, key=request.POST.get("key", ""))
    if partial_wanted(request):
        keys = bookmarks.bookmarked_text_keys(request.user)
        context = {"node": node, "bookmarked": keys, "bookmark_count": len(keys), "oob": True}
        return render(request, "documents/_bookmark.html", context)
    headings = {node.parent_id: node.parent} if node.parent_id and node.parent else {}
    return redirect(search.line_url(node, headings))


@require_http_methods(["GET", "POST"])
def bookmark_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Ask, then remove one of the reader's bookmarks (another's is not found)."""
    bookmark = get_object_or_404(Bookmark.objects.for_user(request.user), pk=pk)
    if request.method == "POST":
        bookmark.delete()
        return redirect("documents:bookmarks")
    return render(request, "documents/bookmark_remove.html", {"bookmark": bookmark})
