"""One way to show a moment: the organisation's zone, its language's one format, the zone
named where a reader could be unsure."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from bettertogether.directory import moments

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
LONDON = zoneinfo.ZoneInfo("Europe/London")
WINTER = datetime.datetime(2031, 3, 4, 16, 23, tzinfo=datetime.UTC)  # 10:23 in Chicago
SUMMER = datetime.datetime(2031, 7, 8, 15, 23, tzinfo=datetime.UTC)  # 10:23 in Chicago


@pytest.mark.parametrize(("moment", "zone", "language", "text", "named"), [
    (WINTER, CHICAGO, "en-us", "Tue, Mar 4, 2031, 10:23 AM", "Tue, Mar 4, 2031, 10:23 AM CST"),
    (SUMMER, CHICAGO, "en-us", "Tue, Jul 8, 2031, 10:23 AM", "Tue, Jul 8, 2031, 10:23 AM CDT"),
    (WINTER, LONDON, "en-gb", "Tue 4 Mar 2031, 16:23", "Tue 4 Mar 2031, 16:23 GMT"),
    (SUMMER, LONDON, "en-gb", "Tue 8 Jul 2031, 16:23", "Tue 8 Jul 2031, 16:23 BST"),
])
def test_moment_text_is_the_zones_wall_clock_in_one_format(moment, zone, language, text, named):
    with translation.override(language):
        assert moments.moment_text(moment, zone=zone) == text
        assert moments.moment_text(moment, zone=zone, with_zone=True) == named


def test_moment_text_without_a_zone_is_the_active_zones():
    with translation.override("en-us"), timezone.override(CHICAGO):
        assert moments.moment_text(WINTER) == "Tue, Mar 4, 2031, 10:23 AM"
    with translation.override("en-us"), timezone.override(LONDON):
        assert moments.moment_text(WINTER) == "Tue, Mar 4, 2031, 4:23 PM"


def test_moment_text_is_written_as_the_terminology_writes_it():
    with translation.override("en-us"):
        assert moments.moment_text(WINTER, zone=CHICAGO) == "Tue, Mar 4, 2031, 10:23 AM"
        assert moments.clock_text(WINTER, zone=LONDON) == "4:23 PM"
    with translation.override("en-gb"):
        assert moments.moment_text(WINTER, zone=CHICAGO) == "Tue 4 Mar 2031, 10:23"
        assert moments.clock_text(WINTER, zone=LONDON) == "16:23"


def test_moment_text_of_nothing_is_empty():
    assert moments.moment_text(None) == ""
    assert moments.moment_text("") == ""
    assert moments.clock_text(None) == ""
    assert moments.machine_text(None, zone=CHICAGO) == ""


def test_clock_text_is_the_time_of_day_alone():
    with translation.override("en-us"):
        assert moments.clock_text(WINTER, zone=CHICAGO) == "10:23 AM"
        assert moments.clock_text(WINTER, zone=CHICAGO, with_zone=True) == "10:23 AM CST"


def test_machine_text_is_local_and_sortable():
    assert moments.machine_text(WINTER, zone=CHICAGO) == "2031-03-04 10:23"
    assert moments.machine_text(SUMMER, zone=LONDON) == "2031-07-08 16:23"


def test_zone_label_is_the_zones_name():
    assert moments.zone_label(CHICAGO) == "America/Chicago"


def test_moment_filters_show_the_active_zone():
    page = Template('{% load moments %}{{ at|moment }} / {{ at|moment:"zone" }} / '
                    '{{ at|moment_clock }} / {{ missing|moment }}.')

    with translation.override("en-us"), timezone.override(CHICAGO):
        shown = page.render(Context({"at": WINTER}))

    assert shown == ("Tue, Mar 4, 2031, 10:23 AM / Tue, Mar 4, 2031, 10:23 AM CST / "
                     "10:23 AM / .")
