"""Work done once in a server's master before it forks its workers (gunicorn, preload_app): what every
worker would otherwise do on its first requests, and do again each time one is started anew after
`max_requests`. Apps register their parts when ready (AppConfig.ready); studyapp/gunicorn_conf.py
calls warm()."""

from __future__ import annotations

from collections.abc import Callable

_PARTS: dict[str, Callable[[], object]] = {}


def warm_with(name: str, part: Callable[[], object]) -> None:
    """Have warm() run `part` (once per name: registering again replaces it)."""
    _PARTS[name] = part


def warm(report: Callable[[str], object]) -> None:
    """Run every registered part, in the order registered. One that fails (a database not migrated yet)
    is reported through `report` and skipped: warming is never required."""
    for name, part in list(_PARTS.items()):
        try:
            part()
        except Exception as error:  # noqa: BLE001 - any failure only loses the head start
            report(f"预热未完成（{name}）：{error}")
