"""The geometry every report's line chart shares: a plot area inside margins, values scaled to it, and
the coordinates the templates draw an SVG polyline, its dots, gridlines and labels from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(kw_only=True)
class LineChart:
    width: int = 320
    height: int = 160
    left: int = 30
    right: int = 10
    top: int = 10
    bottom: int = 24

    @property
    def dots(self) -> list[tuple[float, float, Any]]:
        """(x, y, point) of each point, left to right."""
        raise NotImplementedError

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> int:
        return self.height - self.top - self.bottom

    def _x_of(self, fraction: float) -> float:
        """The x of a point `fraction` (0–1) of the way along the plot."""
        return round(self.left + self.plot_width * fraction, 1)

    def _y_of(self, value: float, top_value: float) -> float:
        return round(self.top + self.plot_height * (1 - value / top_value), 1)

    @property
    def polyline(self) -> str:
        return " ".join(f"{x},{y}" for x, y, _point in self.dots)

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def axis_label_x(self) -> int:
        return self.left - 4

    @property
    def label_y(self) -> int:
        return self.height - 6
