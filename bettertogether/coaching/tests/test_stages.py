"""Relationship stages are read from facts, with a plain-language reason."""

import datetime

import pytest

from bettertogether.coaching.stages import Facts, Rules, Stage, stage_for

UTC = datetime.UTC
DAY1 = datetime.datetime(2026, 10, 3, 12, tzinfo=UTC)
RULES = Rules(trusting_min_contacts=3, trusting_min_weeks=3)


def _after(days):
    return DAY1 + datetime.timedelta(days=days)


def test_no_contact_is_new():
    reading = stage_for(Facts(), RULES)

    assert (reading.stage, reading.label, reading.reason) == (
        Stage.NEW, "New", "No contact logged yet")


def test_one_contact_is_connected_with_the_first_day():
    reading = stage_for(Facts(contacts=1, first_contact=DAY1, last_contact=DAY1), RULES)

    assert (reading.stage, reading.reason) == (
        Stage.CONNECTED, "First contact on 3 Oct; 1 contact so far")


def test_two_contacts_is_connected():
    reading = stage_for(Facts(contacts=2, first_contact=DAY1, last_contact=_after(30)), RULES)

    assert (reading.stage, reading.reason) == (
        Stage.CONNECTED, "First contact on 3 Oct; 2 contacts so far")


def test_repeated_contact_over_weeks_is_trusting():
    reading = stage_for(Facts(contacts=7, first_contact=DAY1, last_contact=_after(44)), RULES)

    assert (reading.stage, reading.label, reading.reason) == (
        Stage.TRUSTING, "Trusting", "7 contacts over 6 weeks")


@pytest.mark.parametrize(("contacts", "days", "stage"), [
    (3, 21, Stage.TRUSTING),    # exactly the minimum contacts, exactly the minimum weeks
    (2, 21, Stage.CONNECTED),   # one contact short
    (3, 20, Stage.CONNECTED),   # one day short of three weeks
    (10, 0, Stage.CONNECTED),   # many contacts in one day are not weeks of contact
])
def test_trusting_boundaries(contacts, days, stage):
    facts = Facts(contacts=contacts, first_contact=DAY1, last_contact=_after(days))

    assert stage_for(facts, RULES).stage == stage


def test_trusting_reason_in_one_week():
    rules = Rules(trusting_min_contacts=2, trusting_min_weeks=1)

    reading = stage_for(Facts(contacts=2, first_contact=DAY1, last_contact=_after(7)), rules)

    assert reading.reason == "2 contacts over 1 week"


def test_rules_are_tunable():
    facts = Facts(contacts=2, first_contact=DAY1, last_contact=_after(7))

    assert stage_for(facts, RULES).stage == Stage.CONNECTED
    assert stage_for(facts, Rules(trusting_min_contacts=2, trusting_min_weeks=1)).stage == (
        Stage.TRUSTING)
    assert stage_for(facts, Rules(trusting_min_contacts=2, trusting_min_weeks=0)).stage == (
        Stage.TRUSTING)


def test_asking_for_help_is_trusting_even_without_contact():
    reading = stage_for(Facts(asked_for_help=True), RULES)

    assert (reading.stage, reading.reason) == (Stage.TRUSTING, "Asked you for help")


def test_a_goal_or_cycle_is_partnering():
    facts = Facts(contacts=1, first_contact=DAY1, last_contact=DAY1, asked_for_help=True,
                  has_goal_or_cycle=True)

    reading = stage_for(facts, RULES)

    assert (reading.stage, reading.label, reading.reason) == (
        Stage.PARTNERING, "Partnering", "Working on a goal or cycle together")


def test_a_cycle_with_student_evidence_is_data_driven():
    reading = stage_for(Facts(has_goal_or_cycle=True, has_evidence=True), RULES)

    assert (reading.stage, reading.label, reading.reason) == (
        Stage.DATA_DRIVEN, "Data-driven", "A coaching cycle with student evidence")


def test_contacts_without_dates_are_new():
    assert stage_for(Facts(contacts=2), RULES).stage == Stage.NEW
