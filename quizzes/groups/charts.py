"""The geometry of the report's score chart: an SVG line of mean scores over days, drawn by the
template from the coordinates computed here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ScorePoint:
    day: date  # the day, or the Monday of the week
    mean: float  # 0–100
    answers: int


@dataclass
class ScoreChart:
    points: list[ScorePoint]
    weekly: bool
    width: int = 320
    height: int = 160
    left: int = 30
    right: int = 10
    top: int = 10
    bottom: int = 24

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> int:
        return self.height - self.top - self.bottom

    def _x(self, day: date) -> float:
        first, last = self.points[0].day, self.points[-1].day
        span = (last - first).days
        if not span:
            return self.left + self.plot_width / 2
        return round(self.left + self.plot_width * (day - first).days / span, 1)

    def _y(self, value: float) -> float:
        return round(self.top + self.plot_height * (1 - value / 100), 1)

    @property
    def dots(self) -> list[tuple[float, float, ScorePoint]]:
        return [(self._x(point.day), self._y(point.mean), point) for point in self.points]

    @property
    def polyline(self) -> str:
        return " ".join(f"{x},{y}" for x, y, _point in self.dots)

    @property
    def gridlines(self) -> list[tuple[float, int]]:
        return [(self._y(value), value) for value in (0, 50, 100)]

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def axis_label_x(self) -> int:
        return self.left - 4

    @property
    def label_y(self) -> int:
        return self.height - 6
