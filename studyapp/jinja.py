"""The Jinja2 environment of the few templates rendered on every step of a quiz (settings.TEMPLATES,
the "jinja2" engine; templates in templates/jinja2/, rendered by render()): the question's step and
its feedback, where Django's template engine cost most of the request (2–3 µs a variable, 6–7 µs a
translated text).

Written to give exactly what the Django templates they replaced gave: every `{{ … }}` is escaped as
Django's conditional_escape escapes it (the same entities; Django's safe strings pass as they are), a
missing attribute renders as nothing, the file's last newline is kept, numbers are not localised
(the step was rendered under `{% localize off %}`). Available to the templates:

* `_("…")`: gettext in the language in force, looked up once per process for each language and text;
  `_("第 %(n)s 题") % {…}` as `{% blocktranslate %}` does;
* `url(name, *args, **kwargs)`: `{% url %}` (studyapp.reversing.reverse_cached);
* the filter `truncatechars`: Django's.

The language, URLconf and script prefix are read once per rendering (render()), not for each text or
URL: reading the thread's state costs a few µs each time.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial
from typing import Any

import jinja2
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import engines
from django.template.defaultfilters import truncatechars
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from .reversing import reverse_cached, url_context

_TRANSLATED: dict[str | None, dict[str, str]] = {}  # language → message → translation


def render(template_name: str, context: dict[str, Any]) -> SafeString:
    """The template `template_name` of the "jinja2" engine rendered with `context` (it escapes what it shows)."""
    template = engines["jinja2"].get_template(template_name).template  # type: ignore[attr-defined]
    where = url_context()
    return mark_safe(template.render({**context, "_": translator(where[2]), "url": partial(url, where=where)}))


def translator(language: str | None) -> Callable[[str], str]:
    """gettext for `language` (the one in force), each text looked up once per process."""
    table = _TRANSLATED.get(language)
    if table is None:
        table = _TRANSLATED[language] = {}

    def translate(message: str) -> str:
        text = table.get(message)
        if text is None:
            text = table[message] = gettext(message)
        return text

    return translate


def url(viewname: str, *args: Any, where: tuple[str, str, str | None] | None = None, **kwargs: Any) -> str:
    return reverse_cached(viewname, args=args, kwargs=kwargs or None, where=where)


def shown(value: Any) -> str:
    """A value as `{{ value }}` shows it: conditional_escape(value), with the common cases first."""
    kind = type(value)
    if kind is str:
        return html.escape(value)  # what django.utils.html.escape does
    if kind is int:
        return str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return conditional_escape(value)


def environment(**options: Any) -> jinja2.Environment:
    options.update(autoescape=False, finalize=shown, keep_trailing_newline=True)
    options["undefined"] = jinja2.ChainableUndefined  # renders as nothing, its attributes too, as in Django's
    env = jinja2.Environment(**options)  # finalize escapes every output, as Django does
    env.globals.update(_=lambda message: translator(get_language())(message), url=url)
    env.filters["truncatechars"] = truncatechars
    return env


@receiver(setting_changed)
def _language_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in {"LANGUAGE_CODE", "LANGUAGES", "LOCALE_PATHS"}:
        _TRANSLATED.clear()
