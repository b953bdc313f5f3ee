"""The Jinja2 environment of the few templates rendered on every step of a quiz (settings.TEMPLATES,
the "jinja2" engine; templates in templates/jinja2/): the question's step and its feedback, where
Django's template engine cost most of the request (2–3 µs a variable, 6–7 µs a translated text).

Written to give exactly what the Django templates they replaced gave: every `{{ … }}` is escaped by
Django's own conditional_escape (the same entities; Django's safe strings pass as they are), a
missing attribute renders as nothing, the file's last newline is kept, numbers are not localised
(the step was rendered under `{% localize off %}`). Available to the templates:

* `_("…")`: gettext, looked up once per process for each language and text; `_("第 %(n)s 题") % {…}`
  as `{% blocktranslate %}` does;
* `url(name, *args, **kwargs)`: `{% url %}` (studyapp.reversing.reverse_cached);
* the filter `truncatechars`: Django's.
"""

from __future__ import annotations

from typing import Any

import jinja2
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import truncatechars
from django.utils.html import conditional_escape
from django.utils.translation import get_language, gettext

from .reversing import reverse_cached

_TRANSLATED: dict[tuple[str | None, str], str] = {}


def translate(message: str) -> str:
    """gettext(message), once per process for each language."""
    key = (get_language(), message)
    text = _TRANSLATED.get(key)
    if text is None:
        text = _TRANSLATED[key] = gettext(message)
    return text


def url(viewname: str, *args: Any, **kwargs: Any) -> str:
    return reverse_cached(viewname, args=args, kwargs=kwargs or None)


def environment(**options: Any) -> jinja2.Environment:
    options.update(autoescape=False, finalize=conditional_escape, keep_trailing_newline=True)
    options["undefined"] = jinja2.ChainableUndefined  # renders as nothing, its attributes too, as in Django's
    env = jinja2.Environment(**options)  # finalize escapes every output, as Django does
    env.globals.update(_=translate, url=url)
    env.filters["truncatechars"] = truncatechars
    return env


@receiver(setting_changed)
def _language_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in {"LANGUAGE_CODE", "LANGUAGES", "LOCALE_PATHS"}:
        _TRANSLATED.clear()
