"""The time range of an organisation report, read from the query string and checked, and written back
into links: range=all|7|30|custom with from=YYYY-MM-DD and to=YYYY-MM-DD (study days, Asia/Shanghai)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.translation import gettext as _

PRESETS = ("all", "7", "30", "custom")
EARLIEST = date(2000, 1, 1)


def _parsed(value: object) -> date | None:
    try:
        day = date.fromisoformat(str(value or "").strip()[:10])
    except ValueError:
        return None
    return day if day >= EARLIEST else None


@dataclass(frozen=True)
class ActivityRange:
    """Study days from `start` to `end`, both included; None for an open end (all time)."""

    preset: str = "all"
    start: date | None = None
    end: date | None = None

    @classmethod
    def from_query(cls, data: QueryDict | dict, *, today: date) -> ActivityRange:
        preset = str(data.get("range", "") or "all")
        if preset not in PRESETS:
            preset = "all"
        if preset in ("7", "30"):
            return cls(preset, today - timedelta(days=int(preset) - 1), today)
        if preset == "custom":
            start, end = _parsed(data.get("from")), _parsed(data.get("to"))
            if start and end and start > end:
                start, end = end, start
            if start or end:
                return cls(preset, start, end)
        return cls()

    @property
    def is_all(self) -> bool:
        return self.start is None and self.end is None

    @property
    def label(self) -> str:
        if self.preset == "7":
            return _("近7天")
        if self.preset == "30":
            return _("近30天")
        if self.is_all:
            return _("全部时间")
        start = self.start.isoformat() if self.start else _("最早")
        end = self.end.isoformat() if self.end else _("今天")
        return f"{start} – {end}"

    def query(self) -> str:
        """The query string of this range, without the default."""
        if self.preset in ("7", "30"):
            return urlencode({"range": self.preset})
        if self.is_all:
            return ""
        params = {"range": "custom", "from": self.start or "", "to": self.end or ""}
        return urlencode({key: value for key, value in params.items() if value})

    def day_filter(self, field: str = "day") -> dict[str, date]:
        """Keyword filters for a date field."""
        found = {}
        if self.start:
            found[f"{field}__gte"] = self.start
        if self.end:
            found[f"{field}__lte"] = self.end
        return found
