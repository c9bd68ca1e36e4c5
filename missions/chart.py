"""Denmark's personnel over time, drawn on the server as inline SVG, with its table."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from missions.models import DENMARK, Figure, FigureKind

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 32
# Dark enough to meet 3:1 against white, and told apart by the table too.
COLOURS = ["#002b55", "#8a1c1c", "#1d6b38", "#6a3d9a", "#7a4a00", "#005f6b"]
# Initial figures are actual counts at the start, so they share the actual line.
SERIES_KINDS = {
    FigureKind.CEILING: {FigureKind.CEILING},
    FigureKind.PLANNED: {FigureKind.PLANNED},
    FigureKind.ACTUAL: {FigureKind.INITIAL, FigureKind.ACTUAL},
}
DASHED = {FigureKind.CEILING, FigureKind.PLANNED}


@dataclass
class Point:
    figure: Figure
    contribution: object
    x: float = 0
    y: float = 0


@dataclass
class Series:
    contribution: object
    kind: str
    colour: str
    points: list = field(default_factory=list)
    path: str = ""

    @property
    def dashed(self):
        return self.kind in DASHED

    @property
    def label(self):
        kinds = {
            FigureKind.CEILING: _("ceiling"),
            FigureKind.PLANNED: _("planned"),
            FigureKind.ACTUAL: _("actual or initial"),
        }
        return f"{self.contribution.get_kind_display()} ({kinds[self.kind]})"


@dataclass
class Chart:
    series: list
    x_ticks: list
    y_ticks: list
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: int = HEIGHT - BOTTOM
    right: int = WIDTH - RIGHT

    @property
    def rows(self):
        """Every plotted figure in date order: the table the chart is drawn from."""
        points = [p for s in self.series for p in s.points]
        return sorted(points, key=lambda p: (p.figure.dated_on, p.contribution.pk, p.figure.pk))


def personnel_chart(contributions, today=None):
    """A Chart of the dated personnel figures of Denmark's contributions, or None."""
    today = today or timezone.localdate()
    series = []
    for contribution in contributions:
        if contribution.country != DENMARK:
            continue
        figures = [
            f
            for f in contribution.figures.all()
            if f.measure == Figure.Measure.PERSONNEL and f.dated_on is not None
        ]
        for kind, members in SERIES_KINDS.items():
            of_kind = sorted((f for f in figures if f.kind in members), key=lambda f: f.dated_on)
            if of_kind:
                if series and series[-1].contribution.pk == contribution.pk:
                    colour = series[-1].colour
                else:
                    colour = COLOURS[len({s.contribution.pk for s in series}) % len(COLOURS)]
                points = [Point(f, contribution) for f in of_kind]
                series.append(Series(contribution, kind, colour, points))
    if not series:
        return None
    first = min(p.figure.dated_on for s in series for p in s.points)
    last = max(_series_end(s, today) for s in series)
    start = datetime.date(first.year, 1, 1)
    end = datetime.date(max(last.year + 1, first.year + 1), 1, 1)
    top_value = _nice_ceiling(max(p.figure.value for s in series for p in s.points))

    def x(date):
        span = (end - start).days
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (date - start).days / span, 1)

    def y(value):
        return round(HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * value / top_value, 1)

    for s in series:
        for point in s.points:
            point.x, point.y = x(point.figure.dated_on), y(point.figure.value)
        # A step line: each figure holds until the next one of its series. An
        # initial figure says nothing about later, so a line ending on one stops there.
        first_point, *later = s.points
        s.path = f"M{first_point.x} {first_point.y}" + "".join(f"H{p.x}V{p.y}" for p in later)
        if s.points[-1].figure.kind != FigureKind.INITIAL:
            s.path += f"H{x(_series_end(s, today))}"
    x_ticks = [(x(datetime.date(year, 1, 1)), year) for year in range(start.year, end.year + 1)]
    step = top_value // 4 or 1
    y_ticks = [(y(v), v) for v in range(0, top_value + 1, step)]
    return Chart(series, x_ticks, y_ticks)


def _series_end(series, today):
    end = series.contribution.ended_on or today
    return max(end, series.points[-1].figure.dated_on)


def _nice_ceiling(value):
    for nice in (4, 8, 12, 20, 40, 60, 80, 100, 200, 400, 600, 800, 1000):
        if value <= nice:
            return nice
    return ((value // 1000) + 1) * 1000
