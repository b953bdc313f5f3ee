"""`{% cachedfragment key… %}…{% endcachedfragment %}` (template library `fragments`,
settings.TEMPLATES): a piece of a template rendered once per process for each combination of its
keys, then given back as rendered.

For what is the same for everyone who shares the keys: the site menu is the same for every learner,
and for every admin, but costs a fifth of a page to render (a dozen translated labels, ten links).
Everything the piece shows must follow from its keys, the language, the script prefix and the
escaping and localisation in force, which are part of every key; nothing per person or per request
(a name, a CSRF token) may be inside. A setting changed (tests) empties the store.
"""

from __future__ import annotations

import itertools
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Library, Node, NodeList, TemplateSyntaxError
from django.template.base import FilterExpression, Parser, Token
from django.template.context import Context
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = Library()

_RENDERED: dict[tuple, SafeString] = {}
_RENDERED_MAX = 1024  # pieces × key combinations: a few dozen in practice
_numbers = itertools.count()  # one per parsed tag (not id(): a re-parsed template's nodes may reuse ids)


class CachedFragmentNode(Node):
    def __init__(self, nodelist: NodeList, keys: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.keys = keys
        self.number = next(_numbers)

    def render(self, context: Context) -> SafeString:
        key: tuple[Any, ...] = (
            self.number,
            get_language(),
            get_script_prefix(),
            context.autoescape,
            context.use_l10n,
            *(expression.resolve(context) for expression in self.keys),
        )
        try:
            rendered = _RENDERED.get(key)
        except TypeError:  # a key that cannot be hashed: rendered every time
            return self.nodelist.render(context)
        if rendered is None:
            rendered = mark_safe(self.nodelist.render(context))
            if len(_RENDERED) >= _RENDERED_MAX:
                _RENDERED.clear()
            _RENDERED[key] = rendered
        return rendered


@register.tag
def cachedfragment(parser: Parser, token: Token) -> CachedFragmentNode:
    """`{% cachedfragment user.is_staff request.session.can_curate %}…{% endcachedfragment %}`"""
    bits = token.split_contents()
    if any(bit == "as" for bit in bits[1:]):
        raise TemplateSyntaxError("'cachedfragment' takes only the expressions it is kept by")
    nodelist = parser.parse(("endcachedfragment",))
    parser.delete_first_token()
    return CachedFragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])


def fragments_forget() -> None:
    """Empty this process's rendered pieces."""
    _RENDERED.clear()


@receiver(setting_changed)
def _setting_changed(**kwargs: Any) -> None:
    fragments_forget()
