"""While a network's tallies are being recounted after a change of its time zone or terms,
every report of that network says so — the page, its CSV, a PDF and a snapshot published
meanwhile (which keeps saying so: it is frozen as it stood) — and the live reports say
nothing once the worker is done. Reading whether it is costs no query: it comes with the
network the report already reads.

Persona rules are unchanged: the coach reads their own report, a school's leader and the
network's admin read theirs, a teacher and an outsider get 404.
"""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from bettertogether.coaching.models import TallyRecount
from bettertogether.coaching.tallies.network import recount_pending
from bettertogether.coaching.tests.support import log
from bettertogether.reports.models import ReportExport
from bettertogether.reports.selectors import filters_default
from bettertogether.reports.services import snapshot_publish, snapshot_scope
from bettertogether.reports.tests.pdf_support import _download, _text
from bettertogether.reports.tests.support import csv_rows, queries_of
from bettertogether.testing import factories as f

NOTE = "The network's time zone or terms have just changed, and these figures are being"
SHOWN = "have just changed, and these figures are being counted again"  # as the page has it


def _urls(cast) -> dict[str, str]:
    return {
        "coach": reverse("reports:coach"),
        "leader": reverse("reports:school", args=[cast.school.pk]),
        "admin": reverse("reports:network", args=[cast.network.pk]),
    }


@pytest.fixture
def recounting(cast):
    log(cast.coach, [cast.teacher])
    return f.TallyRecountFactory(network=cast.network)


@pytest.mark.parametrize("who", ["coach", "leader", "admin"])
def test_every_reader_is_told_the_figures_are_being_recounted(cast, client_for, recounting,
                                                              who):
    url = _urls(cast)[who]
    client = client_for(getattr(cast, who))

    recounting_page = client.get(url)
    recount_pending(network_id=cast.network.pk)
    done_page = client.get(url)

    assert recounting_page.status_code == 200
    assert SHOWN in recounting_page.content.decode()
    assert recounting_page.context["report"]["recounting"].startswith(NOTE)
    assert done_page.context["report"]["recounting"] == ""
    assert SHOWN not in done_page.content.decode()


@pytest.mark.parametrize("who, url", [
    ("teacher", "leader"), ("teacher", "admin"), ("outsider", "leader"), ("outsider", "admin"),
    ("leader", "admin"), ("teacher", "coach"),
])
def test_a_recount_opens_no_report_to_anyone_else(cast, client_for, recounting, who, url):
    assert client_for(getattr(cast, who)).get(_urls(cast)[url]).status_code == 404


def test_another_network_is_not_told(cast, client_for, recounting):
    TallyRecount.objects.filter(pk=recounting.pk).update(network=cast.outsider_network)

    page = client_for(cast.admin).get(_urls(cast)["admin"])

    assert page.context["report"]["recounting"] == ""


def test_the_csv_says_so_too(cast, client_for, recounting):
    response = client_for(cast.leader).get(
        reverse("reports:school_export", args=[cast.school.pk, "csv"]))

    assert any(row and row[0].startswith(NOTE) for row in csv_rows(response.content))


@pytest.mark.parametrize("who", ["coach", "leader", "admin"])
def test_saying_so_costs_no_query(cast, client_for, who):
    log(cast.coach, [cast.teacher])
    url = _urls(cast)[who]
    client = client_for(getattr(cast, who))
    client.get(url)  # warm up
    quiet, _response = queries_of(client, url)

    f.TallyRecountFactory(network=cast.network)
    loud, response = queries_of(client, url)

    assert response.context["report"]["recounting"]
    assert loud == quiet


def test_the_pdf_says_so_too(cast, client_for, recounting, post_pdf):
    client = client_for(cast.admin)

    post_pdf(client, reverse("reports:network_pdf", args=[cast.network.pk]))

    export = ReportExport.objects.get()
    assert "these figures are being counted again" in _text(_download(client, export))


def test_a_snapshot_published_meanwhile_keeps_saying_so(cast, client_for, recounting):
    snapshot = snapshot_publish(actor=cast.coach, leader=cast.leader, title="This year",
                                filters=filters_default(snapshot_scope(actor=cast.coach)),
                                idempotency_key=uuid.uuid4())
    recount_pending(network_id=cast.network.pk)

    page = client_for(cast.leader).get(reverse("reports:snapshot", args=[snapshot.token]))

    assert SHOWN in page.content.decode()
