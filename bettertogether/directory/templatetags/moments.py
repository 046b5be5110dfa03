"""`{% load moments %}`: every date and time a page shows, one way (`directory.moments`).

    {{ entry.occurred_at|moment }}            Tue 8 Dec 2026, 10:23
    {{ generated_at|moment:"zone" }}          Tue 8 Dec 2026, 10:23 CST
    {{ session.ends_at|moment_clock }}        10:30

In the active zone: the signed-in person's network's on a page, the network's in a task.
"""

from django import template

from bettertogether.directory.moments import clock_text, moment_text

register = template.Library()


@register.filter
def moment(value, arg: str = "") -> str:
    return moment_text(value, with_zone=arg == "zone")


@register.filter
def moment_clock(value, arg: str = "") -> str:
    return clock_text(value, with_zone=arg == "zone")
