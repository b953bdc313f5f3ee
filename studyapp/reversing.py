"""URLs reversed once per process: `reverse_cached()`, and the `{% url %}` tag of every template
(this module is a builtin of the template engine, settings.TEMPLATES, so its tag replaces Django's).

Django's `reverse()` walks the URLconf's namespaces and patterns on every call: 15–25 µs, a dozen
times on a full page (the menu alone links to ten pages). A URL is a pure function of its name,
its arguments and the request's URLconf, script prefix, language and current app, so it is
reversed once per process and kept:

* without arguments (the menu, the forms' actions): the URL itself;
* with non-negative integer arguments only (`quizzes:answer attempt.pk`): the URL split around
  its arguments once, then joined with each call's numbers (found by reversing two sets of
  stand-in numbers and checking that the second set lands exactly where the first did; a pattern
  whose converter does anything else with a number falls back to `reverse()` every time);
* with other strings and numbers (a section's key): the URL per argument values, in a bounded table;
* anything else (model instances, lazy strings): `reverse()`.

An argument a pattern refuses raises NoReverseMatch as `reverse()` does: it is reversed for real.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Library, defaulttags
from django.template.base import Parser, Token
from django.template.context import Context
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = Library()

# Stand-ins for integer arguments: two sets of different lengths, unlike anything else in a URL.
_FIRST = (918273645001, 918273645002, 918273645003, 918273645004)
_SECOND = (7364501, 7364502, 7364503, 7364504)
_UNSPLITTABLE = ()  # a pattern whose numbers do not simply appear in the URL
_PARTS: dict[tuple, tuple[str, ...]] = {}  # pattern key → the URL's text around its arguments
_URLS: dict[tuple, str] = {}  # (pattern key, argument values) → URL
_URLS_MAX = 4096


def reverse_cached(
    viewname: str,
    args: list[Any] | tuple[Any, ...] = (),
    kwargs: dict[str, Any] | None = None,
    current_app: str | None = None,
    *,
    where: tuple[str, str, str | None] | None = None,
) -> str:
    """`django.urls.reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)`, reversed
    once per process (see the module's docstring). `where`: url_context(), when the caller reverses
    many URLs at once (a rendering) and has it already."""
    kwargs = kwargs or {}
    if not isinstance(viewname, str) or (args and kwargs):
        return reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    values = tuple(args) if args else tuple(kwargs.values())
    key = (viewname, len(args), tuple(kwargs), current_app, *(where or url_context()))
    if all(type(value) is int and value >= 0 for value in values):
        parts = _PARTS.get(key)
        if parts is None:
            parts = _PARTS[key] = _split(viewname, args, kwargs, current_app)
        if parts is not _UNSPLITTABLE:
            return "".join(part for pair in zip(parts, [*map(str, values), ""], strict=True) for part in pair)
    if not all(type(value) in (int, str) for value in values):
        return reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    full_key = (key, values)
    url = _URLS.get(full_key)
    if url is None:
        url = reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
        if len(_URLS) >= _URLS_MAX:
            _URLS.clear()
        _URLS[full_key] = url
    return url


def url_context() -> tuple[str, str, str | None]:
    """What a URL depends on besides its name and arguments: the URLconf, the script prefix and the
    language in force (each read from the thread's state, a few µs together)."""
    return (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), get_language())


def _split(viewname: str, args: Any, kwargs: dict[str, Any], current_app: str | None) -> tuple[str, ...]:
    """The reversed URL's text before, between and after its integer arguments; _UNSPLITTABLE when
    it does not consist of those pieces and the numbers as written."""
    count = len(args) or len(kwargs)
    if count > len(_FIRST):
        return _UNSPLITTABLE

    def reversed_with(numbers: tuple[int, ...]) -> str:
        if args:
            return reverse(viewname, args=numbers[:count], current_app=current_app)
        return reverse(viewname, kwargs=dict(zip(kwargs, numbers, strict=False)), current_app=current_app)

    try:
        first, second = reversed_with(_FIRST), reversed_with(_SECOND)
    except NoReverseMatch:
        return _UNSPLITTABLE
    parts, rest = [], first
    for number in _FIRST[:count]:
        before, found, rest = rest.partition(str(number))
        if not found:
            return _UNSPLITTABLE
        parts.append(before)
    parts.append(rest)
    joined = "".join(part for pair in zip(parts, [*map(str, _SECOND[:count]), ""], strict=True) for part in pair)
    return tuple(parts) if joined == second and not any(str(n) in rest for n in _FIRST) else _UNSPLITTABLE


def reverse_cache_clear() -> None:
    """Forget every URL kept (the URLconf changed: tests)."""
    _PARTS.clear()
    _URLS.clear()


@receiver(setting_changed)
def _urlconf_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME"}:
        reverse_cache_clear()


class CachedURLNode(defaulttags.URLNode):
    """Django's `{% url %}` node (the same arguments, `as` variable and errors), reversing through
    reverse_cached()."""

    def render(self, context: Context) -> str:
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {name: value.resolve(context) for name, value in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app  # type: ignore[attr-defined]
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace  # type: ignore[attr-defined]
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = reverse_cached(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> CachedURLNode:
    node = defaulttags.url(parser, token)
    return CachedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
