"""Canary: private text planted in every confidential field of the coach's log must not
reach anyone but its owner — not a page, not an activity entry, not a log line.

- `private_note` and personal notes: the author coach alone.
- `shared_note`: the author coach and the teacher of that interaction.
"""

import logging

import pytest
from django.urls import reverse

from bettertogether.activity.models import ActivityEntry
from bettertogether.coaching import services
from bettertogether.coaching.tests.support import kind, log
from bettertogether.directory.models import LeaderVisibility
from bettertogether.testing import factories as f

PRIVATE = "CANARY-PRIVATE-7f3a9c"
SHARED = "CANARY-SHARED-2b8e41"
PERSONAL = "CANARY-PERSONAL-c05d17"
CANARIES = (PRIVATE, SHARED, PERSONAL)


@pytest.fixture
def planted(cast, second_coach):
    # The leader may see who was coached on what: the most a leader ever sees.
    cast.school.leader_visibility = LeaderVisibility.WHO_AND_KIND
    cast.school.save()
    interaction = log(cast.coach, [cast.teacher], "Tech help", shared_note=SHARED,
                      private_note=PRIVATE)
    services.personal_note_add(actor=cast.coach, teacher=cast.teacher, text=PERSONAL)
    # An edit and a second entry, so the activity log holds every kind of entry.
    services.interaction_update(
        actor=cast.coach, interaction=interaction, kind=kind("Check-in"),
        teachers=[cast.teacher], minutes=12, occurred_at=interaction.occurred_at,
        shared_note=SHARED, private_note=PRIVATE)
    log(cast.coach, [], "Planning", private_note=PRIVATE)
    return interaction


def _urls(cast, interaction):
    entries = list(ActivityEntry.objects.values_list("pk", flat=True))
    return [
        reverse("coaching:log"),
        reverse("coaching:my_log"),
        reverse("coaching:entry_edit", args=[interaction.pk]),
        reverse("coaching:teacher", args=[cast.teacher.pk]),
        reverse("coaching:teacher", args=[cast.other_teacher.pk]),
        reverse("coaching:mine"),
        reverse("core:home"),
        reverse("core:profile"),
        reverse("directory:people"),
        reverse("directory:person", args=[cast.teacher.pk]),
        reverse("directory:person", args=[cast.coach.pk]),
        reverse("coaching:caseload"),
        reverse("coaching:school_summary", args=[cast.school.pk]),
        reverse("coaching:school_summary", args=[cast.school.pk]) + "?period=30d",
        reverse("coaching:support_kinds", args=[cast.network.pk]),
        reverse("directory:organisation", args=[cast.school.pk]),
        reverse("directory:school_caseloads", args=[cast.school.pk]),
        reverse("activity:log"),
        # The menu's pages of the same people: requests and sessions show no coaching note.
        reverse("menu:menu"),
        reverse("menu:inbox") + "?status=all",
        reverse("menu:my_requests"),
        reverse("menu:sessions"),
        reverse("menu:calendar"),
        reverse("notifications:list"),
        "/support/",
        "/support/activity/activityentry/",
        *(f"/support/activity/activityentry/{pk}/change/" for pk in entries),
        f"/support/directory/person/{cast.teacher.pk}/change/",
    ]


def _seen_by(client, urls) -> str:
    return "".join(client.get(url).content.decode() for url in urls)


@pytest.mark.parametrize("who", ["second_coach", "other_teacher", "leader", "admin",
                                 "outsider", "support_staff"])
def test_canary_no_confidential_text_for_anyone_outside_the_pair(cast, client_for, persona,
                                                                  planted, who, caplog):
    caplog.set_level(logging.DEBUG)
    if who == "support_staff":
        actor = f.PersonFactory(is_staff=True, is_superuser=True)
    else:
        actor = persona(who)

    seen = _seen_by(client_for(actor), _urls(cast, planted))

    for canary in CANARIES:
        assert canary not in seen, f"{canary} reached {who}"
    assert not any(canary in caplog.text for canary in CANARIES)


def test_canary_teacher_sees_the_shared_note_only(cast, client_for, planted, caplog):
    caplog.set_level(logging.DEBUG)

    seen = _seen_by(client_for(cast.teacher), _urls(cast, planted))

    assert SHARED in seen
    assert PRIVATE not in seen
    assert PERSONAL not in seen
    assert not any(canary in caplog.text for canary in CANARIES)


def test_canary_author_coach_sees_all_three(cast, client_for, planted, caplog):
    caplog.set_level(logging.DEBUG)

    seen = _seen_by(client_for(cast.coach), _urls(cast, planted))

    assert all(canary in seen for canary in CANARIES)
    assert not any(canary in caplog.text for canary in CANARIES)


def test_canary_never_in_activity_entries(cast, planted):
    services.interaction_delete(actor=cast.coach, interaction=planted)

    rows = repr(list(ActivityEntry.objects.values()))

    assert ActivityEntry.objects.filter(action__startswith="interaction.").count() == 4
    assert not any(canary in rows for canary in CANARIES)


def test_canary_not_in_log_output_of_writes(cast, caplog):
    caplog.set_level(logging.DEBUG)

    interaction = log(cast.coach, [cast.teacher], shared_note=SHARED, private_note=PRIVATE)
    note = services.personal_note_add(actor=cast.coach, teacher=cast.teacher, text=PERSONAL)
    services.personal_note_delete(actor=cast.coach, note=note)
    services.interaction_delete(actor=cast.coach, interaction=interaction)

    assert not any(canary in caplog.text for canary in CANARIES)
