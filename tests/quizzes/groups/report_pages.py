"""The group report as a browser shows it: the page, then the parts it loads after itself with htmx
(the analysis with the chart, the integrity signals), each asked for with the page's own links."""

from __future__ import annotations

import re
from html import unescape

from django.test import Client

from tests.support import HTMX

PART_LINK = re.compile(r'hx-get="([^"]+)" hx-trigger="load"')


def part_urls(page_html: str) -> list[str]:
    """The parts the report page loads after itself, in order: the analysis, the integrity signals."""
    return [unescape(url) for url in PART_LINK.findall(page_html)]


def report_html(client: Client, url: str, params: dict | None = None) -> str:
    """The report page at `url` with `params` and, in place of their placeholders, its parts as htmx
    loads them."""
    response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    for part in part_urls(html):
        fragment = client.get(part, **HTMX)
        assert fragment.status_code == 200, (part, fragment.status_code)
        html += fragment.content.decode()
    return html
