"""`{% feedback_html feedback %}` and `{% recorded_html recorded %}`: a question's feedback, or the answer
recorded while its key is hidden, as the quiz step shows them (Jinja2 templates, quizzes/step_html.py)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from ..selectors import Feedback, Recorded
from ..step_html import rendered

register = template.Library()


@register.simple_tag
def feedback_html(feedback: Feedback) -> SafeString:
    return rendered("quizzes/_feedback.html", {"feedback": feedback})


@register.simple_tag
def recorded_html(recorded: Recorded, when_shown: str = "") -> SafeString:
    return rendered("quizzes/_recorded.html", {"recorded": recorded, "when_shown": when_shown})
