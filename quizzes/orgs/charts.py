"""The geometry of the organisation report's participation chart: daily participants as an SVG line
(drawn by the template from the coordinates computed here, like quizzes/groups/charts.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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


@dataclass
class ParticipationChart:
    points: list[DayPoint]  # every day of the span, days without activity at 0
    clipped: bool = False  # the range was longer than MAX_CHART_DAYS: its last days are shown
    width: int = 320
    height: int = 160
    left: int = 36
    right: int = 10
    top: int = 10
    bottom: int = 24

    @property
    def has_activity(self) -> bool:
        return any(point.participants for point in self.points)

    @property
    def top_value(self) -> int:
        return nice_ceiling(max((point.participants for point in self.points), default=1))

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> int:
        return self.height - self.top - self.bottom

    def _x(self, index: int) -> float:
        if len(self.points) < 2:
            return self.left + self.plot_width / 2
        return round(self.left + self.plot_width * index / (len(self.points) - 1), 1)

    def _y(self, value: float) -> float:
        return round(self.top + self.plot_height * (1 - value / self.top_value), 1)

    @property
    def dots(self) -> list[tuple[float, float, DayPoint]]:
        return [(self._x(index), self._y(point.participants), point) for index, point in enumerate(self.points)]

    @property
    def polyline(self) -> str:
        return " ".join(f"{x},{y}" for x, y, _point in self.dots)

    @property
    def gridlines(self) -> list[tuple[float, int]]:
        top = self.top_value
        values = sorted({0, top // 2, top}) if top >= 2 else [0, top]
        return [(self._y(value), value) for value in values]

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def axis_label_x(self) -> int:
        return self.left - 4

    @property
    def label_y(self) -> int:
        return self.height - 6
