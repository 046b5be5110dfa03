"""Directory services for networks, schools, school years and terms."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bettertogether.directory import services
from bettertogether.directory.models import (
    SchoolYear,
    Term,
)
from bettertogether.directory.tests.support import new_entries, world_state
from bettertogether.testing import factories as f

D = datetime.date


# --- networks and schools ---------------------------------------------------------------


def test_network_create_by_support_staff_records_entry(db):
    staff = f.PersonFactory(is_staff=True)
    before = world_state()

    network = services.network_create(actor=staff, name=" Oak Trust ", locale="en-gb",
                                      time_zone="Europe/London")

    assert (network.name, network.kind, network.network, network.locale) == (
        "Oak Trust", "network", None, "en-gb")
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.organisation, entry.network) == (
        staff, "organisation.create", network, network)


def test_network_create_from_a_command_has_no_actor(db):
    network = services.network_create(actor=None, name="Oak Trust")

    [entry] = new_entries({"activity": []})
    assert (entry.actor, entry.action, entry.target_id) == (None, "organisation.create",
                                                            network.pk)


def test_network_create_by_network_admin_is_refused(cast):
    before = world_state()

    with pytest.raises(PermissionDenied):
        services.network_create(actor=cast.admin, name="Oak Trust")

    assert world_state() == before


def test_network_create_with_unknown_time_zone_changes_nothing(db):
    before = world_state()

    with pytest.raises(ValidationError) as error:
        services.network_create(actor=None, name="Oak", time_zone="Mars/Olympus")

    assert list(error.value.message_dict) == ["time_zone"]
    assert world_state() == before


def test_school_create_copies_network_settings(cast):
    cast.network.leader_visibility = "who_and_kind"
    cast.network.save()
    before = world_state()

    school = services.school_create(actor=cast.admin, network=cast.network, name="Jefferson")

    assert (school.network, school.locale, school.time_zone, school.leader_visibility) == (
        cast.network, "en-us", "America/Chicago", "who_and_kind")
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.organisation, entry.network) == (
        cast.admin, "organisation.create", school, cast.network)


@pytest.mark.parametrize("who", ["leader", "coach", "teacher", "outsider"])
def test_school_create_without_admin_role_is_refused(cast, who):
    before = world_state()

    with pytest.raises(PermissionDenied):
        services.school_create(actor=getattr(cast, who), network=cast.network, name="X")

    assert world_state() == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("   ", {"name": ["This field cannot be blank."]}),
        ("Lincoln Elementary",
         {"name": ["Riverside already has a school called Lincoln Elementary."]}),
    ],
)
def test_school_create_bad_name_changes_nothing(cast, name, message):
    before = world_state()

    with pytest.raises(ValidationError) as error:
        services.school_create(actor=cast.admin, network=cast.network, name=name)

    assert error.value.message_dict == message
    assert world_state() == before


def test_school_create_same_name_in_another_network_is_allowed(cast):
    school = services.school_create(actor=cast.outsider, network=cast.outsider_network,
                                    name="Lincoln Elementary")

    assert school.network == cast.outsider_network


def test_organisation_update_saves_settings(cast):
    services.organisation_update(actor=cast.admin, organisation=cast.school, name="Lincoln",
                                 locale="en-gb", time_zone="Europe/London",
                                 leader_visibility="who_and_kind")

    cast.school.refresh_from_db()
    assert (cast.school.name, cast.school.locale, cast.school.time_zone,
            cast.school.leader_visibility) == ("Lincoln", "en-gb", "Europe/London",
                                               "who_and_kind")


def test_organisation_update_keeping_its_own_name_is_fine(cast):
    services.organisation_update(actor=cast.admin, organisation=cast.school,
                                 name="Lincoln Elementary", locale="en-us",
                                 time_zone="UTC", leader_visibility="totals")

    cast.school.refresh_from_db()
    assert cast.school.time_zone == "UTC"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"time_zone": "Nowhere/Nothing"}, "time_zone"),
        ({"locale": "fr-fr"}, "locale"),
        ({"leader_visibility": "everything"}, "leader_visibility"),
        ({"name": "Roosevelt Middle"}, "name"),
    ],
)
def test_organisation_update_bad_value_changes_nothing(cast, changes, field):
    values = {"name": "Lincoln", "locale": "en-us", "time_zone": "UTC",
              "leader_visibility": "totals", **changes}
    before = world_state()

    with pytest.raises(ValidationError) as error:
        services.organisation_update(actor=cast.admin, organisation=cast.school, **values)

    assert list(error.value.message_dict) == [field]
    assert world_state() == before


@pytest.mark.parametrize("who", ["leader", "coach", "outsider"])
def test_organisation_update_without_admin_role_is_refused(cast, who):
    before = world_state()

    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=getattr(cast, who), organisation=cast.school,
                                     name="Mine", locale="en-us", time_zone="UTC",
                                     leader_visibility="totals")

    assert world_state() == before


# --- school years and terms -------------------------------------------------------------


def test_school_year_create_with_terms(cast):
    before = world_state()

    year = services.school_year_create(
        actor=cast.admin, network=cast.network, name="2027–28",
        starts_on=D(2027, 8, 20), ends_on=D(2028, 6, 15),
        terms=[("Fall", D(2027, 8, 20), D(2027, 12, 20)),
               ("Spring", D(2028, 1, 5), D(2028, 6, 15))])

    assert [t.name for t in year.terms.all()] == ["Fall", "Spring"]
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.target_id, entry.organisation) == (
        cast.admin, "school_year.create", year.pk, cast.network)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"starts_on": D(2027, 8, 20), "ends_on": D(2027, 8, 1)}, "ends_on"),
        ({"starts_on": D(2027, 8, 20), "ends_on": D(2028, 6, 1), "name": "2026–27"}, "name"),
        ({"starts_on": D(2027, 8, 20), "ends_on": D(2028, 6, 1),
          "terms": [("Fall", D(2027, 8, 1), D(2027, 12, 1))]}, "__all__"),
    ],
)
def test_school_year_create_bad_input_changes_nothing(cast, kwargs, field):
    before = world_state()

    with pytest.raises(ValidationError) as error:
        services.school_year_create(actor=cast.admin, network=cast.network,
                                    **{"name": "2027–28", **kwargs})

    assert list(error.value.message_dict) == [field]
    assert world_state() == before


def test_school_year_create_by_leader_is_refused(cast):
    with pytest.raises(PermissionDenied):
        services.school_year_create(actor=cast.leader, network=cast.network, name="2027–28",
                                    starts_on=D(2027, 8, 20), ends_on=D(2028, 6, 1))

    assert SchoolYear.objects.count() == 1


def test_term_create_inside_the_year(cast):
    year = cast.school_year
    before = world_state()

    term = services.term_create(actor=cast.admin, school_year=year, name=" Fall ",
                                starts_on=year.starts_on,
                                ends_on=year.starts_on + datetime.timedelta(days=90))

    assert (term.name, term.school_year) == ("Fall", year)
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.organisation) == (
        cast.admin, "term.create", cast.network)


def test_term_create_outside_the_year_changes_nothing(cast):
    year = cast.school_year
    before = world_state()

    with pytest.raises(ValidationError) as error:
        services.term_create(actor=cast.admin, school_year=year, name="Summer",
                             starts_on=year.ends_on, ends_on=year.ends_on + datetime.timedelta(1))

    assert error.value.messages == ["A term must fall within its school year."]
    assert world_state() == before


def test_term_create_by_outsider_is_refused(cast):
    year = cast.school_year

    with pytest.raises(PermissionDenied):
        services.term_create(actor=cast.outsider, school_year=year, name="Fall",
                             starts_on=year.starts_on, ends_on=year.ends_on)

    assert Term.objects.count() == 0
