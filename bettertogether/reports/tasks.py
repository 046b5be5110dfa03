"""Background work of the reports app: laying out a report's PDF, which takes a while."""

from django.tasks import task


@task()
def build_report_pdf(*, export_id: int) -> None:
    # Imported here: the services import this module to queue the task.
    from .pdf_services import pdf_build

    pdf_build(export_id=export_id)
