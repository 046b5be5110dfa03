"""The geometry of a report's charts, drawn from the rows of the section's own table.

A section's chart (`report_base.Chart`) names its table's columns by position: `label` the
column that names each bar or point, `values` the columns drawn as series; each row of the
table is one bar group or one point.

`reports/_chart.html` draws it through the template engine, so every label is escaped;
coordinates are strings with a dot for the decimal point. Each chart is an image named by
its `<title>` and described by its `<desc>`; the table with the same numbers sits under it.
Colours are presentation attributes (the Content-Security-Policy forbids inline styles),
each at least 4.5:1 on white, and series are told apart by their legend too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .report_base import Section

COLOURS = ("#0f5c55", "#8a4b08", "#3d4f9f", "#8c2f6b")
BAR_HEIGHT, BAR_GAP, LABEL_WIDTH, VALUE_WIDTH, WIDTH = 14, 10, 170, 76, 640
LINE_HEIGHT, LINE_TOP, LINE_BOTTOM, LINE_LEFT = 220, 16, 36, 48
MAX_BARS = 40


def _number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _coord(value: float) -> str:
    return f"{value:.1f}"


def _short(text: str, limit: int = 21) -> str:
    """A label that fits the 164 pixels left of the bars at 12 px (the table has it whole)."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _value_label(value) -> str:
    number = _number(value)
    return f"{number:,.1f}".rstrip("0").rstrip(".") if number % 1 else f"{int(number):,}"


@dataclass
class Bar:
    x: str
    y: str
    width: str
    height: str
    colour: str
    label_y: str
    value: str
    value_x: str


@dataclass
class Group:
    label: str
    label_y: str
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Series:
    name: str
    colour: str
    points: str = ""


@dataclass
class Geometry:
    kind: str
    width: int
    height: int
    title: str
    description: str
    series: list[Series]
    groups: list[Group] = field(default_factory=list)
    ticks: list[tuple[str, str]] = field(default_factory=list)
    x_labels: list[tuple[str, str]] = field(default_factory=list)
    plot_left: str = "0"
    plot_right: str = "0"
    plot_bottom: str = "0"
    truncated: int = 0


def _usable_rows(section: Section) -> list[list]:
    return [row for row in section["rows"] if all(row[i] is not None
                                                   for i in section["chart"]["values"])]


def geometry(section: Section) -> Geometry | None:
    """The chart of a section, or None when it has no chart or nothing to draw."""
    chart = section.get("chart")
    if not chart:
        return None
    rows = _usable_rows(section)
    values = chart["values"]
    if not rows or not any(_number(row[i]) for row in rows for i in values):
        return None
    series = [Series(name=section["columns"][i], colour=COLOURS[n % len(COLOURS)])
              for n, i in enumerate(values)]
    description = "; ".join(
        f"{row[chart['label']]}: " + ", ".join(f"{section['columns'][i]} {row[i]}"
                                               for i in values)
        for row in rows[:60])
    if chart["type"] == "line":
        return _line(section, rows, series, description)
    return _bars(section, rows, series, description)


def _bars(section, rows, series, description) -> Geometry:
    chart = section["chart"]
    values = chart["values"]
    truncated = max(len(rows) - MAX_BARS, 0)
    rows = rows[:MAX_BARS]
    top = max(_number(row[i]) for row in rows for i in values) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    per_group = len(values) * BAR_HEIGHT + BAR_GAP
    groups, y = [], 8.0
    for row in rows:
        group = Group(label=_short(row[chart["label"]]),
                      label_y=_coord(y + len(values) * BAR_HEIGHT / 2 + 4))
        for n, i in enumerate(values):
            width = max(span * _number(row[i]) / top, 1 if _number(row[i]) else 0)
            bar_y = y + n * BAR_HEIGHT
            group.bars.append(Bar(
                x=_coord(LABEL_WIDTH), y=_coord(bar_y), width=_coord(width),
                height=_coord(BAR_HEIGHT - 2), colour=series[n].colour,
                label_y=_coord(bar_y + BAR_HEIGHT - 4), value=_value_label(row[i]),
                value_x=_coord(LABEL_WIDTH + width + 4)))
        groups.append(group)
        y += per_group
    return Geometry(kind="bar", width=WIDTH, height=int(y + 4), title=section["title"],
                    description=description, series=series, groups=groups,
                    truncated=truncated)


def _line(section, rows, series, description) -> Geometry:
    chart = section["chart"]
    values = chart["values"]
    top = max(_number(row[i]) for row in rows for i in values) or 1
    left, right = LINE_LEFT, WIDTH - 12
    bottom = LINE_HEIGHT - LINE_BOTTOM
    step = (right - left) / max(len(rows) - 1, 1)

    def y_of(value) -> float:
        return bottom - (bottom - LINE_TOP) * _number(value) / top

    for n, i in enumerate(values):
        series[n].points = " ".join(f"{_coord(left + k * step)},{_coord(y_of(row[i]))}"
                                    for k, row in enumerate(rows))
    ticks = [(_coord(y_of(top * k / 4)), _value_label(round(top * k / 4, 1)))
             for k in range(5)]
    every = max(math.ceil(len(rows) / 6), 1)
    # "21 Sep 2026" → "21 Sep": the table under the chart has the whole date.
    x_labels = [(_coord(left + k * step), " ".join(str(row[chart["label"]]).split()[:2]))
                for k, row in enumerate(rows) if k % every == 0]
    return Geometry(kind="line", width=WIDTH, height=LINE_HEIGHT, title=section["title"],
                    description=description, series=series, ticks=ticks, x_labels=x_labels,
                    plot_left=_coord(left), plot_right=_coord(right), plot_bottom=_coord(bottom))
