"""Which network controls a person's account (their name and their sign-in).

A person shared by several networks is each network's only through its memberships; the
account itself answers to one network, the person's *home network* (see the directory's
model docstring). `Person.home_network` records the network that brought the person in;
while the person holds no role there (or it was never recorded, as for people made before
it was), the network of their oldest membership stands in, so every person with a role
has exactly one home and a person without any role has none.
"""

from __future__ import annotations

from .models import Membership


def home_network_id(person) -> int | None:
    """The id of the network that controls `person`'s account, or None."""
    if person is None or person.pk is None:
        return None
    held = list(
        Membership.objects.filter(person_id=person.pk)
        .order_by("created_at", "pk")
        .values_list("network_id", flat=True)
    )
    if person.home_network_id is not None and person.home_network_id in held:
        return person.home_network_id
    return held[0] if held else None
