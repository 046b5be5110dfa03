"""A measure's points over a cycle (before, checkpoints, after) as a small SVG chart.

This module only computes the geometry; `goals/_chart.html` draws it through the template
engine, so every label is escaped. Coordinates are handed over as strings with a dot for
the decimal point, so no locale's number format can break the SVG. The chart is an image
named by its `<title>` and described by its `<desc>` (`role="img"`, `aria-labelledby`,
`aria-describedby`: a short name, then every number), and the page shows a table with the
same numbers beside it. Colours are SVG presentation attributes — allowed by the strict
Content-Security-Policy, unlike inline styles — chosen for contrast on white: the line and
marks #0f5c55 (7.8:1), axes #5f6b69 (5.5:1), text #1c2321.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import dateformat
from django.utils.translation import gettext as _

from .models import MeasureKind
from .stats import whole_percent

HEIGHT = 270
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 44, 58  # the plot's margins inside the image
MIN_WIDTH, PER_POINT, INSET = 480, 96, 36  # points are spread evenly, INSET from the axes
TICKS = 5


@dataclass(frozen=True)
class ChartPoint:
    moment: str  # "Before", "Checkpoint", "After", already translated
    day: datetime.date
    students: int
    value: float  # a percentage for a share, the mean for a score
    spread: float | None = None  # the standard deviation of a score


@dataclass(frozen=True)
class Tick:
    y: str
    label: str


@dataclass(frozen=True)
class Mark:
    x: str
    y: str
    value_label: str
    label_x: str
    label_y: str
    moment: str
    day: str
    bar_top: str | None = None
    bar_bottom: str | None = None
    cap_left: str | None = None
    cap_right: str | None = None


@dataclass(frozen=True)
class Chart:
    id: str
    title: str  # the accessible name: the measure
    heading: str  # the title printed at the top of the image: what it plots
    desc: str
    y_label: str
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    y_label_y: str
    axis_label_y: int
    moment_y: int
    day_y: int
    ticks: list[Tick]
    marks: list[Mark]
    line: str


def _coord(value: float) -> str:
    return f"{value:.1f}"


def number(value: float) -> str:
    """12.0 → "12", 12.345 → "12.35": short labels for the chart and its table."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def nice_top(value: float) -> float:
    """The smallest round number (1, 2, 2.5 or 5 × 10ᵏ per tick) at or above `value`."""
    if value <= 0:
        return 1.0
    raw = value / TICKS
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return step * math.ceil(round(value / step, 9))


def _top_of(kind: str, points: Sequence[ChartPoint], scale_max: float | None) -> float:
    if kind == MeasureKind.SHARE:
        return 100.0
    if scale_max:
        return float(scale_max)
    return nice_top(max(p.value + (p.spread or 0) for p in points))


def _label(kind: str, value: float) -> str:
    return f"{whole_percent(value)}%" if kind == MeasureKind.SHARE else number(value)


def _describe(kind: str, points: Sequence[ChartPoint]) -> str:
    parts = []
    for p in points:
        day = dateformat.format(p.day, "j M Y")
        if kind == MeasureKind.SHARE:
            parts.append(_("%(moment)s (%(day)s): %(value)s of %(n)s students met the "
                           "target.") % {"moment": p.moment, "day": day,
                                         "value": _label(kind, p.value), "n": p.students})
        else:
            parts.append(_("%(moment)s (%(day)s): mean %(mean)s, standard deviation %(sd)s, "
                           "%(n)s students.") % {"moment": p.moment, "day": day,
                                                 "mean": number(p.value),
                                                 "sd": number(p.spread or 0), "n": p.students})
    if kind == MeasureKind.SCORE:
        parts.append(_("Bars show one standard deviation either side of the mean."))
    return " ".join(parts)


def chart_for(*, chart_id: str, title: str, kind: str, points: Sequence[ChartPoint],
              scale_max: float | None = None) -> Chart | None:
    """The chart of these points in the order given, or None when there are none."""
    if not points:
        return None
    width = max(MIN_WIDTH, LEFT + RIGHT + 2 * INSET + PER_POINT * (len(points) - 1))
    right, bottom = width - RIGHT, HEIGHT - BOTTOM
    top_value = _top_of(kind, points, scale_max)

    def y_of(value: float) -> float:
        clipped = min(max(value, 0.0), top_value)
        return bottom - (bottom - TOP) * clipped / top_value

    span = right - LEFT - 2 * INSET
    step = span / (len(points) - 1) if len(points) > 1 else 0
    suffix = "%" if kind == MeasureKind.SHARE else ""
    ticks = [Tick(y=_coord(y_of(top_value * i / TICKS)),
                  label=number(top_value * i / TICKS) + suffix) for i in range(TICKS + 1)]
    marks = []
    for i, p in enumerate(points):
        x = LEFT + INSET + step * i if len(points) > 1 else (LEFT + right) / 2
        y = y_of(p.value)
        bar = {}
        if p.spread:
            bar = {"bar_top": _coord(y_of(p.value + p.spread)),
                   "bar_bottom": _coord(y_of(p.value - p.spread)),
                   "cap_left": _coord(x - 5), "cap_right": _coord(x + 5)}
        marks.append(Mark(x=_coord(x), y=_coord(y), value_label=_label(kind, p.value),
                          label_x=_coord(x + 9), label_y=_coord(y - 7), moment=p.moment,
                          day=dateformat.format(p.day, "j M"), **bar))
    if kind == MeasureKind.SHARE:
        heading, y_label = (_("Share meeting the target at each point"),
                            _("Students meeting the target (%)"))
    else:
        heading, y_label = (_("Mean score at each point (bars: ±1 SD)"),
                            _("Mean score"))
    return Chart(id=chart_id, title=title, heading=heading, desc=_describe(kind, points),
                 y_label=y_label,
                 width=width, height=HEIGHT, left=LEFT, right=right, top=TOP, bottom=bottom,
                 y_label_y=_coord((TOP + bottom) / 2), axis_label_y=HEIGHT - 8,
                 moment_y=bottom + 18, day_y=bottom + 34, ticks=ticks, marks=marks,
                 line=" ".join(f"{m.x},{m.y}" for m in marks) if len(marks) > 1 else "")
