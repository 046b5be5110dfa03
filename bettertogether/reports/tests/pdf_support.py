"""Readers shared by the PDF tests."""

from __future__ import annotations

import io
import uuid

from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import IndirectObject, StreamObject

from bettertogether.coaching.tests.support import log
from bettertogether.reports import pdf_services, selectors
from bettertogether.reports.models import ReportExport

HEADLINE_LABEL = "Hours logged"






def _url(cast, kind: str) -> str:
    if kind == "coach":
        return reverse("reports:coach_pdf")
    if kind == "school":
        return reverse("reports:school_pdf", args=[cast.school.pk])
    return reverse("reports:network_pdf", args=[cast.network.pk])


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _every_string(content: bytes) -> str:
    """The raw file and every object in it, streams decoded: metadata, the structure tree,
    the alternative texts and the page contents all land here."""
    reader = PdfReader(io.BytesIO(content))
    found = [content.decode("latin-1")]
    numbers = set(reader.xref_objStm)
    for generations in reader.xref.values():
        numbers |= set(generations)
    for number in numbers:
        obj = reader.get_object(IndirectObject(number, 0, reader))
        found.append(repr(obj))
        if isinstance(obj, StreamObject):
            found.append(obj.get_data().decode("latin-1"))
    return "\n".join(found)


def _structure_tags(node, found=None) -> set[str]:
    """The structure types of a tagged PDF's tree (headings, lists, tables…)."""
    found = set() if found is None else found
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            _structure_tags(child, found)
        return found
    if not hasattr(node, "get"):
        return found  # a marked-content id
    if "/S" in node:
        found.add(str(node["/S"]))
    if "/K" in node:
        _structure_tags(node["/K"], found)
    return found


def _download(client, export: ReportExport) -> bytes:
    response = client.get(reverse("reports:pdf_download", args=[export.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _some_work(cast):
    log(cast.coach, [cast.teacher], minutes=45)
    log(cast.coach, [], kind_name="Planning", minutes=30)




def _queued(cast, actor=None) -> ReportExport:
    """An export whose task has not run yet (its on-commit callback is never executed)."""
    actor = actor or cast.leader
    scope = selectors.scope_for_school(actor=actor, pk=cast.school.pk)
    return pdf_services.pdf_request(actor=actor, scope=scope,
                                    filters=selectors.filters_default(scope),
                                    idempotency_key=uuid.uuid4())
