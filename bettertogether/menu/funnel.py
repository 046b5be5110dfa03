"""How far a menu item's requests went beyond a session: apps that depend on this one (goals
and cycles) register a source that counts, per item, the requests that led further.

    def funnel_counts(*, coach_id: int, item_ids: list[int]) -> dict[int, int]:
        ...one query...
        return {item_id: requests_that_led_to_a_goal_or_cycle}
"""

from __future__ import annotations

from collections.abc import Callable

FunnelSource = Callable[..., dict[int, int]]

_sources: list[FunnelSource] = []


def register(source: FunnelSource) -> None:
    if source not in _sources:
        _sources.append(source)


def led_further(*, coach_id: int, item_ids: list[int]) -> dict[int, int]:
    """Per item, the requests that led to a goal or cycle (the largest count of any source)."""
    counts: dict[int, int] = {}
    for source in _sources:
        for item_id, n in source(coach_id=coach_id, item_ids=item_ids).items():
            counts[item_id] = max(counts.get(item_id, 0), n)
    return counts
