"""A report's sections ready to draw: each with its chart's geometry and its table as HTML.

The tables are built here with `format_html` rather than in a template loop: a network
report has hundreds of rows (every school, every coach, every week), and the template
engine would spend longer on them than the report spends counting. Every value is escaped.
Hidden (suppressed) cells say so in words, for sighted readers and screen readers alike.
"""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .charts import geometry


def _cell(column: str, value) -> SafeString:
    if value is None:
        return format_html(
            '<td class="num" data-label="{}"><span class="suppressed" title="{}">{}</span></td>',
            column, _("Hidden: fewer teachers than the smallest group a report may describe"),
            _("hidden"))
    return format_html('<td class="num" data-label="{}">{}</td>', column, value)


def table_html(section: dict) -> SafeString:
    columns = section["columns"]
    head = format_html_join("", '<th scope="col"{}>{}</th>', (
        (mark_safe(' class="num"') if n else "", column) for n, column in enumerate(columns)))
    rows = []
    for row in section["rows"]:
        cells = [format_html('<th scope="row">{}</th>', row[0])]
        cells += [_cell(column, value) for column, value in zip(columns[1:], row[1:],
                                                                   strict=False)]
        rows.append(format_html("<tr>{}</tr>", mark_safe("".join(cells))))  # noqa: S308
    if not rows:
        rows.append(format_html('<tr><td colspan="{}">{}</td></tr>', len(columns),
                                _("Nothing in this period.")))
    return format_html(
        '<div class="table-wrap"><table class="table table-stack report-table">'
        '<caption class="visually-hidden">{}</caption><thead><tr>{}</tr></thead>'
        "<tbody>{}</tbody></table></div>",
        section["title"], head, mark_safe("".join(rows)))  # noqa: S308


def sections_for_display(report: dict) -> list[dict]:
    """Each section with `geometry` (its chart, or None) and `table_html`."""
    return [{**section, "geometry": geometry(section), "table_html": table_html(section)}
            for section in report["sections"]]
