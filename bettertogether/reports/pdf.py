"""A report as a printable, tagged PDF: `reports/pdf.html` laid out by WeasyPrint.

The document is the report's own dictionary drawn again for paper — the same headline,
the same tables with the same suppression, each chart with its full table under it — so
the PDF carries nothing the page does not. It is written as a **tagged** PDF
(`pdf_tags=True`: a structure tree, `/MarkInfo /Marked true`, the language and the title),
so a screen reader reads its headings, lists and tables in order.

WeasyPrint may fetch nothing while it lays the page out: the stylesheet is in the
template, the charts are inline SVG and the fonts come from the system, so its URL fetcher
allows `data:` URLs alone. No text of the report can make it read a file or a web address.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation

from .tables import sections_for_display

# Options of WeasyPrint 70's `write_pdf`: a tagged PDF (PDF/UA-style structure). The
# stricter `pdf_variant="pdf/ua-1"` also claims PDF/UA conformance in the metadata; it is
# not claimed here because no validator checks the output in the tests.
PDF_OPTIONS = {"pdf_tags": True}


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


def sections_for_print(report: dict) -> list[dict]:
    """Each section with the geometry of its chart (as the page draws it)."""
    return sections_for_display(report)


def report_html(*, report: dict, generated_at: datetime.datetime) -> str:
    """The standalone HTML document of a report, for print."""
    return render_to_string("reports/pdf.html", {
        "report": report,
        "sections": sections_for_print(report),
        "generated_at": generated_at,
        "lang": translation.get_language() or "en-us",
    })


def html_to_pdf(html: str) -> RenderedPdf:
    """Lay the document out on A4 and write it as a tagged PDF."""
    # Imported here: only the task that builds a PDF needs WeasyPrint, not every web worker.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    document = HTML(string=html, base_url="about:blank",
                    url_fetcher=URLFetcher(allowed_protocols=("data",))).render(**PDF_OPTIONS)
    return RenderedPdf(content=document.write_pdf(**PDF_OPTIONS), pages=len(document.pages))
