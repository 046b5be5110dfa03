"""The demo datasets' reports: tallies equal to the log, and the small demo's snapshot."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bettertogether.coaching.models import CoachWeek, PairTerm, WeekTally
from bettertogether.coaching.tallies.proof import differences
from bettertogether.demo.common import DISTRICT_NETWORK, OUTSIDER_NETWORK, SMALL_NETWORK
from bettertogether.demo.management.commands.seed_demo import seed_all
from bettertogether.demo.tests.test_seed_demo import TINY
from bettertogether.directory.models import Organisation
from bettertogether.reports.models import ReportSnapshot

pytestmark = pytest.mark.slow


def _seed_small() -> None:
    call_command("seed_demo", scale="small", stdout=io.StringIO())


def _network(name: str) -> Organisation:
    return Organisation.objects.get(kind=Organisation.Kind.NETWORK, name=name)


def _tallied(network: Organisation) -> bool:
    return all(model.objects.filter(network=network).exists()
               for model in (WeekTally, CoachWeek, PairTerm))


@pytest.mark.usefixtures("small_demo")
@pytest.mark.django_db
def test_seed_small_tallies_equal_the_log():
    for name in (SMALL_NETWORK, OUTSIDER_NETWORK):
        network = _network(name)
        assert _tallied(network), name
        assert differences(network) == {}, name


@pytest.mark.usefixtures("small_demo")
@pytest.mark.django_db
def test_seed_small_publishes_a_snapshot_to_the_principal():
    snapshot = ReportSnapshot.objects.get()
    assert snapshot.coach.email == "coach@riverside.example"
    assert snapshot.leader.email == "principal@riverside.example"
    assert snapshot.network == _network(SMALL_NETWORK)
    assert snapshot.withdrawn_at is None
    assert snapshot.title and snapshot.message
    assert {"start", "end"} <= set(snapshot.filters)
    # Built for its leader: the coach's report with the leader's suppression rules.
    assert snapshot.data["kind"] == "coach"
    assert snapshot.data["audience"] == "leader"
    assert snapshot.data["sections"]


@pytest.mark.django_db
def test_seed_district_tallies_equal_the_log():
    seed_all(scale="district", seed=7, size=TINY)

    network = _network(DISTRICT_NETWORK)
    assert _tallied(network)
    assert differences(network) == {}
    assert not ReportSnapshot.objects.exists()


@pytest.mark.django_db
def test_report_tallies_checks_and_rebuilds():
    seed_all(scale="district", seed=7, size=TINY)
    network = _network(DISTRICT_NETWORK)
    out = io.StringIO()

    call_command("report_tallies", "--check", stdout=out)
    assert "equal to the log" in out.getvalue()

    WeekTally.objects.filter(pk=WeekTally.objects.filter(network=network).first().pk).delete()
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("report_tallies", "--check", stdout=out)
    assert raised.value.returncode == 1
    assert "weeks: 0 row(s) not in the log, 1 row(s) of the log missing" in out.getvalue()

    out = io.StringIO()
    call_command("report_tallies", "--rebuild", "--check", "--network", str(network.pk),
                 stdout=out)
    assert f"Rebuilt {DISTRICT_NETWORK}" in out.getvalue()
    assert differences(network) == {}


@pytest.mark.django_db
def test_report_tallies_needs_something_to_do():
    with pytest.raises(CommandError):
        call_command("report_tallies")
    with pytest.raises(CommandError):
        call_command("report_tallies", "--check", "--network", "999999")
