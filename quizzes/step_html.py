"""The quiz step and a question's feedback as HTML: Jinja2 templates (templates/jinja2/quizzes/,
studyapp/jinja.py) rendered on every step and every answer, where Django's template engine cost
most of the request. The pages around them stay Django templates: the quiz page shows the step,
the review and the wrong-answer book show feedback through the `feedback_html` and `recorded_html`
tags (quizzes/templatetags/feedback_tags.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.safestring import SafeString

from studyapp import jinja
from studyapp.http import HtmxHttpRequest, Page, csrf_token_masked, partial_wanted, render_page

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
    return jinja.render(template_name, context)
