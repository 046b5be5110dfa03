"""A report's sections ready to draw: each with its chart's geometry and its table as HTML.

The tables are built here, each value escaped, rather than in a template loop: a network
report has hundreds of rows (every school, every coach, every week), and the template
engine would spend longer on them than the report spends counting. Every value is escaped.
Hidden cells say so in words (the disclosure gate's word, as in every export), for sighted
readers and screen readers alike.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bettertogether.directory import disclosure

from .charts import geometry
from .report_base import Report, Section


def _cell(value) -> str:
    """A cell's text: numbers as they are (nothing in them to escape), anything else
    escaped."""
    return str(value) if type(value) in (int, float) else escape(value)


def table_html(section: Section) -> SafeString:
    """The section's table; every value passes through `escape` (plain string joins: a
    network report's tables have thousands of cells)."""
    columns = [escape(column) for column in section["columns"]]
    hidden = disclosure.hidden_html()
    head = "".join(f'<th scope="col"{' class="num"' if n else ""}>{column}</th>'
                   for n, column in enumerate(columns))
    rows = []
    for label, *values in section["rows"]:
        cells = [f'<th scope="row">{escape(label)}</th>']
        cells += [f'<td class="num" data-label="{column}">'
                  f'{hidden if value is None else _cell(value)}</td>'
                  for column, value in zip(columns[1:], values, strict=False)]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    if not rows:
        rows.append(f'<tr><td colspan="{len(columns)}">{escape(_("Nothing in this period."))}'
                    "</td></tr>")
    return mark_safe(  # noqa: S308 - every value above went through escape()
        '<div class="table-wrap"><table class="table table-stack report-table">'
        f'<caption class="visually-hidden">{escape(section["title"])}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


def _bars_svg(g) -> list[str]:
    parts = []
    for group in g.groups:
        parts.append(f'<text x="164" y="{group.label_y}" text-anchor="end" font-size="12" '
                     f'fill="#1c2321">{escape(group.label)}</text>')
        for bar in group.bars:
            parts.append(
                f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}" '
                f'fill="{bar.colour}" rx="2"></rect><text x="{bar.value_x}" '
                f'y="{bar.label_y}" font-size="11" fill="#1c2321">{escape(bar.value)}</text>')
    return parts


def _line_svg(g) -> list[str]:
    parts = []
    for y, label in g.ticks:
        parts.append(
            f'<line x1="{g.plot_left}" x2="{g.plot_right}" y1="{y}" y2="{y}" '
            f'stroke="#d5dbd9" stroke-width="1"></line><text x="{g.plot_left}" dx="-6" '
            f'y="{y}" dy="4" text-anchor="end" font-size="11" fill="#5f6b69">'
            f"{escape(label)}</text>")
    for x, label in g.x_labels:
        parts.append(f'<text x="{x}" y="{g.plot_bottom}" dy="18" text-anchor="middle" '
                     f'font-size="11" fill="#5f6b69">{escape(label)}</text>')
    for line in g.series:
        parts.append(f'<polyline points="{line.points}" fill="none" stroke="{line.colour}" '
                     'stroke-width="2"></polyline>')
    return parts


def chart_html(section: Section, g) -> SafeString:
    """The section's chart as an SVG image with its title, description and legend."""
    if g is None:
        return mark_safe("")
    ident = escape(section["id"])
    parts = [
        '<figure class="report-chart">',
        f'<svg class="chart" viewBox="0 0 {g.width} {g.height}" role="img" '
        f'aria-labelledby="{ident}-chart-title" aria-describedby="{ident}-chart-desc" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-chart-title">{escape(g.title)}</title>',
        f'<desc id="{ident}-chart-desc">{escape(g.description)}</desc>',
        *(_bars_svg(g) if g.kind == "bar" else _line_svg(g)),
        "</svg>",
    ]
    if len(g.series) > 1 or g.kind == "line":
        legend = "".join(
            f'<li><svg width="14" height="14" aria-hidden="true" focusable="false"><rect '
            f'width="14" height="14" rx="2" fill="{line.colour}"></rect></svg> '
            f"{escape(line.name)}</li>" for line in g.series)
        parts.append(f'<figcaption><ul class="legend">{legend}</ul></figcaption>')
    if g.truncated:
        parts.append('<p class="small muted">{}</p>'.format(escape(ngettext(
            "The chart shows the first rows; %(n)s more is in the table.",
            "The chart shows the first rows; %(n)s more are in the table.",
            g.truncated) % {"n": g.truncated})))
    parts.append("</figure>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


def sections_for_display(report: Report) -> list[dict]:
    """Each section with `geometry` (its chart, or None), `chart_html` and `table_html`."""
    found = []
    for section in report["sections"]:
        g = geometry(section)
        found.append({**section, "geometry": g, "chart_html": chart_html(section, g),
                      "table_html": table_html(section)})
    return found
