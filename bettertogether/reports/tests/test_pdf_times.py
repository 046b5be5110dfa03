"""A PDF's time reads the same on the report page's list and on the PDF's status page (the
reader's network's zone, one format), and the PDF says when it was made in its network's
time, with the zone named."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from bettertogether.directory.localisation import in_organisation
from bettertogether.reports.models import ReportExport
from bettertogether.reports.pdf import report_html
from bettertogether.reports.tests.pdf_support import _download, _queued, _some_work, _text, _url
from bettertogether.reports.tests.support import report, school_scope, today

ASKED = datetime.datetime(2026, 3, 4, 16, 23, tzinfo=datetime.UTC)  # 10:23 in Chicago


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _asked_at(export: ReportExport, moment: datetime.datetime) -> None:
    ReportExport.objects.filter(pk=export.pk).update(created_at=moment)


def test_pdf_list_and_status_page_show_the_same_local_time(cast, client_for):
    export = _queued(cast)
    _asked_at(export, ASKED)
    client = client_for(cast.leader)

    listed = client.get(reverse("reports:school", args=[cast.school.pk])).content.decode()
    status = client.get(reverse("reports:pdf_status", args=[export.pk])).content.decode()

    shown = ('<time datetime="2026-03-04T10:23:00-06:00">Wed, Mar 4, 2026, 10:23 AM</time>')
    assert shown in listed
    assert shown in status
    assert "16:23" not in listed and "16:23" not in status
    assert "a.m." not in status


def test_pdf_times_follow_the_readers_network_across_daylight_saving(cast, client_for):
    export = _queued(cast)
    _asked_at(export, datetime.datetime(2026, 7, 8, 15, 23, tzinfo=datetime.UTC))
    client = client_for(cast.leader)

    listed = client.get(reverse("reports:school", args=[cast.school.pk])).content.decode()
    status = client.get(reverse("reports:pdf_status", args=[export.pk])).content.decode()

    assert "Wed, Jul 8, 2026, 10:23 AM" in listed  # CDT: five hours behind UTC
    assert "Wed, Jul 8, 2026, 10:23 AM" in status


def test_pdf_says_when_it_was_made_in_the_networks_time_with_the_zone(cast):
    found = report(school_scope(cast), today(cast), today(cast))

    with in_organisation(cast.network):
        chicago = report_html(report=found, generated_at=ASKED)
    with in_organisation(cast.outsider_network):
        london = report_html(report=found, generated_at=ASKED)

    assert "<dd>Wed, Mar 4, 2026, 10:23 AM CST</dd>" in chicago
    assert "<dd>Wed 4 Mar 2026, 16:23 GMT</dd>" in london


def test_pdf_built_in_the_background_tells_the_networks_time(cast, client_for, post_pdf):
    _some_work(cast)
    client = client_for(cast.leader)

    post_pdf(client, _url(cast, "school"))

    text = _text(_download(client, ReportExport.objects.get()))
    generated = r"Generated \w{3}, \w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M C[SD]T"
    assert re.search(generated, text), text
