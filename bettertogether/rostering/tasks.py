"""Background work of the rostering app: running an import, which may take a while, and
deleting roster files once their day is up."""

from django.tasks import task


@task()
def run_roster_import(*, run_id: int) -> None:
    from .services import import_run_execute

    import_run_execute(run_id=run_id)


@task()
def forget_roster_uploads() -> int:
    """Queued to run a day after each upload (see `services._schedule_forget`)."""
    from .services import roster_uploads_forget

    return roster_uploads_forget()
