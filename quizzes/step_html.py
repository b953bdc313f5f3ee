"""The quiz step and a question's feedback as HTML: Jinja2 templates (templates/jinja2/quizzes/,
studyapp/jinja.py) rendered on every step and every answer, where Django's template engine cost
most of the request. The pages around them stay Django templates: the quiz page shows the step,
the review and the wrong-answer book show feedback through the `feedback_html` and `recorded_html`
tags (quizzes/templatetags/feedback_tags.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.safestring import SafeString

from studyapp import jinja
from studyapp.http import HtmxHttpRequest, Page, csrf_token_masked, partial_wanted, render_page
from studyapp.memo import ProcessMemo
from studyapp.reversing import url_context

if TYPE_CHECKING:
    from .selectors import SourceLine

STEP_PAGE = "quizzes/take.html"  # its partial `step` shows the context's `step`


def step_response(request: HtmxHttpRequest, page: Page) -> HttpResponse:
    """`page` (selectors.step_page) as render_page gives it: the step alone for htmx, else the quiz page
    around it. A page of another template (a problem with the step) is rendered as it is."""
    if page.template != STEP_PAGE:
        return render_page(request, page)
    step = rendered("quizzes/step.html", {**page.context, "csrf_token": csrf_token_masked(request)})
    if partial_wanted(request):
        return HttpResponse(step)  # htmx swaps only 2xx responses: a refused answer's form shows too
    return render_page(request, Page(page.template, {**page.context, "step": step}, page.partial, page.status))


def rendered(template_name: str, context: dict[str, Any]) -> SafeString:
    """The Jinja2 template `template_name` rendered with `context` (it escapes what it shows)."""
    return jinja.render(template_name, {**context, "source_lines": source_lines_html})


def source_lines_html(sources: Sequence[SourceLine]) -> SafeString:
    """The source lines under a feedback, the key marked (templates/jinja2/quizzes/_sources.html):
    rendered once per process for each set of lines as shown. The key is all the template shows of
    them — a line's text as marked, its key, whether it is a heading, its section's key and title —
    with the language, URLconf and script prefix, so an entry holds for every learner given the
    question, and another text (a new version, an edited key) is another entry."""
    key = (
        *url_context(),
        *(
            (
                tuple((segment.text, segment.marked) for segment in source.segments),
                source.node.key,
                source.node.is_heading,
                *((source.node.parent.key, source.node.parent.display_title) if source.node.parent else ()),
            )
            for source in sources
        ),
    )
    return _SOURCES.get(key, lambda: jinja.render("quizzes/_sources.html", {"sources": sources}))


SOURCES_MAX = 4096  # questions' sets of lines: the bank's size at most for one version
_SOURCES: ProcessMemo[SafeString] = ProcessMemo(SOURCES_MAX)


STEP_TEMPLATES = ("quizzes/step.html", "quizzes/_feedback.html", "quizzes/_recorded.html", "quizzes/_sources.html")


def templates_load() -> None:
    """Load (parse and compile) the templates of every step and feedback: the Jinja2 ones, the quiz
    page and each kind's form. gunicorn's master does it once before forking (studyapp.warmup), so that
    no worker, nor one started again after `max_requests`, spends its first requests compiling them."""
    from django.template import engines

    from .core.kinds import KINDS

    for name in STEP_TEMPLATES:
        engines["jinja2"].get_template(name)
    for name in (STEP_PAGE, *(kind.form_template for kind in KINDS.values())):
        engines["django"].get_template(name)


def step_html_forget() -> None:
    """Empty this process's rendered source lines (tests)."""
    _SOURCES.clear()


@receiver(setting_changed)
def _setting_changed(**kwargs: Any) -> None:
    step_html_forget()
