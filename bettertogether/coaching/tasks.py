"""Background work of the coaching app: recounting a network's tallies after its calendar
changed (`tallies/network.py` says why it waits for the worker)."""

from django.tasks import task


@task()
def recount_tallies(*, network_id: int) -> None:
    # Imported here: the tallies import this module to queue the task.
    from .tallies.network import recount_pending

    recount_pending(network_id=network_id)
