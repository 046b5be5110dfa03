"""Background work of the rostering app: running an import, which may take a while."""

from django.tasks import task


@task()
def run_roster_import(*, run_id: int) -> None:
    from .services import import_run_execute

    import_run_execute(run_id=run_id)
