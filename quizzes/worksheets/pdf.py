"""A worksheet as PDF: its print page rendered by WeasyPrint, with the CJK fonts the system has
(Debian's fonts-noto-cjk, which ./scripts/run and ./scripts/test install)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from .sheets import Worksheet

STYLESHEET = "css/worksheet.css"


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # The sheet is self-contained: nothing is fetched, neither from the app nor from anywhere else.
    raise ValueError(f"worksheet PDFs load nothing: {url}")


def sheet_pdf(sheet: Worksheet) -> bytes:
    """The sheet and its key (on a page of its own) as PDF bytes."""
    return _html_pdf(render_to_string("worksheets/worksheet_pdf.html", {"sheet": sheet}))


# Printing takes seconds (most of it subsetting the CJK font), and a sheet is often fetched again (a
# second download, the same sheet for a whole group): the same page is printed once per process.
@lru_cache(maxsize=16)
def _html_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML  # imported on first use: it loads Pango, which takes a moment

    found = finders.find(STYLESHEET)
    if not found:
        raise FileNotFoundError(STYLESHEET)
    stylesheet = Path(found if isinstance(found, str) else found[0])
    document = HTML(string=html, url_fetcher=_no_fetch, base_url=str(stylesheet.parent))
    return document.write_pdf(stylesheets=[CSS(string=stylesheet.read_text(encoding="utf-8"))])
