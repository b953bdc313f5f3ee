"""The organisation report's participation chart: daily participants as an SVG line (the geometry
is core/charts.py's, drawn by the template)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..core.charts import LineChart

MAX_CHART_DAYS = 90


@dataclass(frozen=True)
class DayPoint:
    day: date
    participants: int  # distinct people with at least one answer that study day
    answers: int


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 × 10ⁿ at or above `value` (at least 1): the chart's top."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


@dataclass(kw_only=True)
class ParticipationChart(LineChart):
    points: list[DayPoint]  # every day of the span, days without activity at 0
    clipped: bool = False  # the range was longer than MAX_CHART_DAYS: its last days are shown
    left: int = 36

    @property
    def has_activity(self) -> bool:
        return any(point.participants for point in self.points)

    @property
    def top_value(self) -> int:
        return nice_ceiling(max((point.participants for point in self.points), default=1))

    def _x(self, index: int) -> float:
        return self._x_of(index / (len(self.points) - 1) if len(self.points) > 1 else 0.5)

    def _y(self, value: float) -> float:
        return self._y_of(value, self.top_value)

    @property
    def dots(self) -> list[tuple[float, float, DayPoint]]:
        return [(self._x(index), self._y(point.participants), point) for index, point in enumerate(self.points)]

    @property
    def gridlines(self) -> list[tuple[float, int]]:
        top = self.top_value
        values = sorted({0, top // 2, top}) if top >= 2 else [0, top]
        return [(self._y(value), value) for value in values]
