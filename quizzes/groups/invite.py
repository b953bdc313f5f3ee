"""A group's invite link as a QR code: drawn on the server as inline SVG (segno, pure Python), so
that the page loads nothing from elsewhere and needs no script to show it."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe

QR_ERROR_LEVEL = "m"  # recovers ~15% damage: a photographed or printed code still scans


def join_qr_svg(url: str, *, title: str) -> SafeString:
    """The QR code of `url` as an <svg> element (black modules, no size: CSS sizes it), titled `title`."""
    code = segno.make(url, error=QR_ERROR_LEVEL, micro=False)
    # segno writes only its own path data, the viewBox and the title, which it escapes: safe to embed.
    svg = code.svg_inline(scale=4, border=2, svgclass="invite-qr", lineclass=None, omitsize=True, title=title)
    return mark_safe(svg.replace("<svg ", '<svg role="img" data-testid="invite-qr" ', 1))  # noqa: S308
