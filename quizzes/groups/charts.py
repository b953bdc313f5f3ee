"""The geometry of the report's score chart: an SVG line of mean scores over days, drawn by the
template from the coordinates computed here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..core.charts import LineChart


@dataclass(frozen=True)
class ScorePoint:
    day: date  # the day, or the Monday of the week
    mean: float  # 0–100
    answers: int


@dataclass
class ScoreChart(LineChart):
    points: list[ScorePoint]
    weekly: bool

    def _x(self, day: date) -> float:
        first, last = self.points[0].day, self.points[-1].day
        span = (last - first).days
        return self._x_of((day - first).days / span if span else 0.5)

    def _y(self, value: float) -> float:
        return self._y_of(value, 100)

    @property
    def dots(self) -> list[tuple[float, float, ScorePoint]]:
        return [(self._x(point.day), self._y(point.mean), point) for point in self.points]

    @property
    def gridlines(self) -> list[tuple[float, int]]:
        return [(self._y(value), value) for value in (0, 50, 100)]
