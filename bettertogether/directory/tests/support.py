"""Small helpers shared by the directory's tests (and the apps that build on it)."""

from __future__ import annotations

import re
from urllib.parse import quote

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bettertogether.activity.models import ActivityEntry
from bettertogether.directory.models import (
    CaseloadAssignment,
    Membership,
    Organisation,
    Person,
    SchoolYear,
    TeacherProfile,
    Term,
)


def world_state() -> dict:
    """Everything a directory write could change, as plain values to compare before/after."""
    return {
        "people": list(
            Person.objects.order_by("pk").values_list(
                "pk", "email", "full_name", "preferred_name", "is_active", "deactivated_at"
            )
        ),
        "profiles": [
            (p.person_id, p.years_experience, p.interests,
             sorted(g.pk for g in p.grades.all()), sorted(s.pk for s in p.subjects.all()))
            for p in TeacherProfile.objects.order_by("pk").prefetch_related("grades", "subjects")
        ],
        "memberships": list(
            Membership.objects.order_by("pk").values_list(
                "pk", "person_id", "organisation_id", "role"
            )
        ),
        "organisations": list(
            Organisation.objects.order_by("pk").values_list(
                "pk", "name", "kind", "network_id", "locale", "time_zone", "leader_visibility",
                "password_sign_in", "entra_tenants", "entra_domains",
            )
        ),
        "school_years": list(
            SchoolYear.objects.order_by("pk").values_list("pk", "name", "starts_on", "ends_on")
        ),
        "terms": list(Term.objects.order_by("pk").values_list("pk", "name")),
        "caseloads": list(
            CaseloadAssignment.objects.order_by("pk").values_list(
                "pk", "coach_id", "teacher_id", "school_id", "school_year_id"
            )
        ),
        "activity": list(ActivityEntry.objects.order_by("pk").values_list("pk", flat=True)),
    }


def new_entries(before: dict) -> list[ActivityEntry]:
    """Activity entries written since `before = world_state()`."""
    return list(
        ActivityEntry.objects.exclude(pk__in=before["activity"]).order_by("pk")
    )


def login_redirect(path: str) -> str:
    return f"{reverse('accounts:login')}?next={quote(path)}"


def assert_login_redirect(response, path: str) -> None:
    assert response.status_code == 302
    assert response["Location"] == login_redirect(path)


def count_queries(client, url: str, **extra) -> int:
    """How many SQL queries one GET of `url` takes (the page must render)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    assert response.status_code == 200, response.status_code
    return len(captured.captured_queries)


def names(people) -> set[str]:
    return {p.full_name for p in people}


_TOKENS = re.compile(rb'("X-CSRFToken": "|name="csrfmiddlewaretoken" value="|nonce=")[^"]+"')


def without_tokens(content: bytes) -> bytes:
    """A page with its per-request CSRF tokens and CSP nonces blanked, to compare two responses."""
    return _TOKENS.sub(rb'\1"', content)
